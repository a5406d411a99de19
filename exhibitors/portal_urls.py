"""The exhibitors' own portal pages, mounted at /exhibitor/ (``fair/urls.py`` adds the
stand-staff pages of ``badges.staff_urls`` to the same ``portal`` namespace)."""

from django.urls import path

from exhibitors import portal_views as views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("profile/", views.profile, name="profile"),
    path("withdraw/", views.withdraw, name="withdraw"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("access/", views.access, name="access"),
]
