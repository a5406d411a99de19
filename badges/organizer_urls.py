"""The control room's attendee desk and privacy desk, mounted at /organizer/attendees/ and
/organizer/privacy/ in fair/urls.py."""

from django.urls import path

from badges import organizer_import_views, organizer_views, privacy_desk_views

attendee_patterns = (
    [
        path("", organizer_views.attendee_list, name="list"),
        path("<int:attendee_id>/", organizer_views.attendee_detail, name="detail"),
        path("<int:attendee_id>/reissue/", organizer_views.attendee_reissue, name="reissue"),
        path("badges/<int:badge_id>/revoke/", organizer_views.badge_revoke, name="revoke"),
        path("badges/<int:badge_id>/print/", organizer_views.badge_reprint, name="reprint"),
        path("print-run/", organizer_views.print_run, name="print_run"),
        path("import/", organizer_import_views.import_upload, name="import_upload"),
        path("import/columns/", organizer_import_views.import_mapping, name="import_mapping"),
        path("import/check/", organizer_import_views.import_check, name="import_check"),
        path("import/run/", organizer_import_views.import_run, name="import_run"),
        path("import/done/", organizer_import_views.import_done, name="import_done"),
        path("import/cancel/", organizer_import_views.import_cancel, name="import_cancel"),
    ],
    "organizer_attendees",
)

privacy_patterns = (
    [
        path("", privacy_desk_views.privacy_desk, name="desk"),
        path(
            "erasure/<int:request_id>/confirm/",
            privacy_desk_views.erasure_request_confirm,
            name="erasure_confirm",
        ),
        path(
            "erasure/<int:request_id>/reject/",
            privacy_desk_views.erasure_request_reject,
            name="erasure_reject",
        ),
    ],
    "organizer_privacy",
)
