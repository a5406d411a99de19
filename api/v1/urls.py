"""``/api/v1/``: the back-office API (Django REST framework), its schema and documentation."""

from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework import routers

from api.errors import ErrorCode, error_body
from api.v1 import views
from api.v1.docs import docs_page, schema_view

app_name = "api_v1"


class ApiRootView(views.ApiMixin, routers.APIRootView):
    """The endpoints of the back-office API; see /api/v1/docs/ for the documentation."""

    pagination_class = None
    filter_backends = []


class Router(routers.DefaultRouter):
    APIRootView = ApiRootView


router = Router()
router.register("fairs", views.FairViewSet, basename="fair")
router.register("areas", views.AreaViewSet, basename="area")
router.register("stands", views.StandViewSet, basename="stand")
router.register("exhibitors", views.ExhibitorViewSet, basename="exhibitor")
router.register("attendees", views.AttendeeViewSet, basename="attendee")
router.register("leads", views.LeadViewSet, basename="lead")


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Paths under /api/v1/ that match no endpoint: the API's JSON 404, not Django's page."""
    return JsonResponse(error_body(code=ErrorCode.NOT_FOUND), status=404)


urlpatterns = [
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("schema/", schema_view(router.urls), name="schema"),
    path("docs/", docs_page(router.urls), name="docs"),
    *router.urls,
    re_path(r"^(?P<rest>.*)$", not_found),
]
