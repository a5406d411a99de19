"""The stand scanner page at /scan/, its service worker and its web app manifest."""

from django.urls import path

from leads import scanner_views

app_name = "scanner"

urlpatterns = [
    path("", scanner_views.page, name="page"),
    # Served from /scan/ so that the worker's default scope covers the page.
    path("sw.js", scanner_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", scanner_views.manifest, name="manifest"),
]
