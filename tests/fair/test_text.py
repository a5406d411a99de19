from fair.text import text_normalize, text_sort_key


def test_decomposed_text_becomes_composed():
    decomposed = "Mu\u0308ller Nguye\u0302\u0303n"
    assert text_normalize(decomposed) == "Müller Nguyễn"
    assert len(text_normalize(decomposed)) == len("Müller Nguyễn")


def test_composed_and_ascii_text_are_returned_as_they_are():
    for value in ("Müller", "Smith", ""):
        assert text_normalize(value) == value


def test_sort_key_follows_german_dictionary_order():
    names = ["Zander AG", "Ärzte eG", "apfel GmbH", "Öko-Strom", "Otto", "Straße 1", "Strasse 2"]
    assert sorted(names, key=text_sort_key) == [
        "apfel GmbH",
        "Ärzte eG",
        "Öko-Strom",
        "Otto",
        "Straße 1",
        "Strasse 2",
        "Zander AG",
    ]


def test_one_country_list_for_badges_exhibitors_and_the_import():
    from exhibitors import vat
    from fair import countries

    assert vat.country_name is countries.country_name
    assert countries.country_name("DE", "de") == "Deutschland"
    assert countries.country_name("de", "en") == "Germany"
    # A code ISO does not know is shown as the code, never as nothing (badges printed "").
    assert countries.country_name("XK", "de") == "XK"
    assert countries.country_name("", "de") == ""
    assert countries.country_lookup("Deutschland") == "DE"
    assert countries.country_lookup("Großbritannien") == "GB"


def test_every_model_stores_its_texts_composed(exhibitor):
    """Whatever the entry point (admin, API, portal), a saved text is NFC."""
    exhibitor.company_name = "Mu\u0308ller Stadtwerke"
    exhibitor.save()
    exhibitor.refresh_from_db()
    assert exhibitor.company_name == "Müller Stadtwerke"
