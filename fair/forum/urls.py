"""The public forum program, mounted at /forum/."""

from django.urls import path
from django.views.generic import RedirectView

from fair.forum import views

app_name = "forum"

urlpatterns = [
    path("<slug:fair_slug>/", views.program, name="program"),
    path("<slug:fair_slug>/program.ics", views.program_ics, name="program_ics"),
    # The calendar file's old (British) address, still in subscribed calendars.
    path(
        "<slug:fair_slug>/programme.ics",
        RedirectView.as_view(pattern_name="forum:program_ics", permanent=True),
    ),
    path("<slug:fair_slug>/sessions/<int:session_id>/", views.session, name="session"),
    path(
        "<slug:fair_slug>/sessions/<int:session_id>/session.ics",
        views.session_ics,
        name="session_ics",
    ),
]
