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
