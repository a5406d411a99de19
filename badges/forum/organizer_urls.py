"""Moderation and vote results, mounted at /organizer/forum/ next to the program pages."""

from django.urls import path

from badges.forum import organizer_views as views

app_name = "forum_moderation"

urlpatterns = [
    path("sessions/<int:session_id>/moderate/", views.moderate, name="moderate"),
    path(
        "items/<int:item_id>/<str:action>/",
        views.item_state,
        name="item_state",
    ),
    path(
        "sessions/<int:session_id>/results.csv",
        views.session_results_csv,
        name="session_results_csv",
    ),
    path("results.csv", views.fair_results_csv, name="fair_results_csv"),
]
