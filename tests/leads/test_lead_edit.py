"""Taking things back on a lead in the portal: clear the rating, remove a tag, change or delete
one's own note — with the note's history kept (leads/services/lead_edit.py)."""

import pytest
from django.urls import reverse

from badges.models import Attendee, ConsentEvent
from badges.privacy import attendees_anonymize
from exhibitors.models import ExhibitorAccount
from leads.models import Lead, LeadNote, LeadNoteRevision
from tests import factories
from tests.leads import report_fixtures

world = report_fixtures.world  # the fixture, for this module

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def user_a(world):
    return factories.make_exhibitor_user(exhibitor=world.exhibitor)


@pytest.fixture
def client_a(client, user_a):
    client.force_login(user_a)
    return client


def detail(client, lead) -> str:
    return client.get(reverse("leads:detail", kwargs={"pk": lead.pk}), **EN).content.decode()


def test_rating_can_be_cleared(client_a, world):
    lead = world.leads["shared"]
    before = Lead.objects.get(pk=lead.pk).updated_at
    response = client_a.post(reverse("leads:rating_clear", kwargs={"pk": lead.pk}))
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.rating == "" and lead.updated_at > before
    assert "Clear rating" not in detail(client_a, lead)


def test_a_tag_can_be_removed_in_any_case(client_a, world):
    lead = world.leads["shared"]
    client_a.post(reverse("leads:tag_remove", kwargs={"pk": lead.pk}), {"tag": "rückruf"})
    lead.refresh_from_db()
    assert lead.tags == ["Angebot"]


def test_another_exhibitors_lead_cannot_be_changed(client_a, world):
    theirs = world.other_lead
    assert client_a.post(reverse("leads:rating_clear", kwargs={"pk": theirs.pk})).status_code == 404
    url = reverse("leads:tag_remove", kwargs={"pk": theirs.pk})
    assert client_a.post(url, {"tag": "x"}).status_code == 404
    note = theirs.notes.get()
    for name in ("note_edit", "note_delete"):
        url = reverse(f"leads:{name}", kwargs={"pk": theirs.pk, "note_pk": note.pk})
        assert client_a.post(url, {"text": "mine now"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.rating == "hot" and note.text == LeadNote.objects.get(pk=note.pk).text


def test_a_device_note_is_edited_and_its_earlier_text_kept(client_a, world, user_a):
    lead = world.leads["shared"]
    note = lead.notes.get()
    original = note.text
    url = reverse("leads:note_edit", kwargs={"pk": lead.pk, "note_pk": note.pk})
    assert client_a.get(url, **EN).status_code == 200
    response = client_a.post(url, {"text": "Möchte ein Angebot für 60 Ladesäulen."})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Möchte ein Angebot für 60 Ladesäulen."
    revision = LeadNoteRevision.objects.get(note=note)
    assert revision.text == original and revision.action == "edited"
    assert revision.revised_by == user_a and revision.device_id == note.device_id
    page = detail(client_a, lead)
    assert "60 Ladesäulen" in page and original in page and "Earlier versions" in page


def test_a_note_deleted_keeps_its_text_in_the_history(client_a, world):
    lead = world.leads["repeat"]
    note = lead.notes.order_by("written_at").first()
    url = reverse("leads:note_delete", kwargs={"pk": lead.pk, "note_pk": note.pk})
    assert client_a.post(url).status_code == 302
    assert not LeadNote.objects.filter(pk=note.pk).exists()
    revision = LeadNoteRevision.objects.get(lead=lead)
    assert revision.note_id is None and revision.action == "deleted"
    assert revision.text == "Erster Besuch"
    page = detail(client_a, lead)
    assert "1 deleted note" in page and "Erster Besuch" in page


def test_a_colleagues_own_note_cannot_be_changed(client_a, world):
    """The 'private' lead has a note written in the portal by another user."""
    lead = world.leads["private"]
    note = lead.notes.get()
    assert note.author is not None
    for name in ("note_edit", "note_delete"):
        url = reverse(f"leads:{name}", kwargs={"pk": lead.pk, "note_pk": note.pk})
        assert client_a.post(url, {"text": "changed"}).status_code == 403
    assert LeadNote.objects.get(pk=note.pk).text == note.text
    assert not LeadNoteRevision.objects.exists()
    notes_section = detail(client_a, lead).split('id="notes-title"')[1].split("</section>")[0]
    assert "Delete" not in notes_section


def test_the_writer_of_a_portal_note_may_change_it(client, world):
    lead = world.leads["private"]
    note = lead.notes.get()
    ExhibitorAccount.objects.create(user=note.author, exhibitor=world.exhibitor)
    client.force_login(note.author)
    url = reverse("leads:note_edit", kwargs={"pk": lead.pk, "note_pk": note.pk})
    assert client.post(url, {"text": "Spricht Deutsch."}).status_code == 302
    assert LeadNote.objects.get(pk=note.pk).text == "Spricht Deutsch."


@pytest.mark.parametrize("text", ["", "   ", "x" * 4001])
def test_a_note_cannot_be_emptied_or_overlong(client_a, world, text):
    lead = world.leads["shared"]
    note = lead.notes.get()
    url = reverse("leads:note_edit", kwargs={"pk": lead.pk, "note_pk": note.pk})
    response = client_a.post(url, {"text": text}, **EN)
    assert response.status_code == 422
    assert LeadNote.objects.get(pk=note.pk).text == note.text


def test_erasure_removes_the_note_history_too(client_a, world):
    lead = world.leads["shared"]
    note = lead.notes.get()
    client_a.post(
        reverse("leads:note_edit", kwargs={"pk": lead.pk, "note_pk": note.pk}), {"text": "v2"}
    )
    client_a.post(reverse("leads:note_delete", kwargs={"pk": lead.pk, "note_pk": note.pk}))
    assert LeadNoteRevision.objects.filter(lead=lead).count() == 2
    attendees_anonymize(
        attendees=Attendee.objects.filter(pk=lead.attendee_id),
        source=ConsentEvent.Source.ERASURE,
    )
    assert not LeadNoteRevision.objects.filter(lead=lead).exists()
