from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api import portal_urls as api_portal_urls
from badges import organizer_urls as badge_organizer_urls
from badges import staff_urls
from exhibitors import portal_urls
from fair import views
from leads import urls as lead_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The APIs first: the scan API answers most requests of all, and matching goes in order.
    path("api/scan/", include("api.scan.urls")),
    path("api/v1/", include("api.v1.urls")),
    # Then the public voting pages: during a session every projector and vote page polls its
    # live.json each second; resolving it after the organizer and program patterns took a
    # quarter of such a poll's time (bench/voting.py).
    path("forum/", include("badges.forum.urls")),
    path("favicon.ico", views.favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before admin.site.urls: the admin's login page is rate-limited like ours.
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
    path("accounts/login/", views.login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("exhibitors/", include("exhibitors.urls")),
    path("fairs/", include("exhibitors.directory_urls")),
    # The portal's pages live in the app that owns their data; each section keeps one
    # namespace (portal: overview, profile, staff; leads: lead pages and API tokens).
    path("exhibitor/", include((portal_urls.urlpatterns + staff_urls.urlpatterns, "portal"))),
    path("exhibitor/devices/", include("leads.device_urls")),
    path(
        "exhibitor/leads/",
        include((lead_urls.urlpatterns + api_portal_urls.urlpatterns, "leads")),
    ),
    path("organizer/forum/checkin/", include("leads.checkin_organizer_urls")),
    path("organizer/forum/", include("fair.forum.organizer_urls")),
    path("organizer/plan/", include("exhibitors.organizer_plan_urls")),
    path("organizer/forum/", include("badges.forum.organizer_urls")),
    path("organizer/directory/", include("exhibitors.organizer_directory_urls")),
    path("organizer/registrations/", include("exhibitors.organizer_urls")),
    path("organizer/attendees/", include(badge_organizer_urls.attendee_patterns)),
    path("organizer/privacy/", include(badge_organizer_urls.privacy_patterns)),
    path("organizer/exhibitors/messages/", include("exhibitors.organizer_messages_urls")),
    path("organizer/", include("leads.organizer_urls")),
    path("forum/", include("fair.forum.urls")),
    path("scan/", include("leads.scanner_urls")),
    path("", include("badges.urls")),
    # The browsable API's login link, through our rate-limited login view.
    path(
        "api-auth/",
        include(
            (
                [
                    path("login/", views.api_login, name="login"),
                    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
                ],
                "rest_framework",
            )
        ),
    ),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "fair.errors.bad_request"
handler403 = "fair.errors.permission_denied"
handler404 = "fair.errors.page_not_found"
handler500 = "fair.errors.server_error"
