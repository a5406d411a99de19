"""Double opt-in: the confirmation mail, its signed link, and what the link does."""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.utils import translation
from django.utils.formats import date_format

from exhibitors.models import Exhibitor, ExhibitorAuditEntry
from exhibitors.services.registration import (
    CONFIRMATION_SALT,
    ExhibitorAlreadyConfirmed,
    confirmation_token_create,
    exhibitor_confirm,
)
from tests import factories
from tests.exhibitors.reg_fixtures import register_url, registration_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(client, area, django_capture_on_commit_callbacks):
    """Register through the form; returns (exhibitor, confirmation mail)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(area), registration_post(area))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return Exhibitor.objects.get(), mail.outbox[0]


def link_path(message) -> str:
    url = re.search(r"https?://\S+/exhibitors/confirm/\S+/", message.body).group(0)
    return urlsplit(url).path


class PastSigner(signing.TimestampSigner):
    """Signs as if it were ten days ago."""

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 10 * 24 * 3600)


def expired_path(token: str) -> str:
    value = signing.TimestampSigner(salt=CONFIRMATION_SALT).unsign(token)
    return f"/exhibitors/confirm/{PastSigner(salt=CONFIRMATION_SALT).sign(value)}/"


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def state_of(exhibitor) -> str:
    exhibitor.refresh_from_db()
    return exhibitor.state


def test_confirmation_mail_holds_an_absolute_signed_link(registered, settings):
    exhibitor, message = registered
    assert f"{settings.FAIRLEAD_BASE_URL}/exhibitors/confirm/" in message.body
    token = token_of(link_path(message))
    assert (
        signing.TimestampSigner(salt=CONFIRMATION_SALT).unsign(token).startswith(f"{exhibitor.pk}.")
    )


def test_confirmation_link_holds_no_personal_data(registered):
    """Only the registration's number, a keyed check value and the signature: nothing in it
    (plain, base64 or hashed) can be traced back to the contact address without our key."""
    import base64
    import hashlib

    exhibitor, message = registered
    path = link_path(message)
    email = exhibitor.contact_email
    local = email.split("@")[0]
    digests = [hashlib.sha256(email.encode()).hexdigest(), hashlib.md5(email.encode()).hexdigest()]
    encodings = [
        base64.urlsafe_b64encode(email.encode()).decode().rstrip("="),
        base64.b64encode(email.encode()).decode().rstrip("="),
    ]
    for needle in [email, local, *encodings, *(digest[:8] for digest in digests)]:
        assert needle.lower() not in path.lower(), needle
    assert exhibitor.contact_name.split()[0].lower() not in path.lower()
    assert exhibitor.company_name.split()[0].lower() not in path.lower()


def test_opening_the_link_shows_a_button_and_changes_nothing(client, registered):
    exhibitor, message = registered
    response = client.get(link_path(message), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="post"' in html and "Confirm registration" in html
    assert state_of(exhibitor) == Exhibitor.State.UNCONFIRMED
    assert len(mail.outbox) == 1


def test_pressing_confirm_submits_the_registration(
    client, registered, django_capture_on_commit_callbacks
):
    exhibitor, message = registered
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link_path(message), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "your registration has been received" in response.content.decode()
    exhibitor.refresh_from_db()
    assert exhibitor.state == Exhibitor.State.SUBMITTED
    assert exhibitor.confirmed_at is not None
    entry = ExhibitorAuditEntry.objects.filter(exhibitor=exhibitor, action="confirmed").get()
    assert (entry.from_state, entry.to_state) == ("unconfirmed", "submitted")
    assert entry.actor_label == exhibitor.contact_email
    assert len(mail.outbox) == 2
    received = mail.outbox[1]
    assert received.to == [exhibitor.contact_email]
    # The contact registered on the German page, so German is their language.
    assert received.subject == f"Wir haben Ihre Ausstelleranmeldung für {exhibitor.fair} erhalten"


def test_second_confirmation_says_already_confirmed_and_changes_nothing(
    client, registered, django_capture_on_commit_callbacks
):
    exhibitor, message = registered
    client.post(link_path(message))
    exhibitor.refresh_from_db()
    confirmed_at, audit_count = exhibitor.confirmed_at, exhibitor.audit_entries.count()
    with django_capture_on_commit_callbacks(execute=True):
        again_get = client.get(link_path(message), HTTP_ACCEPT_LANGUAGE="en")
        again_post = client.post(link_path(message), HTTP_ACCEPT_LANGUAGE="en")
    for response in (again_get, again_post):
        assert response.status_code == 200
        assert "already been confirmed" in response.content.decode()
    exhibitor.refresh_from_db()
    assert exhibitor.confirmed_at == confirmed_at
    assert exhibitor.audit_entries.count() == audit_count
    assert len(mail.outbox) == 1  # only the first confirmation mail (on_commit not run above)


def test_service_refuses_to_confirm_twice(area):
    exhibitor = factories.make_exhibitor(area=area, state=Exhibitor.State.UNCONFIRMED)
    exhibitor_confirm(exhibitor=exhibitor)
    with pytest.raises(ExhibitorAlreadyConfirmed):
        exhibitor_confirm(exhibitor=exhibitor)
    assert exhibitor.audit_entries.filter(action="confirmed").count() == 1


def test_link_of_an_approved_exhibitor_never_moves_it_back(client, area):
    exhibitor = factories.make_approved_exhibitor(area=area)
    token = confirmation_token_create(exhibitor=exhibitor)
    response = client.post(f"/exhibitors/confirm/{token}/")
    assert "already" in response.templates[0].name
    assert state_of(exhibitor) == Exhibitor.State.APPROVED


def test_tampered_link_shows_invalid_page_and_changes_nothing(client, registered):
    exhibitor, message = registered
    token = token_of(link_path(message))
    other_pk = str(exhibitor.pk + 1)
    tampered = token.replace(f"{exhibitor.pk}.", f"{other_pk}.", 1)
    for bad in (tampered, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), "nonsense"):
        for method in (client.get, client.post):
            response = method(f"/exhibitors/confirm/{bad}/", HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 400
            assert "This confirmation link is not valid" in response.content.decode()
    assert state_of(exhibitor) == Exhibitor.State.UNCONFIRMED


def test_link_for_another_email_of_same_record_is_invalid(client, area):
    exhibitor = factories.make_exhibitor(area=area, state=Exhibitor.State.UNCONFIRMED)
    token = confirmation_token_create(exhibitor=exhibitor)
    Exhibitor.objects.filter(pk=exhibitor.pk).update(contact_email="new@contact.example")
    assert client.post(f"/exhibitors/confirm/{token}/").status_code == 400
    assert state_of(exhibitor) == Exhibitor.State.UNCONFIRMED


def test_expired_link_shows_expired_page_and_changes_nothing(
    client, registered, django_capture_on_commit_callbacks
):
    exhibitor, message = registered
    path = expired_path(token_of(link_path(message)))
    with django_capture_on_commit_callbacks(execute=True):
        get = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        post = client.post(path, HTTP_ACCEPT_LANGUAGE="en")
    for response in (get, post):
        assert response.status_code == 410
        assert "This confirmation link has expired" in response.content.decode()
    exhibitor.refresh_from_db()
    assert exhibitor.state == Exhibitor.State.UNCONFIRMED
    assert exhibitor.confirmed_at is None
    assert len(mail.outbox) == 1


def test_expired_link_can_request_a_fresh_link_to_the_stored_address(
    client, area, django_capture_on_commit_callbacks
):
    exhibitor = factories.make_exhibitor(area=area, state=Exhibitor.State.UNCONFIRMED)
    path = expired_path(confirmation_token_create(exhibitor=exhibitor))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"resend": "1"}, HTTP_ACCEPT_LANGUAGE="en")
        again = client.post(path, {"resend": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "We have sent you a new link" in response.content.decode()
    assert again.context["too_soon"] is True
    assert len(mail.outbox) == 1  # the second request within minutes sends nothing
    assert mail.outbox[0].to == [exhibitor.contact_email]
    assert state_of(exhibitor) == Exhibitor.State.UNCONFIRMED
    assert exhibitor.audit_entries.filter(action="confirmation_resent").count() == 1
    client.post(link_path(mail.outbox[0]))
    assert state_of(exhibitor) == Exhibitor.State.SUBMITTED


def test_expired_link_of_a_confirmed_registration_sends_nothing(client, area):
    exhibitor = factories.make_exhibitor(area=area, state=Exhibitor.State.SUBMITTED)
    path = expired_path(confirmation_token_create(exhibitor=exhibitor))
    response = client.post(path, {"resend": "1"})
    assert "already" in response.templates[0].name
    assert mail.outbox == []


# --- Mail language ----------------------------------------------------------------------------


def registration_mail(client, area, language, captured):
    data = registration_post(area, language=language)
    with captured(execute=True):
        client.post(register_url(area), data, HTTP_ACCEPT_LANGUAGE="de")
    return mail.outbox[-1]


def test_contact_with_language_en_gets_english_mail_from_german_ui(
    client, area, django_capture_on_commit_callbacks
):
    message = registration_mail(client, area, "en", django_capture_on_commit_callbacks)
    assert message.subject == f"Please confirm your exhibitor registration for {area.fair.name}"
    with translation.override("en"):
        english_date = date_format(area.fair.starts_on, "DATE_FORMAT")
    with translation.override("de"):
        german_date = date_format(area.fair.starts_on, "DATE_FORMAT")
    assert english_date != german_date
    assert english_date in message.body and german_date not in message.body
    assert Exhibitor.objects.get().language == "en"


def test_contact_with_language_de_gets_german_mail_from_english_ui(
    client, area, django_capture_on_commit_callbacks
):
    data = registration_post(area, language="de")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(register_url(area), data, HTTP_ACCEPT_LANGUAGE="en")
    message = mail.outbox[-1]
    with translation.override("de"):
        german_date = date_format(area.fair.starts_on, "DATE_FORMAT")
        expected_subject = translation.gettext(
            "Please confirm your exhibitor registration for %(fair)s"
        ) % {"fair": area.fair.name}
    assert german_date in message.body
    assert message.subject == expected_subject


def test_received_mail_is_in_the_contact_language(area, django_capture_on_commit_callbacks):
    exhibitor = factories.make_exhibitor(
        area=area, state=Exhibitor.State.UNCONFIRMED, language="en"
    )
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        exhibitor_confirm(exhibitor=exhibitor)
    message = mail.outbox[-1]
    assert message.subject.startswith("We have received your exhibitor registration")
    with translation.override("en"):
        assert date_format(area.fair.starts_on, "DATE_FORMAT") in message.body


def test_mail_text_is_not_html_escaped(client, area, django_capture_on_commit_callbacks):
    data = registration_post(area, company_name="Müller & Söhne <Technik>")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(register_url(area), data)
    assert "Müller & Söhne <Technik>" in mail.outbox[0].body


def test_confirmation_page_keeps_its_link_to_itself_and_is_not_cached(client, registered):
    """same-origin: the link with its token never reaches another site as a Referer, and
    Chromium still sends our Origin on the confirm POST (no-referrer would make it null)."""
    _exhibitor, message = registered
    response = client.get(link_path(message))
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
