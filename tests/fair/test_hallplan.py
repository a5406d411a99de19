"""The hall plan renderer (fair/hallplan.py): geometry, text, links, escaping, accessibility."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from fair.hallplan import StandShape, hall_plan_svg, label_lines, plan_extent

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"


def shape(number: str = "3.A01", **overrides) -> StandShape:
    values = {
        "number": number,
        "x_m": Decimal("2"),
        "y_m": Decimal("3"),
        "width_m": Decimal("4"),
        "depth_m": Decimal("3"),
        "state_key": "free",
    }
    values.update(overrides)
    return StandShape(**values)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def stand_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "stand" in g.get("class", "").split()]


def test_viewbox_is_the_bounding_box_in_metres_plus_one_metre_margin():
    root = parse(
        hall_plan_svg(
            stands=[
                shape("A"),
                shape("B", x_m=Decimal("10"), y_m=Decimal("0"), depth_m=Decimal("12.5")),
            ]
        )
    )
    # A: x 2..6, y 3..6; B: x 10..14, y 0..12.5.
    assert root.get("viewBox") == "1 -1 14 14.5"


def test_rect_has_the_stands_position_and_size_in_metres():
    root = parse(hall_plan_svg(stands=[shape(x_m=Decimal("12.5"), width_m=Decimal("2.25"))]))
    rect = root.find(".//svg:rect", NS)
    assert rect is not None
    assert (rect.get("x"), rect.get("y"), rect.get("width"), rect.get("height")) == (
        "12.5",
        "3",
        "2.25",
        "3",
    )


def test_state_and_highlight_become_css_classes():
    root = parse(
        hall_plan_svg(
            stands=[shape("A", state_key="free"), shape("B", state_key="assigned")], highlight="B"
        )
    )
    classes = {g.get("data-stand"): g.get("class") for g in stand_groups(root)}
    assert classes == {"A": "stand stand--free", "B": "stand stand--assigned stand--highlight"}


def test_state_key_cannot_inject_markup_into_the_class():
    root = parse(hall_plan_svg(stands=[shape(state_key='x" onclick="y')]))
    group = stand_groups(root)[0]
    assert group.get("onclick") is None
    assert group.get("class") == "stand stand--x--onclick--y"


def test_number_label_and_title_are_escaped_and_keep_any_script():
    label = 'Müller & <Söhne> "GmbH" 東京電力 Ελλάδα'
    root = parse(hall_plan_svg(stands=[shape("3.<B&>", label=label, width_m=Decimal("30"))]))
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert texts == ["3.<B&>", label]
    group = stand_groups(root)[0]
    assert group.find("svg:title", NS).text == f"3.<B&> – {label}"


def test_explicit_title_wins_over_number_and_label():
    root = parse(hall_plan_svg(stands=[shape(label="ACME", title="Stand 3.A01: ACME, 12 m²")]))
    assert stand_groups(root)[0].find("svg:title", NS).text == "Stand 3.A01: ACME, 12 m²"


def test_text_is_scaled_down_to_fit_a_narrow_stand():
    root = parse(hall_plan_svg(stands=[shape("3.LONGNUMBER", width_m=Decimal("2"))]))
    number = root.find(".//svg:text", NS)
    size = float(number.get("font-size"))
    # 11 characters at an estimated 0.6 em must fit into 90 % of 2 m.
    assert size * 0.6 * 11 <= 1.8 + 1e-9
    assert size > 0


def test_label_is_left_out_where_not_even_a_few_characters_fit():
    root = parse(hall_plan_svg(stands=[shape(label="Westfalen Energie", width_m=Decimal("1"))]))
    assert [text.get("class") for text in root.iter(f"{SVG}text")] == ["stand-number"]
    # … but the full name is still the stand's accessible title.
    assert "Westfalen Energie" in stand_groups(root)[0].find("svg:title", NS).text


def test_a_long_label_takes_two_balanced_lines():
    lines, size = label_lines("Westfalen Energie & Wasser", width=10.8, height=5)
    assert lines == ["Westfalen", "Energie & Wasser"]
    assert size == 0.8


def test_a_label_too_long_for_a_small_stand_is_cut_with_an_ellipsis():
    lines, size = label_lines("Wärmequartier Muster AG", width=2.7, height=1.5)
    assert size == 0.45
    # 2.7 m / (0.6 × 0.45 m) = 10 characters per line.
    assert lines == ["Wärmequar…", "Muster AG"]
    root = parse(
        hall_plan_svg(stands=[shape(label="Wärmequartier Muster AG", width_m=Decimal("3"))])
    )
    assert [t.text for t in root.iter(f"{SVG}text")][1:] == lines


def test_label_lines_stay_inside_the_stand():
    root = parse(hall_plan_svg(stands=[shape(label="Smart Lantern B.V.", depth_m=Decimal("3"))]))
    ys = [float(t.get("y")) for t in root.iter(f"{SVG}text")]
    assert all(3 < y < 6 for y in ys)
    assert ys == sorted(ys)


def test_closed_sides_are_walls_open_sides_are_not():
    row = parse(hall_plan_svg(stands=[shape(open_sides="S")]))
    walls = [line for line in row.iter(f"{SVG}line") if line.get("class") == "stand-wall"]
    # x 2..6, y 3..6: walls north, east and west; no wall along y=6 (south, open).
    coords = {(w.get("x1"), w.get("y1"), w.get("x2"), w.get("y2")) for w in walls}
    assert coords == {("2", "3", "6", "3"), ("6", "3", "6", "6"), ("2", "3", "2", "6")}
    island = parse(hall_plan_svg(stands=[shape(open_sides="NESW")]))
    assert list(island.iter(f"{SVG}line")) == []


def test_links_wrap_the_stand_and_make_the_plan_a_group():
    root = parse(
        hall_plan_svg(
            stands=[shape("A", href="/organizer/plan/1/?a=1&b=2", label="ACME"), shape("B")],
            title="Smart City",
        )
    )
    assert root.get("role") == "group"
    links = root.findall("svg:a", NS)
    assert len(links) == 1
    assert links[0].get("href") == "/organizer/plan/1/?a=1&b=2"
    assert links[0].get("aria-label") == "A – ACME"
    assert links[0].find("svg:g", NS).get("data-stand") == "A"


def test_plan_without_links_is_an_image_named_by_its_title():
    root = parse(hall_plan_svg(stands=[shape()], title="Halle 3 & Forum", element_id="plan-7"))
    assert root.get("role") == "img"
    assert root.get("id") == "plan-7"
    assert root.get("aria-labelledby") == "plan-7-title"
    title = root.find("svg:title", NS)
    assert (title.get("id"), title.text) == ("plan-7-title", "Halle 3 & Forum")


def test_empty_plan_is_valid_svg():
    root = parse(hall_plan_svg(stands=[]))
    assert root.get("viewBox") == "0 0 10 10"
    assert stand_groups(root) == []
    assert plan_extent([]) == (0, 0, 10, 10)


def test_no_inline_style_because_the_csp_forbids_it():
    svg = hall_plan_svg(stands=[shape(label="ACME")])
    assert "<style" not in svg
    assert "style=" not in svg


def test_control_characters_are_dropped_so_the_svg_stays_well_formed():
    root = parse(hall_plan_svg(stands=[shape("3.\x0bA", label="ACME\x00 GmbH\x1f", href="/x\x07")]))
    assert [t.text for t in root.iter(f"{SVG}text")] == ["3.A", "ACME GmbH"]
    assert root.find("svg:a", NS).get("href") == "/x"
