from badges.codes import CodeFormatError, code_parse
from badges.exceptions import BadgeRevoked, BadgeUnknown
from badges.models import Badge
from fair.models import Fair


def badge_resolve(*, code: str, fair: Fair) -> Badge:
    """The active badge for scanned QR content or a typed short code at this fair.

    Raises BadgeUnknown for text that is no code of ours (typos included) or belongs to no
    badge of this fair, BadgeRevoked for a badge that was revoked.
    """
    try:
        kind, value = code_parse(code)
    except CodeFormatError as exc:
        raise BadgeUnknown(str(exc)) from exc
    lookup = {"secret": value} if kind == "secret" else {"short_code": value}
    badge = (
        Badge.objects.select_related("attendee", "attendee__fair")
        .filter(attendee__fair=fair, **lookup)
        .first()
    )
    if badge is None:
        raise BadgeUnknown("no badge with this code")
    if badge.state == Badge.State.REVOKED:
        raise BadgeRevoked(badge)
    return badge
