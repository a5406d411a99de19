"""The organizers' dashboard, their downloads, and ``manage.py export_leads``."""

import csv
import io

import openpyxl
import pypdfium2 as pdfium
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests import factories
from tests.leads import report_fixtures
from tests.leads.report_fixtures import many_leads

world = report_fixtures.world  # the fixture, for this module


EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def staff_client(client, world):
    client.force_login(factories.make_organizer())
    return client


def test_dashboard_needs_login(client, world):
    response = client.get(reverse("organizer:dashboard"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_exhibitor_gets_403_on_dashboard_and_downloads(client, world):
    client.force_login(factories.make_exhibitor_user(exhibitor=world.exhibitor))
    assert client.get(reverse("organizer:dashboard")).status_code == 403
    assert client.get(reverse("organizer:leads_export", kwargs={"fmt": "csv"})).status_code == 403
    assert (
        client.get(reverse("organizer:statistics_export", kwargs={"fmt": "xlsx"})).status_code
        == 403
    )
    assert (
        client.get(reverse("organizer:area_report", kwargs={"area_id": world.area.pk})).status_code
        == 403
    )


def test_dashboard_draws_charts_as_inline_svg(staff_client, world):
    response = staff_client.get(reverse("organizer:dashboard"), {"fair": world.fair.pk}, **EN)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") >= 8  # 3 days, per day, rating, people, exhibitors, devices
    assert "Leads per hour" in body and "Leads per exhibitor" in body
    assert "Scans per device" in body and "Visitors and badges" in body
    assert "Wärmewerk Dortmund GmbH" in body and "Anna&#x27;s iPhone" in body
    assert 'http-equiv="refresh"' in body and "dashboard.js" in body


def test_dashboard_partial_is_the_panels_only(staff_client, world):
    response = staff_client.get(
        reverse("organizer:dashboard"), {"fair": world.fair.pk, "partial": "1"}
    )
    body = response.content.decode()
    assert "<svg" in body and "<html" not in body


def test_dashboard_unknown_fair_is_404(staff_client, world):
    assert staff_client.get(reverse("organizer:dashboard"), {"fair": 999999}).status_code == 404
    assert staff_client.get(reverse("organizer:dashboard"), {"fair": "x"}).status_code == 404


@pytest.mark.parametrize("wanted", ["²", "١", "12345678901234567890", " 1", "-1"])
def test_dashboard_fair_parameter_that_is_no_plain_number_is_404(staff_client, world, wanted):
    # "²".isdigit() is true, but int("²") fails: this was a 500.
    assert staff_client.get(reverse("organizer:dashboard"), {"fair": wanted}).status_code == 404


def test_dashboard_query_count_does_not_grow(staff_client, world, django_assert_num_queries):
    url = reverse("organizer:dashboard")
    staff_client.get(url, {"fair": world.fair.pk})
    with django_assert_num_queries(19):
        staff_client.get(url, {"fair": world.fair.pk})
    many_leads(exhibitor=world.other, device=world.other_device, count=20)
    with django_assert_num_queries(19):
        staff_client.get(url, {"fair": world.fair.pk})


def test_organizer_lead_download_has_all_exhibitors_and_shared_fields_only(staff_client, world):
    response = staff_client.get(
        reverse("organizer:leads_export", kwargs={"fmt": "csv"}), {"fair": world.fair.pk}, **EN
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 5
    assert {row["Exhibitor"] for row in rows} == {"Wärmewerk Dortmund GmbH", "Konkurrenz AG"}
    assert "secret.ivanov@example.ru" not in body


def test_organizer_statistics_download_xlsx(staff_client, world):
    response = staff_client.get(
        reverse("organizer:statistics_export", kwargs={"fmt": "xlsx"}), {"fair": world.fair.pk}
    )
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values
    )
    assert len(rows) == 3
    assert {row[1] for row in rows[1:]} == {"Wärmewerk Dortmund GmbH", "Konkurrenz AG"}


def test_organizer_download_unknown_format_is_404(staff_client, world):
    url = reverse("organizer:leads_export", kwargs={"fmt": "salesforce"})
    assert staff_client.get(url).status_code == 404


def test_area_report_download(staff_client, world):
    response = staff_client.get(reverse("organizer:area_report", kwargs={"area_id": world.area.pk}))
    assert response["Content-Type"] == "application/pdf"
    pdf = pdfium.PdfDocument(response.content)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Konkurrenz AG" in text and "Wärmewerk Dortmund GmbH" in text


def test_export_leads_command_writes_each_format(world, tmp_path):
    csv_file = tmp_path / "leads.csv"
    call_command(
        "export_leads",
        "--format",
        "csv",
        "--out",
        str(csv_file),
        "--exhibitor",
        str(world.exhibitor.pk),
        "--language",
        "en",
    )
    rows = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"))))
    assert {row["Last name"] for row in rows} == {"Groß", "Иванов", "'@SUM(A1:A9)", "Şahin"}
    xlsx_file = tmp_path / "all.xlsx"
    call_command(
        "export_leads", "--format", "xlsx", "--out", str(xlsx_file), "--fair", str(world.fair.pk)
    )
    assert len(list(openpyxl.load_workbook(xlsx_file).active.values)) == 6
    pdf_file = tmp_path / "report.pdf"
    call_command(
        "export_leads",
        "--format",
        "pdf",
        "--out",
        str(pdf_file),
        "--exhibitor",
        str(world.exhibitor.pk),
    )
    assert pdf_file.read_bytes().startswith(b"%PDF")
    area_file = tmp_path / "area.pdf"
    call_command(
        "export_leads", "--format", "pdf", "--out", str(area_file), "--area", str(world.area.pk)
    )
    assert len(pdfium.PdfDocument(area_file.read_bytes())) >= 3


def test_export_leads_command_refuses_bad_arguments(world, tmp_path):
    out = str(tmp_path / "x")
    with pytest.raises(CommandError, match="no exhibitor"):
        call_command("export_leads", "--format", "csv", "--out", out, "--exhibitor", "999999")
    with pytest.raises(CommandError, match="--area"):
        call_command("export_leads", "--format", "pdf", "--out", out)
    with pytest.raises(CommandError, match="per exhibitor"):
        call_command("export_leads", "--format", "hubspot", "--out", out)
