"""Visitor registration pages, the visitor's own badge, exhibitors' staff badge PDF."""

import base64
import contextlib
import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from badges.models import Attendee
from badges.services.issue import staff_badge_issue
from badges.services.visitor_registration import confirmation_token_issue
from tests import factories
from tests.badges.conftest import qr_texts_per_page

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def form_data(**overrides) -> dict:
    data = {
        "first_name": "Jürgen",
        "last_name": "Müller-Lüdenscheidt",
        "email": "jm@example.org",
        "company": "Stadtwerke",
        "job_title": "Leiter",
        "country": "DE",
        "postal_code": "44135",
        "phone": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def post_and_commit(client, django_capture_on_commit_callbacks):
    def run(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **EN)

    return run


def test_register_redirects_to_the_only_current_fair(client, fair):
    factories.make_fair(ends_on=timezone.localdate() - datetime.timedelta(days=1),
                        starts_on=timezone.localdate() - datetime.timedelta(days=3))  # fmt: skip

    response = client.get(reverse("badges:register"))

    assert response.status_code == 302
    assert response.url == reverse("badges:register_fair", kwargs={"fair_slug": fair.slug})


def test_register_lists_fairs_when_several_are_current(client, fair):
    other = factories.make_fair()

    response = client.get(reverse("badges:register"), **EN)

    assert response.status_code == 200
    assert fair.name in response.content.decode()
    assert other.name in response.content.decode()


def test_register_says_so_when_no_fair_is_open(client, db):
    response = client.get(reverse("badges:register"), **EN)
    assert "No fair is open" in response.content.decode()


def test_form_for_a_past_fair_is_not_found(client, db):
    past = factories.make_fair(
        starts_on=datetime.date(2019, 2, 13), ends_on=datetime.date(2019, 2, 15)
    )
    response = client.get(reverse("badges:register_fair", kwargs={"fair_slug": past.slug}))
    assert response.status_code == 404


def test_registration_form_shows_topics_and_an_unticked_consent(client, area):
    url = reverse("badges:register_fair", kwargs={"fair_slug": area.fair.slug})

    html = client.get(url, **EN).content.decode()

    assert "Smart parking" in html
    consent = re.search(r'<input[^>]*name="lead_sharing"[^>]*>', html).group(0)
    assert "checked" not in consent


def test_registration_form_is_german_by_default(client, area):
    url = reverse("badges:register_fair", kwargs={"fair_slug": area.fair.slug})
    html = client.get(url).content.decode()
    assert "Smartes Parken" in html


def test_full_visitor_flow_register_confirm_badge_pdf_and_png(client, area, post_and_commit):
    fair = area.fair
    topic = area.topics.first()
    url = reverse("badges:register_fair", kwargs={"fair_slug": fair.slug})

    response = post_and_commit(url, form_data(topics=[topic.pk], lead_sharing="on"))

    assert response.status_code == 302
    attendee = Attendee.objects.get(email="jm@example.org")
    assert list(attendee.topics.all()) == [topic]
    assert attendee.language == "en"
    confirm_url = re.search(r"http://\S+(/register/confirm/\S+/)", mail.outbox[0].body).group(1)

    page = client.get(confirm_url, **EN)
    assert page.status_code == 200
    assert Attendee.objects.get(pk=attendee.pk).confirmed_at is None  # GET confirms nothing

    response = post_and_commit(confirm_url, {})
    assert response.status_code == 302
    badge_url = response.url
    assert badge_url in mail.outbox[-1].body

    page = client.get(badge_url, **EN)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    assert page["Referrer-Policy"] == "same-origin"
    badge = attendee.badges.get()
    assert badge.__str__() in page.content.decode()

    pdf = client.get(badge_url + "badge.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert qr_texts_per_page(pdf.content) == [[badge.qr_content]]

    png = client.get(badge_url + "qr.png")
    assert png["Content-Type"] == "image/png"
    import io

    import zxingcpp
    from PIL import Image

    assert zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))[0].text == badge.qr_content


def test_invalid_form_shows_errors_and_registers_nobody(client, fair):
    url = reverse("badges:register_fair", kwargs={"fair_slug": fair.slug})

    response = client.post(url, form_data(email="not-an-email", country=""), **EN)

    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert not Attendee.objects.exists()


def test_second_registration_shows_the_same_page_and_resends_the_badge(
    client, fair, post_and_commit
):
    url = reverse("badges:register_fair", kwargs={"fair_slug": fair.slug})
    post_and_commit(url, form_data())
    attendee = Attendee.objects.get()
    token = confirmation_token_issue(attendee=attendee)
    post_and_commit(reverse("badges:confirm", kwargs={"token": token}), {})
    Attendee.objects.update(mail_sent_at=timezone.now() - datetime.timedelta(minutes=2))

    response = post_and_commit(url, form_data(email="JM@example.org"))

    assert response.url == reverse("badges:register_sent", kwargs={"fair_slug": fair.slug})
    assert Attendee.objects.count() == 1
    assert "/badge/" in mail.outbox[-1].body


def test_tampered_confirmation_link_is_refused(client, fair):
    response = client.get(reverse("badges:confirm", kwargs={"token": "abc:def"}), **EN)
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_expired_confirmation_link_says_expired(client, fair, settings):
    attendee = factories.make_attendee(fair=fair, confirmed_at=None)
    token = confirmation_token_issue(attendee=attendee)
    settings.FAIRLEAD_CONFIRMATION_MAX_AGE = -1

    response = client.post(reverse("badges:confirm", kwargs={"token": token}), **EN)

    assert response.status_code == 410
    assert not attendee.badges.exists()


def test_wrong_badge_link_is_not_found(client, fair):
    factories.make_badge(fair=fair)
    for name in ("badge", "badge_pdf", "badge_png"):
        response = client.get(reverse(f"badges:{name}", kwargs={"token": "guessed-token"}))
        assert response.status_code == 404


def test_badge_link_of_a_revoked_badge_shows_no_qr(
    client, fair, django_capture_on_commit_callbacks
):
    from badges.services.issue import badge_revoke
    from badges.services.visitor_registration import visitor_confirm

    attendee = factories.make_attendee(fair=fair, confirmed_at=None)
    token = visitor_confirm(attendee=attendee)
    badge_revoke(badge=attendee.badges.get())

    page = client.get(reverse("badges:badge", kwargs={"token": token}), **EN)
    pdf = client.get(reverse("badges:badge_pdf", kwargs={"token": token}))

    assert "revoked" in page.content.decode()
    assert pdf.status_code == 404


def test_exhibitor_downloads_only_its_own_staff_badges(
    exhibitor_client, exhibitor, other_exhibitor
):
    own = staff_badge_issue(staff_member=factories.make_staff_member(exhibitor=exhibitor))
    staff_badge_issue(staff_member=factories.make_staff_member(exhibitor=other_exhibitor))

    response = exhibitor_client.get(reverse("badges:staff_badges_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert qr_texts_per_page(response.content) == [[own.qr_content]]


def test_staff_badges_in_another_layout(exhibitor_client, exhibitor):
    own = staff_badge_issue(staff_member=factories.make_staff_member(exhibitor=exhibitor))
    response = exhibitor_client.get(reverse("badges:staff_badges_pdf") + "?layout=id1")
    assert qr_texts_per_page(response.content) == [[own.qr_content]]
    assert (
        exhibitor_client.get(reverse("badges:staff_badges_pdf") + "?layout=a0").status_code == 404
    )


def test_staff_badges_without_staff_explains(exhibitor_client, exhibitor):
    response = exhibitor_client.get(reverse("badges:staff_badges_pdf"), **EN)
    assert response.status_code == 404
    assert "no active staff badges" in response.content.decode()


def test_staff_badges_need_login_and_an_exhibitor_account(client, organizer):
    url = reverse("badges:staff_badges_pdf")
    assert client.get(url).status_code == 302
    client.force_login(organizer)
    assert client.get(url).status_code == 403


def confirmed_visitor(client, fair, post_and_commit, **overrides) -> tuple[Attendee, str]:
    """Register and confirm through the pages; returns the attendee and the confirm URL."""
    url = reverse("badges:register_fair", kwargs={"fair_slug": fair.slug})
    post_and_commit(url, form_data(**overrides))
    confirm_url = re.search(r"http://\S+(/register/confirm/\S+/)", mail.outbox[-1].body).group(1)
    post_and_commit(confirm_url, {})
    return Attendee.objects.get(email=overrides.get("email", "jm@example.org")), confirm_url


def test_confirmation_link_holds_no_email_address(client, fair, post_and_commit):
    url = reverse("badges:register_fair", kwargs={"fair_slug": fair.slug})
    post_and_commit(url, form_data())
    link = re.search(r"http://\S+/register/confirm/\S+/", mail.outbox[-1].body).group(0)
    texts = [link]
    for part in re.split(r"[/:.]", link):
        with contextlib.suppress(ValueError):
            texts.append(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("latin-1"))
    assert not any("jm@" in text or "example.org" in text for text in texts)


def test_confirmation_link_works_once_and_a_replay_changes_nothing(client, fair, post_and_commit):
    attendee, confirm_url = confirmed_visitor(client, fair, post_and_commit)
    link_hash, mails = attendee.access_token_hash, len(mail.outbox)

    replay_get = client.get(confirm_url, **EN)
    replay_post = post_and_commit(confirm_url, {})

    for response in (replay_get, replay_post):
        assert response.status_code == 200
        assert "already confirmed" in response.content.decode()
        assert reverse("badges:badge_link_request") in response.content.decode()
    attendee.refresh_from_db()
    assert attendee.access_token_hash == link_hash
    assert len(mail.outbox) == mails


def test_invalid_badge_link_is_a_friendly_404_also_with_debug(client, fair, settings):
    settings.DEBUG = True
    for name in ("badge", "badge_pdf", "badge_png", "erasure"):
        response = client.get(reverse(f"badges:{name}", kwargs={"token": "guessed"}), **EN)
        html = response.content.decode()
        assert response.status_code == 404
        assert "This badge link is not valid" in html
        assert "Page not found" not in html and "technical" not in html
        assert response["Referrer-Policy"] == "same-origin"
    for name in ("consent", "data_download"):
        response = client.post(reverse(f"badges:{name}", kwargs={"token": "guessed"}), **EN)
        assert response.status_code == 404


def test_registration_errors_are_summed_up_with_links_to_the_fields(client, fair):
    url = reverse("badges:register_fair", kwargs={"fair_slug": fair.slug})

    html = client.post(url, form_data(email="not-an-email", country=""), **EN).content.decode()

    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_email"' in summary and 'href="#id_country"' in summary


def test_every_aria_describedby_points_at_an_existing_id(client, fair):
    pages = [
        client.get(reverse("badges:register_fair", kwargs={"fair_slug": fair.slug}), **EN),
        client.post(
            reverse("badges:register_fair", kwargs={"fair_slug": fair.slug}),
            form_data(email="x"),
            **EN,
        ),
        client.get(reverse("badges:badge_link_request"), **EN),
    ]
    for page in pages:
        html = page.content.decode()
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        described = re.findall(r'aria-describedby="([^"]+)"', html)
        assert described
        for value in described:
            assert set(value.split()) <= ids, value


def test_form_links_the_fairs_privacy_notice(client, fair):
    url = reverse("badges:register_fair", kwargs={"fair_slug": fair.slug})
    fair.privacy_notice_url = "https://organizer.example/datenschutz"
    fair.save()
    assert 'href="https://organizer.example/datenschutz"' in client.get(url).content.decode()

    fair.privacy_notice_url = ""
    fair.privacy_notice = "Wir verarbeiten Ihre Daten nach Art. 6 DSGVO."
    fair.save()
    notice = reverse("badges:privacy_notice", kwargs={"fair_slug": fair.slug})
    assert f'href="{notice}"' in client.get(url).content.decode()
    assert "Art. 6 DSGVO" in client.get(notice).content.decode()


def test_consent_text_names_the_self_service_withdrawal(client, fair):
    url = reverse("badges:register_fair", kwargs={"fair_slug": fair.slug})
    assert "badge page" in client.get(url, **EN).content.decode()
    assert "Badge-Seite" in client.get(url).content.decode()


def test_plain_text_mails_do_not_html_escape_names(client, fair, post_and_commit):
    url = reverse("badges:register_fair", kwargs={"fair_slug": fair.slug})
    post_and_commit(url, form_data(first_name="Aoife <Ní> O'Brien & Co"))

    body = mail.outbox[-1].body
    assert "Aoife <Ní> O'Brien & Co" in body
    assert "&#x27;" not in body and "&amp;" not in body and "&lt;" not in body


# ----------------------------------------------------------------- find my badge link again


def test_badge_link_request_mails_a_new_badge_link(client, fair, post_and_commit):
    confirmed_visitor(client, fair, post_and_commit)
    Attendee.objects.update(mail_sent_at=timezone.now() - datetime.timedelta(minutes=5))
    mails = len(mail.outbox)

    response = post_and_commit(
        reverse("badges:badge_link_request"), {"email": "JM@example.org", "fair": fair.pk}
    )

    assert response.status_code == 200
    assert len(mail.outbox) == mails + 1
    link = re.search(r"http://\S+(/badge/\S+/)", mail.outbox[-1].body).group(1)
    assert client.get(link, **EN).status_code == 200


def test_badge_link_request_answers_the_same_for_an_unknown_address(client, fair, post_and_commit):
    confirmed_visitor(client, fair, post_and_commit)
    Attendee.objects.update(mail_sent_at=timezone.now() - datetime.timedelta(minutes=5))
    url = reverse("badges:badge_link_request")
    client.cookies.clear()  # another browser: no message left over from the confirmation

    known = post_and_commit(url, {"email": "jm@example.org", "fair": fair.pk})
    mails = len(mail.outbox)
    unknown = post_and_commit(url, {"email": "nobody@example.org", "fair": fair.pk})

    def text(response):
        html = response.content.decode().replace("nobody@example.org", "jm@example.org")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert known.status_code == unknown.status_code == 200
    assert text(known) == text(unknown)
    assert len(mail.outbox) == mails


def test_badge_link_request_is_limited_per_mailbox(client, fair, post_and_commit, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"badge_link_email": (2, 3600)}
    confirmed_visitor(client, fair, post_and_commit)
    url = reverse("badges:badge_link_request")
    sent = []
    for _ in range(4):
        Attendee.objects.update(mail_sent_at=timezone.now() - datetime.timedelta(minutes=5))
        before = len(mail.outbox)
        response = post_and_commit(url, {"email": "jm@example.org", "fair": fair.pk})
        assert response.status_code == 200
        sent.append(len(mail.outbox) - before)
    assert sent == [1, 1, 0, 0]


def test_badge_link_request_is_limited_per_caller(client, fair, post_and_commit, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"badge_link_ip": (2, 600)}
    url = reverse("badges:badge_link_request")
    statuses = [
        post_and_commit(url, {"email": f"p{n}@example.org", "fair": fair.pk}).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_badge_link_request_asks_for_the_fair_when_several_are_open(client, fair):
    other = factories.make_fair()
    html = client.get(reverse("badges:badge_link_request"), **EN).content.decode()
    assert f'<option value="{other.pk}"' in html and f'<option value="{fair.pk}"' in html


def test_home_page_leads_visitors_to_their_badge_link_again(client, db):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{reverse("badges:badge_link_request")}"' in page
    assert "Find my badge link again" in page


def test_a_name_the_badge_cannot_print_is_shown_before_registering(client, fair, post_and_commit):
    url = reverse("badges:register_fair", kwargs={"fair_slug": fair.slug})

    response = client.post(url, form_data(first_name="Lena 🚀"), **EN)

    page = response.content.decode()
    assert response.status_code == 200
    assert "How your badge will print" in page
    assert "the badge shows “Lena”" in page
    assert not Attendee.objects.exists()

    response = post_and_commit(url, form_data(first_name="Lena 🚀", print_as_shown="on"))

    assert response.status_code == 302
    assert Attendee.objects.get().first_name == "Lena 🚀"


def test_a_decomposed_name_is_stored_composed(client, fair, post_and_commit):
    url = reverse("badges:register_fair", kwargs={"fair_slug": fair.slug})

    post_and_commit(url, form_data(first_name="Ju\u0308rgen", company="Nguye\u0302\u0303n GmbH"))

    attendee = Attendee.objects.get()
    assert (attendee.first_name, attendee.company) == ("Jürgen", "Nguyễn GmbH")
