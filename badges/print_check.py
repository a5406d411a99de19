"""How a name will print on a badge, asked before it is printed (or while it is typed).

``badge_print_check`` is the one question every entry point asks — the registration form, the
attendee import, the admin and the print run — so that a badge never silently prints less
than the stored name. Its answer lists each text that prints otherwise than stored: characters
no font has (emoji, see ``badges.fonts``) are left out, and a text too long for a layout even
at its minimum size is cut with an ellipsis (``badges.render.text_fit``). ``print_issue_text``
turns an issue into a sentence for people.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from badges.fonts import text_printed, text_units_estimate
from badges.layouts import LAYOUTS, layout_get
from badges.models import Attendee
from badges.render import (
    CHECKED_FIELDS,
    BadgeData,
    PrintIssue,
    badge_print_issues,
    badge_text_fits,
)


def badge_print_check(
    *,
    first_name: str,
    last_name: str,
    company: str = "",
    job_title: str = "",
    layout_keys: Iterable[str] | None = None,
) -> list[PrintIssue]:
    """What of these texts prints otherwise than given, on any of ``layout_keys`` (default:
    every layout). One issue per text, from the layout that cuts it shortest.

    Cheap for the usual name (an import checks every row): a text whose width at a layout's
    minimum size fits one line of its box cannot be cut there, so only the others are laid
    out in full.
    """
    data = BadgeData(
        qr_content="",
        short_code="",
        first_name=first_name,
        last_name=last_name,
        company=company,
        job_title=job_title,
        category="visitor",
        category_label="",
        fair_name="",
        fair_dates="",
    )
    worst: dict[str, PrintIssue] = {}
    keys = list(layout_keys) if layout_keys is not None else list(LAYOUTS)
    measured: dict[tuple[str, str], tuple[bool, float]] = {}  # (text, font) → (missing, units)
    for key in keys:
        fits = badge_text_fits(data, layout_get(key).badge)
        for field in CHECKED_FIELDS:
            fit = fits[field]
            text = getattr(data, field)
            font, width, min_size = (fit.keywords[name] for name in ("font", "width", "min_size"))
            if (text, font) not in measured:
                measured[text, font] = (
                    bool(text_printed(text, font=font).missing),
                    text_units_estimate(text, font=font),
                )
            missing, units = measured[text, font]
            if not missing and units * min_size <= width:
                continue
            for issue in badge_print_issues(data, {field: fit()}, fields=(field,)):
                known = worst.get(issue.field)
                if known is None or len(issue.printed) < len(known.printed):
                    worst[issue.field] = issue
    return [worst[name] for name in CHECKED_FIELDS if name in worst]


def print_issue_text(issue: PrintIssue) -> str:
    """One sentence saying how a text prints otherwise than stored."""
    label = str(getattr(Attendee._meta.get_field(issue.field), "verbose_name", issue.field))
    if issue.missing and not issue.printed:
        return _("%(field)s “%(stored)s” cannot be printed: no badge font has its characters.") % {
            "field": label,
            "stored": issue.stored,
        }
    parts = []
    if issue.missing:
        parts.append(
            _("%(characters)s cannot be printed and is left out")
            % {"characters": " ".join(issue.missing)}
        )
    if issue.truncated:
        parts.append(_("too long for the badge, cut"))
    return _("%(field)s “%(stored)s”: %(problems)s; the badge shows “%(printed)s”.") % {
        "field": label,
        "stored": issue.stored,
        "problems": ", ".join(parts),
        "printed": issue.printed,
    }
