"""VAT ID and tax number rules per country (exhibitors.vat)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from stdnum.eu import vat as eu_vat

from exhibitors.vat import (
    country_choices,
    country_name,
    tax_identity_clean,
    tax_number_validate,
    vat_id_normalize,
    vat_id_validate,
)
from tests.exhibitors.reg_fixtures import (
    VALID_AT_VAT,
    VALID_DE_TAX_NUMBER,
    VALID_DE_VAT,
    VALID_FR_VAT,
    VALID_GR_VAT,
    VALID_NL_VAT,
)


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def test_fixture_numbers_are_really_valid():
    for number in (VALID_DE_VAT, VALID_AT_VAT, VALID_FR_VAT, VALID_GR_VAT, VALID_NL_VAT):
        assert eu_vat.is_valid(number), number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("de 136.695.976", "DE136695976"), (" de-136 695 976 ", "DE136695976"), ("", "")],
)
def test_normalize_removes_separators_and_uppercases(raw, expected):
    assert vat_id_normalize(raw) == expected


@pytest.mark.parametrize(
    ("country", "given", "stored"),
    [
        ("DE", "DE 136 695 976", VALID_DE_VAT),
        ("DE", "136695976", VALID_DE_VAT),  # the prefix of the company's country is added
        ("AT", "atu13585627", VALID_AT_VAT),
        ("FR", "FR 40 303 265 045", VALID_FR_VAT),
        ("GR", "EL 094259216", VALID_GR_VAT),
        ("NL", "NL004495445B01", VALID_NL_VAT),
    ],
)
def test_valid_eu_vat_ids_are_accepted_in_stored_form(country, given, stored):
    assert vat_id_validate(vat_id=given, country=country) == stored


def test_wrong_checksum_is_refused():
    with pytest.raises(ValidationError) as caught:
        vat_id_validate(vat_id="DE136695975", country="DE")
    assert caught.value.code == "vat_id_checksum"


@pytest.mark.parametrize(("country", "number"), [("DE", "DE12345"), ("AT", "AT13585627")])
def test_wrong_format_is_refused_with_the_expected_format(country, number):
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            vat_id_validate(vat_id=number, country=country)
        assert caught.value.code == "vat_id_format"
        message = caught.value.messages[0]
    assert "Expected:" in message
    assert ("DE followed by 9 digits" if country == "DE" else "ATU followed by 8 digits") in message


def test_prefix_of_another_country_is_refused():
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            vat_id_validate(vat_id=VALID_AT_VAT, country="DE")
        assert caught.value.code == "vat_id_wrong_country"
        assert "start with DE" in caught.value.messages[0]


def test_greek_company_must_use_el_not_gr():
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            vat_id_validate(vat_id="GR094259216", country="GR")
        assert caught.value.code == "vat_id_wrong_country"
        assert "start with EL" in caught.value.messages[0]


def test_greek_prefix_for_a_german_company_is_refused():
    with pytest.raises(ValidationError) as caught:
        vat_id_validate(vat_id=VALID_GR_VAT, country="DE")
    assert caught.value.code == "vat_id_wrong_country"


def test_vat_id_is_required_for_eu_company_outside_germany():
    with pytest.raises(ValidationError) as caught:
        tax_identity_clean(country="FR", vat_id="", tax_number="12345")
    assert codes(caught.value) == {"vat_id": ["vat_id_required"]}


def test_german_company_without_vat_id_or_tax_number_is_refused():
    with pytest.raises(ValidationError) as caught:
        tax_identity_clean(country="DE", vat_id="", tax_number="  ")
    assert codes(caught.value) == {"vat_id": ["vat_id_or_tax_number_required"]}


def test_german_company_with_tax_number_only_is_accepted():
    identity = tax_identity_clean(country="DE", vat_id="", tax_number=VALID_DE_TAX_NUMBER)
    assert (identity.vat_id, identity.tax_number) == ("", VALID_DE_TAX_NUMBER)


def test_german_tax_number_in_wrong_format_is_refused():
    with pytest.raises(ValidationError) as caught:
        tax_identity_clean(country="DE", vat_id="", tax_number="12/34")
    assert codes(caught.value) == {"tax_number": ["tax_number_format"]}


def test_invalid_vat_id_is_refused_even_when_german_tax_number_is_given():
    with pytest.raises(ValidationError) as caught:
        tax_identity_clean(country="DE", vat_id="DE136695975", tax_number=VALID_DE_TAX_NUMBER)
    assert codes(caught.value) == {"vat_id": ["vat_id_checksum"]}


def test_tax_number_of_a_foreign_company_is_free_form():
    assert tax_number_validate(tax_number="CHE-123.456.789", country="CH") == "CHE-123.456.789"


@pytest.mark.parametrize("country", ["CH", "GB", "NO", "US", "TR"])
def test_non_eu_company_may_leave_vat_id_empty(country):
    identity = tax_identity_clean(country=country, vat_id="", tax_number="")
    assert identity.vat_id == ""


def test_non_eu_vat_id_is_free_form_but_normalized():
    assert vat_id_validate(vat_id="che-123.456.789 mwst", country="CH") == "CHE123456789MWST"
    assert vat_id_validate(vat_id="GB 123 4567 89", country="GB") == "GB123456789"


def test_non_eu_vat_id_longer_than_the_column_is_refused():
    with pytest.raises(ValidationError) as caught:
        vat_id_validate(vat_id="X" * 21, country="US")
    assert caught.value.code == "vat_id_too_long"


def test_country_names_follow_the_language():
    assert country_name("DE", language="de") == "Deutschland"
    assert country_name("DE", language="en") == "Germany"
    assert country_name("GR", language="de") == "Griechenland"
    with translation.override("en"):
        codes_ = [code for code, _name in country_choices()]
    assert len(codes_) == 249
    assert {"DE", "AT", "CH", "GB", "NO", "US", "TR"} <= set(codes_)


def test_country_choices_are_sorted_by_name_in_the_ui_language():
    with translation.override("de"):
        names = [name for _code, name in country_choices()]
    assert names.index("Österreich") < names.index("Polen")  # Ö sorts as O, not after Z
