from django.urls import path

from badges import views
from badges.forum import views as forum_views
from fair.ratelimit import rate_limited_post, visitor_form_per_ip

app_name = "badges"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/confirm/<str:token>/", views.confirm, name="confirm"),
    path(
        "register/<slug:fair_slug>/",
        rate_limited_post(visitor_form_per_ip)(views.register_fair),
        name="register_fair",
    ),
    path("register/<slug:fair_slug>/sent/", views.register_sent, name="register_sent"),
    path("register/<slug:fair_slug>/privacy/", views.privacy_notice, name="privacy_notice"),
    path("badge/again/", views.badge_link_request, name="badge_link_request"),
    path("badge/<str:token>/", views.badge, name="badge"),
    path("badge/<str:token>/badge.pdf", views.badge_pdf, name="badge_pdf"),
    path("badge/<str:token>/qr.png", views.badge_png, name="badge_png"),
    path("badge/<str:token>/consent/", views.consent, name="consent"),
    path("badge/<str:token>/my-data.json", views.data_download, name="data_download"),
    path("badge/<str:token>/erasure/", views.erasure, name="erasure"),
    path("badge/<str:token>/agenda/", forum_views.agenda, name="agenda"),
    path("badge/<str:token>/agenda.ics", forum_views.agenda_ics, name="agenda_ics"),
    path("badge/<str:token>/vote/", forum_views.vote_from_this_phone, name="vote_from_this_phone"),
    path("badges/staff.pdf", views.staff_badges_pdf, name="staff_badges_pdf"),
]
