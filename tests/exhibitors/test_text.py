"""Text and format on the exhibitors' and organizers' pages: one date style per language,
plurals, places named once, examples that pass their own checks, a favicon, headers the
browser knows."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from stdnum.de import stnr
from stdnum.eu import vat

from exhibitors.forms import RegistrationForm
from tests import factories

DE = {"HTTP_ACCEPT_LANGUAGE": "de"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def fair_2019(db):
    return factories.make_fair(
        starts_on=datetime.date(2019, 2, 13), ends_on=datetime.date(2019, 2, 15)
    )


@pytest.fixture
def portal_2019(client, fair_2019):
    area = factories.make_area(fair=fair_2019)
    exhibitor = factories.make_approved_exhibitor(area=area)
    exhibitor.staff_quota = 1
    exhibitor.save(update_fields=["staff_quota"])
    client.force_login(factories.make_exhibitor_user(exhibitor=exhibitor))
    return client


def test_dates_follow_one_style_per_language(portal_2019):
    german = portal_2019.get(reverse("portal:overview"), **DE).content.decode()
    assert "13.02.2019 – 15.02.2019" in german
    english = portal_2019.get(reverse("portal:overview"), **EN).content.decode()
    assert "13 Feb 2019 – 15 Feb 2019" in english


@pytest.mark.parametrize("name", ["home", "login", "portal:overview", "portal:staff"])
def test_no_doubled_period_after_a_time(portal_2019, name):
    for language in (DE, EN):
        page = portal_2019.get(reverse(name), **language).content.decode()
        assert "a.m.." not in page and "p.m.." not in page
        assert not re.search(r"\d[ap]\.m\.", page)  # a 24-hour clock everywhere


def test_the_venue_names_its_city_once(portal_2019, fair_2019):
    page = portal_2019.get(reverse("portal:overview"), **EN).content.decode()
    assert "Westfalenhallen Dortmund" in page
    assert "Westfalenhallen Dortmund, Dortmund" not in page
    fair_2019.venue, fair_2019.city = "Messe Essen", "Essen-Rüttenscheid"
    assert fair_2019.place == "Messe Essen, Essen-Rüttenscheid"


def test_staff_badge_count_is_a_real_plural(portal_2019):
    english = portal_2019.get(reverse("portal:staff"), **EN).content.decode()
    assert "0 of 1 staff badge in use" in english
    german = portal_2019.get(reverse("portal:staff"), **DE).content.decode()
    assert "0 von 1 Ausstellerausweis vergeben" in german


def test_registration_help_examples_pass_their_own_checks(area):
    form = RegistrationForm(area=area)
    vat_examples = re.findall(r"\b[A-Z]{2}\d{9}\b", str(form.fields["vat_id"].help_text))
    assert vat_examples
    for example in vat_examples:
        assert vat.is_valid(example), example
    tax_examples = re.findall(r"\d{3}/\d{3}/\d{5}", str(form.fields["tax_number"].help_text))
    assert tax_examples
    for example in tax_examples:
        assert stnr.is_valid(example), example


def test_every_page_names_a_favicon_and_the_admin_finds_one(client, db):
    page = client.get("/", **EN).content.decode()
    assert 'rel="icon"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    path = response["Location"].removeprefix(settings.STATIC_URL)
    assert finders.find(path) and path.endswith(".ico")


def test_permissions_policy_names_only_features_browsers_know(client, db):
    """Chromium warns in the console about unknown features (e.g. bluetooth)."""
    header = client.get("/")["Permissions-Policy"]
    features = {part.split("=")[0].strip() for part in header.split(",")}
    assert "bluetooth" not in features
    assert "camera" in features
    assert set(settings.FAIRLEAD_PERMISSIONS_POLICY) == features


def test_the_back_office_names_itself_and_its_columns(organizer_client, exhibitor):
    page = organizer_client.get(
        reverse("admin:exhibitors_exhibitor_changelist"), **DE
    ).content.decode()
    assert "Django" not in page.split("<body")[1].split('id="content"')[0]
    assert "Fairlead" in page
    assert ">Bereich<" in page  # the area column, translated


def _dangling_describedby(html: str) -> set[str]:
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    named = {
        name for value in re.findall(r'aria-describedby="([^"]*)"', html) for name in value.split()
    }
    return named - ids


def test_aria_describedby_names_only_ids_on_the_page(exhibitor_client, exhibitor, area, client):
    pages = {
        "registration": client.get(reverse("exhibitors:register", kwargs={"area_id": area.pk})),
        "registration with errors": client.post(
            reverse("exhibitors:register", kwargs={"area_id": area.pk}), {"company_name": ""}
        ),
        "login with errors": client.post(reverse("login"), {"username": "x", "password": ""}),
        "profile": exhibitor_client.get(reverse("portal:profile")),
        "profile with errors": exhibitor_client.post(reverse("portal:profile"), {"city": ""}),
        "staff with errors": exhibitor_client.post(reverse("portal:staff"), {"email": "x"}),
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert "aria-describedby" in html, name
        assert _dangling_describedby(html) == set(), name
