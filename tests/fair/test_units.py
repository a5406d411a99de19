from decimal import Decimal

from django.utils import translation

from fair.models import Stand
from fair.units import sqm_format, sqm_number_format

NBSP = "\N{NO-BREAK SPACE}"


def test_sizes_lose_trailing_zeros_and_use_the_language_separator():
    with translation.override("de"):
        assert sqm_format(Decimal("20.00")) == f"20{NBSP}m²"
        assert sqm_format(Decimal("12.50")) == f"12,5{NBSP}m²"
        assert sqm_number_format(Decimal("2.25")) == "2,25"
        assert sqm_number_format(Decimal("120")) == "120"
    with translation.override("en"):
        assert sqm_format(Decimal("12.50")) == f"12.5{NBSP}m²"
        assert sqm_number_format("7.5") == "7.5"


def test_stand_names_its_size_without_zeros():
    stand = Stand(number="3.A01", width_m=Decimal("4.00"), depth_m=Decimal("5.00"))
    with translation.override("de"):
        assert str(stand).startswith(f"3.A01 (20{NBSP}m², ")
