from decimal import Decimal

import pytest

from exhibitors.quota import staff_quota_for_size


@pytest.mark.parametrize(
    ("size", "quota"),
    [
        ("0", 5),
        ("9", 5),
        ("12", 5),
        ("12.00", 5),
        ("12.01", 10),
        ("12.5", 10),
        ("13", 10),
        ("30", 10),
        ("30.5", 15),
        ("31", 15),
        ("50", 15),
        ("50.25", 20),
        ("51", 20),
        ("99", 20),
        ("99.99", 20),
        ("100", 40),
        ("100.00", 40),
        ("250", 40),
    ],
)
def test_quota_follows_the_stand_size_bands(size, quota):
    assert staff_quota_for_size(Decimal(size)) == quota


def test_quota_accepts_integers_and_strings():
    assert staff_quota_for_size(12) == 5
    assert staff_quota_for_size("13") == 10


def test_negative_size_is_refused():
    with pytest.raises(ValueError):
        staff_quota_for_size(Decimal("-1"))
