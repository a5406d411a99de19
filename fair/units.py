"""Stand sizes as people read them: "20 m²", "12,5 m²" (German) or "12.5 m²" (English).

Sizes are Decimals with two places in the database; shown, they lose the zeros that carry no
information and use the active language's decimal separator. Templates use the same rule
through ``floatformat:"-2"``; Python code (model ``__str__``, admin columns, audit notes,
choice labels) uses :func:`sqm_format`.
"""

from decimal import Decimal

from django.utils.formats import number_format


def sqm_number_format(value: Decimal | int | float | str) -> str:
    """The number alone, localized, without trailing zeros: Decimal("20.00") → "20"."""
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    exponent = amount.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(amount, decimal_pos=places, use_l10n=True)


def sqm_format(value: Decimal | int | float | str) -> str:
    """A size with its unit: "20 m²", "12,5 m²" (a no-break space keeps the unit on the line)."""
    return f"{sqm_number_format(value)}\N{NO-BREAK SPACE}m²"
