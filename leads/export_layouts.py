"""Export column layouts: which columns a lead download has, and how one ``LeadRow`` becomes
the cells of one row. Pure; the writers (``leads.exports`` for CSV, ``leads.xlsx``) turn cells
into bytes.

``standard``: the exhibitor's own download (CSV, CSV for German Excel, XLSX): contact fields,
"contact details shared", interest topics, rating, tags, notes, one column per qualifying
question, first and last scan (in the fair's time zone, Europe/Berlin) and number of scans.
The organizers' download adds exhibitor and stand columns in front and puts all answers into
one "Answers" column (exhibitors ask different questions).

``salesforce`` (Lead object, Data Import Wizard / Data Loader, UTF-8 CSV without BOM):

    ====================================  ============================================
    column                                Salesforce Lead field
    ====================================  ============================================
    First Name                            FirstName
    Last Name                             LastName (required)
    Company                               Company (required: "[not provided]" if empty)
    Title                                 Title
    Email                                 Email
    Phone                                 Phone
    Country                               Country (ISO 3166 code)
    Postal Code                           PostalCode
    Rating                                Rating (standard picklist Hot / Warm / Cold)
    Lead Source                           LeadSource ("Trade Show")
    Description                           Description (fair, stand, topics, tags, answers,
                                          notes and scan times as readable text; cut at
                                          32,000 characters, Salesforce's limit)
    Fairlead Lead ID                      custom text/external ID field, or leave unmapped
    Interest Topics, Tags, Answers,       custom fields (e.g. Fairlead_Topics__c …),
    Notes, First Scan (Europe/Berlin),    or leave unmapped: Description holds the same
    Last Scan (Europe/Berlin), Scans      information
    ====================================  ============================================

``hubspot`` (Contacts import, UTF-8 CSV without BOM; HubSpot maps the first eight columns to
its default contact properties by name and offers to create the ``Fairlead …`` ones):

    ====================================  ============================================
    column                                HubSpot contact property
    ====================================  ============================================
    First Name                            firstname
    Last Name                             lastname
    Email                                 email (HubSpot's de-duplication key)
    Phone Number                          phone
    Company Name                          company
    Job Title                             jobtitle
    Country/Region                        country
    Postal Code                           zip
    Fairlead Rating                       new property, dropdown hot / warm / cold
    Fairlead Tags                         new property, text
    Fairlead Interest Topics              new property, text
    Fairlead Answers                      new property, multi-line text
    Fairlead Notes                        new property, multi-line text
    Fairlead First Scan (Europe/Berlin)   new property, date and time
    Fairlead Last Scan (Europe/Berlin)    new property, date and time
    Fairlead Scans                        new property, number
    Fairlead Lead ID                      new property, single-line text, "Require unique
                                          values" on: the import's de-duplication key for
                                          rows without an email (see below)
    ====================================  ============================================

HubSpot de-duplicates contacts by email only; a lead without an email (the visitor did not
share it) would become a new contact on every re-import. "Fairlead Lead ID" is stable per
lead (``fairlead-lead-<id>``, text so HubSpot never reformats it): create it as a property
with unique values and choose it as the matching column, and a re-import updates those
contacts instead of duplicating them.

Both CRM files hold times as ``YYYY-MM-DD HH:MM:SS`` in Europe/Berlin and leave out the byte
order mark, which some import tools read as part of the first column name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from fair.countries import CountryNames
from leads.reports import LeadRow

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class Layout:
    """A header row and a function that turns one ``LeadRow`` into the cells below it."""

    header: list[str]
    cells: Callable[[LeadRow], list]
    column_widths: tuple[int, ...] = ()


def _joined(items: Sequence[str], sep: str = ", ") -> str:
    return sep.join(items)


def _answers_text(row: LeadRow) -> str:
    return "\n".join(f"{question}: {answer}" for question, answer in row.answers)


def _rating_label(rating: str) -> str:
    labels = {"hot": _("hot"), "warm": _("warm"), "cold": _("cold")}
    return str(labels.get(rating, ""))


def standard_layout(
    *, questions: Sequence | None = None, with_exhibitor: bool = False, zone_name: str
) -> Layout:
    """The exhibitor's (``questions`` → one column each) or the organizers' lead list."""
    yes, no = str(_("yes")), str(_("no"))
    countries = CountryNames()  # in the language of the other labels: the active one
    ratings = {rating: _rating_label(rating) for rating in ("hot", "warm", "cold", "")}
    question_ids = [question.id for question in questions or []]
    header = [str(_("Lead ID"))]
    widths = [8]
    if with_exhibitor:
        header += [str(_("Exhibitor")), str(_("Stand"))]
        widths += [28, 10]
    header += [
        str(_("First name")),
        str(_("Last name")),
        str(_("Company")),
        str(_("Job title")),
        str(_("Email")),
        str(_("Phone")),
        str(_("Country")),
        str(_("Postal code")),
        str(_("Contact details shared")),
        str(_("Interest topics")),
        str(_("Rating")),
        str(_("Tags")),
        str(_("Notes")),
    ]
    widths += [14, 18, 26, 22, 28, 18, 8, 10, 10, 30, 8, 16, 40]
    if with_exhibitor or questions is None:
        header.append(str(_("Answers")))
        widths.append(40)
    else:
        header += [question.text for question in questions]
        widths += [24] * len(question_ids)
    header += [
        str(_("First scan (%(zone)s)") % {"zone": zone_name}),
        str(_("Last scan (%(zone)s)") % {"zone": zone_name}),
        str(_("Scans")),
    ]
    widths += [19, 19, 7]
    per_question = not (with_exhibitor or questions is None)

    def cells(row: LeadRow) -> list:
        values: list = [row.id]
        if with_exhibitor:
            values += [row.exhibitor_name, row.stand_number]
        values += [
            row.first_name,
            row.last_name,
            row.company,
            row.job_title,
            row.email,
            row.phone,
            countries[row.country],
            row.postal_code,
            yes if row.contact_shared else no,
            ", ".join(row.topics),
            ratings.get(row.rating, row.rating),
            ", ".join(row.tags),
            "\n".join(row.notes),
        ]
        if per_question:
            answers = row.answers_by_question
            values += [answers.get(question_id, "") for question_id in question_ids]
        else:
            values.append(_answers_text(row))
        values += [row.first_scanned_at, row.last_scanned_at, row.scan_count]
        return values

    return Layout(header=header, cells=cells, column_widths=tuple(widths))


SALESFORCE_RATINGS = {"hot": "Hot", "warm": "Warm", "cold": "Cold", "": ""}
SALESFORCE_NO_COMPANY = "[not provided]"
SALESFORCE_DESCRIPTION_MAX = 32_000
CUT_MARKER = " […] (cut)"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(CUT_MARKER)] + CUT_MARKER


def _description(row: LeadRow, *, source: str) -> str:
    lines = []
    stand = f", {row.stand_number}" if row.stand_number else ""
    lines.append(f"{source}{stand}: {row.exhibitor_name}")
    lines.append(
        f"Scans: {row.scan_count}, first {row.first_scanned_at.strftime(TIME_FORMAT)}, "
        f"last {row.last_scanned_at.strftime(TIME_FORMAT)} ({row.first_scanned_at.tzname()})"
    )
    if row.topics:
        lines.append("Interest topics: " + ", ".join(row.topics))
    if row.tags:
        lines.append("Tags: " + ", ".join(row.tags))
    lines += [f"{question}: {answer}" for question, answer in row.answers]
    lines += [f"Note: {note}" for note in row.notes]
    return "\n".join(lines)


def salesforce_layout(*, source: str, zone_name: str) -> Layout:
    """Salesforce Lead import (see the module docstring for the field mapping)."""
    header = [
        "First Name",
        "Last Name",
        "Company",
        "Title",
        "Email",
        "Phone",
        "Country",
        "Postal Code",
        "Rating",
        "Lead Source",
        "Description",
        "Fairlead Lead ID",
        "Interest Topics",
        "Tags",
        "Answers",
        "Notes",
        f"First Scan ({zone_name})",
        f"Last Scan ({zone_name})",
        "Scans",
    ]

    def cells(row: LeadRow) -> list:
        return [
            row.first_name,
            row.last_name,
            row.company or SALESFORCE_NO_COMPANY,
            row.job_title,
            row.email,
            row.phone,
            row.country,
            row.postal_code,
            SALESFORCE_RATINGS.get(row.rating, ""),
            "Trade Show",
            _cut(_description(row, source=source), SALESFORCE_DESCRIPTION_MAX),
            row.id,
            ", ".join(row.topics),
            ", ".join(row.tags),
            _answers_text(row),
            "\n".join(row.notes),
            row.first_scanned_at,
            row.last_scanned_at,
            row.scan_count,
        ]

    return Layout(header=header, cells=cells)


def hubspot_layout(*, zone_name: str) -> Layout:
    """HubSpot contact import (see the module docstring for the property mapping)."""
    header = [
        "First Name",
        "Last Name",
        "Email",
        "Phone Number",
        "Company Name",
        "Job Title",
        "Country/Region",
        "Postal Code",
        "Fairlead Rating",
        "Fairlead Tags",
        "Fairlead Interest Topics",
        "Fairlead Answers",
        "Fairlead Notes",
        f"Fairlead First Scan ({zone_name})",
        f"Fairlead Last Scan ({zone_name})",
        "Fairlead Scans",
        "Fairlead Lead ID",
    ]

    def cells(row: LeadRow) -> list:
        return [
            row.first_name,
            row.last_name,
            row.email,
            row.phone,
            row.company,
            row.job_title,
            row.country,
            row.postal_code,
            row.rating,
            ", ".join(row.tags),
            ", ".join(row.topics),
            _answers_text(row),
            "\n".join(row.notes),
            row.first_scanned_at,
            row.last_scanned_at,
            row.scan_count,
            hubspot_lead_id(row.id),
        ]

    return Layout(header=header, cells=cells)


def hubspot_lead_id(lead_id: int) -> str:
    """The stable identifier of a lead in HubSpot files (see the module docstring)."""
    return f"fairlead-lead-{lead_id}"
