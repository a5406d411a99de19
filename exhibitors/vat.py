"""Countries and the tax identity rules that depend on them (VAT ID, German tax number).

Rules for a registering company:
- EU outside Germany: a VAT ID is required and must pass the format and checksum rules of the
  company's own country (python-stdnum); its prefix must be that country's (Greece uses EL).
- Germany: a valid VAT ID, or a German tax number (Steuernummer) instead.
- Outside the EU: both optional and free form (only normalized).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from stdnum import exceptions as stdnum_exceptions
from stdnum.de import stnr
from stdnum.eu import vat as eu_vat

from exhibitors.models import EU_COUNTRIES, Exhibitor
from fair.countries import country_choices, country_exists, country_name

VAT_ID_MAX_LENGTH: int = Exhibitor._meta.get_field("vat_id").max_length or 20
TAX_NUMBER_MAX_LENGTH: int = Exhibitor._meta.get_field("tax_number").max_length or 30

# The VAT prefix is the ISO code except for Greece.
VAT_PREFIX_EXCEPTIONS = {"GR": "EL"}
# Every prefix that stands for an EU VAT number (XI: Northern Ireland goods trade).
EU_VAT_PREFIXES = frozenset({VAT_PREFIX_EXCEPTIONS.get(code, code) for code in EU_COUNTRIES})

_SEPARATORS = re.compile(r"[\s.\-/,]+")


def _digits(prefix: str, count: int) -> str:
    return ngettext(
        "%(prefix)s followed by %(count)d digit", "%(prefix)s followed by %(count)d digits", count
    ) % {"prefix": prefix, "count": count}


_digits_lazy = lazy(_digits, str)

# What a VAT ID of each member state looks like, shown when the format is wrong.
VAT_FORMAT_HINTS = {
    "AT": _("ATU followed by 8 digits"),
    "BE": _digits_lazy("BE", 10),
    "BG": _("BG followed by 9 or 10 digits"),
    "CY": _("CY followed by 8 digits and a letter"),
    "CZ": _("CZ followed by 8 to 10 digits"),
    "DE": _digits_lazy("DE", 9),
    "DK": _digits_lazy("DK", 8),
    "EE": _digits_lazy("EE", 9),
    "ES": _("ES followed by 9 characters (first and last may be letters)"),
    "FI": _digits_lazy("FI", 8),
    "FR": _("FR followed by 2 characters and 9 digits"),
    "GR": _digits_lazy("EL", 9),
    "HR": _digits_lazy("HR", 11),
    "HU": _digits_lazy("HU", 8),
    "IE": _("IE followed by 8 or 9 characters"),
    "IT": _digits_lazy("IT", 11),
    "LT": _("LT followed by 9 or 12 digits"),
    "LU": _digits_lazy("LU", 8),
    "LV": _digits_lazy("LV", 11),
    "MT": _digits_lazy("MT", 8),
    "NL": _("NL followed by 9 digits, the letter B and 2 digits"),
    "PL": _digits_lazy("PL", 10),
    "PT": _digits_lazy("PT", 9),
    "RO": _("RO followed by 2 to 10 digits"),
    "SE": _digits_lazy("SE", 12),
    "SI": _digits_lazy("SI", 8),
    "SK": _digits_lazy("SK", 10),
}


# ---------------------------------------------------------------------------------------------
# Countries (django-countries through fair.countries, names in the UI language)


# The one country list lives in fair.countries (exhibitors, badges and the import share it).
__all__ = ["country_choices", "country_exists", "country_name"]


# ---------------------------------------------------------------------------------------------
# VAT ID and tax number


def vat_id_normalize(value: str) -> str:
    """Upper case, without spaces, dots, dashes, slashes or commas."""
    return _SEPARATORS.sub("", value or "").upper()


def vat_prefix(country: str) -> str:
    return VAT_PREFIX_EXCEPTIONS.get(country, country)


def vat_id_validate(*, vat_id: str, country: str) -> str:
    """Return the VAT ID in its stored form, or raise ValidationError with a clear message.

    ``vat_id`` may be given with or without its country prefix; an EU number without a prefix
    gets the prefix of the company's country.
    """
    number = vat_id_normalize(vat_id)
    if not number:
        return ""
    if country not in EU_COUNTRIES:
        if len(number) > VAT_ID_MAX_LENGTH:
            raise ValidationError(
                _("A VAT ID has at most %(max)d characters."),
                code="vat_id_too_long",
                params={"max": VAT_ID_MAX_LENGTH},
            )
        return number

    expected = vat_prefix(country)
    given = number[:2]
    if given in EU_VAT_PREFIXES | {"GR"}:
        if given != expected:
            raise ValidationError(
                _(
                    "This VAT ID starts with %(given)s, but the company is in %(country)s: "
                    "VAT IDs of companies in %(country)s start with %(expected)s."
                ),
                code="vat_id_wrong_country",
                params={"given": given, "country": country_name(country), "expected": expected},
            )
    else:
        number = expected + number

    try:
        compact = eu_vat.validate(number)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            _(
                "This VAT ID does not exist: its check digit is wrong. "
                "Please compare it with your invoices or tax documents."
            ),
            code="vat_id_checksum",
        ) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("This is not a valid VAT ID for %(country)s. Expected: %(format)s."),
            code="vat_id_format",
            params={"country": country_name(country), "format": VAT_FORMAT_HINTS[country]},
        ) from None
    return compact


def tax_number_validate(*, tax_number: str, country: str) -> str:
    """A German tax number must have one of the official formats; elsewhere it is free form."""
    value = " ".join((tax_number or "").split())
    if not value:
        return ""
    if len(value) > TAX_NUMBER_MAX_LENGTH:
        raise ValidationError(
            _("A tax number has at most %(max)d characters."),
            code="tax_number_too_long",
            params={"max": TAX_NUMBER_MAX_LENGTH},
        )
    if country == "DE" and not stnr.is_valid(value):
        raise ValidationError(
            _(
                "This is not a valid German tax number. Enter it as printed on your tax "
                "documents, e.g. 181/815/08155, or as 13 digits."
            ),
            code="tax_number_format",
        )
    return value


@dataclass(frozen=True)
class TaxIdentity:
    vat_id: str
    tax_number: str


def tax_identity_clean(*, country: str, vat_id: str, tax_number: str) -> TaxIdentity:
    """Check VAT ID and tax number together for a company in ``country``.

    Raises a ValidationError whose ``error_dict`` names the field at fault (``vat_id`` or
    ``tax_number``), so that a form can show it next to that field.
    """
    errors: dict[str, ValidationError] = {}
    clean_vat = clean_tax = ""
    try:
        clean_vat = vat_id_validate(vat_id=vat_id, country=country)
    except ValidationError as error:
        errors["vat_id"] = error
    try:
        clean_tax = tax_number_validate(tax_number=tax_number, country=country)
    except ValidationError as error:
        errors["tax_number"] = error

    if "vat_id" not in errors and not vat_id_normalize(vat_id):
        if country == "DE" and not (tax_number or "").strip():
            errors["vat_id"] = ValidationError(
                _(
                    "German companies give their VAT ID or, if they have none, "
                    "their tax number (Steuernummer)."
                ),
                code="vat_id_or_tax_number_required",
            )
        elif country in EU_COUNTRIES - {"DE"}:
            errors["vat_id"] = ValidationError(
                _("Companies in the EU outside Germany must give their VAT ID."),
                code="vat_id_required",
            )
    if errors:
        raise ValidationError(errors)
    return TaxIdentity(vat_id=clean_vat, tax_number=clean_tax)


@dataclass(frozen=True)
class TaxCheck:
    valid: bool | None  # None: nothing to check (no number, or free form outside the EU)
    text: str


def tax_identity_check(*, country: str, vat_id: str, tax_number: str) -> TaxCheck:
    """What the registration's checks say about a stored VAT ID (or tax number) today, for
    the organizers' review: the same rules as at registration, nothing looked up online."""
    try:
        tax_identity_clean(country=country, vat_id=vat_id, tax_number=tax_number)
    except ValidationError as error:
        return TaxCheck(valid=False, text=" ".join(error.messages))
    if vat_id and country in EU_COUNTRIES:
        return TaxCheck(
            valid=True,
            text=str(_("Format and check digit are valid (not checked online against VIES).")),
        )
    if tax_number and country == "DE":
        return TaxCheck(valid=True, text=str(_("The German tax number has a valid format.")))
    return TaxCheck(
        valid=None, text=str(_("Company outside the EU: VAT ID and tax number are not checked."))
    )
