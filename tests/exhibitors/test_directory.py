"""The public exhibitor directory and hall plan: who appears, what of them, caching, queries,
the exhibitor's choices in the portal and the organizers' veto."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache

from exhibitors.directory_plan import plan_rows, plan_svg
from exhibitors.directory_selectors import (
    PlanStand,
    directory_area,
    directory_entries,
    directory_version,
)
from exhibitors.models import ExhibitorAuditEntry
from exhibitors.services.directory import exhibitor_directory_hide
from exhibitors.services.portal import exhibitor_profile_update
from tests import factories
from tests.exhibitors.directory_fixtures import DirectoryArea, make_directory_area, placed_stand

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db) -> DirectoryArea:
    return make_directory_area()


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _names(entries) -> list[str]:
    return [entry.company_name for entry in entries]


# --- who appears ---------------------------------------------------------------------------


def test_only_approved_listed_and_not_hidden_exhibitors_are_in_the_directory(directory):
    entries = directory_entries(area=directory.area)
    assert _names(entries) == ["Parkwerk Beispiel GmbH", "Wärmequartier Muster AG"]


def test_list_page_shows_public_exhibitors_and_none_of_the_others(client, directory):
    page = client.get(directory.list_url()).content.decode()
    assert "Parkwerk Beispiel GmbH" in page and "Wärmequartier Muster AG" in page
    for name in ("Noch Nicht Geprüft", "Versteckt Beispiel", "Ungelistet Beispiel"):
        assert name not in page


@pytest.mark.parametrize("who", ["submitted", "hidden", "unlisted"])
def test_page_of_an_exhibitor_not_public_is_not_found(client, directory, who):
    exhibitor = getattr(directory, who)
    assert client.get(directory.page_url(exhibitor)).status_code == 404


def test_approval_puts_an_exhibitor_in_the_directory(client, directory):
    from exhibitors.services.workflow import exhibitor_approve

    assert client.get(directory.page_url(directory.submitted)).status_code == 404
    exhibitor_approve(exhibitor=directory.submitted, actor=factories.make_organizer())
    assert client.get(directory.page_url(directory.submitted)).status_code == 200


def test_exhibitor_of_another_area_is_not_found_under_this_area(client, directory):
    other = factories.make_approved_exhibitor(area=factories.make_area(fair=directory.area.fair))
    assert client.get(directory.page_url(other)).status_code == 404


def test_unknown_fair_or_area_is_not_found(client, directory):
    fair = directory.area.fair
    assert client.get(f"/fairs/{fair.slug}/no-such-area/exhibitors/").status_code == 404
    assert client.get(f"/fairs/no-such-fair/{directory.area.slug}/plan/").status_code == 404
    assert client.get("/fairs/no-such-fair/exhibitors/").status_code == 404


# --- what of them ----------------------------------------------------------------------------


def test_exhibitor_page_shows_the_public_fields(client, directory):
    parking = directory.parking
    parking.logo = "logos/parkwerk.png"
    parking.save()
    page = client.get(directory.page_url(parking), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sensors that find free parking spaces." in page
    assert "Sensoren für freie Parkplätze." not in page
    assert "https://parkwerk.example" in page and "info@parkwerk.example" in page
    assert "/media/logos/parkwerk.png" in page
    assert "Smart parking" in page and "Smart mobility" in page and "3.C01" in page
    assert "Schranken-App Fiktiv UG" in page
    # Never on a public page: the contact person, their email and phone, the address.
    for private in (parking.contact_name, parking.contact_email, "+49 231 555 0101", "44139"):
        assert private not in page


def test_german_page_shows_the_german_catalog_text(client, directory):
    page = client.get(directory.page_url(directory.parking), HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert "Sensoren für freie Parkplätze." in text and "Smartes Parken" in text
    assert "Sensors that find" not in text


def test_english_page_falls_back_to_the_german_text_marked_as_german(client, directory):
    directory.parking.catalog_text_en = ""
    directory.parking.save()
    page = client.get(directory.page_url(directory.parking), HTTP_ACCEPT_LANGUAGE="en")
    assert '<div class="directory-text" lang="de">' in page.content.decode()


def test_fields_the_exhibitor_does_not_show_stay_off_the_pages(client, directory):
    heat = directory.heat
    heat.logo = "logos/waerme.png"
    heat.save()
    for url in (directory.page_url(heat), directory.list_url()):
        page = client.get(url).content.decode()
        assert "Wärmequartier Muster AG" in page
        assert "Geheimer Katalogtext" not in page
        assert "waerme.example" not in page and "logos/waerme.png" not in page


def test_search_finds_exhibitors_by_company_or_co_exhibitor_name(directory):
    assert _names(directory_entries(area=directory.area, search="wärme")) == [
        "Wärmequartier Muster AG"
    ]
    assert _names(directory_entries(area=directory.area, search="schranken")) == [
        "Parkwerk Beispiel GmbH"
    ]
    assert directory_entries(area=directory.area, search="Versteckt") == []


def test_topic_filter_lists_only_that_topics_public_exhibitors(client, directory):
    parking_topic = directory.area.topics.get(name_en="Smart parking")
    page = client.get(
        f"{directory.list_url()}?topic={parking_topic.pk}", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Parkwerk Beispiel GmbH" in page and "Wärmequartier" not in page
    assert "1 exhibitor matches." in page


def test_bad_filters_get_a_clear_answer(client, directory):
    other_topic = factories.make_area().topics.first()
    assert client.get(f"{directory.list_url()}?topic={other_topic.pk}").status_code == 404
    bad = client.get(f"{directory.list_url()}?topic=abc", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "Please choose a topic" in bad.content.decode()
    long = client.get(f"{directory.list_url()}?q={'x' * 101}", HTTP_ACCEPT_LANGUAGE="en")
    assert long.status_code == 400 and "at most 100 characters" in long.content.decode()


# --- the plan ---------------------------------------------------------------------------------


def test_plan_links_public_stands_to_their_exhibitors_and_names_no_one_else(client, directory):
    page = client.get(directory.plan_url()).content.decode()
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert f'href="{directory.page_url(directory.parking)}"' in svg
    assert "Parkwerk Beispiel GmbH" in svg and "Wärmequartier Muster AG" in svg
    assert "Versteckt" not in page and "Ungelistet" not in page
    # Stands of hidden and unlisted exhibitors look like free stands.
    assert 'data-stand="3.E01" data-state="other"' in svg
    assert 'data-stand="3.G01" data-state="other"' in svg
    # The accessible alternative: a table of every stand with its exhibitor.
    table = page[page.index('<table class="stand-table">') :]
    assert re.search(r'<th scope="row">3\.C01</th><td><a href="[^"]+">Parkwerk', table)
    assert re.search(r'<th scope="row">3\.E01</th><td><span class="help">–', table)


def test_exhibitor_page_highlights_its_stand_on_the_plan(client, directory):
    page = client.get(directory.page_url(directory.heat)).content.decode()
    highlighted = re.findall(r'<g class="([^"]*stand--highlight[^"]*)" data-stand="([^"]+)"', page)
    assert highlighted == [("stand stand--exhibitor stand--highlight", "3.D01")]


def test_plan_svg_is_a_pure_function_of_the_stands(directory):
    area = directory.area
    stand = placed_stand(factories.make_area(), "9.A01", 2, 3)
    stands = [
        PlanStand(stand=stand, company_name="A & <B>", exhibitor_id=7),
        PlanStand(stand=placed_stand(area, "9.A02", 8), company_name="", exhibitor_id=None),
    ]
    svg = plan_svg(stands=stands, exhibitor_url=lambda pk: f"/e/{pk}/", highlight="9.A01")
    assert svg.startswith("<svg") and 'href="/e/7/"' in svg and "A &amp; &lt;B&gt;" in svg
    assert svg.count("<a ") == 1 and "stand--highlight" in svg
    rows = plan_rows(stands=stands, exhibitor_url=lambda pk: f"/e/{pk}/")
    assert [(row.number, row.url, row.size_sqm) for row in rows] == [
        ("9.A01", "/e/7/", Decimal("24.00")),
        ("9.A02", "", Decimal("24.00")),
    ]


# --- caching ---------------------------------------------------------------------------------


def test_pages_are_cacheable_and_answer_304_until_an_exhibitor_changes(client, directory):
    for url in (directory.list_url(), directory.page_url(directory.parking), directory.plan_url()):
        first = client.get(url)
        assert "max-age=60" in first["Cache-Control"] and "private" in first["Cache-Control"]
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    etag = client.get(directory.list_url())["ETag"]
    exhibitor_profile_update(
        exhibitor=directory.parking, actor=None, data={"company_name": "Parkwerk Neu GmbH"}
    )
    changed = client.get(directory.list_url(), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "Parkwerk Neu GmbH" in changed.content.decode()


def test_logging_in_changes_the_etag(client, exhibitor_user, directory):
    etag = client.get(directory.list_url())["ETag"]
    client.force_login(exhibitor_user)
    assert client.get(directory.list_url(), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_changed_topic_choice_alone_changes_the_version(directory):
    before = directory_version(area=directory_area_for(directory))
    exhibitor_profile_update(
        exhibitor=directory.heat,
        actor=None,
        data={},
        topics=list(directory.area.topics.filter(position__in=[1, 2])),
    )
    assert directory_version(area=directory_area_for(directory)) != before


def test_version_differs_per_language(directory):
    from django.utils import translation

    area = directory_area_for(directory)
    with translation.override("de"):
        german = directory_version(area=area)
    with translation.override("en"):
        assert directory_version(area=area) != german


def directory_area_for(directory):
    return directory_area(fair_slug=directory.area.fair.slug, area_slug=directory.area.slug)


def test_hiding_takes_a_cached_entry_off_at_once(client, organizer, directory):
    assert "Parkwerk" in client.get(directory.list_url()).content.decode()
    exhibitor_directory_hide(exhibitor=directory.parking, actor=organizer, hidden=True)
    assert "Parkwerk" not in client.get(directory.list_url()).content.decode()
    assert client.get(directory.page_url(directory.parking)).status_code == 404


# --- queries ---------------------------------------------------------------------------------


def _more_exhibitors(directory, count: int) -> None:
    topics = list(directory.area.topics.all()[:3])
    for n in range(count):
        exhibitor = factories.make_approved_exhibitor(
            area=directory.area, stand=placed_stand(directory.area, f"4.A{n:02d}", 6 * n, 20)
        )
        exhibitor.topics.set(topics)


@pytest.mark.parametrize("more", [0, 8])
def test_list_page_query_count_does_not_grow_with_exhibitors(
    client, directory, django_assert_num_queries, more
):
    _more_exhibitors(directory, more)
    # area with version, topics, exhibitors with stands, their topics, their co-exhibitors
    with django_assert_num_queries(5):
        assert client.get(directory.list_url()).status_code == 200
    # Cached: the area with its version only.
    with django_assert_num_queries(1):
        assert client.get(directory.list_url()).status_code == 200


@pytest.mark.parametrize("more", [0, 8])
def test_exhibitor_and_plan_pages_query_counts_do_not_grow(
    client, directory, django_assert_num_queries, more
):
    _more_exhibitors(directory, more)
    # area, the exhibitor with stand, topics, co-exhibitors, the stands with exhibitors
    with django_assert_num_queries(5):
        assert client.get(directory.page_url(directory.parking)).status_code == 200
    # area, the stands with exhibitors
    with django_assert_num_queries(2):
        assert client.get(directory.plan_url()).status_code == 200


def test_anonymous_pages_do_not_start_a_session(client, directory):
    for url in (directory.list_url(), directory.plan_url()):
        response = client.get(url)
        assert "sessionid" not in response.cookies


# --- the exhibitor's choices and the organizers' veto ----------------------------------------


def test_exhibitor_chooses_in_the_portal_what_is_public(exhibitor_client, exhibitor):
    exhibitor.website = "https://testwerk.example"
    exhibitor.save()
    response = exhibitor_client.get("/exhibitor/profile/")
    assert response.status_code == 200
    form = response.context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value not in (None, False)
    }
    data.update(
        topics=[],
        public_website="",  # unchecked
        public_email="hallo@testwerk.example",
        catalog_text_en="We build sensors.",
        directory_listed="on",
        public_logo="on",
        public_catalog_text="on",
    )
    data.pop("public_website")
    response = exhibitor_client.post("/exhibitor/profile/", data)
    assert response.status_code == 302, response.context["form"].errors
    exhibitor.refresh_from_db()
    assert not exhibitor.public_website and exhibitor.public_email == "hallo@testwerk.example"
    assert exhibitor.catalog_text_en == "We build sensors."
    page = exhibitor_client.get(
        f"/fairs/{exhibitor.fair.slug}/{exhibitor.area.slug}/exhibitors/{exhibitor.pk}/",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "hallo@testwerk.example" in page and "We build sensors." in page
    assert 'testwerk.example"' not in page.replace("hallo@testwerk.example", "")


def test_new_registrations_default_to_listed_with_logo_text_and_website(area):
    exhibitor = factories.make_exhibitor(area=area)
    assert exhibitor.directory_listed and exhibitor.public_logo
    assert exhibitor.public_catalog_text and exhibitor.public_website
    assert exhibitor.public_email == "" and not exhibitor.directory_hidden


def test_organizer_hides_and_shows_an_entry_with_an_audit_trail(organizer_client, directory):
    url = f"/organizer/directory/{directory.parking.pk}/hide/"
    response = organizer_client.post(url, {"hidden": "1", "note": "Irreführender Text"})
    assert response.status_code == 302
    directory.parking.refresh_from_db()
    assert directory.parking.directory_hidden
    entry = ExhibitorAuditEntry.objects.filter(exhibitor=directory.parking).first()
    assert entry.action == "directory_hide" and entry.note == "Irreführender Text"
    organizer_client.post(url, {"hidden": "1"})  # again: nothing changes, nothing logged
    assert ExhibitorAuditEntry.objects.filter(action="directory_hide").count() == 1
    organizer_client.post(url, {"hidden": "0"})
    directory.parking.refresh_from_db()
    assert not directory.parking.directory_hidden
    assert ExhibitorAuditEntry.objects.filter(action="directory_show").count() == 1


def test_organizer_page_lists_the_fairs_approved_exhibitors(
    organizer_client, directory, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        page = organizer_client.get(f"/organizer/directory/?fair={directory.area.fair.pk}")
    text = page.content.decode()
    assert "Versteckt Beispiel GmbH" in text and "Ungelistet Beispiel GmbH" in text
    assert "Noch Nicht Geprüft" not in text


def test_hiding_is_for_organizers_only(client, exhibitor_user, directory):
    url = f"/organizer/directory/{directory.parking.pk}/hide/"
    assert client.post(url, {"hidden": "1"}).status_code == 302  # to the login page
    client.force_login(exhibitor_user)
    assert client.post(url, {"hidden": "1"}).status_code == 403
    directory.parking.refresh_from_db()
    assert not directory.parking.directory_hidden


def test_a_too_long_reason_is_refused_and_nothing_changes(organizer_client, directory):
    url = f"/organizer/directory/{directory.parking.pk}/hide/"
    organizer_client.post(url, {"hidden": "1", "note": "x" * 501})
    directory.parking.refresh_from_db()
    assert not directory.parking.directory_hidden


def test_home_page_links_to_each_fairs_directory(client, directory):
    page = client.get("/").content.decode()
    assert f"/fairs/{directory.area.fair.slug}/exhibitors/" in page


def test_forum_program_links_to_the_fairs_directory(client, directory):
    page = client.get(f"/forum/{directory.area.fair.slug}/").content.decode()
    assert f'href="/fairs/{directory.area.fair.slug}/exhibitors/"' in page


def test_fair_index_lists_the_areas_of_a_fair_with_several(client, directory):
    fair = directory.area.fair
    second = factories.make_area(fair=fair, name="Energie")
    page = client.get(f"/fairs/{fair.slug}/exhibitors/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200 and "2 exhibitors" in text and "0 exhibitors" in text
    assert f"/fairs/{fair.slug}/{second.slug}/plan/" in text


def test_fair_index_of_one_area_goes_to_its_list(client, directory):
    response = client.get(f"/fairs/{directory.area.fair.slug}/exhibitors/")
    assert response.status_code == 302 and response["Location"] == directory.list_url()


def test_demo_directory_lists_every_approved_exhibitor_with_texts_in_both_languages(
    settings, client
):
    from django.core.management import call_command

    from exhibitors.models import Exhibitor

    settings.DEBUG = True  # the demo only loads in development
    call_command("seed_demo")
    approved = Exhibitor.objects.filter(
        fair__slug="elektrotechnik-2019", state=Exhibitor.State.APPROVED
    )
    url = "/fairs/elektrotechnik-2019/smart-city/exhibitors/"
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for exhibitor in approved:
        assert exhibitor.topics.exists() and exhibitor.catalog_text_en
        name = exhibitor.company_name.replace("&", "&amp;")
        assert name in german and name in english
    assert "Ground sensors and an app" in english and "Bodensensoren" in german


def test_searches_are_not_kept_in_the_cache(client, directory, django_assert_num_queries):
    url = f"{directory.list_url()}?q=park"
    assert "Parkwerk" in client.get(url).content.decode()
    with django_assert_num_queries(5):  # built again: area, topics, exhibitors, prefetches
        assert "Parkwerk" in client.get(url).content.decode()
