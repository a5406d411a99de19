from django.urls import path

from leads import device_views as views

app_name = "devices"

urlpatterns = [
    path("", views.device_list, name="list"),
    path("<int:pk>/pairing/", views.device_pairing, name="pairing"),
    path("<int:pk>/revoke/", views.device_revoke_confirm, name="revoke"),
    path("questions/", views.questions, name="questions"),
    path("questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/remove/", views.question_remove_confirm, name="question_remove"),
    path("questions/<int:pk>/move/", views.question_move_view, name="question_move"),
]
