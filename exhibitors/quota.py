"""Staff badges per stand, from the stand size (DOMAIN.md, "rules of thumb"; organizers may
override the result per exhibitor).

    up to 12 m² → 5 · 13–30 m² → 10 · 31–50 m² → 15 · 51–99 m² → 20 · from 100 m² → 40

Stands are measured in Decimal m² (e.g. 2.5 m × 5 m = 12.5 m²), so the bands are read as
upper limits: "up to 12" means ≤ 12, so 12.5 m² already gets the 13–30 quota of 10; likewise
30.5 → 15 and 50.5 → 20. "From 100" means ≥ 100, so 99.99 m² still gets 20.
"""

from decimal import Decimal

# (inclusive upper limit in m², quota); the last band has no upper limit.
_BANDS: tuple[tuple[Decimal, int], ...] = (
    (Decimal("12"), 5),
    (Decimal("30"), 10),
    (Decimal("50"), 15),
)
_BELOW_100 = 20
_FROM_100 = 40


def staff_quota_for_size(size_sqm: Decimal | int | str) -> int:
    """Default number of staff badges for a stand of ``size_sqm`` square metres."""
    size = Decimal(str(size_sqm))
    if size < 0:
        raise ValueError("a stand size cannot be negative")
    for upper, quota in _BANDS:
        if size <= upper:
            return quota
    return _BELOW_100 if size < Decimal("100") else _FROM_100
