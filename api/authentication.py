"""Authentication of the back-office API (``/api/v1/``) with ``ApiToken``s.

Clients send ``Authorization: Bearer <token>`` (RFC 6750; the ``fl_api_…`` key shown once when
the token was created in the portal, the admin or with ``manage.py create_api_token``). Only the
key's SHA-256 digest is stored. A revoked token, a token of an organizer who is no longer active
staff, or an unknown key is answered with 401 ``token_invalid``. The browsable API also accepts
the browser session (DRF's SessionAuthentication, configured on the views).
"""

from django.contrib.auth.models import User
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from api.models import ApiToken
from api.v1.selectors import api_token_for_key
from api.v1.services import api_token_touch

KEYWORD = "Bearer"


class ExhibitorTokenUser:
    """``request.user`` of a request made with an exhibitor's token (there is no person)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, token: ApiToken):
        self.token = token
        self.exhibitor = token.exhibitor

    def get_username(self) -> str:
        return f"api-token-{self.token.pk}"

    def __str__(self) -> str:
        return f"{self.exhibitor} (API token “{self.token.name}”)"


class TokenInvalid(exceptions.AuthenticationFailed):
    default_code = "token_invalid"


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <key>`` → (organizer user | ExhibitorTokenUser, ApiToken)."""

    def authenticate(self, request: Request) -> tuple[User | ExhibitorTokenUser, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise TokenInvalid()
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise TokenInvalid() from exc
        token = api_token_for_key(key=key)
        if token is None:
            raise TokenInvalid()
        if token.revoked_at is not None:
            raise TokenInvalid()
        user: User | ExhibitorTokenUser
        if token.user is not None:
            if not (token.user.is_active and token.user.is_staff):
                raise TokenInvalid()
            user = token.user
        else:
            user = ExhibitorTokenUser(token)
        api_token_touch(token=token)
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{KEYWORD} realm="api"'
