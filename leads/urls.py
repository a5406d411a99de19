"""The exhibitor's lead pages, mounted at /exhibitor/leads/ (``fair/urls.py`` adds the API-token
page of ``api.portal_urls`` to the same ``leads`` namespace)."""

from django.urls import path

from leads import views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="list"),
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("<int:pk>/rating/clear/", views.lead_rating_clear_view, name="rating_clear"),
    path("<int:pk>/tags/remove/", views.lead_tag_remove_view, name="tag_remove"),
    path("<int:pk>/notes/<int:note_pk>/edit/", views.lead_note_edit_view, name="note_edit"),
    path("<int:pk>/notes/<int:note_pk>/delete/", views.lead_note_delete_view, name="note_delete"),
    path("export/<str:fmt>/", views.lead_export, name="export"),
    path("report.pdf", views.lead_report_pdf, name="report_pdf"),
]
