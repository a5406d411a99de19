"""Reads of the back-office API: token lookup and the caller's role."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import QuerySet

from api.models import ApiToken
from api.v1.services import TOKEN_PREFIX
from exhibitors.models import Exhibitor
from exhibitors.selectors import exhibitor_for_user
from fair.hashing import secret_hash


def api_token_for_key(*, key: str) -> ApiToken | None:
    """The token with this key (revoked ones too: the caller refuses them), or None."""
    if not key or not key.startswith(TOKEN_PREFIX) or len(key) > 200:
        return None
    return (
        ApiToken.objects.select_related("user", "exhibitor", "exhibitor__fair")
        .filter(token_hash=secret_hash(key))
        .first()
    )


def api_tokens_for_exhibitor(*, exhibitor: Exhibitor) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(exhibitor=exhibitor)
        .select_related("created_by")
        .order_by("revoked_at", "-created_at", "-id")
    )


@dataclass(frozen=True)
class Caller:
    """Whom an API request acts for: an organizer (sees everything) or one exhibitor."""

    user: User | None
    exhibitor: Exhibitor | None

    @property
    def is_organizer(self) -> bool:
        return self.exhibitor is None and self.user is not None and self.user.is_staff


def api_caller(*, user: AbstractBaseUser | AnonymousUser | None, auth: object) -> Caller | None:
    """The caller of a request: from its API token, else from the session user (staff users
    are organizers, portal users act for their exhibitor). None: neither."""
    if isinstance(auth, ApiToken):
        if auth.exhibitor_id is not None:
            return Caller(user=None, exhibitor=auth.exhibitor)
        if auth.user is not None and auth.user.is_active and auth.user.is_staff:
            return Caller(user=auth.user, exhibitor=None)
        return None
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    if user.is_staff:
        return Caller(user=user, exhibitor=None)
    exhibitor = exhibitor_for_user(user=user)
    if exhibitor is not None:
        return Caller(user=user, exhibitor=exhibitor)
    return None
