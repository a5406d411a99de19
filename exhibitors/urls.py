from django.urls import path

from exhibitors import views

app_name = "exhibitors"

urlpatterns = [
    path("register/<int:area_id>/", views.register, name="register"),
    path("register/done/", views.register_done, name="register_done"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
