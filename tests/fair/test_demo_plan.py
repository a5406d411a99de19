"""The demo's Smart City plan (fair/demo.py): every stand placed, no overlaps, types as sized."""

from fair.demo import STAND_PLAN, STAND_SIZES
from fair.models import stand_type_for


def _boxes():
    for number, width, depth, stand_type in STAND_SIZES:
        x, y, sides = STAND_PLAN[number]
        yield number, (x, y, x + width, y + depth), sides, stand_type


def test_every_demo_stand_has_a_place_and_open_sides_that_give_its_type():
    assert set(STAND_PLAN) == {number for number, *_rest in STAND_SIZES}
    for number, _box, sides, stand_type in _boxes():
        assert stand_type_for(sides) == stand_type, number


def test_no_two_demo_stands_overlap():
    boxes = list(_boxes())
    for index, (number, (x0, y0, x1, y1), *_rest) in enumerate(boxes):
        for other, (a0, b0, a1, b1), *_more in boxes[index + 1 :]:
            assert x1 <= a0 or a1 <= x0 or y1 <= b0 or b1 <= y0, (number, other)


def test_demo_hall_plan_fits_a_50_by_45_metre_area():
    assert max(box[2] for _n, box, *_r in _boxes()) <= 50
    assert max(box[3] for _n, box, *_r in _boxes()) <= 45
