"""The organizers' directory page, mounted at /organizer/directory/."""

from django.urls import path

from exhibitors import organizer_directory_views as views

app_name = "directory_organizer"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:exhibitor_id>/hide/", views.hide, name="hide"),
]
