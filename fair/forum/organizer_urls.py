"""The organizers' program pages, mounted at /organizer/forum/."""

from django.urls import path

from fair.forum import organizer_views as views

app_name = "forum_organizer"

urlpatterns = [
    path("", views.index, name="index"),
    path("rooms/new/", views.room_edit, name="room_new"),
    path("rooms/<int:room_id>/", views.room_edit, name="room_edit"),
    path("sessions/new/", views.session_edit, name="session_new"),
    path("sessions/<int:session_id>/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/delete/", views.session_remove, name="session_delete"),
    path("import/", views.program_upload, name="import"),
]
