"""Countries come from django-countries; fair.countries only adds names in a given language and
reading typed names; the migration turned stored values into ISO codes."""

import importlib

from django.utils import translation

from fair.countries import (
    CountryNames,
    country_choices,
    country_exists,
    country_lookup,
    country_name,
)

migration = importlib.import_module("exhibitors.migrations.0005_verbose_names")


def test_names_in_the_requested_language_not_the_active_one():
    with translation.override("en"):
        assert country_name("DE", "de") == "Deutschland"
    with translation.override("de"):
        assert country_name("de", "en") == "Germany"
        assert country_name("CH") == "Schweiz"


def test_country_names_keep_the_language_they_were_made_in():
    with translation.override("de"):
        names = CountryNames()
    with translation.override("en"):
        assert [names["DE"], names["XK"], names[""]] == ["Deutschland", "XK", ""]
        assert CountryNames("de")["ch"] == "Schweiz"


def test_choices_are_sorted_by_the_name_in_the_language():
    names = [name for _code, name in country_choices("de")]
    assert names.index("Ägypten") < names.index("Äthiopien") < names.index("Belgien")
    assert ("DE", "Deutschland") in country_choices("de")


def test_typed_names_and_codes_are_read_back_to_iso_codes():
    assert country_lookup("Deutschland") == "DE"
    assert country_lookup("germany") == "DE"
    assert country_lookup("NLD") == "NL"
    assert country_lookup("Great Britain") == "GB"
    assert country_lookup("Österreich") == "AT"
    assert country_lookup("Atlantis") is None
    assert country_exists("fr") and not country_exists("ZZ") and not country_exists("")


def test_migration_maps_stored_values_to_codes_and_keeps_unknown_ones():
    assert [migration._country_code(v) for v in ("de", " NL ", "Deutschland", "", "zz")] == [
        "DE",
        "NL",
        "DE",
        "",
        "zz",
    ]
