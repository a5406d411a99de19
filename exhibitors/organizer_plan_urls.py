"""The organizers' hall plan, mounted at /organizer/plan/."""

from django.urls import path

from exhibitors import organizer_plan_views as views

app_name = "hallplan"

urlpatterns = [
    path("", views.plan_index, name="index"),
    path("<int:area_id>/", views.plan_area, name="area"),
    path("<int:area_id>/import/", views.plan_import, name="import"),
    path("<int:area_id>/stands/new/", views.stand_edit, name="stand_new"),
    path("<int:area_id>/stands/<int:stand_id>/", views.stand_edit, name="stand_edit"),
    path(
        "<int:area_id>/stands/<int:stand_id>/assign/<int:exhibitor_id>/",
        views.stand_assign,
        name="assign",
    ),
    path("exhibitors/<int:exhibitor_id>/quota/", views.staff_quota, name="staff_quota"),
]
