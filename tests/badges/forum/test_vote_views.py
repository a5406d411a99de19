"""The vote page, the phone's voter cookie, rate limits, the live JSON and the projector."""

import json

import pytest
import zxingcpp
from PIL import Image

from badges.codes import short_code_display
from badges.forum.models import Vote
from badges.forum.voter_cookie import COOKIE
from badges.services.issue import badge_revoke
from fair.forum.moderation import vote_item_close
from tests import factories
from tests.forum_factories import badge_link_token, make_session, open_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(fair):
    session = make_session(fair=fair, items=2)
    open_item(session)
    return session


@pytest.fixture
def badge(fair):
    return factories.make_badge(fair=fair)


def _urls(session):
    base = f"/forum/{session.fair.slug}/sessions/{session.pk}"
    return {
        "vote": f"{base}/vote/",
        "code": f"{base}/vote/code/",
        "live": f"{base}/live.json",
        "projector": f"{base}/projector/",
        "qr": f"{base}/vote-qr.png",
    }


def _link_phone(client, session, badge):
    response = client.post(_urls(session)["code"], {"code": short_code_display(badge.short_code)})
    assert response.status_code == 302
    return response


def test_typing_the_badge_code_links_the_phone_without_the_badge_secret(client, session, badge):
    token = badge_link_token(badge.attendee)
    response = _link_phone(client, session, badge)
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/forum/"
    for secret in (badge.secret, badge.short_code, token, badge.attendee.email):
        assert secret not in cookie.value
    page = client.get(_urls(session)["vote"]).content.decode()
    assert 'name="value" value="5"' in page
    assert badge.attendee.last_name not in page  # the vote page never shows who votes


def test_vote_through_the_page_changes_until_closed(client, session, badge):
    _link_phone(client, session, badge)
    item = session.vote_items.get(position=1)
    client.post(_urls(session)["vote"], {"item": item.pk, "value": "4"})
    client.post(_urls(session)["vote"], {"item": item.pk, "value": "2"})
    assert list(Vote.objects.values_list("value", flat=True)) == [2]
    vote_item_close(item=item)
    response = client.post(_urls(session)["vote"], {"item": item.pk, "value": "5"}, follow=True)
    assert "is closed; your vote was not counted" in response.content.decode()
    assert list(Vote.objects.values_list("value", flat=True)) == [2]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # autocommit, as a request runs it
def test_a_vote_through_the_page_is_two_statements_on_postgresql(
    client, session, badge, django_assert_num_queries
):
    _link_phone(client, session, badge)
    item = session.vote_items.get(position=1)
    # The session and voter look-up with both rate-limit charges, then the vote.
    with django_assert_num_queries(2):
        response = client.post(_urls(session)["vote"], {"item": item.pk, "value": "4"})
    assert response.status_code == 302
    assert list(Vote.objects.values_list("value", flat=True)) == [4]


def test_a_phone_without_badge_is_asked_for_it_and_cannot_vote(client, session):
    page = client.get(_urls(session)["vote"]).content.decode()
    assert 'name="code"' in page and 'name="value"' not in page
    item = session.vote_items.get(position=1)
    client.post(_urls(session)["vote"], {"item": item.pk, "value": "4"})
    assert not Vote.objects.exists()


def test_a_forged_or_other_fairs_cookie_does_not_vote(client, session, badge):
    other = factories.make_fair()
    other_session = open_item(make_session(fair=other)).session
    _link_phone(client, session, badge)
    item = other_session.vote_items.get(position=1)
    client.post(_urls(other_session)["vote"], {"item": item.pk, "value": "4"})
    client.cookies[COOKIE] = f"{session.fair.pk}:{badge.attendee.pk}:forged"
    client.post(_urls(session)["vote"], {"item": session.vote_items.first().pk, "value": "4"})
    assert not Vote.objects.exists()


def test_a_revoked_badge_votes_no_more(client, session, badge):
    _link_phone(client, session, badge)
    badge_revoke(badge=badge)
    client.post(_urls(session)["vote"], {"item": session.vote_items.first().pk, "value": "4"})
    assert not Vote.objects.exists()


def test_wrong_codes_are_limited_per_address(client, session, badge, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"forum_code_ip": (2, 600)}
    for _ in range(2):
        assert client.post(_urls(session)["code"], {"code": "0000-0000-000"}).status_code == 302
    response = client.post(_urls(session)["code"], {"code": short_code_display(badge.short_code)})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert COOKIE not in response.cookies


def test_votes_are_limited_per_badge_and_per_address(client, session, badge, fair, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"vote_attendee": (3, 600), "vote_ip": (5, 600)}
    _link_phone(client, session, badge)
    item = session.vote_items.first()
    statuses = [
        client.post(_urls(session)["vote"], {"item": item.pk, "value": str(v)}).status_code
        for v in (1, 2, 3, 4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert Vote.objects.get().value == 3
    # A second badge from the same address: the address has one vote left of its five.
    second = factories.make_badge(fair=fair)
    client.cookies.clear()
    _link_phone(client, session, second)
    codes = [
        client.post(_urls(session)["vote"], {"item": item.pk, "value": "5"}).status_code
        for _ in range(2)
    ]
    assert codes == [302, 429]


def test_live_json_holds_results_only_and_answers_304_when_unchanged(client, session, badge):
    item = session.vote_items.get(position=1)
    from badges.forum.voting import vote_cast

    vote_cast(attendee=badge.attendee, item_id=item.pk, value=4)
    response = client.get(_urls(session)["live"])
    data = json.loads(response.content)
    assert data["items"][0] == {
        "id": item.pk,
        "state": "open",
        "counts": [0, 0, 0, 1, 0],
        "total": 1,
        "mean": 4.0,
    }
    assert data["items"][1]["state"] == "pending"
    assert str(badge.attendee.pk) not in response.content.decode().replace(str(item.pk), "")
    again = client.get(_urls(session)["live"], HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["ETag"] == response["ETag"]


def test_projector_qr_opens_the_public_vote_page(client, session, settings):
    settings.FAIRLEAD_BASE_URL = "https://fair.example"
    page = client.get(_urls(session)["projector"]).content.decode()
    assert _urls(session)["qr"] in page and "<script" in page
    png = client.get(_urls(session)["qr"])
    (decoded,) = zxingcpp.read_barcodes(Image.open(__import__("io").BytesIO(png.content)))
    assert decoded.text == "https://fair.example" + _urls(session)["vote"]


def test_session_of_another_fair_is_not_found_under_this_fair(client, session):
    other = factories.make_fair()
    assert client.get(f"/forum/{other.slug}/sessions/{session.pk}/vote/").status_code == 404
    assert client.get(f"/forum/{other.slug}/sessions/{session.pk}/live.json").status_code == 404


def test_polls_within_the_cache_window_cost_no_query(
    client, session, monkeypatch, django_assert_num_queries
):
    from badges.forum import views

    monkeypatch.setattr(views, "LIVE_CACHE_SECONDS", 60)
    first = client.get(_urls(session)["live"])
    with django_assert_num_queries(0):
        again = client.get(_urls(session)["live"])
    assert again.content == first.content


def test_forgetting_unlinks_the_phone(client, session, badge):
    _link_phone(client, session, badge)
    response = client.post(f"/forum/{session.fair.slug}/vote/forget/")
    assert response.status_code == 302 and response.cookies[COOKIE].value == ""
    page = client.get(_urls(session)["vote"]).content.decode()
    assert 'name="code"' in page and 'name="value"' not in page


def test_vote_now_lists_sessions_with_open_voting(client, session):
    page = client.get(f"/forum/{session.fair.slug}/vote/").content.decode()
    assert "Voting open now" in page and _urls(session)["vote"] in page


def test_the_vote_page_looks_up_session_and_voter_in_one_query(
    session, badge, django_assert_num_queries
):
    from django.utils import timezone

    from badges.forum.selectors import session_with_voter

    fair = session.fair
    revoked = factories.make_badge(fair=fair)
    badge_revoke(badge=revoked)
    erased = factories.make_badge(fair=fair)
    erased.attendee.erased_at = timezone.now()
    erased.attendee.save(update_fields=["erased_at"])
    stranger = factories.make_badge(fair=factories.make_fair())
    cases = {
        badge.attendee_id: badge.attendee_id,
        revoked.attendee_id: None,
        erased.attendee_id: None,
        stranger.attendee_id: None,  # an attendee of another fair
        None: None,
    }
    for attendee_id, expected in cases.items():
        with django_assert_num_queries(1):
            found = session_with_voter(
                fair_slug=fair.slug, session_id=session.pk, attendee_id=attendee_id
            )
        assert found is not None
        found_session, voter = found
        assert (found_session.pk, found_session.fair.slug) == (session.pk, fair.slug)
        assert (voter.pk if voter else None) == expected
    other_slug = factories.make_fair().slug
    assert session_with_voter(fair_slug=other_slug, session_id=session.pk, attendee_id=None) is None
