"""Writes of the back-office API: creating, revoking and touching API tokens."""

import datetime
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from exhibitors.models import Exhibitor
from fair.hashing import secret_hash

TOKEN_PREFIX = "fl_api_"
NAME_MAX_LENGTH = 80
# last_used_at is written at most this often per token, not on every request.
TOUCH_INTERVAL = datetime.timedelta(minutes=1)


class ApiTokenError(Exception):
    """A token that cannot be created as asked; ``str()`` is a sentence for people."""


@transaction.atomic
def api_token_create(
    *,
    name: str,
    user: User | None = None,
    exhibitor: Exhibitor | None = None,
    created_by: User | None = None,
) -> tuple[ApiToken, str]:
    """A new token for an organizer (a staff user) or an exhibitor; returns the token row and
    the key, which is shown once and stored only as its SHA-256 digest."""
    name = " ".join((name or "").split())
    if not name:
        raise ApiTokenError(_("Give the token a name, e.g. “CRM sync”."))
    if len(name) > NAME_MAX_LENGTH:
        raise ApiTokenError(
            _("A token name has at most %(max)d characters.") % {"max": NAME_MAX_LENGTH}
        )
    if (user is None) == (exhibitor is None):
        raise ApiTokenError(_("A token belongs either to an organizer or to an exhibitor."))
    if user is not None and not (user.is_active and user.is_staff):
        raise ApiTokenError(
            _("%(user)s is not an organizer (staff) account.") % {"user": user.get_username()}
        )
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        token_hash=secret_hash(key),
        prefix=key[: len(TOKEN_PREFIX) + 4],
        user=user,
        exhibitor=exhibitor,
        created_by=created_by,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, now: datetime.datetime | None = None) -> ApiToken:
    """Revoke a token: requests with it get 401 from now on. Revoking twice changes nothing."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = now or timezone.now()
        locked.save(update_fields=["revoked_at"])
    token.revoked_at = locked.revoked_at
    return locked


def api_token_touch(*, token: ApiToken, now: datetime.datetime | None = None) -> None:
    """Record that the token was used (at most once per ``TOUCH_INTERVAL``, one UPDATE)."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
