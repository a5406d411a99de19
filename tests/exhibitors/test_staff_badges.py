"""Staff badges from the portal: the staff page offers every badge as PDF (all or one), and a
staff member can be mailed the link to their own badge page."""

import hashlib
import re

import pytest
from django.core import mail
from django.urls import reverse

from badges.models import Attendee, Badge
from exhibitors.services.portal import staff_member_add
from tests import factories
from tests.e2e.portal_journey import mail_link, path_of, pdf_qr_codes, pdf_text

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def member(exhibitor):
    return staff_member_add(
        exhibitor=exhibitor,
        actor=None,
        first_name="Zoë",
        last_name="Ładowarka",
        email="zoe@testwerk.example",
    )


def test_staff_page_offers_all_badges_and_each_badge_as_pdf(exhibitor_client, member):
    page = exhibitor_client.get(reverse("portal:staff"), **EN).content.decode()
    assert reverse("badges:staff_badges_pdf") in page
    assert reverse("portal:staff_badge_pdf", kwargs={"pk": member.pk}) in page
    assert reverse("portal:staff_badge_link", kwargs={"pk": member.pk}) in page


def test_one_members_badge_pdf_scans_as_that_badge(exhibitor_client, member):
    response = exhibitor_client.get(reverse("portal:staff_badge_pdf", kwargs={"pk": member.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    badge = Badge.objects.get(attendee__staff_member=member, state="active")
    assert pdf_qr_codes(response.content) == [badge.qr_content]
    assert "Zoë" in pdf_text(response.content) and "Ładowarka" in pdf_text(response.content)


def test_another_exhibitors_member_gives_404(exhibitor_client, other_exhibitor):
    theirs = factories.make_staff_member(exhibitor=other_exhibitor)
    for name in ("staff_badge_pdf", "staff_badge_link"):
        url = reverse(f"portal:{name}", kwargs={"pk": theirs.pk})
        send = exhibitor_client.post if name.endswith("link") else exhibitor_client.get
        response = send(url)
        assert response.status_code == 404
    assert mail.outbox == []


def test_a_staff_member_gets_the_link_to_their_own_badge_page(
    exhibitor_client, member, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = exhibitor_client.post(
            reverse("portal:staff_badge_link", kwargs={"pk": member.pk}), **EN
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zoe@testwerk.example"]
    assert "Zoë" in message.body
    link = mail_link(message.body, "/badge/")
    # The link holds a random token only (stored as its hash) and opens the badge page.
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    attendee = Attendee.objects.get(staff_member=member)
    assert attendee.access_token_hash == hashlib.sha256(token.encode()).hexdigest()
    client.logout()
    page = client.get(path_of(link), **EN)
    assert page.status_code == 200


def test_sending_again_at_once_is_refused_and_a_later_link_replaces_the_first(
    exhibitor_client, member, client, django_capture_on_commit_callbacks
):
    url = reverse("portal:staff_badge_link", kwargs={"pk": member.pk})
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor_client.post(url)
        exhibitor_client.post(url)
    assert len(mail.outbox) == 1
    first = path_of(mail_link(mail.outbox[0].body, "/badge/"))
    Attendee.objects.filter(staff_member=member).update(mail_sent_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor_client.post(url)
    second = path_of(mail_link(mail.outbox[1].body, "/badge/"))
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
