"""The control room's home and the organizers' lead dashboard and downloads, mounted at
/organizer/."""

from django.urls import path

from leads import export_log_views, home_views, organizer_views

app_name = "organizer"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("leads/", organizer_views.dashboard, name="dashboard"),
    path("privacy/exports/", export_log_views.export_log, name="export_log"),
    path("leads/<str:fmt>/", organizer_views.leads_export, name="leads_export"),
    path("statistics/<str:fmt>/", organizer_views.statistics_export, name="statistics_export"),
    path("areas/<int:area_id>/report.pdf", organizer_views.area_report, name="area_report"),
]
