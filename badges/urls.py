from django.urls import path

from badges import views

app_name = "badges"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/confirm/<str:token>/", views.confirm, name="confirm"),
    path("register/<slug:fair_slug>/", views.register_fair, name="register_fair"),
    path("register/<slug:fair_slug>/sent/", views.register_sent, name="register_sent"),
    path("badge/<str:token>/", views.badge, name="badge"),
    path("badge/<str:token>/badge.pdf", views.badge_pdf, name="badge_pdf"),
    path("badge/<str:token>/qr.png", views.badge_png, name="badge_png"),
    path("badges/staff.pdf", views.staff_badges_pdf, name="staff_badges_pdf"),
]
