"""The public forum programme, mounted at /forum/."""

from django.urls import path

from fair.forum import views

app_name = "forum"

urlpatterns = [
    path("<slug:fair_slug>/", views.programme, name="programme"),
    path("<slug:fair_slug>/programme.ics", views.programme_ics, name="programme_ics"),
    path("<slug:fair_slug>/sessions/<int:session_id>/", views.session, name="session"),
    path(
        "<slug:fair_slug>/sessions/<int:session_id>/session.ics",
        views.session_ics,
        name="session_ics",
    ),
]
