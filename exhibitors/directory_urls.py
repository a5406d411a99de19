"""The public exhibitor directory and hall plan, mounted at /fairs/."""

from django.urls import path

from exhibitors import directory_views as views

app_name = "directory"

urlpatterns = [
    path("<slug:fair_slug>/exhibitors/", views.fair_index, name="index"),
    path("<slug:fair_slug>/<slug:area_slug>/exhibitors/", views.exhibitor_list, name="list"),
    path(
        "<slug:fair_slug>/<slug:area_slug>/exhibitors/<int:exhibitor_id>/",
        views.exhibitor_page,
        name="exhibitor",
    ),
    path("<slug:fair_slug>/<slug:area_slug>/plan/", views.hall_plan, name="plan"),
]
