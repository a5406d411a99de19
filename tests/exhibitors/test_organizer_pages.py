"""The organizers' registration pages: the review queue, one registration, its decisions."""

import re
from urllib.parse import parse_qsl

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from exhibitors.models import CoExhibitor, Exhibitor
from exhibitors.services.workflow import exhibitor_approve, exhibitor_waitlist
from tests import factories
from tests.exhibitors.portal_fixtures import make_started_fair

State = Exhibitor.State
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DE = {"HTTP_ACCEPT_LANGUAGE": "de"}


def text_of(response) -> str:
    """The page's visible text on one line (tags dropped, spaces squeezed)."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def history_lines(response) -> list[str]:
    """The lines of the page's history, as read."""
    page = response.content.decode()
    history = page.split('<ol class="history" reversed>', 1)[1].split("</ol>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", "", item).split())
        for item in re.findall(r"<li>(.*?)</li>", history, flags=re.S)
    ]


@pytest.fixture
def organizer(db):
    return factories.make_organizer(username="orga", first_name="Olga", last_name="Orga")


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


@pytest.fixture
def queue(area):
    """Three submitted registrations confirmed one after the other, free stands for them."""
    now = timezone.now()
    made = [
        factories.make_exhibitor(
            area=area,
            company_name=name,
            confirmed_at=now - timezone.timedelta(hours=3 - n),
        )
        for n, name in enumerate(("Ampelwerk GmbH", "Brückenbau KG", "Chaos Consulting Ltd"))
    ]
    for _ in range(3):
        factories.make_stand(area=area)
    return made


def detail_url(exhibitor: Exhibitor, query: str = "") -> str:
    return reverse("registrations:detail", kwargs={"exhibitor_id": exhibitor.pk}) + query


def decide_url(exhibitor: Exhibitor, query: str = "") -> str:
    return reverse("registrations:decide", kwargs={"exhibitor_id": exhibitor.pk}) + query


# --------------------------------------------------------------------------- access


def organizer_urls(exhibitor: Exhibitor) -> list[tuple[str, str]]:
    return [
        ("get", reverse("organizer:home")),
        ("get", reverse("organizer:dashboard")),
        ("get", reverse("registrations:queue")),
        ("get", detail_url(exhibitor)),
        ("post", decide_url(exhibitor)),
    ]


@pytest.mark.parametrize("index", range(5))
def test_an_exhibitor_account_gets_403_on_every_control_room_page(client, exhibitor, index):
    method, url = organizer_urls(exhibitor)[index]
    client.force_login(factories.make_exhibitor_user(exhibitor=exhibitor))
    response = getattr(client, method)(url, {"action": "withdraw"} if method == "post" else {})
    assert response.status_code == 403, url
    exhibitor.refresh_from_db()
    assert exhibitor.state == State.APPROVED


@pytest.mark.parametrize("index", range(5))
def test_anonymous_callers_are_sent_to_the_login(client, exhibitor, index):
    method, url = organizer_urls(exhibitor)[index]
    response = getattr(client, method)(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --------------------------------------------------------------------------- queue


def test_queue_lists_registrations_awaiting_review_first_come_first_served(
    organizer_client, queue, exhibitor
):
    exhibitor_waitlist(exhibitor=queue[2], actor=None)
    response = organizer_client.get(reverse("registrations:queue"), **EN)
    names = [row.company_name for row in response.context["page"].object_list]
    assert names == ["Ampelwerk GmbH", "Brückenbau KG", "Chaos Consulting Ltd"]
    assert exhibitor.company_name not in response.content.decode()  # approved: decided
    assert "3 registrations" in text_of(response)


def test_queue_filters_by_fair_area_state_and_search(organizer_client, queue, exhibitor):
    other_area = factories.make_area(fair=queue[0].fair, slug="forum-area", name="Forum")
    elsewhere = factories.make_exhibitor(area=other_area, company_name="Anderswo AG")
    other_fair = factories.make_exhibitor(area=factories.make_area(), company_name="Fremd AG")
    url = reverse("registrations:queue")

    def names(**query):
        response = organizer_client.get(url, query)
        assert response.status_code == 200
        return {row.company_name for row in response.context["page"].object_list}

    def search(term, **query):
        posted = organizer_client.post(url, {"q": term, **query})
        assert posted.status_code == 302
        assert posted["Location"].endswith("search=1")
        return names(**dict(parse_qsl(posted["Location"].split("?", 1)[1])))

    assert names(fair=queue[0].fair_id) == {e.company_name for e in [*queue, elsewhere]}
    assert names(area=other_area.pk) == {"Anderswo AG"}
    assert names(state="approved") == {exhibitor.company_name}
    assert search("brücken") == {"Brückenbau KG"}
    assert search(queue[2].contact_email.upper(), state="all") == {"Chaos Consulting Ltd"}
    assert "Fremd AG" in names(state="all") and other_fair.state == State.SUBMITTED
    assert names(q="Fremd") == {e.company_name for e in queue} | {"Anderswo AG", "Fremd AG"}


def test_queue_lists_what_approved_exhibitors_still_need(organizer_client, area):
    no_stand = factories.make_exhibitor(area=area, state=Exhibitor.State.APPROVED)
    crowded = factories.make_approved_exhibitor(area=area)
    for _ in range(2):
        factories.make_staff_member(exhibitor=crowded)
    Exhibitor.objects.filter(pk=crowded.pk).update(staff_quota=1)  # lowered afterwards
    factories.make_approved_exhibitor(area=area)  # nothing to do
    factories.make_exhibitor(area=area)  # submitted, no stand: review, not "no stand"

    def listed(**query):
        response = organizer_client.get(reverse("registrations:queue"), query, **EN)
        return [row.pk for row in response.context["page"].object_list]

    # the need picks approved exhibitors whatever the state filter says
    assert listed(need="stand") == listed(need="stand", state="review") == [no_stand.pk]
    assert listed(need="staff") == [crowded.pk]
    page = organizer_client.get(reverse("registrations:queue"), {"need": "staff"}, **EN)
    assert "need=staff" in page.context["query_string"]
    assert (
        organizer_client.get(reverse("registrations:queue"), {"need": "nonsense"}, **EN).status_code
        == 200
    )


def test_a_search_term_never_goes_into_a_url(organizer_client, queue):
    """Contact names and emails are personal data: the term is posted and kept in the
    session; links say search=1 (and previous / next keep walking the searched list)."""
    email = queue[1].contact_email
    posted = organizer_client.post(reverse("registrations:queue"), {"q": email})
    assert email not in posted["Location"] and "q=" not in posted["Location"]
    page = organizer_client.get(posted["Location"])
    assert [row.company_name for row in page.context["page"].object_list] == ["Brückenbau KG"]
    hrefs = re.findall(r'(?:href|action)="([^"]*)"', page.content.decode())
    assert hrefs and not any(email in href or "q=" in href for href in hrefs)
    detail = organizer_client.get(detail_url(queue[1], "?search=1"), **EN).content.decode()
    assert "1 of 1 in the list" in detail
    cleared = organizer_client.post(reverse("registrations:queue"), {"q": ""})
    assert "search" not in cleared["Location"]
    assert len(organizer_client.get(cleared["Location"]).context["page"].object_list) == 3


def test_a_bad_filter_value_is_reported_and_the_others_still_apply(organizer_client, queue):
    response = organizer_client.get(
        reverse("registrations:queue"), {"fair": "x", "state": "nonsense"}, **EN
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"fair", "state"}
    assert len(response.context["page"].object_list) == 3
    too_long = organizer_client.post(
        reverse("registrations:queue"), {"q": "x" * 101, "state": "all"}, **EN
    )
    assert too_long.status_code == 400 and "q" in too_long.context["form"].errors
    assert "x" * 101 in too_long.content.decode()  # the typed term is still in the field
    nul = organizer_client.get(reverse("registrations:queue"), {"fair": "a\x00b"})
    assert nul.status_code == 400  # fair.security's guard, before the database sees it


def test_queue_page_pins_its_queries(organizer_client, queue, django_assert_num_queries):
    """Session, user, count, rows, the fair and area choices: the same for 3 or 13 rows."""
    for n in range(10):
        factories.make_exhibitor(area=queue[0].area, company_name=f"Mehr {n} GmbH")
    with django_assert_num_queries(7):
        response = organizer_client.get(reverse("registrations:queue"))
    assert len(response.context["page"].object_list) == 13


# --------------------------------------------------------------------------- one registration


def test_detail_shows_everything_the_exhibitor_sent(organizer_client, queue):
    alpha = queue[0]
    alpha.vat_id = "DE136695976"
    alpha.catalog_text = "Wir bauen Ampeln, die mitdenken."
    alpha.contact_phone = "+49 231 12345"
    alpha.wants_corner = True
    alpha.save()
    alpha.topics.set(alpha.area.topics.all()[:2])
    CoExhibitor.objects.create(exhibitor=alpha, name="Kreuzung & Co. KG")
    response = organizer_client.get(detail_url(alpha), **EN)
    text = text_of(response)
    assert alpha.contact_email in text and "+49 231 12345" in text and alpha.contact_name in text
    assert "DE136695976" in text and "Format and check digit are valid" in text
    assert "Wir bauen Ampeln, die mitdenken." in text
    assert "Smart parking" in text and "Heat transition" in text
    assert "Kreuzung &amp; Co. KG" in response.content.decode()
    assert "12 m²" in text and "wish for a corner" in text


def test_detail_says_when_a_vat_id_fails_its_check(organizer_client, queue):
    queue[0].vat_id = "DE136695977"  # wrong check digit
    queue[0].save()
    text = text_of(organizer_client.get(detail_url(queue[0]), **EN))
    assert "its check digit is wrong" in text


def test_detail_pins_its_queries(organizer_client, queue, django_assert_num_queries):
    """Session, user, the registration with topics, co-exhibitors and history, its place in
    the queue, staff count, free stands for approval (best fit, choices, mail preview)."""
    exhibitor_waitlist(exhibitor=queue[1], actor=None, note="Erst einmal warten")
    with django_assert_num_queries(13):
        assert organizer_client.get(detail_url(queue[1])).status_code == 200


def test_unknown_registration_is_404(organizer_client, db):
    assert organizer_client.get(reverse("registrations:detail", args=[999999])).status_code == 404


def test_buttons_only_for_the_decisions_the_state_allows(organizer_client, queue, exhibitor):
    submitted = organizer_client.get(detail_url(queue[0]), **EN).content.decode()
    for action in ("approve", "waitlist", "reject", "withdraw"):
        assert f'name="action" value="{action}"' in submitted
    approved = organizer_client.get(detail_url(exhibitor), **EN).content.decode()
    assert 'value="withdraw"' in approved
    assert 'value="approve"' not in approved and 'value="reject"' not in approved
    assert f'href="/organizer/plan/{exhibitor.area_id}/?exhibitor={exhibitor.pk}"' in approved


def test_print_link_for_staff_badges_only_once_there_is_staff(organizer_client, exhibitor):
    link = f'href="/organizer/attendees/print-run/?exhibitor={exhibitor.pk}"'
    assert link not in organizer_client.get(detail_url(exhibitor), **EN).content.decode()
    factories.make_staff_member(exhibitor=exhibitor)
    page = organizer_client.get(detail_url(exhibitor), **EN).content.decode()
    assert link in page and "Print their staff badges" in page


def test_after_the_fair_started_withdrawal_is_shown_with_the_reason(organizer_client):
    area = factories.make_area(fair=make_started_fair())
    exhibitor = factories.make_approved_exhibitor(area=area)
    page = organizer_client.get(detail_url(exhibitor), **EN)
    assert 'value="withdraw"' not in page.content.decode()
    assert "the fair has started" in text_of(page)


def test_without_a_free_stand_approval_says_why(organizer_client):
    full = factories.make_area()
    waiting = factories.make_exhibitor(area=full)
    page = organizer_client.get(detail_url(waiting), **EN)
    html = page.content.decode()
    assert 'value="approve"' not in html and 'value="waitlist"' in html
    assert "No free stand is left in this area; free a stand or waitlist." in text_of(page)


def test_each_button_shows_the_mail_it_sends(
    organizer_client, queue, django_capture_on_commit_callbacks
):
    alpha = queue[0]
    page = text_of(organizer_client.get(detail_url(alpha), **EN))
    preview = re.search(r"Mail to (\S+): “([^”]+)” \(in German\)", page)
    assert preview, page
    assert preview.group(1) == alpha.contact_email
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(decide_url(alpha), {"action": "reject", "note": ""})
    # the first preview is approval's; the rejection mail is previewed as well
    assert f"Mail to {alpha.contact_email}:" in page
    sent = mail.outbox[-1]
    assert sent.to == [alpha.contact_email]
    assert f"“{sent.subject}”" in page


def test_approve_with_a_note_records_it_in_plain_words(
    organizer_client, queue, django_capture_on_commit_callbacks
):
    beta = queue[1]
    stand = factories.make_stand(area=beta.area, number="3.B12")
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            decide_url(beta, "?state=submitted"),
            {"action": "approve", "stand": stand.pk, "staff_quota": "", "note": "Willkommen!"},
            **DE,
        )
    assert response.status_code == 302
    assert response["Location"] == detail_url(beta, "?state=submitted")
    beta.refresh_from_db()
    assert (beta.state, beta.stand_id) == (State.APPROVED, stand.pk)
    assert "Willkommen!" in mail.outbox[-1].body
    page = organizer_client.get(response["Location"], **DE)
    lines = history_lines(page)
    assert re.fullmatch(
        r"Zugelassen von orga, \d\d\.\d\d\.\d{4} \d\d:\d\d — Willkommen!", lines[1]
    ), lines
    assert lines[0].startswith("Stand zugewiesen von orga, ")
    for line in lines:
        for code in ("approve", "submitted", "approved", "stand_assign", "→"):
            assert code not in line, line
    english = history_lines(organizer_client.get(response["Location"], **EN))
    assert re.fullmatch(
        r"Approved by orga, \d{1,2} \w{3} \d{4}, \d\d:\d\d — Willkommen!", english[1]
    )


def test_a_decision_that_fails_keeps_the_note(organizer_client, queue):
    alpha = queue[0]
    exhibitor_approve(exhibitor=alpha, actor=None)  # someone else was quicker
    response = organizer_client.post(
        decide_url(alpha), {"action": "waitlist", "note": "Mein Text bleibt"}, **EN
    )
    assert response.status_code == 409
    assert "Mein Text bleibt" in response.content.decode()  # the note is still in the form
    assert "Ampelwerk GmbH cannot go from “approved” to “waitlisted”." in text_of(response)


def test_bad_input_gets_a_clear_error(organizer_client, queue):
    alpha = queue[0]
    unknown = organizer_client.post(decide_url(alpha), {"action": "delete"}, **EN)
    assert unknown.status_code == 400 and "Choose one of the decisions." in text_of(unknown)
    too_long = organizer_client.post(
        decide_url(alpha), {"action": "waitlist", "note": "x" * 2001}, **EN
    )
    assert too_long.status_code == 400
    assert "x" * 2001 in too_long.content.decode()  # nothing typed is lost
    alpha.refresh_from_db()
    assert alpha.state == State.SUBMITTED


def test_previous_and_next_walk_the_queue_with_its_filters(
    organizer_client, queue, django_capture_on_commit_callbacks
):
    first, middle, last = queue
    query = f"?fair={first.fair_id}&state=submitted"
    page = organizer_client.get(detail_url(middle, query), **EN).content.decode()
    assert (
        f'rel="prev" accesskey="p" href="{detail_url(first, query).replace("&", "&amp;")}"' in page
    )
    assert (
        f'rel="next" accesskey="n" href="{detail_url(last, query).replace("&", "&amp;")}"' in page
    )
    assert "2 of 3 in the list" in page
    edge = organizer_client.get(detail_url(first, query)).content.decode()
    assert 'rel="prev"' not in edge and 'rel="next"' in edge
    # decided, it leaves the list but keeps its neighbors
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(decide_url(middle, query), {"action": "waitlist"})
    after = organizer_client.get(detail_url(middle, query), **EN).content.decode()
    assert "no longer in this list" in after
    assert detail_url(first, query).replace("&", "&amp;") in after
    assert detail_url(last, query).replace("&", "&amp;") in after


# --------------------------------------------------------------------------- the admin


def test_admin_shows_the_audit_log_in_words(organizer_client, queue):
    exhibitor_waitlist(exhibitor=queue[0], actor=None, note="Warteliste")
    change = organizer_client.get(
        reverse("admin:exhibitors_exhibitor_change", args=[queue[0].pk]), **EN
    ).content.decode()
    assert "Put on the waiting list by Fairlead (automatic)" in change
    assert ">waitlist<" not in change and ">submitted<" not in change
    log = organizer_client.get(reverse("admin:exhibitors_exhibitorauditentry_changelist"), **EN)
    assert "Put on the waiting list by" in log.content.decode()
    assert "submitted→waitlisted" not in log.content.decode()
