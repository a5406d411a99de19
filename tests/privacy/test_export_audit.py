"""The lead export log: every lead file and report handed out is recorded with who, what,
when and how many rows; streamed files record the rows actually sent when the stream ends."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leads import export_audit, reports
from leads.models import ExportAuditEntry, Lead
from tests import factories
from tests.leads.report_fixtures import many_leads
from tests.privacy.conftest import EN


@pytest.fixture
def exhibitor_user(world):
    return factories.make_exhibitor_user(exhibitor=world.exhibitor)


@pytest.fixture
def portal(exhibitor_user) -> Client:
    client = Client(**EN)
    client.force_login(exhibitor_user)
    return client


@pytest.fixture
def organizer_client(db) -> Client:
    client = Client(**EN)
    client.force_login(factories.make_organizer(username="back-office"))
    return client


def _read(response) -> bytes:
    return b"".join(response.streaming_content)


def test_portal_export_is_logged_when_the_stream_ends(portal, world, exhibitor_user):
    response = portal.get(reverse("leads:export", kwargs={"fmt": "csv"}))
    assert not ExportAuditEntry.objects.exists()  # nothing sent yet
    _read(response)

    entry = ExportAuditEntry.objects.get()
    assert (entry.channel, entry.scope, entry.format) == ("portal", "exhibitor_leads", "csv")
    assert entry.user == exhibitor_user
    assert entry.actor_label == exhibitor_user.get_username()
    assert (entry.exhibitor, entry.fair) == (world.exhibitor, world.fair)
    assert entry.row_count == 4
    assert entry.completed is True
    assert entry.filters == {}


def test_portal_export_logs_the_filters_and_the_filtered_row_count(portal, world):
    _read(
        portal.get(
            reverse("leads:export", kwargs={"fmt": "xlsx"}),
            {"rating": "hot", "day": "2019-02-13"},
        )
    )
    entry = ExportAuditEntry.objects.get()
    assert entry.filters == {"rating": "hot", "day": "2019-02-13"}
    assert entry.row_count == 1
    assert entry.format == "xlsx"


def test_row_count_is_right_for_a_large_streamed_export(portal, world):
    many_leads(exhibitor=world.exhibitor, device=world.device, count=1205)
    body = _read(portal.get(reverse("leads:export", kwargs={"fmt": "csv-excel"})))
    entry = ExportAuditEntry.objects.get()
    assert entry.row_count == 1209 == Lead.objects.filter(exhibitor=world.exhibitor).count()
    assert body.count(b"\r\n") >= 1210  # header + rows: the file really holds them


def test_a_broken_off_stream_logs_the_rows_produced_so_far(world):
    def writer(rows):  # one chunk per row, like a slow client reading a big file
        for row in rows:
            yield str(row).encode()

    counter = reports.RowCounter(iter(range(10)))
    chunks = export_audit.audited_chunks(
        writer(counter),
        counter=counter,
        actor=export_audit.ExportActor(label="tester"),
        channel="portal",
        scope="exhibitor_leads",
        fmt="csv",
        exhibitor=world.exhibitor,
    )
    assert [next(chunks), next(chunks), next(chunks)] == [b"0", b"1", b"2"]
    assert not ExportAuditEntry.objects.exists()
    chunks.close()  # the client went away

    entry = ExportAuditEntry.objects.get()
    assert (entry.row_count, entry.completed) == (3, False)


def test_a_stream_never_started_logs_nothing(world):
    counter = reports.RowCounter([])
    chunks = export_audit.audited_chunks(
        iter([b"x"]),
        counter=counter,
        actor=export_audit.ExportActor(label="tester"),
        channel="portal",
        scope="exhibitor_leads",
        fmt="csv",
    )
    chunks.close()
    assert not ExportAuditEntry.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "csv-excel", "xlsx", "salesforce", "hubspot"])
def test_exhibitor_download_counts_the_rows_it_streams(world, fmt):
    counted = export_audit.exhibitor_lead_download(exhibitor=world.exhibitor, fmt=fmt)
    assert counted.counter.count == 0
    b"".join(counted.download.chunks)
    assert counted.counter.count == 4


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_fair_download_counts_the_rows_it_streams(world, fmt):
    counted = export_audit.fair_lead_download(fair=world.fair, fmt=fmt)
    data = b"".join(counted.download.chunks)
    assert counted.counter.count == 5
    if fmt == "csv":
        assert len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) == 1 + 5


def test_portal_pdf_report_is_logged(portal, world, exhibitor_user):
    assert portal.get(reverse("leads:report_pdf")).status_code == 200
    entry = ExportAuditEntry.objects.get()
    assert (entry.scope, entry.format, entry.row_count) == ("exhibitor_report", "pdf", 4)
    assert entry.user == exhibitor_user


def test_organizer_lead_download_is_logged(organizer_client, world):
    response = organizer_client.get(
        reverse("organizer:leads_export", kwargs={"fmt": "csv"}), {"fair": world.fair.pk}
    )
    _read(response)
    entry = ExportAuditEntry.objects.get()
    assert (entry.channel, entry.scope, entry.actor_label) == (
        "organizer",
        "fair_leads",
        "back-office",
    )
    assert (entry.fair, entry.row_count) == (world.fair, 5)


def test_organizer_statistics_and_area_report_are_logged(organizer_client, world):
    _read(
        organizer_client.get(
            reverse("organizer:statistics_export", kwargs={"fmt": "xlsx"}),
            {"fair": world.fair.pk},
        )
    )
    organizer_client.get(reverse("organizer:area_report", kwargs={"area_id": world.area.pk}))
    stats, area = ExportAuditEntry.objects.order_by("id")
    assert (stats.scope, stats.row_count) == ("fair_statistics", 2)
    assert (area.scope, area.area, area.fair, area.row_count) == (
        "area_report",
        world.area,
        world.fair,
        2,
    )


def test_export_command_is_logged(world, tmp_path):
    out = tmp_path / "leads.csv"
    call_command(
        "export_leads",
        "--format",
        "csv",
        "--out",
        str(out),
        "--exhibitor",
        str(world.exhibitor.pk),
        stderr=io.StringIO(),
    )
    call_command(
        "export_leads",
        "--format",
        "xlsx",
        "--out",
        str(tmp_path / "fair.xlsx"),
        "--fair",
        str(world.fair.pk),
        stderr=io.StringIO(),
    )
    call_command(
        "export_leads",
        "--format",
        "pdf",
        "--out",
        str(tmp_path / "a.pdf"),
        "--area",
        str(world.area.pk),
        stderr=io.StringIO(),
    )
    leads, fair, area = ExportAuditEntry.objects.order_by("id")
    assert (leads.channel, leads.scope, leads.row_count) == ("command", "exhibitor_leads", 4)
    assert leads.actor_label.startswith("manage.py export_leads (")
    assert leads.user is None
    assert (fair.scope, fair.row_count, fair.format) == ("fair_leads", 5, "xlsx")
    assert (area.scope, area.format) == ("area_report", "pdf")


def test_export_command_that_cannot_write_logs_nothing(world, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command(
            "export_leads",
            "--format",
            "csv",
            "--out",
            str(tmp_path / "missing-dir" / "x.csv"),
            "--exhibitor",
            str(world.exhibitor.pk),
            stderr=io.StringIO(),
        )
    assert not ExportAuditEntry.objects.exists()


def test_actor_labels_name_tokens_and_devices_without_secrets(world):
    from api.v1.services import api_token_create

    token, key = api_token_create(name="CRM sync", exhibitor=world.exhibitor)
    label = export_audit.ExportActor.for_api_token(token).label
    assert label.startswith("API token CRM sync (fl_")
    assert key not in label
    assert export_audit.ExportActor.for_device(world.device).label == (
        f"device Anna's iPhone (#{world.device.pk})"
    )


def test_log_is_read_only_in_the_admin(organizer_client, world):
    entry = export_audit.export_audit_record(
        actor=export_audit.ExportActor(label="anna"),
        channel="portal",
        scope="exhibitor_leads",
        fmt="csv",
        row_count=4,
        exhibitor=world.exhibitor,
    )
    listing = organizer_client.get(reverse("admin:leads_exportauditentry_changelist"))
    assert listing.status_code == 200
    assert "anna" in listing.content.decode()
    assert organizer_client.get(reverse("admin:leads_exportauditentry_add")).status_code == 403
    assert (
        organizer_client.post(
            reverse("admin:leads_exportauditentry_change", args=[entry.pk]), {"row_count": 0}
        ).status_code
        == 403
    )
    assert (
        organizer_client.post(
            reverse("admin:leads_exportauditentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert ExportAuditEntry.objects.get().row_count == 4


def test_database_refuses_an_entry_without_actor(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportAuditEntry.objects.create(
            at=timezone.now(),
            channel="portal",
            scope="exhibitor_leads",
            format="csv",
            actor_label="",
            row_count=1,
        )


def test_export_query_count_is_pinned(portal, world, django_assert_num_queries):
    many_leads(exhibitor=world.exhibitor, device=world.device, count=20)
    response = portal.get(reverse("leads:export", kwargs={"fmt": "csv"}))
    # While streaming: the leads (one cursor), notes and topics (one chunk), and the log entry
    # (savepoint, insert, release): the log costs three queries per download, not per row.
    with django_assert_num_queries(6):
        _read(response)
    assert ExportAuditEntry.objects.get().row_count == 24


def test_export_log_pages_keep_the_filter_in_their_links(organizer_client, world):
    from leads.export_log_views import PAGE_SIZE

    ExportAuditEntry.objects.bulk_create(
        ExportAuditEntry(
            at=timezone.now(),
            actor_label="Kim",
            channel=ExportAuditEntry.Channel.ORGANIZER,
            scope=ExportAuditEntry.Scope.FAIR_LEADS,
            format="csv",
            row_count=n,
            fair=world.fair,
        )
        for n in range(PAGE_SIZE + 1)
    )
    url = reverse("organizer:export_log")
    first = organizer_client.get(url, {"channel": "organizer"}).content.decode()
    assert "Page 1 of 2" in first
    assert 'href="?channel=organizer&amp;page=2"' in first
    second = organizer_client.get(url, {"channel": "organizer", "page": 2}).content.decode()
    assert "Page 2 of 2" in second
    assert 'href="?channel=organizer&amp;page=1"' in second
