"""The public hall plan: an area's stands drawn by ``fair.hallplan`` with the public
exhibitors' names, each linking to its directory page, and the same as table rows (the plan's
accessible alternative). Pure: stands in, markup and rows out; links come from the caller.

A visitor sees which stands belong to a listed exhibitor (``stand--exhibitor``) and nothing
else: free, reserved and hidden exhibitors' stands all look the same (``stand--other``), so
the plan tells nothing the directory does not.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from exhibitors.directory_selectors import PlanStand
from fair.hallplan import StandShape, hall_plan_svg


@dataclass(frozen=True)
class PlanRow:
    number: str
    size_sqm: Decimal
    type_label: str
    company_name: str
    url: str


def plan_shapes(
    *, stands: Sequence[PlanStand], exhibitor_url: Callable[[int], str]
) -> list[StandShape]:
    return [
        StandShape(
            number=item.stand.number,
            x_m=item.stand.x_m,
            y_m=item.stand.y_m,
            width_m=item.stand.width_m,
            depth_m=item.stand.depth_m,
            open_sides=item.stand.open_sides,
            state_key="exhibitor" if item.exhibitor_id is not None else "other",
            label=item.company_name,
            href=exhibitor_url(item.exhibitor_id) if item.exhibitor_id is not None else None,
        )
        for item in stands
    ]


def plan_svg(
    *,
    stands: Sequence[PlanStand],
    exhibitor_url: Callable[[int], str],
    highlight: str = "",
    title: str = "",
) -> str:
    """The plan as an SVG element to embed; ``highlight``: the stand number to mark."""
    return hall_plan_svg(
        stands=plan_shapes(stands=stands, exhibitor_url=exhibitor_url),
        highlight=highlight or None,
        title=title,
        element_id="hall-plan",
    )


def plan_rows(*, stands: Sequence[PlanStand], exhibitor_url: Callable[[int], str]) -> list[PlanRow]:
    """The table beside the plan: every stand with its public exhibitor, by stand number."""
    return [
        PlanRow(
            number=item.stand.number,
            size_sqm=item.stand.size_sqm,
            type_label=str(item.stand.get_type_display()),
            company_name=item.company_name,
            url=exhibitor_url(item.exhibitor_id) if item.exhibitor_id is not None else "",
        )
        for item in stands
    ]
