"""The organizers' session check-in pages, mounted at /organizer/forum/checkin/."""

from django.urls import path

from leads import checkin_organizer_views as views

app_name = "checkin_organizer"

urlpatterns = [
    path("", views.index, name="index"),
    path("devices/<int:device_id>/pairing/", views.pairing, name="pairing"),
    path("devices/<int:device_id>/revoke/", views.revoke, name="revoke"),
    path("sessions/<int:session_id>/attendance/", views.export, name="export"),
]
