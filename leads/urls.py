"""The exhibitor's lead pages, mounted at /exhibitor/leads/."""

from django.urls import path

from leads import views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="list"),
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("export/<str:fmt>/", views.lead_export, name="export"),
    path("report.pdf", views.lead_report_pdf, name="report_pdf"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
]
