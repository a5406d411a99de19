"""Reads of the control room's exhibitor communication: who a message goes to, and the log
of the messages sent."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from exhibitors.models import Exhibitor, ExhibitorMessage, StaffMember
from fair.models import Area, Fair


@dataclass(frozen=True)
class MessageSelection:
    fair: Fair
    area: Area | None = None
    state: str = ""  # an Exhibitor.State value, or "" for every state
    without_staff: bool = False  # only exhibitors who have not named any stand staff yet

    def as_log(self) -> dict[str, str | bool]:
        """The selection in words that stay when the area is renamed or deleted."""
        return {
            "area": self.area.name if self.area is not None else "",
            "state": self.state,
            "without_staff": self.without_staff,
        }


def exhibitors_for_message(*, selection: MessageSelection) -> QuerySet[Exhibitor]:
    """The exhibitors a message with this selection goes to, by company name. Contact
    addresses erased after the retention period (``….invalid``) are left out."""
    queryset = Exhibitor.objects.filter(fair=selection.fair).exclude(
        contact_email__iendswith=".invalid"
    )
    if selection.area is not None:
        queryset = queryset.filter(area=selection.area)
    if selection.state in Exhibitor.State.values:
        queryset = queryset.filter(state=selection.state)
    if selection.without_staff:
        queryset = queryset.exclude(Exists(StaffMember.objects.filter(exhibitor=OuterRef("pk"))))
    return queryset.order_by("company_name", "pk")


def exhibitor_messages_sent(*, fair: Fair | None = None) -> QuerySet[ExhibitorMessage]:
    """The log of messages sent, newest first."""
    queryset = ExhibitorMessage.objects.select_related("fair")
    if fair is not None:
        queryset = queryset.filter(fair=fair)
    return queryset.order_by("-sent_at", "-pk")
