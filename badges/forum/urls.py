"""The public voting pages, mounted at /forum/ next to the program (fair.forum.urls)."""

from django.urls import path

from badges.forum import views

app_name = "voting"

urlpatterns = [
    # Polled each second by every projector and vote page of a session: matched first.
    path("<slug:fair_slug>/sessions/<int:session_id>/live.json", views.live, name="live"),
    path("<slug:fair_slug>/vote/", views.vote_now, name="vote_now"),
    path("<slug:fair_slug>/vote/forget/", views.forget, name="forget"),
    path("<slug:fair_slug>/sessions/<int:session_id>/vote/", views.vote, name="vote"),
    path(
        "<slug:fair_slug>/sessions/<int:session_id>/vote/code/",
        views.vote_code,
        name="vote_code",
    ),
    path(
        "<slug:fair_slug>/sessions/<int:session_id>/projector/",
        views.projector,
        name="projector",
    ),
    path("<slug:fair_slug>/sessions/<int:session_id>/vote-qr.png", views.vote_qr, name="vote_qr"),
]
