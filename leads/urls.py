"""The exhibitor's lead pages, mounted at /exhibitor/leads/ (``fair/urls.py`` adds the API-token
page of ``api.portal_urls`` to the same ``leads`` namespace)."""

from django.urls import path

from leads import views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="list"),
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("export/<str:fmt>/", views.lead_export, name="export"),
    path("report.pdf", views.lead_report_pdf, name="report_pdf"),
]
