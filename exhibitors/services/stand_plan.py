"""The organizers' hall plan: edit one stand, import a whole plan, assign a stand by clicking.

Decisions:

- Stands of one area may touch but not overlap; the check runs against the plan as it will
  be after the change (an import moves many stands at once, so a stand may take the place
  another stand of the same file leaves). Every plan write first locks the area's row
  (``_area_lock``), so two organizers editing or importing at once take turns and cannot
  place two new stands on the same spot.
- An import creates and updates stands by number; stands missing from the file stay as they
  are (deleting is never a side effect of a file). A row that changes nothing is "unchanged".
  If any row has an error nothing is saved.
- The type follows from the open sides (``fair.models.Stand.save``).
- Stand edits are recorded in the admin's change history of the stand (``LogEntry``, shown
  under "History" in the back office), as an admin edit would be; assignments and quota
  changes are exhibitor audit entries (``exhibitor_audit``), written by the workflow services
  this module calls.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from exhibitors.exceptions import StandPlanInvalid, TransitionNotAllowed
from exhibitors.models import Exhibitor
from exhibitors.services.workflow import exhibitor_approve, exhibitor_assign_stand
from exhibitors.stand_import import StandRow
from fair.models import Area, Stand

PLAN_FIELDS = ("number", "x_m", "y_m", "width_m", "depth_m", "open_sides", "price_per_sqm")
Box = tuple[Decimal, Decimal, Decimal, Decimal]


def _box(x: Decimal, y: Decimal, width: Decimal, depth: Decimal) -> Box:
    return x, y, x + width, y + depth


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _stand_box(stand: Stand) -> Box:
    return _box(stand.x_m, stand.y_m, stand.width_m, stand.depth_m)


def _area_lock(area: Area) -> None:
    Area.objects.select_for_update().filter(pk=area.pk).first()


def _log(*, actor: User, stand: Stand, created: bool, changed: list[str]) -> None:
    # Field names are stored untranslated and translated when shown, as the admin does.
    with translation.override(None):
        message = _change_message(created=created, changed=changed)
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[stand],
        action_flag=ADDITION if created else CHANGE,
        change_message=message,
        single_object=True,
    )


def _change_message(*, created: bool, changed: list[str]) -> list[dict[str, Any]]:
    return (
        [{"added": {}}]
        if created
        else [
            {
                "changed": {
                    "fields": [
                        str(getattr(Stand._meta.get_field(name), "verbose_name", name))
                        for name in changed
                    ]
                }
            }
        ]
    )


@dataclass
class RowCheck:
    """One import row with what it would do: "create", "update", "unchanged" or "error"."""

    row: StandRow
    action: str
    stand: Stand | None = None
    changed: list[str] = field(default_factory=list)
    # Problems only the database shows (overlap, no price for a new stand); the row's own
    # are in ``row.errors``. Kept apart so that checking twice does not repeat them.
    problems: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [*self.row.errors, *self.problems]


@dataclass
class PlanCheck:
    rows: list[RowCheck]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def failed(self) -> int:
        return self.count("error")

    @property
    def ok(self) -> bool:
        return bool(self.rows) and self.failed == 0


def _row_values(row: StandRow, *, price: Decimal | None) -> dict[str, object]:
    return {
        "number": row.number,
        "x_m": row.x_m,
        "y_m": row.y_m,
        "width_m": row.width_m,
        "depth_m": row.depth_m,
        "open_sides": row.open_sides,
        "price_per_sqm": price,
    }


def stand_plan_import_check(
    *, area: Area, rows: list[StandRow], default_price: Decimal | None = None
) -> PlanCheck:
    """What importing ``rows`` into ``area`` would do, row by row, without saving; adds the
    errors that need the database (overlaps, a new stand without a price) to the rows."""
    existing = {stand.number: stand for stand in Stand.objects.filter(area=area)}
    checks: list[RowCheck] = []
    boxes: dict[str, Box] = {number: _stand_box(stand) for number, stand in existing.items()}
    for row in rows:
        check = RowCheck(row=row, action="error", stand=existing.get(row.number))
        if row.valid:
            assert row.x_m is not None and row.y_m is not None
            assert row.width_m is not None and row.depth_m is not None
            boxes[row.number] = _box(row.x_m, row.y_m, row.width_m, row.depth_m)
        if check.stand is None and row.price_per_sqm is None and default_price is None:
            check.problems.append(
                _("Stand %(number)s is new: give its price per m² (column or form).")
                % {"number": row.number}
            )
        checks.append(check)
    for check in checks:
        row = check.row
        if not row.valid:
            continue
        mine = boxes[row.number]
        others = sorted(
            number for number, box in boxes.items() if number != row.number and _overlap(mine, box)
        )
        if others:
            check.problems.append(
                _("Stand %(number)s overlaps %(others)s.")
                % {"number": row.number, "others": ", ".join(others)}
            )
        if check.problems:
            continue
        if check.stand is None:
            check.action = "create"
            continue
        price = row.price_per_sqm if row.price_per_sqm is not None else check.stand.price_per_sqm
        values = _row_values(row, price=price)
        check.changed = [name for name in PLAN_FIELDS if getattr(check.stand, name) != values[name]]
        check.action = "update" if check.changed else "unchanged"
    return PlanCheck(rows=checks)


@transaction.atomic
def stand_plan_import(
    *, area: Area, rows: list[StandRow], actor: User, default_price: Decimal | None = None
) -> PlanCheck:
    """Create and update the area's stands from a parsed plan (by number); all or nothing.
    Raises StandPlanInvalid (with every row's errors) when any row has an error."""
    _area_lock(area)
    check = stand_plan_import_check(area=area, rows=rows, default_price=default_price)
    if not check.ok:
        errors = [
            _("Line %(line)d: %(error)s") % {"line": row.row.line, "error": error}
            for row in check.rows
            for error in row.errors
        ]
        raise StandPlanInvalid(
            _("The plan was not imported: %(count)d row(s) have errors.") % {"count": check.failed}
            if errors
            else _("The file has no stands."),
            errors=errors,
        )
    for row_check in check.rows:
        row = row_check.row
        if row_check.action == "create":
            price = row.price_per_sqm if row.price_per_sqm is not None else default_price
            new = Stand(area=area, **_row_values(row, price=price))
            new.save()
            row_check.stand = new
            _log(actor=actor, stand=new, created=True, changed=[])
        elif row_check.action == "update":
            stand = row_check.stand
            assert stand is not None
            price = row.price_per_sqm if row.price_per_sqm is not None else stand.price_per_sqm
            for name, value in _row_values(row, price=price).items():
                setattr(stand, name, value)
            stand.save()
            _log(actor=actor, stand=stand, created=False, changed=row_check.changed)
    return check


@transaction.atomic
def stand_save(
    *,
    area: Area,
    stand: Stand | None,
    actor: User,
    number: str,
    x_m: Decimal,
    y_m: Decimal,
    width_m: Decimal,
    depth_m: Decimal,
    open_sides: str,
    price_per_sqm: Decimal,
) -> Stand:
    """Create a stand in ``area`` (``stand`` None) or change one; raises StandPlanInvalid
    when the number is taken or the stand would overlap another."""
    _area_lock(area)
    others = Stand.objects.select_for_update().filter(area=area)
    if stand is not None:
        if stand.area_id != area.pk:
            raise StandPlanInvalid(_("This stand belongs to another area."))
        stand = Stand.objects.select_for_update().get(pk=stand.pk)
        others = others.exclude(pk=stand.pk)
    others_list = list(others.order_by("pk"))
    number = " ".join(number.split())
    if any(other.number == number for other in others_list):
        raise StandPlanInvalid(
            _("Stand number %(number)s is taken in this area.") % {"number": number}
        )
    box = _box(x_m, y_m, width_m, depth_m)
    overlapping = sorted(other.number for other in others_list if _overlap(box, _stand_box(other)))
    if overlapping:
        raise StandPlanInvalid(
            _("The stand would overlap %(others)s.") % {"others": ", ".join(overlapping)}
        )
    values = {
        "number": number,
        "x_m": x_m,
        "y_m": y_m,
        "width_m": width_m,
        "depth_m": depth_m,
        "open_sides": open_sides,
        "price_per_sqm": price_per_sqm,
    }
    created = stand is None
    if stand is None:
        stand = Stand(area=area, **values)
        changed: list[str] = []
    else:
        changed = [name for name, value in values.items() if getattr(stand, name) != value]
        if not changed:
            return stand
        for name, value in values.items():
            setattr(stand, name, value)
    stand.save()
    _log(actor=actor, stand=stand, created=created, changed=changed)
    return stand


def exhibitor_stand_pick(*, exhibitor: Exhibitor, stand: Stand, actor: User) -> Exhibitor:
    """The organizer clicked a free stand on the plan while reviewing ``exhibitor``: an
    approved exhibitor moves there (``exhibitor_assign_stand``); a submitted or waitlisted
    one is approved with that stand (``exhibitor_approve``). Both write the audit entries,
    set the staff quota by the stand size rule and mail the contact."""
    if exhibitor.state == Exhibitor.State.APPROVED:
        return exhibitor_assign_stand(exhibitor=exhibitor, stand=stand, actor=actor)
    if exhibitor.state in (Exhibitor.State.SUBMITTED, Exhibitor.State.WAITLISTED):
        return exhibitor_approve(exhibitor=exhibitor, stand=stand, actor=actor)
    raise TransitionNotAllowed(
        exhibitor=exhibitor,
        to_state=Exhibitor.State.APPROVED,
        reason=_("Only a submitted, waitlisted or approved registration gets a stand."),
    )
