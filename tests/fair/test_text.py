from fair.text import text_normalize


def test_decomposed_text_becomes_composed():
    decomposed = "Mu\u0308ller Nguye\u0302\u0303n"
    assert text_normalize(decomposed) == "Müller Nguyễn"
    assert len(text_normalize(decomposed)) == len("Müller Nguyễn")


def test_composed_and_ascii_text_are_returned_as_they_are():
    for value in ("Müller", "Smith", ""):
        assert text_normalize(value) == value
