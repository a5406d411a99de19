"""The exhibitor's lead pages: table, filters, detail, edit, downloads, PDF, API tokens."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from api.models import ApiToken
from api.v1.services import api_token_create
from leads.models import Lead, LeadNote
from tests import factories
from tests.leads import report_fixtures
from tests.leads.report_fixtures import many_leads

world = report_fixtures.world  # the fixture, for this module

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def client_a(client, world):
    client.force_login(factories.make_exhibitor_user(exhibitor=world.exhibitor))
    return client


def _body(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_anonymous_visitor_is_sent_to_login(client, world):
    response = client.get(reverse("leads:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_user_without_exhibitor_account_gets_403(client, world):
    client.force_login(get_user_model().objects.create_user(username="nobody", password="x-y-9"))
    assert client.get(reverse("leads:list")).status_code == 403
    assert client.get(reverse("leads:export", kwargs={"fmt": "csv"})).status_code == 403
    assert client.get(reverse("leads:report_pdf")).status_code == 403


def test_list_shows_own_leads_with_shared_contact_only(client_a, world):
    response = client_a.get(reverse("leads:list"), **EN)
    body = _body(response)
    assert response.status_code == 200
    assert "Jürgen Groß" in body and "juergen.gross@stadtwerke.example" in body
    assert "Дмитрий Иванов" in body
    assert "secret.ivanov@example.ru" not in body and "Geheimer Titel" not in body
    assert "Fremdkunde" not in body
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"rating": "hot"}, {"Groß"}),
        ({"rating": "none"}, {"Şahin"}),
        ({"tag": "Angebot"}, {"Groß"}),
        ({"day": "2019-02-15"}, {"Şahin"}),
        ({"q": "умный"}, set()),  # SQLite folds ASCII case only; exact case below
        ({"q": "Умный"}, {"Иванов"}),
        ({"q": "müllheim"}, {"Groß"}),
    ],
)
def test_list_filters(client_a, world, query, expected):
    response = client_a.get(reverse("leads:list"), query)
    names = {
        row.attendee.last_name
        for row in Lead.objects.filter(pk__in=[r["lead"].pk for r in response.context["rows"]])
    }
    if query == {"q": "умный"}:
        assert names <= {"Иванов"}
        return
    assert names == expected


def test_list_filters_by_device(client_a, world):
    response = client_a.get(reverse("leads:list"), {"device": world.device2.pk})
    assert {row["lead"] for row in response.context["rows"]} == {
        world.leads["private"],
        world.leads["repeat"],
    }


def test_device_of_another_exhibitor_is_not_a_filter_choice(client_a, world):
    response = client_a.get(reverse("leads:list"), {"device": world.other_device.pk})
    assert response.context["form"].errors["device"]


def test_list_paginates(client_a, world):
    many_leads(exhibitor=world.exhibitor, device=world.device, count=50)
    first = client_a.get(reverse("leads:list"))
    assert len(first.context["rows"]) == 50
    second = client_a.get(reverse("leads:list"), {"page": 2})
    assert len(second.context["rows"]) == 4


def test_list_query_count_is_pinned(client_a, world, django_assert_num_queries):
    url = reverse("leads:list")
    client_a.get(url)  # warm the session
    # session, user, account+exhibitor, exhibitor with fair/stand, devices, tags, count,
    # page of leads, topics, notes (+ devices and authors of the notes)
    with django_assert_num_queries(10):
        client_a.get(url)
    many_leads(exhibitor=world.exhibitor, device=world.device, count=30)
    with django_assert_num_queries(10):
        response = client_a.get(url)
    assert len(response.context["rows"]) == 34


def test_detail_shows_scans_notes_and_answers(client_a, world):
    lead = world.leads["repeat"]
    response = client_a.get(reverse("leads:detail", kwargs={"pk": lead.pk}), **EN)
    body = _body(response)
    assert response.status_code == 200
    assert "Anna&#x27;s iPhone" in body and "Tablet Stand" in body
    assert "Erster Besuch" in body and "Zweiter Besuch, Tag 3" in body
    assert "13 Feb 2019, " in body  # the English date style of fair/formats
    shared = client_a.get(reverse("leads:detail", kwargs={"pk": world.leads["shared"].pk}), **EN)
    assert "Budget?" in _body(shared) and "&gt; 10k" in _body(shared)
    assert "Parken, Wärme" in _body(shared)


def test_detail_of_unshared_visitor_hides_contact(client_a, world):
    body = _body(client_a.get(reverse("leads:detail", kwargs={"pk": world.leads["private"].pk})))
    assert "Иванов" in body
    assert "secret.ivanov@example.ru" not in body and "+7 495 000000" not in body


def test_another_exhibitors_lead_is_404_on_detail_and_edit(client_a, world):
    url = reverse("leads:detail", kwargs={"pk": world.other_lead.pk})
    assert client_a.get(url).status_code == 404
    assert client_a.post(url, {"rating": "cold", "note": "mine now"}).status_code == 404
    world.other_lead.refresh_from_db()
    assert world.other_lead.rating == "hot"
    assert not LeadNote.objects.filter(text="mine now").exists()


def test_edit_sets_rating_adds_tags_and_note(client_a, world):
    lead = world.leads["repeat"]
    url = reverse("leads:detail", kwargs={"pk": lead.pk})
    response = client_a.post(url, {"rating": "warm", "tags": "Messe, Rückruf ", "note": "Ruft an"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.rating == "warm"
    assert lead.tags == ["Messe", "Rückruf"]
    note = lead.notes.order_by("-id").first()
    assert note.text == "Ruft an" and note.author.exhibitor_account.exhibitor == world.exhibitor


def test_edit_without_any_change_is_refused(client_a, world):
    lead = world.leads["repeat"]
    response = client_a.post(reverse("leads:detail", kwargs={"pk": lead.pk}), {}, **EN)
    assert response.status_code == 422
    assert "Choose a rating, add a tag or write a note." in _body(response)


def test_edit_refuses_an_overlong_tag(client_a, world):
    lead = world.leads["repeat"]
    response = client_a.post(
        reverse("leads:detail", kwargs={"pk": lead.pk}), {"tags": "x" * 41}, **EN
    )
    assert response.status_code == 422
    lead.refresh_from_db()
    assert lead.tags == []


@pytest.mark.parametrize("fmt", ["csv", "csv-excel", "salesforce", "hubspot"])
def test_csv_downloads_stream_own_leads_only(client_a, world, fmt):
    response = client_a.get(reverse("leads:export", kwargs={"fmt": fmt}))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    body = _body(response)
    assert "Groß" in body and "Fremdkunde" not in body and "secret.ivanov" not in body
    delimiter = ";" if fmt == "csv-excel" else ","
    rows = list(csv.reader(io.StringIO(body), delimiter=delimiter))
    assert len(rows) == 5 and len({len(row) for row in rows}) == 1


def test_xlsx_download(client_a, world):
    response = client_a.get(reverse("leads:export", kwargs={"fmt": "xlsx"}))
    data = b"".join(response.streaming_content)
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.values)
    assert len(rows) == 5


def test_download_keeps_the_table_filters(client_a, world):
    response = client_a.get(reverse("leads:export", kwargs={"fmt": "csv"}), {"rating": "hot"})
    rows = list(csv.reader(io.StringIO(_body(response))))
    assert len(rows) == 2 and "Jürgen" in rows[1]


def test_unknown_download_format_is_404(client_a, world):
    assert client_a.get(reverse("leads:export", kwargs={"fmt": "pdf"})).status_code == 404


def test_download_query_count_is_pinned(client_a, world, django_assert_num_queries):
    url = reverse("leads:export", kwargs={"fmt": "csv"})
    client_a.get(url)
    # session, user, account, exhibitor, devices, tags, questions, leads, notes, topics,
    # and the export audit entry (savepoint, insert, release)
    with django_assert_num_queries(13):
        _body(client_a.get(url))
    many_leads(exhibitor=world.exhibitor, device=world.device, count=25)
    with django_assert_num_queries(13):
        _body(client_a.get(url))


def test_pdf_report_download(client_a, world):
    response = client_a.get(reverse("leads:report_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_pdf_report_of_exhibitor_b_holds_none_of_a(client, world):
    import pypdfium2 as pdfium

    client.force_login(factories.make_exhibitor_user(exhibitor=world.other))
    data = client.get(reverse("leads:report_pdf")).content
    pdf = pdfium.PdfDocument(data)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Fremdkunde" in text
    assert "Groß" not in text and "Wärmewerk" not in text


def test_api_token_page_creates_a_token_shown_once(client_a, world):
    url = reverse("leads:api_tokens")
    response = client_a.post(url, {"name": "CRM sync"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("fl_api_") and key in _body(response)
    token = ApiToken.objects.get(exhibitor=world.exhibitor)
    assert token.name == "CRM sync" and key not in token.token_hash
    assert key not in _body(client_a.get(url))


def test_api_token_page_refuses_an_empty_name(client_a, world):
    response = client_a.post(reverse("leads:api_tokens"), {"name": "  "}, **EN)
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_api_token_page_revokes_own_tokens_only(client_a, world):
    mine, _key = api_token_create(name="mine", exhibitor=world.exhibitor)
    theirs, _key = api_token_create(name="theirs", exhibitor=world.other)
    url = reverse("leads:api_tokens")
    assert client_a.post(url, {"revoke": theirs.pk}).status_code == 404
    assert client_a.post(url, {"revoke": mine.pk}).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


@pytest.mark.parametrize("value", ["abc", "", "1.5", "9" * 30, "\x00"])
def test_api_token_page_answers_a_malformed_revoke_id_with_404(client_a, world, value):
    mine, _key = api_token_create(name="mine", exhibitor=world.exhibitor)
    response = client_a.post(reverse("leads:api_tokens"), {"revoke": value})
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.revoked_at is None


NUL_PARAMETERS = [
    {"q": "Gro\x00ß"},
    {"tag": "\x00"},
    {"rating": "hot\x00"},
    {"day": "2019-02-13\x00"},
    {"device": "1\x00"},
    {"page": "\x00"},
]


@pytest.mark.parametrize("params", NUL_PARAMETERS)
def test_nul_bytes_in_lead_filters_are_a_clear_400_not_a_server_error(client_a, world, params):
    """PostgreSQL refuses NUL in a string: such a query never reaches the database."""
    response = client_a.get(reverse("leads:list"), params, **EN)
    assert response.status_code == 400
    export = client_a.get(reverse("leads:export", kwargs={"fmt": "csv"}), params)
    assert export.status_code == 400
    # The same filters without the NUL byte work.
    clean = {key: value.replace("\x00", "") for key, value in params.items()}
    assert client_a.get(reverse("leads:list"), clean, **EN).status_code == 200


def test_every_download_format_has_its_own_file_name(client_a, world):
    from leads.exports import export_formats

    names = {}
    for fmt in export_formats():
        response = client_a.get(reverse("leads:export", kwargs={"fmt": fmt}))
        b"".join(response.streaming_content)
        names[fmt] = response["Content-Disposition"]
    assert len(set(names.values())) == len(names), names
    assert names["csv-excel"].endswith('-excel.csv"')
