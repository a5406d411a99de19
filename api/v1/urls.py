"""``/api/v1/``: the back-office API (Django REST framework), its schema and documentation."""

from django.urls import path
from rest_framework import routers

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

urlpatterns = [
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("schema/", schema_view(router.urls), name="schema"),
    path("docs/", docs_page(router.urls), name="docs"),
    *router.urls,
]
