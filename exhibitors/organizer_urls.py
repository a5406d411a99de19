"""The organizers' registration pages, mounted at /organizer/registrations/."""

from django.urls import path

from exhibitors import organizer_views

app_name = "registrations"

urlpatterns = [
    path("", organizer_views.registration_queue, name="queue"),
    path("<int:exhibitor_id>/", organizer_views.registration_detail, name="detail"),
    path("<int:exhibitor_id>/decide/", organizer_views.registration_decide, name="decide"),
]
