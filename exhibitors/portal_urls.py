from django.urls import path

from exhibitors import portal_views as views

app_name = "portal"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("profile/", views.profile, name="profile"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/remove/", views.staff_remove, name="staff_remove"),
    path("withdraw/", views.withdraw, name="withdraw"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("access/", views.access, name="access"),
]
