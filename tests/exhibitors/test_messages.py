"""Messages from the organizers to exhibitors (exhibitors.services.messages and the control
room page): the selection, the language per exhibitor, the limits, the log, mail after commit."""

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from exhibitors.exceptions import MessageRefused
from exhibitors.message_selectors import MessageSelection, exhibitors_for_message
from exhibitors.models import Exhibitor, ExhibitorMessage
from exhibitors.services.messages import MessageTexts, exhibitor_message_send
from tests import factories

TEXTS = MessageTexts(
    subject_de="Aufbau ab Montag",
    body_de="Liebe Aussteller,\nder Aufbau beginnt am 11.02.",
    subject_en="Build-up from Monday",
    body_en="Dear exhibitors,\nbuild-up starts on 11 Feb.",
)


@pytest.fixture
def companies(area):
    other_area = factories.make_area(fair=area.fair, name="Halle 4")
    with_staff = factories.make_approved_exhibitor(area=area, company_name="Mit Personal AG")
    factories.make_staff_member(exhibitor=with_staff)
    return {
        "with_staff": with_staff,
        "no_staff_de": factories.make_approved_exhibitor(area=area, company_name="Ohne GmbH"),
        "no_staff_en": factories.make_approved_exhibitor(
            area=area, company_name="Without Ltd", language="en"
        ),
        "submitted": factories.make_exhibitor(area=area, company_name="Wartet KG"),
        "elsewhere": factories.make_approved_exhibitor(area=other_area, company_name="Anders"),
    }


def companies_of(selection: MessageSelection) -> list[str]:
    return [e.company_name for e in exhibitors_for_message(selection=selection)]


def test_selection_approved_without_staff_in_one_area(area, companies):
    selection = MessageSelection(
        fair=area.fair, area=area, state=Exhibitor.State.APPROVED, without_staff=True
    )
    assert companies_of(selection) == ["Ohne GmbH", "Without Ltd"]


def test_selection_of_the_whole_fair_leaves_out_erased_addresses(area, companies):
    Exhibitor.objects.filter(pk=companies["elsewhere"].pk).update(
        contact_email="erased-9@erased.invalid"
    )
    assert companies_of(MessageSelection(fair=area.fair)) == [
        "Mit Personal AG",
        "Ohne GmbH",
        "Wartet KG",
        "Without Ltd",
    ]


def test_each_exhibitor_gets_the_text_in_their_language_after_commit(
    area, companies, organizer, django_capture_on_commit_callbacks
):
    selection = MessageSelection(fair=area.fair, area=area, without_staff=True)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = exhibitor_message_send(
            selection=selection, texts=TEXTS, actor=organizer, expected_count=3
        )
        assert mail.outbox == []
    for callback in callbacks:
        callback()

    by_address = {m.to[0]: m for m in mail.outbox}
    english = by_address[companies["no_staff_en"].contact_email]
    german = by_address[companies["no_staff_de"].contact_email]
    assert english.subject == "Build-up from Monday" and "build-up starts" in english.body
    assert german.subject == "Aufbau ab Montag" and "der Aufbau beginnt" in german.body
    assert companies["no_staff_en"].contact_name in english.body
    assert len(mail.outbox) == 3
    assert (message.recipient_count, message.actor_label) == (3, organizer.username)
    assert message.filters == {"area": area.name, "state": "", "without_staff": True}


def test_english_text_is_required_when_a_recipient_reads_english(area, companies, organizer):
    selection = MessageSelection(fair=area.fair, area=area, without_staff=True)
    german_only = MessageTexts(subject_de="Aufbau", body_de="Ab Montag.")

    with pytest.raises(MessageRefused):
        exhibitor_message_send(
            selection=selection, texts=german_only, actor=organizer, expected_count=3
        )
    assert not ExhibitorMessage.objects.exists()


def test_german_only_is_fine_for_german_readers(area, companies, organizer):
    selection = MessageSelection(fair=area.fair, state=Exhibitor.State.SUBMITTED)
    german_only = MessageTexts(subject_de="Unterlagen", body_de="Bitte nachreichen.")

    message = exhibitor_message_send(
        selection=selection, texts=german_only, actor=organizer, expected_count=1
    )
    assert message.recipient_count == 1


def test_send_is_refused_when_the_selection_changed_since_the_preview(area, companies, organizer):
    selection = MessageSelection(fair=area.fair, area=area, without_staff=True)

    with pytest.raises(MessageRefused):
        exhibitor_message_send(selection=selection, texts=TEXTS, actor=organizer, expected_count=2)
    assert not ExhibitorMessage.objects.exists()


@pytest.mark.parametrize(
    "texts",
    [
        MessageTexts(subject_de="x" * 151, body_de="b", subject_en="s", body_en="b"),
        MessageTexts(subject_de="s", body_de="b" * 5001, subject_en="s", body_en="b"),
        MessageTexts(subject_de="  ", body_de="b", subject_en="s", body_en="b"),
        MessageTexts(subject_de="s", body_de="b", subject_en="s", body_en=""),
    ],
    ids=["subject-too-long", "body-too-long", "blank-subject", "english-half"],
)
def test_texts_are_validated(area, companies, organizer, texts):
    with pytest.raises(MessageRefused):
        exhibitor_message_send(
            selection=MessageSelection(fair=area.fair),
            texts=texts,
            actor=organizer,
            expected_count=5,
        )


def test_database_refuses_a_log_row_without_german_text(fair):
    with pytest.raises(IntegrityError):
        ExhibitorMessage.objects.create(
            fair=fair,
            sent_at=timezone.now(),
            actor_label="x",
            subject_de="",
            body_de="",
            recipient_count=1,
        )


def form_data(area, /, **changes) -> dict[str, str]:
    data = {
        "fair": str(area.fair_id),
        "area": str(area.pk),
        "state": "approved",
        "without_staff": "on",
        "subject_de": TEXTS.subject_de,
        "body_de": TEXTS.body_de,
        "subject_en": TEXTS.subject_en,
        "body_en": TEXTS.body_en,
    }
    data.update(changes)
    return data


def test_page_previews_the_count_then_sends(organizer_client, area, companies):
    url = reverse("organizer_exhibitor_messages:index")

    preview = organizer_client.post(url, form_data(area, preview="1"))

    assert preview.context["preview"]["count"] == 2
    assert preview.context["preview"]["languages"] == {"de": 1, "en": 1}
    assert not ExhibitorMessage.objects.exists()
    previewed = preview.context["form"].data["previewed"]
    sent = organizer_client.post(
        url, form_data(area, send="1", expected_count="2", previewed=previewed)
    )
    assert sent.status_code == 302
    assert ExhibitorMessage.objects.get().recipient_count == 2
    page = organizer_client.get(url)
    assert list(page.context["page"].object_list) == [ExhibitorMessage.objects.get()]


def test_page_refuses_an_area_of_another_fair(organizer_client, area, companies):
    foreign = factories.make_area(fair=factories.make_fair())
    response = organizer_client.post(
        reverse("organizer_exhibitor_messages:index"),
        form_data(area, area=str(foreign.pk), send="1", expected_count="2"),
    )
    assert response.context["form"].errors["area"]
    assert not ExhibitorMessage.objects.exists()


def test_send_after_changing_the_selection_shows_a_new_preview(organizer_client, area, companies):
    url = reverse("organizer_exhibitor_messages:index")
    preview = organizer_client.post(url, form_data(area, preview="1"))
    previewed = preview.context["form"].data["previewed"]

    response = organizer_client.post(
        url,
        form_data(area, send="1", expected_count="2", previewed=previewed, state="submitted"),
    )

    assert response.status_code == 200
    assert response.context["preview"]["names"] == ["Wartet KG"]
    assert not ExhibitorMessage.objects.exists()


def test_sent_list_query_count_does_not_grow_with_messages(
    organizer_client, area, companies, organizer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("organizer_exhibitor_messages:index")
    selection = MessageSelection(fair=area.fair, state=Exhibitor.State.SUBMITTED)
    texts = MessageTexts(subject_de="Unterlagen", body_de="Bitte nachreichen.")
    exhibitor_message_send(selection=selection, texts=texts, actor=organizer, expected_count=1)
    with CaptureQueriesContext(connection) as few:
        organizer_client.get(url)
    for _ in range(4):
        exhibitor_message_send(selection=selection, texts=texts, actor=organizer, expected_count=1)
    with CaptureQueriesContext(connection) as many:
        organizer_client.get(url)

    assert len(many.captured_queries) == len(few.captured_queries)
