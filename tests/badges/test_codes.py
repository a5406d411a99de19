import itertools
import random

import pytest

from badges.codes import (
    ALPHABET,
    QR_PREFIX,
    SECRET_LENGTH,
    CodeFormatError,
    check_char,
    code_parse,
    qr_content,
    secret_generate,
    short_code_display,
    short_code_generate,
    short_code_normalize,
)


def test_secret_carries_at_least_128_random_bits():
    secret = secret_generate()
    assert len(secret) == SECRET_LENGTH
    assert len(ALPHABET) ** SECRET_LENGTH >= 2**128
    assert set(secret) <= set(ALPHABET)


def test_secrets_differ():
    assert len({secret_generate() for _ in range(1000)}) == 1000


def test_qr_content_has_versioned_prefix_and_parses_back():
    secret = secret_generate()
    assert qr_content(secret) == f"FL1:{secret}"
    assert code_parse(qr_content(secret)) == ("secret", secret)
    assert code_parse(qr_content(secret).lower()) == ("secret", secret)


def test_alphabet_has_no_ambiguous_characters():
    assert not set("ILOU") & set(ALPHABET)


def test_short_code_is_typeable_with_o_and_i_read_as_digits():
    code = short_code_generate()
    typed = short_code_display(code).lower().replace("0", "o").replace("1", "i")
    assert short_code_normalize(typed) == code
    assert code_parse(f"  {short_code_display(code)} ") == ("short", code)


def test_every_single_character_typo_is_detected():
    rng = random.Random(7)
    for _ in range(40):
        code = short_code_generate()
        for position in range(len(code)):
            for char in ALPHABET:
                if char == code[position]:
                    continue
                typo = code[:position] + char + code[position + 1 :]
                with pytest.raises(CodeFormatError):
                    short_code_normalize(typo)
        rng.random()


def test_every_adjacent_transposition_is_detected_including_the_check_character():
    # 0 and Z are the pair Luhn mod 32 misses; the GF(32) check does not.
    for first, second in itertools.permutations(ALPHABET, 2):
        for position in (0, 4, 8):
            body = list("7K3M9Q2ZX0")
            body[position], body[position + 1] = first, second
            code = "".join(body) + check_char("".join(body))
            swapped = list(code)
            swapped[position], swapped[position + 1] = swapped[position + 1], swapped[position]
            with pytest.raises(CodeFormatError):
                short_code_normalize("".join(swapped))
    for _ in range(300):
        code = short_code_generate()
        if code[-1] != code[-2]:
            with pytest.raises(CodeFormatError):
                short_code_normalize(code[:-2] + code[-1] + code[-2])


@pytest.mark.parametrize(
    "text", ["", "FL1:", "FL1:" + "U" * SECRET_LENGTH, "FL2:" + "A" * 26, "ABCD-EFGH-JK", "x" * 11]
)
def test_text_that_is_no_code_is_refused(text):
    with pytest.raises(CodeFormatError):
        code_parse(text)


def test_qr_holds_no_personal_data(db):
    from tests import factories

    attendee = factories.make_attendee(
        fair=factories.make_fair(),
        first_name="Jürgen",
        last_name="Müller",
        company="Stadtwerke",
        email="jm@stadtwerke.example",
    )
    badge = factories.make_badge(attendee=attendee)
    content = badge.qr_content
    assert content.startswith(QR_PREFIX)
    for personal in ("Jürgen", "Müller", "Stadtwerke", "jm@", "stadtwerke.example"):
        assert personal.lower() not in content.lower()
    assert content[len(QR_PREFIX) :] == badge.secret  # nothing but the random secret
