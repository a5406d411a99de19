"""The back-office API (Django REST framework) at ``/api/v1/``.

Organizers (staff users, organizer tokens) read everything and approve or reject exhibitors;
an exhibitor (its token, or a portal login in the browsable API) reads its own record and
leads only: other exhibitors' objects answer 404, organizer-only endpoints 403.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from api.authentication import ApiTokenAuthentication
from api.v1 import serializers
from api.v1.exceptions import api_exception_handler
from api.v1.filters import (
    ID_MAX,
    AreaFilter,
    AttendeeFilter,
    ExhibitorFilter,
    LeadFilter,
    StandFilter,
    StatisticsFilter,
)
from api.v1.permissions import IsApiCaller, IsOrganizer, request_caller
from api.v1.renderers import ApiBrowsableRenderer
from api.v1.selectors import Caller
from api.v1.throttling import ApiAnonRateThrottle, ApiRateThrottle
from badges.models import Attendee
from exhibitors.models import Exhibitor
from exhibitors.services.workflow import exhibitor_approve, exhibitor_reject
from fair.models import Area, Fair, Stand
from leads import reports
from leads.models import Lead, Question, Scan
from leads.selectors import exhibitors_reported, lead_notes_prefetch


class ApiPagination(PageNumberPagination):
    """Pages of 50 (``page_size`` up to 500). A ``page`` or ``page_size`` that is given but is
    not a whole number of at least 1 is refused with 422, not silently replaced."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(
        self,
        queryset: QuerySet[Any, Any] | Sequence[Any],
        request: Request,
        view: APIView | None = None,
    ) -> list[Any] | None:
        errors: dict[str, list[str]] = {}
        for name in (self.page_query_param, self.page_size_query_param):
            text = request.query_params.get(name)
            if text is not None and not (text.isascii() and text.isdigit() and int(text) >= 1):
                errors[name] = [str(_("Use a whole number from 1."))]
        if errors:
            raise ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {**parameter["schema"], "minimum": 1}
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


class ApiMixin(GenericAPIView[Any]):
    """Authentication, permissions, throttling, pagination and errors of every endpoint."""

    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [IsApiCaller]
    throttle_classes = [ApiRateThrottle, ApiAnonRateThrottle]
    renderer_classes = [JSONRenderer, ApiBrowsableRenderer]
    pagination_class: type[BasePagination] | None = ApiPagination
    filter_backends = [DjangoFilterBackend]

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response]:
        return api_exception_handler

    def get_object(self) -> Any:
        # An id the database cannot even hold is simply not found (not a database error).
        value = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= ID_MAX):
            raise NotFound()
        return super().get_object()

    @property
    def caller(self) -> Caller | None:
        return request_caller(self.request)

    @property
    def known_caller(self) -> Caller:
        """The caller, where the permission classes already let only callers in."""
        caller = self.caller
        if caller is None:
            raise NotAuthenticated()
        return caller


class FairViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet[Fair]):
    """Fairs (read only)."""

    queryset = Fair.objects.order_by("-starts_on", "id")
    serializer_class = serializers.FairSerializer


class AreaViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet[Area]):
    """Areas of the fairs with their hall and topic list (read only)."""

    queryset = (
        Area.objects.select_related("hall").prefetch_related("topics").order_by("fair", "name")
    )
    serializer_class = serializers.AreaSerializer
    filterset_class = AreaFilter


class StandViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet[Stand]):
    """Stands with size, type, state and the exhibitor on it (read only)."""

    queryset = Stand.objects.select_related("exhibitor").order_by("area", "number")
    serializer_class = serializers.StandSerializer
    filterset_class = StandFilter


class ExhibitorViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet[Exhibitor]):
    """Exhibitors. Organizers: all, filterable, with approve/reject; an exhibitor: its own."""

    queryset = Exhibitor.objects.none()
    serializer_class = serializers.ExhibitorSerializer
    filterset_class = ExhibitorFilter

    def get_queryset(self) -> QuerySet[Exhibitor]:
        exhibitors = Exhibitor.objects.select_related("stand").order_by("company_name", "id")
        caller = self.caller
        if caller is None or not caller.is_organizer:
            if caller is None or caller.exhibitor is None:
                return exhibitors.none()
            exhibitors = exhibitors.filter(pk=caller.exhibitor.pk)
        return exhibitors

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "approve":
            return serializers.ApproveSerializer
        if self.action == "reject":
            return serializers.RejectSerializer
        return serializers.ExhibitorSerializer

    @action(detail=True, methods=["post"], permission_classes=[IsOrganizer])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve a submitted or waitlisted registration (organizers only); assigns the given
        or the best-fitting free stand and mails the contact."""
        exhibitor = self.get_object()
        data = self._input(serializers.ApproveSerializer)
        updated = exhibitor_approve(
            exhibitor=exhibitor,
            actor=self.known_caller.user,
            stand=data.get("stand"),
            staff_quota=data.get("staff_quota"),
            note=data.get("note", ""),
        )
        return Response(serializers.ExhibitorSerializer(self._reload(updated)).data)

    @action(detail=True, methods=["post"], permission_classes=[IsOrganizer])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject a submitted or waitlisted registration (organizers only)."""
        exhibitor = self.get_object()
        data = self._input(serializers.RejectSerializer)
        updated = exhibitor_reject(
            exhibitor=exhibitor, actor=self.known_caller.user, note=data.get("note", "")
        )
        return Response(serializers.ExhibitorSerializer(self._reload(updated)).data)

    def _input(self, serializer_class: type[BaseSerializer[Any]]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        return data

    def _reload(self, exhibitor: Exhibitor) -> Exhibitor:
        return Exhibitor.objects.select_related("stand").get(pk=exhibitor.pk)


class AttendeeViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet[Attendee]):
    """Registered attendees with all their data (organizers only: the data controller)."""

    permission_classes = [IsOrganizer]
    queryset = Attendee.objects.prefetch_related("topics").order_by("last_name", "first_name", "id")
    serializer_class = serializers.AttendeeSerializer
    filterset_class = AttendeeFilter


class LeadViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet[Lead]):
    """Leads with the contact data the visitor agreed to share, rating, tags, answers and
    notes; the detail adds every scan. Organizers: all leads; an exhibitor: its own."""

    queryset = Lead.objects.none()
    serializer_class = serializers.LeadSerializer
    filterset_class = LeadFilter

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "retrieve":
            return serializers.LeadDetailSerializer
        return serializers.LeadSerializer

    def get_queryset(self) -> QuerySet[Lead]:
        leads = (
            Lead.objects.select_related("attendee", "exhibitor")
            .prefetch_related(
                "attendee__topics",
                lead_notes_prefetch(),
                Prefetch(
                    "exhibitor__questions", queryset=Question.objects.order_by("position", "id")
                ),
            )
            .order_by("-last_scanned_at", "-id")
        )
        if self.action == "retrieve":
            leads = leads.prefetch_related(
                Prefetch(
                    "scans",
                    queryset=Scan.objects.select_related("device").order_by("scanned_at", "id"),
                )
            )
        caller = self.caller
        if caller is None or not caller.is_organizer:
            leads = leads.filter(exhibitor=caller.exhibitor if caller else None)
        return leads


def _days(pairs: Iterable[tuple[datetime.date, int]]) -> list[dict[str, Any]]:
    return [{"day": day.isoformat(), "leads": count} for day, count in pairs]


def _report_data(report: reports.LeadReport) -> dict[str, Any]:
    figures = report.figures
    return {
        "leads": figures["leads"],
        "scans": figures["scans"],
        "contact_shared": figures["shared"],
        "devices": figures["devices"],
        "first_scan": figures["first"],
        "last_scan": figures["last"],
        "ratings": {key or "none": value for key, value in report.ratings.items()},
        "leads_per_day": _days(report.per_day),
        "leads_per_hour": [
            {"day": day.isoformat(), "hours": counts} for day, counts in report.per_hour.items()
        ],
        "top_topics": [{"topic": name, "leads": count} for name, count in report.topics],
        "scans_per_device": [
            {
                "device_id": device.device_id,
                "device": device.label,
                "exhibitor": device.exhibitor_name,
                "scans": device.scans,
            }
            for device in report.devices
        ],
    }


class StatisticsView(ApiMixin, APIView):
    """Lead statistics. An exhibitor: its own figures. Organizers: a fair's figures
    (``?fair=<id>``, default the latest fair) with attendance and per-exhibitor figures.
    Days and hours are counted in the fair's time zone, by each lead's first scan."""

    filter_backends = []

    @extend_schema(
        operation_id="statistics_retrieve",
        parameters=[
            OpenApiParameter(
                "fair",
                OpenApiTypes.INT,
                description=StatisticsFilter.base_filters["fair"].label,
            )
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        exhibitor = self.known_caller.exhibitor
        if exhibitor is not None:
            report = reports.lead_report(
                leads=Lead.objects.filter(exhibitor=exhibitor),
                fair=exhibitor.fair,
                title=exhibitor.company_name,
            )
            return Response(
                {"fair": exhibitor.fair_id, "exhibitor": exhibitor.pk, **_report_data(report)}
            )
        fairs = StatisticsFilter(
            request.query_params, queryset=Fair.objects.order_by("-starts_on", "-id")
        )
        if not fairs.is_valid():
            raise ValidationError(fairs.errors)
        fair = fairs.qs.first()
        if fair is None:
            raise NotFound()
        report = reports.lead_report(
            leads=Lead.objects.filter(exhibitor__fair=fair), fair=fair, title=fair.name
        )
        stats = reports.exhibitor_statistics(exhibitors=exhibitors_reported(fair=fair))
        return Response(
            {
                "fair": fair.pk,
                **reports.attendance_figures(fair=fair),
                **_report_data(report),
                "exhibitors": [
                    {
                        "exhibitor": entry.exhibitor_id,
                        "company_name": entry.company_name,
                        "stand": entry.stand_number or None,
                        "leads": entry.leads,
                        "hot": entry.hot,
                        "warm": entry.warm,
                        "cold": entry.cold,
                        "not_rated": entry.unrated,
                        "contact_shared": entry.shared_contacts,
                        "scans": entry.scans,
                        "devices": entry.devices,
                        "first_scan": entry.first_scan,
                        "last_scan": entry.last_scan,
                    }
                    for entry in stats
                ],
            }
        )
