"""Portal invitation links: a user id plus Django's password-reset token.

The token is derived from the user's password hash and last login, so it stops working as
soon as it has been used to set a password (and after ``PASSWORD_RESET_TIMEOUT``).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from fair.mail import absolute_url

# "." is in neither the urlsafe base64 alphabet of the user id nor in the token.
_SEPARATOR = "."


def invitation_token_make(*, user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{uidb64}{_SEPARATOR}{default_token_generator.make_token(user)}"


def invitation_valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def invitation_url(*, user: User) -> str:
    """Absolute link to the set-password page of the portal."""
    path = reverse("portal:invitation", kwargs={"token": invitation_token_make(user=user)})
    return absolute_url(path)


def invitation_user_resolve(*, token: str) -> User | None:
    """The user the token was made for, if it is still valid and the user has a portal
    account; otherwise None."""
    uidb64, separator, user_token = token.partition(_SEPARATOR)
    if not separator or not uidb64 or not user_token:
        return None
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, user_token):
        return None
    if not hasattr(user, "exhibitor_account"):
        return None
    return user
