from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fair import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("exhibitors/", include("exhibitors.urls")),
    path("exhibitor/", include("exhibitors.portal_urls")),
    path("exhibitor/devices/", include("leads.device_urls")),
    path("exhibitor/leads/", include("leads.urls")),
    path("organizer/forum/", include("fair.forum.organizer_urls")),
    path("organizer/forum/", include("badges.forum.organizer_urls")),
    path("organizer/", include("leads.organizer_urls")),
    path("forum/", include("fair.forum.urls")),
    path("forum/", include("badges.forum.urls")),
    path("scan/", include("leads.scanner_urls")),
    path("", include("badges.urls")),
    path("api/scan/", include("api.scan.urls")),
    path("api/v1/", include("api.v1.urls")),
    # The browsable API's login link, through our rate-limited login view.
    path(
        "api-auth/",
        include(
            (
                [
                    path(
                        "login/",
                        views.LoginView.as_view(template_name="rest_framework/login.html"),
                        name="login",
                    ),
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
