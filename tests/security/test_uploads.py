"""Hostile uploads: files that lie about their type, decompression bombs, huge CSV files.
Each is refused with a message that says why, and nothing is stored."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from PIL import Image

from badges.importer import MAX_BYTES, ImportFileError
from badges.models import Attendee
from badges.organizer_import_views import SESSION_KEY
from badges.services.attendee_import import attendees_import
from exhibitors.models import Exhibitor
from tests.exhibitors.portal_fixtures import profile_data
from tests.exhibitors.reg_fixtures import (
    media_files,
    png_with_header_size,
    register_url,
    registration_post,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def png(size=(40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (11, 92, 173)).save(out, format="PNG")
    return out.getvalue()


# --- logos: registration form ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("logo.png", SVG_WITH_SCRIPT, "not a PNG or JPEG image"),
        ("logo.jpg", HTML_PAGE, "not a PNG or JPEG image"),
        ("logo.png", b"%PDF-1.7\n" + b"0" * 100, "not a PNG or JPEG image"),
        # A valid PNG header for 100 000 × 100 000 pixels in a file of a few bytes.
        ("bomb.png", png_with_header_size(100_000, 100_000), "pixels"),
    ],
)
def test_registration_refuses_a_logo_that_lies_and_stores_nothing(
    client, area, name, data, message
):
    post = registration_post(area)
    post["logo"] = upload(name, data)
    response = client.post(register_url(area), post, **EN)
    assert response.status_code == 400
    errors = [str(error) for error in response.context["form"].errors["logo"]]
    assert len(errors) == 1 and message in errors[0]
    assert Exhibitor.objects.count() == 0
    assert media_files() == []


# --- logos: portal profile ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (SVG_WITH_SCRIPT, "not a PNG or JPEG image"),
        (png_with_header_size(60_000, 60_000), "pixels"),
        (png()[:60], "damaged"),
    ],
)
def test_portal_refuses_a_hostile_logo_and_keeps_the_old_one(
    exhibitor_client, exhibitor, data, message
):
    url = reverse("portal:profile")
    exhibitor_client.post(url, profile_data(exhibitor, new_logo=upload("good.png", png())))
    exhibitor.refresh_from_db()
    kept = exhibitor.logo.name
    assert kept
    files_before = media_files()

    response = exhibitor_client.post(
        url, profile_data(exhibitor, new_logo=upload("logo.png", data)), **EN
    )

    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    exhibitor.refresh_from_db()
    assert exhibitor.logo.name == kept
    assert media_files() == files_before


# --- attendee CSV imports ----------------------------------------------------------------------


@pytest.fixture
def english():
    # The import's messages follow the active language, which is German unless a request or
    # an earlier test in the same process chose otherwise.
    with translation.override("en"):
        yield


def huge_csv() -> bytes:
    header = b"first_name;last_name;email\n"
    row = b"Jana;Muster;jana@example.org\n"
    return header + row * (MAX_BYTES // len(row) + 1)


def test_import_wizard_refuses_a_csv_over_the_limit_and_stores_nothing(organizer_client, fair):
    url = reverse("organizer_attendees:import_upload")
    big = upload("all.csv", huge_csv(), content_type="text/csv")
    response = organizer_client.post(url, {"fair": fair.pk, "file": big}, **EN)
    assert response.status_code == 200
    assert "at most 5 MB can be imported at once" in response.content.decode()
    assert SESSION_KEY not in organizer_client.session
    assert not Attendee.objects.exists()


def test_import_wizard_refuses_binary_disguised_as_csv(organizer_client, fair):
    url = reverse("organizer_attendees:import_upload")
    fake = upload("attendees.csv", png(), content_type="text/csv")
    response = organizer_client.post(url, {"fair": fair.pk, "file": fake}, **EN)
    assert "is not UTF-8 text" in response.content.decode()
    assert not Attendee.objects.exists()


def test_import_service_refuses_content_over_the_limit(fair, english):
    with pytest.raises(ImportFileError, match="at most 5 MB"):
        attendees_import(fair=fair, content=huge_csv(), dry_run=False)
    assert not Attendee.objects.exists()


def test_import_command_refuses_a_file_over_the_limit_before_reading_it(fair, tmp_path):
    path = tmp_path / "all.csv"
    path.write_bytes(huge_csv())
    with pytest.raises(CommandError, match="at most 5 MB"):
        call_command("import_attendees", str(path), "--fair", fair.slug)
    assert not Attendee.objects.exists()


def test_a_row_bomb_within_the_size_limit_is_refused_whole(fair, english):
    # Tiny rows: under 5 MB, but more rows than one import takes.
    content = b"first_name,last_name,email\n" + b"a,b,c@d.de\n" * 50_001
    assert len(content) < MAX_BYTES
    with pytest.raises(ImportFileError, match="more than 50000 rows"):
        attendees_import(fair=fair, content=content, dry_run=False)
    assert not Attendee.objects.exists()


def test_a_csv_with_nul_bytes_is_refused_whole_with_a_message(fair, english):
    # PostgreSQL cannot store NUL in text: such a file must be refused, not crash the import.
    content = b"first_name;last_name;email\nJa\x00na;Muster;jana@example.org\n"
    with pytest.raises(ImportFileError, match="NUL"):
        attendees_import(fair=fair, content=content, dry_run=False)
    assert not Attendee.objects.exists()
