"""exhibitor_register: one transaction, duplicates refused by the service and by the database."""

import datetime
import threading
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction

from exhibitors import legal
from exhibitors.images import logo_prepare
from exhibitors.models import CoExhibitor, Exhibitor, ExhibitorAuditEntry
from exhibitors.services import registration
from exhibitors.services.registration import (
    CoExhibitorData,
    ExhibitorDuplicate,
    RegistrationClosed,
    RegistrationData,
    exhibitor_register,
)
from tests import factories
from tests.exhibitors.reg_fixtures import image_bytes, media_files, upload


def data(**overrides) -> RegistrationData:
    values = {
        "company_name": "Quartierswerk Nord",
        "street": "Rheinlanddamm 200",
        "postal_code": "44139",
        "city": "Dortmund",
        "country": "DE",
        "vat_id": "DE136695976",
        "contact_name": "Kim Kontakt",
        "contact_email": "kim@quartierswerk.example",
        "requested_sqm": 12,
        "terms_version": "2019-01",
        "privacy_version": legal.PRIVACY_VERSION,
    }
    values.update(overrides)
    return RegistrationData(**values)


def a_logo() -> ContentFile:
    return logo_prepare(upload("logo.png", image_bytes("PNG")))


@pytest.mark.django_db
def test_register_stores_lowercased_email_and_everything_in_one_go(area):
    exhibitor = exhibitor_register(
        area=area,
        data=data(contact_email="Kim@Quartierswerk.EXAMPLE"),
        topics=area.topics.all()[:3],
        co_exhibitors=[CoExhibitorData(name="Parkfuchs UG")],
        logo=a_logo(),
    )
    exhibitor.refresh_from_db()
    assert exhibitor.contact_email == "kim@quartierswerk.example"
    assert exhibitor.state == Exhibitor.State.UNCONFIRMED
    assert exhibitor.topics.count() == 3
    assert exhibitor.co_exhibitors.get().name == "Parkfuchs UG"
    assert exhibitor.audit_entries.get().action == "registered"
    assert [str(path) for path in media_files()] == [exhibitor.logo.path]


@pytest.mark.django_db
def test_register_after_deadline_raises_and_stores_nothing(area):
    late = area.registration_deadline + datetime.timedelta(seconds=1)
    with pytest.raises(RegistrationClosed):
        exhibitor_register(area=area, data=data(), logo=a_logo(), now=late)
    assert Exhibitor.objects.count() == 0
    assert media_files() == []


@pytest.mark.django_db
def test_register_rejects_topic_of_another_area(area):
    foreign = factories.make_area(fair=area.fair).topics.first()
    with pytest.raises(ValueError):
        exhibitor_register(area=area, data=data(), topics=[foreign])
    assert Exhibitor.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_email_in_other_case_is_found_by_the_service(area):
    existing = factories.make_exhibitor(area=area, contact_email="kim@quartierswerk.example")
    with pytest.raises(ExhibitorDuplicate) as caught:
        exhibitor_register(
            area=area,
            data=data(
                vat_id="", tax_number="181/815/08155", contact_email="KIM@quartierswerk.example"
            ),
        )
    assert caught.value.field == "contact_email"
    assert caught.value.existing == existing


@pytest.mark.django_db
def test_database_refuses_second_row_with_same_vat_id_in_fair(area):
    factories.make_exhibitor(area=area, vat_id="DE136695976")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_exhibitor(area=area, vat_id="DE136695976")


@pytest.mark.django_db
def test_database_refuses_second_row_with_same_contact_email_in_fair(area):
    factories.make_exhibitor(area=area, contact_email="kim@quartierswerk.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_exhibitor(area=area, contact_email="kim@quartierswerk.example")


@pytest.mark.django_db
def test_database_allows_many_rows_without_vat_id(area):
    factories.make_exhibitor(area=area, vat_id="", tax_number="181/815/08155")
    factories.make_exhibitor(area=area, vat_id="", tax_number="181/815/08156")
    assert Exhibitor.objects.filter(vat_id="").count() == 2


@pytest.mark.django_db
def test_database_refuses_eu_company_outside_germany_without_vat_id(area):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_exhibitor(area=area, country="FR", vat_id="")


@pytest.mark.django_db
def test_database_refuses_german_company_without_vat_id_and_tax_number(area):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_exhibitor(area=area, country="DE", vat_id="", tax_number="")


@pytest.mark.django_db
def test_race_lost_at_the_database_becomes_the_same_duplicate_error(area):
    """The check passed (the other registration was not committed yet), the insert fails."""
    existing = factories.make_exhibitor(area=area, vat_id="DE136695976")
    before = Exhibitor.objects.filter(pk=existing.pk).values().get()
    real = registration._duplicate_of
    calls = []

    def check_misses_the_first_time(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real(**kwargs)

    patched = mock.patch.object(
        registration, "_duplicate_of", side_effect=check_misses_the_first_time
    )
    with patched, pytest.raises(ExhibitorDuplicate) as caught:
        exhibitor_register(
            area=area,
            data=data(contact_email="other@quartierswerk.example"),
            co_exhibitors=[CoExhibitorData(name="Parkfuchs UG")],
            logo=a_logo(),
        )
    assert len(calls) == 2
    assert caught.value.field == "vat_id"
    assert Exhibitor.objects.count() == 1
    assert Exhibitor.objects.filter(pk=existing.pk).values().get() == before
    assert CoExhibitor.objects.count() == 0
    assert ExhibitorAuditEntry.objects.count() == 0
    assert media_files() == []  # the logo written before the insert was removed again


@pytest.mark.django_db
def test_other_integrity_errors_are_not_disguised_as_duplicates(area):
    with pytest.raises(IntegrityError):
        # The form never lets this through; the database check constraint still refuses it.
        exhibitor_register(area=area, data=data(country="FR", vat_id=""), logo=a_logo())
    assert Exhibitor.objects.count() == 0
    assert media_files() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_registrations_with_same_vat_id_store_one(area):
    """Two requests pass the duplicate check together; PostgreSQL lets exactly one insert."""
    barrier = threading.Barrier(2, timeout=10)
    real = registration._duplicate_of
    lock, checks = threading.Lock(), []

    def check_then_wait(**kwargs):
        found = real(**kwargs)
        with lock:
            checks.append(kwargs)
            first_round = len(checks) <= 2
        if first_round:  # both requests have checked before either inserts
            barrier.wait()
        return found

    outcomes: list[object] = []

    def attempt(email: str) -> None:
        try:
            exhibitor_register(area=area, data=data(contact_email=email))
            outcomes.append("stored")
        except ExhibitorDuplicate as duplicate:
            outcomes.append(duplicate.field)
        finally:
            connection.close()

    with mock.patch.object(registration, "_duplicate_of", side_effect=check_then_wait):
        threads = [
            threading.Thread(target=attempt, args=(f"{name}@quartierswerk.example",))
            for name in ("first", "second")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(outcomes) == ["stored", "vat_id"]
    assert Exhibitor.objects.filter(vat_id="DE136695976").count() == 1
