"""The control room's privacy desk (/organizer/privacy/): erasure requests confirmed or
rejected through the erasure services, the retention table, and the lead export log page."""

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from badges.models import ErasureRequest, PrivacyAuditEntry
from badges.privacy import erasure_request
from leads.models import ExportAuditEntry
from tests import factories


def pending(fair) -> ErasureRequest:
    return erasure_request(attendee=factories.make_attendee(fair=fair, last_name="Löschmich"))


def test_desk_lists_pending_requests_and_retention(organizer_client, fair):
    request = pending(fair)

    response = organizer_client.get(reverse("organizer_privacy:desk"))

    assert list(response.context["pending"]) == [request]
    assert fair.pk in [row.fair.pk for row in response.context["retention"]]
    assert "Löschmich" in response.content.decode()


def test_confirm_erases_the_person_through_the_service(
    organizer_client, organizer, fair, django_capture_on_commit_callbacks
):
    request = pending(fair)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(
            reverse("organizer_privacy:erasure_confirm", kwargs={"request_id": request.pk})
        )

    request.refresh_from_db()
    assert request.state == ErasureRequest.State.COMPLETED
    assert request.decided_by == organizer
    assert request.attendee.erased_at is not None
    assert PrivacyAuditEntry.objects.filter(
        action=PrivacyAuditEntry.Action.ERASURE_COMPLETED, actor=organizer
    ).exists()
    assert len(mail.outbox) == 1


def test_reject_needs_a_reason(organizer_client, fair):
    request = pending(fair)
    url = reverse("organizer_privacy:erasure_reject", kwargs={"request_id": request.pk})

    organizer_client.post(url, {"note": "   "})
    assert ErasureRequest.objects.get(pk=request.pk).state == ErasureRequest.State.PENDING

    organizer_client.post(url, {"note": "Aufbewahrungspflicht (Rechnung)"})
    request.refresh_from_db()
    assert (request.state, request.note) == (
        ErasureRequest.State.REJECTED,
        "Aufbewahrungspflicht (Rechnung)",
    )


def test_a_decided_request_cannot_be_decided_again(organizer_client, fair):
    request = pending(fair)
    url = reverse("organizer_privacy:erasure_confirm", kwargs={"request_id": request.pk})
    organizer_client.post(url)

    response = organizer_client.post(
        reverse("organizer_privacy:erasure_reject", kwargs={"request_id": request.pk}),
        {"note": "zu spät"},
        follow=True,
    )

    assert ErasureRequest.objects.get(pk=request.pk).state == ErasureRequest.State.COMPLETED
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"


def test_confirm_page_shows_the_person_and_erases_only_on_post(organizer_client, fair):
    request = pending(fair)
    url = reverse("organizer_privacy:erasure_confirm", kwargs={"request_id": request.pk})

    page = organizer_client.get(url)

    assert page.status_code == 200 and "Löschmich" in page.content.decode()
    assert ErasureRequest.objects.get(pk=request.pk).state == ErasureRequest.State.PENDING


def log_entry(fair, **overrides) -> ExportAuditEntry:
    values = {
        "at": timezone.now(),
        "channel": ExportAuditEntry.Channel.ORGANIZER,
        "scope": ExportAuditEntry.Scope.FAIR_LEADS,
        "format": "xlsx",
        "actor_label": "orga@messe.example",
        "fair": fair,
        "row_count": 42,
    }
    values.update(overrides)
    return ExportAuditEntry.objects.create(**values)


def test_export_log_lists_entries_filtered_by_fair_and_channel(
    organizer_client, fair, django_assert_max_num_queries
):
    ours = log_entry(fair)
    log_entry(fair, channel=ExportAuditEntry.Channel.PORTAL, actor_label="kim@aussteller.example")
    log_entry(factories.make_fair())
    url = reverse("organizer:export_log")

    with django_assert_max_num_queries(6):
        response = organizer_client.get(url, {"fair": fair.pk, "channel": "organizer"})

    assert list(response.context["page"].object_list) == [ours]
    assert len(organizer_client.get(url).context["page"].object_list) == 3
    assert organizer_client.get(url, {"fair": "1e3"}).status_code == 200


def test_desk_query_count_does_not_grow_with_requests(organizer_client, fair):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("organizer_privacy:desk")
    pending(fair)
    with CaptureQueriesContext(connection) as few:
        organizer_client.get(url)
    for _ in range(5):
        pending(fair)
    with CaptureQueriesContext(connection) as many:
        organizer_client.get(url)

    assert len(many.captured_queries) == len(few.captured_queries)
