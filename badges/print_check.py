"""How a name will print on a badge, asked before it is printed (or while it is typed).

``badge_print_check`` is the one question every entry point asks — the registration form, the
attendee import, the admin and the print run — so that a badge never silently prints less
than the stored name. Its answer lists each text that prints otherwise than stored: characters
no font has (emoji, see ``badges.fonts``) are left out, and a text too long for a layout even
at its minimum size is cut with an ellipsis (``badges.render.text_fit``). ``print_issue_text``
turns an issue into a sentence for people.
"""

import dataclasses
from collections.abc import Iterable
from functools import cache, lru_cache

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

_NO_DATA = BadgeData(
    qr_content="", short_code="", first_name="", last_name="", company="", job_title="",
    category="visitor", category_label="", fair_name="", fair_dates="",
)  # fmt: skip


@cache
def _limits(keys: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Per checked text and font, the narrowest box width per point of minimum size over the
    layouts in ``keys``: what decides whether a text surely fits (it depends on the layouts,
    not on the text)."""
    limits: dict[str, dict[str, float]] = {name: {} for name in CHECKED_FIELDS}
    for key in keys:
        fits = badge_text_fits(_NO_DATA, layout_get(key).badge)
        for name in CHECKED_FIELDS:
            font, width, min_size = (fits[name].keywords[k] for k in ("font", "width", "min_size"))
            limits[name][font] = min(limits[name].get(font, width / min_size), width / min_size)
    return limits


@lru_cache(maxsize=65536)  # names, companies and job titles repeat across an import's rows
def _surely_fits(text: str, font: str, units_per_line: float) -> bool:
    """Whether every character of ``text`` has a face and the text at the minimum size fits
    one line of the box, so that no layout can print it otherwise."""
    return (
        not text_printed(text, font=font).missing
        and text_units_estimate(text, font=font) <= units_per_line
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

    Cheap for the usual name (an import checks every row): a text whose width at each
    layout's minimum size fits one line of its box (``_surely_fits``) cannot be cut, so only
    the others are laid out in full.
    """
    keys = tuple(layout_keys) if layout_keys is not None else tuple(LAYOUTS)
    texts = {
        "first_name": first_name, "last_name": last_name, "company": company,
        "job_title": job_title,
    }  # fmt: skip
    limits = _limits(keys)
    doubtful = [
        name
        for name in CHECKED_FIELDS
        if not all(_surely_fits(texts[name], font, units) for font, units in limits[name].items())
    ]
    if not doubtful:
        return []
    data = dataclasses.replace(_NO_DATA, **texts)
    worst: dict[str, PrintIssue] = {}
    for key in keys:
        fits = badge_text_fits(data, layout_get(key).badge)
        for field in doubtful:
            for issue in badge_print_issues(data, {field: fits[field]()}, fields=(field,)):
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
