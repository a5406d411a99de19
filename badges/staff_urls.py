"""The portal's stand-staff pages; ``fair/urls.py`` mounts them under /exhibitor/ in the
``portal`` namespace, beside the exhibitors' own portal pages."""

from django.urls import path

from badges import staff_views as views

urlpatterns = [
    path("staff/", views.staff, name="staff"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/remove/", views.staff_remove, name="staff_remove"),
    path("staff/<int:pk>/badge.pdf", views.staff_badge_pdf, name="staff_badge_pdf"),
    path("staff/<int:pk>/badge-link/", views.staff_badge_link, name="staff_badge_link"),
]
