"""Public exhibitor registration: the form page, what a valid registration stores, refusals."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from exhibitors.models import CoExhibitor, Exhibitor, ExhibitorAuditEntry
from tests import factories
from tests.exhibitors.reg_fixtures import (
    VALID_AT_VAT,
    VALID_DE_TAX_NUMBER,
    image_bytes,
    media_files,
    register_url,
    registration_post,
    upload,
)

pytestmark = pytest.mark.django_db


def post(client, area, data, language="en"):
    return client.post(register_url(area), data, HTTP_ACCEPT_LANGUAGE=language)


# --- The page ---------------------------------------------------------------------------------


def test_form_page_shows_all_sections_in_german_by_default(client, area):
    response = client.get(register_url(area))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    for name in [
        "company_name",
        "legal_form",
        "vat_id",
        "tax_number",
        "contact_email",
        "invoice_street",
        "requested_sqm",
        "preferred_stand_type",
        "wants_corner",
        "topics",
        "catalog_text",
        "logo",
        "co-0-name",
        "terms_accepted",
        "privacy_accepted",
    ]:
        assert f'name="{name}"' in html, name
    assert 'enctype="multipart/form-data"' in html
    assert '<input type="hidden" name="terms_version" value="2019-01">' in html
    assert '<input type="hidden" name="privacy_version" value="2019-01">' in html


def test_topics_are_listed_in_the_ui_language(client, area):
    german = client.get(register_url(area), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    english = client.get(register_url(area), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Smartes Parken" in german and "Smart parking" not in german
    assert "Smart parking" in english and "Smartes Parken" not in english


def test_consent_boxes_are_never_pre_ticked(client, area):
    html = client.get(register_url(area)).content.decode()
    for name in ("terms_accepted", "privacy_accepted"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert "checked" not in tag


def test_contact_language_defaults_to_the_ui_language(client, area):
    html = client.get(register_url(area), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<option value="en" selected>', html)
    html = client.get(register_url(area), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert re.search(r'<option value="de" selected>', html)


def test_unknown_area_is_404(client, db):
    assert client.get("/exhibitors/register/999999/").status_code == 404


def test_home_links_to_the_registration_form(client, area):
    html = client.get("/").content.decode()
    assert register_url(area) in html


# --- A valid registration -----------------------------------------------------------------------


def test_valid_registration_is_stored_unconfirmed_with_everything(
    client, area, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, area, registration_post(area))
    assert response.status_code == 302
    assert response["Location"] == "/exhibitors/register/done/"

    exhibitor = Exhibitor.objects.get()
    assert exhibitor.state == Exhibitor.State.UNCONFIRMED
    assert exhibitor.confirmed_at is None
    assert exhibitor.fair == area.fair and exhibitor.area == area
    assert exhibitor.vat_id == "DE136695976"
    assert exhibitor.contact_email == "kim.kontakt@quartierswerk.example"
    assert exhibitor.requested_sqm == 24
    assert exhibitor.preferred_stand_type == "corner"
    assert exhibitor.wants_corner is True
    assert exhibitor.catalog_text == "Sensors and software for smart parking.\nMade in Dortmund."
    assert exhibitor.terms_version == "2019-01" and exhibitor.privacy_version == "2019-01"
    assert exhibitor.terms_accepted_at is not None and exhibitor.privacy_accepted_at is not None
    assert exhibitor.topics.count() == 2
    assert list(CoExhibitor.objects.values_list("name", "website")) == [
        ("Parkfuchs UG", "https://parkfuchs.example")
    ]
    entry = ExhibitorAuditEntry.objects.get(exhibitor=exhibitor)
    assert (entry.action, entry.from_state, entry.to_state) == ("registered", "", "unconfirmed")
    assert entry.actor_label == "kim.kontakt@quartierswerk.example"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kim.kontakt@quartierswerk.example"]


def test_done_page_names_the_address_the_link_went_to(client, area):
    post(client, area, registration_post(area))
    response = client.get("/exhibitors/register/done/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "kim.kontakt@quartierswerk.example" in response.content.decode()


def test_done_page_without_a_registration_in_the_session_still_explains(client, db):
    response = client.get("/exhibitors/register/done/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "We have sent an email to the contact person." in response.content.decode()


def test_add_button_disappears_at_the_co_exhibitor_limit(client, area):
    data = registration_post(area, **{"co-TOTAL_FORMS": "49"}, add_co_exhibitor="1")
    html = post(client, area, data).content.decode()
    assert 'name="co-49-name"' in html
    assert 'name="add_co_exhibitor"' not in html


def test_more_than_50_co_exhibitors_are_refused(client, area):
    rows = {f"co-{i}-name": f"Partner {i}" for i in range(51)}
    data = registration_post(area, **{"co-TOTAL_FORMS": "51"}, **rows)
    response = post(client, area, data)
    assert response.status_code == 400
    assert response.context["formset"].non_form_errors()
    assert_nothing_stored()


def test_german_company_may_give_tax_number_instead_of_vat_id(client, area):
    data = registration_post(area, vat_id="", tax_number=VALID_DE_TAX_NUMBER)
    assert post(client, area, data).status_code == 302
    exhibitor = Exhibitor.objects.get()
    assert (exhibitor.vat_id, exhibitor.tax_number) == ("", VALID_DE_TAX_NUMBER)


def test_austrian_company_with_valid_vat_id_is_accepted(client, area):
    data = registration_post(area, country="AT", postal_code="1010", vat_id="atu 1358 5627")
    assert post(client, area, data).status_code == 302
    assert Exhibitor.objects.get().vat_id == VALID_AT_VAT


def test_non_eu_company_needs_no_vat_id(client, area):
    data = registration_post(area, country="CH", postal_code="8001", vat_id="")
    assert post(client, area, data).status_code == 302
    assert Exhibitor.objects.get().vat_id == ""


def test_separate_invoice_address_is_stored(client, area):
    data = registration_post(
        area,
        invoice_company="Quartierswerk Holding AG",
        invoice_street="Königswall 1",
        invoice_postal_code="44137",
        invoice_city="Dortmund",
        invoice_country="DE",
        invoice_email="Rechnung@Quartierswerk.example",
    )
    assert post(client, area, data).status_code == 302
    exhibitor = Exhibitor.objects.get()
    assert exhibitor.invoice_company == "Quartierswerk Holding AG"
    assert exhibitor.invoice_email == "rechnung@quartierswerk.example"


def test_catalog_text_of_exactly_600_characters_with_line_breaks_is_accepted(client, area):
    # 600 characters as the visitor counts them; the browser sends each line break as CRLF.
    text = "\r\n".join(["ä" * 99] * 6) + "ö"
    assert len(text.replace("\r\n", "\n")) == 600
    assert post(client, area, registration_post(area, catalog_text=text)).status_code == 302
    assert len(Exhibitor.objects.get().catalog_text) == 600


# --- Refusals: nothing is stored ---------------------------------------------------------------


def assert_nothing_stored():
    assert Exhibitor.objects.count() == 0
    assert CoExhibitor.objects.count() == 0
    assert ExhibitorAuditEntry.objects.count() == 0
    assert mail.outbox == []
    assert media_files() == []


def errors_of(response, field):
    form = response.context["form"]
    return [str(message) for message in form.errors.get(field, [])]


def test_catalog_text_over_600_characters_is_refused(client, area):
    response = post(client, area, registration_post(area, catalog_text="x" * 601))
    assert response.status_code == 400
    assert errors_of(response, "catalog_text") == [
        "Ensure this value has at most 600 characters (it has 601)."
    ]
    assert_nothing_stored()


@pytest.mark.parametrize("field", ["terms_accepted", "privacy_accepted"])
def test_registration_without_consent_is_refused(client, area, field):
    response = post(client, area, registration_post(area, **{field: None}))
    assert response.status_code == 400
    assert errors_of(response, field)
    assert_nothing_stored()


def test_outdated_terms_version_must_be_accepted_again(client, area):
    response = post(client, area, registration_post(area, terms_version="2018-07"))
    assert response.status_code == 400
    assert "has changed" in errors_of(response, "terms_accepted")[0]
    assert_nothing_stored()


def test_terms_version_is_the_fairs_own(client, area):
    area.fair.terms_version = "2027-03"
    area.fair.save(update_fields=["terms_version"])
    page = client.get(register_url(area))
    assert '<input type="hidden" name="terms_version" value="2027-03">' in page.content.decode()
    # The version of the fair's terms is what the registration records.
    response = post(client, area, registration_post(area))
    assert response.status_code == 302
    assert Exhibitor.objects.get().terms_version == "2027-03"
    # A form opened with another fair's (or an older) version must be accepted again.
    response = post(
        client, area, registration_post(area, terms_version="2019-01", contact_email="b@x.example")
    )
    assert response.status_code == 400


def test_missing_vat_id_for_eu_company_outside_germany_is_refused(client, area):
    data = registration_post(area, country="FR", postal_code="75001", vat_id="")
    response = post(client, area, data)
    assert errors_of(response, "vat_id") == [
        "Companies in the EU outside Germany must give their VAT ID."
    ]
    assert_nothing_stored()


def test_german_company_without_vat_id_and_tax_number_is_refused(client, area):
    response = post(client, area, registration_post(area, vat_id="", tax_number=""))
    assert "tax number" in errors_of(response, "vat_id")[0]
    assert_nothing_stored()


def test_vat_id_with_wrong_checksum_is_refused(client, area):
    response = post(client, area, registration_post(area, vat_id="DE136695975"))
    assert "check digit" in errors_of(response, "vat_id")[0]
    assert_nothing_stored()


def test_vat_id_of_another_country_is_refused(client, area):
    response = post(client, area, registration_post(area, vat_id=VALID_AT_VAT))
    assert "start with DE" in errors_of(response, "vat_id")[0]
    assert_nothing_stored()


def test_incomplete_invoice_address_is_refused(client, area):
    response = post(client, area, registration_post(area, invoice_street="Königswall 1"))
    assert response.status_code == 400
    for field in ("invoice_company", "invoice_postal_code", "invoice_city", "invoice_country"):
        assert errors_of(response, field) == ["Needed for a separate invoice address."], field
    assert errors_of(response, "invoice_street") == []
    assert_nothing_stored()


@pytest.mark.parametrize("size", ["0", "-5", "1001", "12.5", "abc"])
def test_unreasonable_stand_size_is_refused(client, area, size):
    response = post(client, area, registration_post(area, requested_sqm=size))
    assert errors_of(response, "requested_sqm")
    assert_nothing_stored()


def test_unknown_stand_type_is_refused(client, area):
    response = post(client, area, registration_post(area, preferred_stand_type="tent"))
    assert errors_of(response, "preferred_stand_type")
    assert_nothing_stored()


def test_topic_of_another_area_is_refused(client, area):
    other = factories.make_area(fair=area.fair)
    foreign = other.topics.first().pk
    response = post(client, area, registration_post(area, topics=[foreign]))
    assert errors_of(response, "topics")
    assert_nothing_stored()


def test_german_postal_code_must_have_five_digits(client, area):
    response = post(client, area, registration_post(area, postal_code="4413"))
    assert errors_of(response, "postal_code")
    assert_nothing_stored()


def test_invalid_phone_number_is_refused(client, area):
    response = post(client, area, registration_post(area, phone="call me maybe"))
    assert errors_of(response, "phone")
    assert_nothing_stored()


def test_co_exhibitor_row_with_website_but_no_name_is_refused(client, area):
    data = registration_post(area, **{"co-1-website": "https://nameless.example"})
    response = post(client, area, data)
    assert response.status_code == 400
    assert response.context["formset"].forms[1].errors["name"]
    assert_nothing_stored()


def test_co_exhibitor_listed_twice_is_refused(client, area):
    response = post(client, area, registration_post(area, **{"co-1-name": "PARKFUCHS UG"}))
    assert response.context["formset"].forms[1].errors["name"] == [
        "This co-exhibitor is listed twice."
    ]
    assert_nothing_stored()


def test_invalid_part_with_valid_logo_leaves_no_file_behind(client, area):
    data = registration_post(area, vat_id="DE136695975")
    data["logo"] = upload("logo.png", image_bytes("PNG"))
    response = post(client, area, data)
    assert response.status_code == 400
    assert_nothing_stored()
    assert "choose your logo file once more" in response.content.decode()


def test_error_summary_lists_each_error_with_a_link_to_its_field(client, area):
    data = registration_post(area, company_name="", vat_id="DE136695975")
    html = post(client, area, data).content.decode()
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_company_name"' in summary
    assert 'href="#id_vat_id"' in summary


def test_several_co_exhibitors_are_stored(client, area):
    data = registration_post(
        area,
        **{
            "co-TOTAL_FORMS": "4",
            "co-1-name": "Sensorik Süd GmbH",
            "co-2-name": "",
            "co-3-name": "Lichtblick e.V.",
            "co-3-website": "https://lichtblick.example",
        },
    )
    assert post(client, area, data).status_code == 302
    assert sorted(CoExhibitor.objects.values_list("name", flat=True)) == [
        "Lichtblick e.V.",
        "Parkfuchs UG",
        "Sensorik Süd GmbH",
    ]


def test_add_co_exhibitor_button_returns_form_with_one_more_row_and_stores_nothing(client, area):
    data = registration_post(area, company_name="", add_co_exhibitor="1")
    response = post(client, area, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="co-2-name"' in html
    assert 'value="Parkfuchs UG"' in html
    assert 'value="Rheinlanddamm 200"' in html
    assert "error-summary" not in html  # no complaints about fields not yet filled in
    assert_nothing_stored()


# --- Duplicates -------------------------------------------------------------------------------


def make_existing(area, **overrides):
    values = {"vat_id": "DE136695976", "contact_email": "first@quartierswerk.example"}
    values.update(overrides)
    return factories.make_exhibitor(area=area, state=Exhibitor.State.UNCONFIRMED, **values)


def snapshot(exhibitor):
    exhibitor.refresh_from_db()
    return {
        field.attname: getattr(exhibitor, field.attname)
        for field in Exhibitor._meta.concrete_fields
    }


def test_second_registration_with_same_vat_id_is_refused_and_existing_untouched(client, area):
    existing = make_existing(area)
    before = snapshot(existing)
    response = post(client, area, registration_post(area))
    assert response.status_code == 400
    message = errors_of(response, "vat_id")[0]
    assert "already registered for this fair" in message
    assert "confirmation mail" in message
    assert Exhibitor.objects.count() == 1
    assert snapshot(existing) == before
    assert mail.outbox == []


def test_duplicate_message_names_the_organizer_address_when_configured(client, area, settings):
    settings.FAIRLEAD_ORGANIZER_EMAIL = "aussteller@messe.example"
    make_existing(area)
    response = post(client, area, registration_post(area))
    assert "aussteller@messe.example" in errors_of(response, "vat_id")[0]


def test_second_registration_with_same_email_in_other_case_is_refused(client, area):
    existing = make_existing(
        area,
        vat_id="",
        tax_number=VALID_DE_TAX_NUMBER,
        contact_email="kim.kontakt@quartierswerk.example",
    )
    before = snapshot(existing)
    data = registration_post(
        area,
        vat_id="ATU13585627",
        country="AT",
        postal_code="1010",
        contact_email="KIM.Kontakt@QUARTIERSWERK.example",
    )
    response = post(client, area, data)
    assert "already exists for this fair" in errors_of(response, "contact_email")[0]
    assert Exhibitor.objects.count() == 1
    assert snapshot(existing) == before


def test_same_company_may_register_for_another_fair(client, area):
    other_fair_area = factories.make_area()
    make_existing(other_fair_area, contact_email="kim.kontakt@quartierswerk.example")
    assert post(client, area, registration_post(area)).status_code == 302
    assert Exhibitor.objects.filter(fair=area.fair).count() == 1


def test_duplicate_with_valid_logo_leaves_no_file_behind(client, area):
    make_existing(area)
    data = registration_post(area)
    data["logo"] = upload("logo.png", image_bytes("PNG"))
    assert post(client, area, data).status_code == 400
    assert media_files() == []


# --- Registration window ----------------------------------------------------------------------


@pytest.fixture
def closed_area(fair):
    now = timezone.now()
    return factories.make_area(
        fair=fair,
        registration_opens_at=now - datetime.timedelta(days=60),
        registration_deadline=now - datetime.timedelta(minutes=1),
    )


@pytest.fixture
def future_area(fair):
    now = timezone.now()
    return factories.make_area(
        fair=fair,
        registration_opens_at=now + datetime.timedelta(days=1),
        registration_deadline=now + datetime.timedelta(days=30),
    )


def test_form_after_deadline_says_registration_is_closed(client, closed_area):
    response = client.get(register_url(closed_area), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.templates[0].name == "exhibitors/register_closed.html"
    html = response.content.decode()
    assert "Registration is closed" in html
    assert 'name="company_name"' not in html


def test_post_after_deadline_stores_nothing(client, closed_area):
    data = registration_post(closed_area)
    data["logo"] = upload("logo.png", image_bytes("PNG"))
    response = post(client, closed_area, data)
    assert response.status_code == 403
    assert "Your entries were not saved." in response.content.decode()
    assert_nothing_stored()


def test_form_before_opening_says_not_open_yet(client, future_area):
    response = client.get(register_url(future_area), HTTP_ACCEPT_LANGUAGE="en")
    assert "Registration is not open yet" in response.content.decode()


def test_post_before_opening_stores_nothing(client, future_area):
    response = post(client, future_area, registration_post(future_area))
    assert response.status_code == 403
    assert_nothing_stored()


def test_registration_posts_are_limited_per_address_with_retry_after(client, area, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"public_form_ip": (2, 3600)}
    for n in range(2):
        client.post(register_url(area), registration_post(area, contact_email=f"r{n}@x.example"))
    response = client.post(
        register_url(area), registration_post(area, contact_email="r9@x.example")
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not Exhibitor.objects.filter(contact_email="r9@x.example").exists()
