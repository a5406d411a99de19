"""The attendee import wizard of the control room: upload → columns → dry run → import, with a
file as German Excel saves it; the file stays on the server between the steps and is deleted
afterwards. The dry run and the import go chunk by chunk: a repeated or reloaded step neither
loses nor doubles a row, and the results stay on the page."""

from pathlib import Path

import pytest
from django.urls import reverse

from badges.import_store import import_file_read
from badges.models import Attendee, AttendeeImportChunk, Badge
from badges.organizer_import_views import SESSION_KEY

GERMAN_EXCEL = (
    "Ticketnummer;Vorname;Nachname;E-Mail-Adresse;Unternehmen;Betrag;Notiz\r\n"
    "T-1;Jürgen;Müßig;jm@example.org;Groß – Straßenbau GmbH;12,50;a\r\n"
    "T-2;Zoë;Öhler;zo@example.org;Café „Zur Börse“;3,00;b\r\n"
    "T-3;Ohne;Adresse;keine-adresse;Nirgendwo AG;0,00;c\r\n"
).encode("cp1252")


def upload(client, fair, content: bytes = GERMAN_EXCEL, name: str = "tickets.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("organizer_attendees:import_upload"),
        {"fair": fair.pk, "file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def stored_files(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "attendee-imports"
    return list(folder.glob("*.csv")) if folder.exists() else []


def test_upload_stores_the_file_server_side_and_goes_to_the_columns(
    organizer_client, fair, settings
):
    response = upload(organizer_client, fair)

    assert response.status_code == 302
    assert response["Location"] == reverse("organizer_attendees:import_mapping")
    state = organizer_client.session[SESSION_KEY]
    assert import_file_read(token=state["token"]) == GERMAN_EXCEL
    assert state["token"] not in response["Location"]
    (path,) = stored_files(settings)
    assert path.stat().st_mode & 0o077 == 0  # only the server's user reads it


def test_columns_page_proposes_the_fields_and_shows_the_first_rows(organizer_client, fair):
    upload(organizer_client, fair)

    response = organizer_client.get(reverse("organizer_attendees:import_mapping"))

    form = response.context["form"]
    assert form["col_1"].initial == "first_name"
    assert form["col_5"].initial == ""  # "Betrag" is no attendee field
    samples = {field.label: values for field, values in response.context["columns"]}
    assert samples["Nachname"] == ["Müßig", "Öhler", "Adresse"]
    assert samples["Betrag"] == ["12,50", "3,00", "0,00"]


def mapping_post(**changes) -> dict[str, str]:
    fields = ["external_id", "first_name", "last_name", "email", "company", "", ""]
    data = {f"col_{index}": value for index, value in enumerate(fields)}
    data.update(changes)
    return data


def test_columns_refuse_one_field_twice_and_a_missing_email(organizer_client, fair):
    upload(organizer_client, fair)
    url = reverse("organizer_attendees:import_mapping")

    twice = organizer_client.post(url, mapping_post(col_4="first_name"))
    missing = organizer_client.post(url, mapping_post(col_3=""))

    assert twice.status_code == missing.status_code == 200
    assert twice.context["form"].non_field_errors()
    assert missing.context["form"].non_field_errors()
    assert organizer_client.session[SESSION_KEY]["mapping"] is None


def run_phase(client, phase: str):
    """What the progress page's script does: post chunk after chunk until the phase is done;
    then the phase's page."""
    chunk = 0
    for _attempt in range(100):
        answer = client.post(
            reverse("organizer_attendees:import_run"),
            {"phase": phase, "chunk": chunk},
            HTTP_ACCEPT="application/json",
        ).json()
        if answer["finished"]:
            break
        chunk = answer["next"]
    page = "import_check" if phase == "check" else "import_done"
    return client.get(reverse(f"organizer_attendees:{page}"))


def test_dry_run_shows_each_row_and_saves_nothing(organizer_client, fair):
    upload(organizer_client, fair)
    organizer_client.post(reverse("organizer_attendees:import_mapping"), mapping_post())

    before = organizer_client.get(reverse("organizer_attendees:import_check"))
    response = run_phase(organizer_client, "check")

    assert before.templates[0].name == "badges/organizer/import_progress.html"

    assert response.context["counts"] == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    rejected, key = response.context["rows"][0]
    assert key == "Ticketnummer T-3"  # German is the first language
    assert (rejected.line, rejected.action) == (4, "rejected")
    assert "keine-adresse" in " ".join(rejected.reasons)
    assert response.context["report"].encoding == "Windows-1252"
    assert not Attendee.objects.exists()


def test_import_creates_attendees_with_badges_and_deletes_the_file(
    organizer_client, fair, settings
):
    upload(organizer_client, fair)
    organizer_client.post(reverse("organizer_attendees:import_mapping"), mapping_post())
    run_phase(organizer_client, "check")

    response = run_phase(organizer_client, "import")

    assert response.status_code == 200
    assert response.context["counts"]["created"] == 2
    assert set(Attendee.objects.values_list("last_name", flat=True)) == {"Müßig", "Öhler"}
    assert Attendee.objects.get(external_id="T-2").company == "Café „Zur Börse“"
    assert Badge.objects.filter(state=Badge.State.ACTIVE).count() == 2
    assert stored_files(settings) == []
    again = organizer_client.post(
        reverse("organizer_attendees:import_run"), {"phase": "import", "chunk": 0}
    )
    assert again["Location"] == reverse("organizer_attendees:import_done")
    assert Attendee.objects.count() == 2
    reloaded = organizer_client.get(reverse("organizer_attendees:import_done"))
    assert reloaded.context["counts"]["created"] == 2  # the results stay after the file is gone


def test_a_remapped_column_is_imported_as_chosen(organizer_client, fair):
    upload(organizer_client, fair)
    organizer_client.post(
        reverse("organizer_attendees:import_mapping"), mapping_post(col_6="job_title")
    )
    run_phase(organizer_client, "check")
    run_phase(organizer_client, "import")

    assert Attendee.objects.get(external_id="T-1").job_title == "a"


def test_utf8_with_bom_and_comma_separated(organizer_client, fair):
    content = "\ufeffVorname,Nachname,E-Mail\nÅsa,Öberg,a@example.org\n".encode()
    upload(organizer_client, fair, content)
    organizer_client.post(
        reverse("organizer_attendees:import_mapping"),
        {"col_0": "first_name", "col_1": "last_name", "col_2": "email"},
    )
    response = run_phase(organizer_client, "check")

    assert response.context["report"].encoding == "UTF-8 (BOM)"
    assert response.context["counts"]["created"] == 1


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02binary\x00", b"Vorname;Nachname\r\nA;B\r\n"],
    ids=["empty", "binary", "headers-only-no-email"],
)
def test_upload_refuses_unreadable_files_and_stores_nothing(
    organizer_client, fair, settings, content
):
    response = upload(organizer_client, fair, content)

    if content.startswith(b"Vorname"):
        # readable: the columns step asks for the email column
        assert response.status_code == 302
        page = organizer_client.post(
            reverse("organizer_attendees:import_mapping"), {"col_0": "first_name"}
        )
        assert page.context["form"].non_field_errors()
        return
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert stored_files(settings) == []
    assert SESSION_KEY not in organizer_client.session


def test_upload_refuses_a_file_over_the_size_limit(organizer_client, fair, settings, monkeypatch):
    monkeypatch.setattr("badges.forms.MAX_BYTES", 100)
    response = upload(organizer_client, fair, GERMAN_EXCEL * 2)

    assert response.context["form"].errors["file"]
    assert stored_files(settings) == []


def test_cancel_deletes_the_file_and_the_results(organizer_client, fair, settings):
    upload(organizer_client, fair)
    organizer_client.post(reverse("organizer_attendees:import_mapping"), mapping_post())
    run_phase(organizer_client, "check")

    organizer_client.post(reverse("organizer_attendees:import_cancel"))

    assert stored_files(settings) == []
    assert not AttendeeImportChunk.objects.exists()
    assert SESSION_KEY not in organizer_client.session


def test_a_second_upload_replaces_the_first_file(organizer_client, fair, settings):
    upload(organizer_client, fair)
    upload(organizer_client, fair)

    assert len(stored_files(settings)) == 1


def test_steps_without_an_upload_go_back_to_the_start(organizer_client):
    for name in ("import_mapping", "import_check"):
        response = organizer_client.get(reverse(f"organizer_attendees:{name}"))
        assert response["Location"] == reverse("organizer_attendees:import_upload")


@pytest.fixture
def five_rows(organizer_client, fair, settings):
    """A file of five valid rows in chunks of two, mapped and dry-run."""
    settings.FAIRLEAD_IMPORT_CHUNK_ROWS = 2
    lines = ["Ticketnummer;Vorname;Nachname;E-Mail-Adresse"]
    lines += [f"T-{n};Vor{n};Nach{n};p{n}@example.org" for n in range(5)]
    upload(organizer_client, fair, "\r\n".join(lines).encode("cp1252"))
    organizer_client.post(
        reverse("organizer_attendees:import_mapping"),
        {"col_0": "external_id", "col_1": "first_name", "col_2": "last_name", "col_3": "email"},
    )
    run_phase(organizer_client, "check")
    return organizer_client


def post_chunk(client, phase: str, chunk: int):
    return client.post(
        reverse("organizer_attendees:import_run"),
        {"phase": phase, "chunk": chunk},
        HTTP_ACCEPT="application/json",
    ).json()


def test_each_chunk_answers_the_progress(five_rows):
    answers = [post_chunk(five_rows, "import", number) for number in range(3)]

    assert [(a["done"], a["rows"], a["next"], a["finished"]) for a in answers] == [
        (2, 5, 1, False),
        (4, 5, 2, False),
        (5, 5, 3, True),
    ]
    assert answers[0]["label"] == "2 von 5 Zeilen"  # German is the first language
    assert Attendee.objects.count() == 5


def test_a_retried_chunk_is_imported_once(five_rows):
    post_chunk(five_rows, "import", 0)
    retried = post_chunk(five_rows, "import", 0)

    assert (retried["next"], retried["done"]) == (1, 2)
    assert Attendee.objects.count() == 2
    assert Badge.objects.count() == 2


def test_a_reload_mid_way_goes_on_where_the_import_stopped(five_rows):
    post_chunk(five_rows, "import", 0)

    page = five_rows.get(reverse("organizer_attendees:import_done"))
    columns = five_rows.get(reverse("organizer_attendees:import_mapping"))

    assert page.templates[0].name == "badges/organizer/import_progress.html"
    assert page.context["progress"].done == 1
    assert 'name="chunk" value="1"' in page.content.decode()
    assert columns["Location"] == reverse("organizer_attendees:import_done")  # mapping fixed
    stale = post_chunk(five_rows, "import", 2)  # a page that missed chunk 1
    assert (stale["next"], Attendee.objects.count()) == (1, 2)


def test_without_script_the_button_posts_one_chunk_and_comes_back(five_rows):
    response = five_rows.post(
        reverse("organizer_attendees:import_run"), {"phase": "import", "chunk": 0}
    )

    assert response["Location"] == reverse("organizer_attendees:import_done")
    assert Attendee.objects.count() == 2


def test_the_import_waits_for_the_whole_dry_run(organizer_client, fair, settings):
    settings.FAIRLEAD_IMPORT_CHUNK_ROWS = 1
    upload(organizer_client, fair)
    organizer_client.post(reverse("organizer_attendees:import_mapping"), mapping_post())
    post_chunk(organizer_client, "check", 0)

    response = organizer_client.post(
        reverse("organizer_attendees:import_run"), {"phase": "import", "chunk": 0}
    )

    assert response["Location"] == reverse("organizer_attendees:import_check")
    assert not Attendee.objects.exists()


def test_a_new_mapping_starts_a_new_dry_run(five_rows):
    five_rows.post(
        reverse("organizer_attendees:import_mapping"),
        {"col_0": "", "col_1": "first_name", "col_2": "last_name", "col_3": "email"},
    )

    page = five_rows.get(reverse("organizer_attendees:import_check"))

    assert page.templates[0].name == "badges/organizer/import_progress.html"
    assert page.context["progress"].done == 0
