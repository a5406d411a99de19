"""Qualifying questions: services and the portal page (add, edit, remove, reorder)."""

import pytest
from django.urls import reverse

from leads.exceptions import LeadDataInvalid
from leads.models import Question
from leads.selectors import questions_for_exhibitor
from leads.services.questions import (
    question_create,
    question_move,
    question_remove,
    question_update,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def texts(exhibitor) -> list[str]:
    return [q.text for q in questions_for_exhibitor(exhibitor=exhibitor)]


def test_questions_are_appended_in_order(exhibitor):
    question_create(exhibitor=exhibitor, text="One?", kind="text")
    question_create(exhibitor=exhibitor, text="Two?", kind="single", choices=["a", "b"])
    assert texts(exhibitor) == ["One?", "Two?"]


def test_choice_question_needs_two_distinct_choices(exhibitor):
    with pytest.raises(LeadDataInvalid) as caught:
        question_create(exhibitor=exhibitor, text="Pick", kind="multiple", choices=["a", " A ", ""])
    assert "choices" in caught.value.fields
    assert not Question.objects.exists()


def test_text_question_drops_choices(exhibitor):
    question = question_create(exhibitor=exhibitor, text="Say", kind="text", choices=["x", "y"])
    assert question.choices == []


def test_moving_questions_up_and_down(exhibitor):
    one = question_create(exhibitor=exhibitor, text="One?", kind="text")
    question_create(exhibitor=exhibitor, text="Two?", kind="text")
    three = question_create(exhibitor=exhibitor, text="Three?", kind="text")

    question_move(question=three, offset=-1)
    assert texts(exhibitor) == ["One?", "Three?", "Two?"]
    question_move(question=one, offset=-1)  # already first: nothing moves
    question_move(question=one, offset=1)
    assert texts(exhibitor) == ["Three?", "One?", "Two?"]


def test_removed_question_is_kept_for_its_answers_but_no_longer_listed(exhibitor):
    question = question_create(exhibitor=exhibitor, text="Old?", kind="text")
    question_remove(question=question)
    assert texts(exhibitor) == []
    assert list(questions_for_exhibitor(exhibitor=exhibitor, include_removed=True)) == [question]


def test_portal_adds_a_choice_question(exhibitor_client, exhibitor):
    response = exhibitor_client.post(
        reverse("devices:questions"),
        {"text": "When do you plan to buy?", "kind": "single", "choices": "2019\n\n2020\n"},
    )
    assert response.status_code == 302
    question = Question.objects.get(exhibitor=exhibitor)
    assert (question.kind, question.choices) == ("single", ["2019", "2020"])
    page = exhibitor_client.get(reverse("devices:questions"), **EN).content.decode()
    assert "When do you plan to buy?" in page and "2019 · 2020" in page


def test_portal_refuses_choice_question_without_choices(exhibitor_client):
    response = exhibitor_client.post(
        reverse("devices:questions"), {"text": "Pick", "kind": "multiple", "choices": "only"}, **EN
    )
    assert response.status_code == 200
    assert "at least two different choices" in response.content.decode()
    assert not Question.objects.exists()


def test_portal_edits_a_question(exhibitor_client, exhibitor):
    question = question_create(exhibitor=exhibitor, text="Budget", kind="text")
    url = reverse("devices:question_edit", kwargs={"pk": question.pk})
    assert "Budget" in exhibitor_client.get(url).content.decode()

    exhibitor_client.post(url, {"text": "Budget range?", "kind": "single", "choices": "<10k\n>10k"})

    question.refresh_from_db()
    assert (question.text, question.kind, question.choices) == (
        "Budget range?",
        "single",
        ["<10k", ">10k"],
    )


def test_portal_removes_a_question_after_confirmation(exhibitor_client, exhibitor):
    question = question_create(exhibitor=exhibitor, text="Gone?", kind="text")
    url = reverse("devices:question_remove", kwargs={"pk": question.pk})
    assert exhibitor_client.get(url).status_code == 200
    assert Question.objects.get().removed_at is None

    exhibitor_client.post(url)

    assert Question.objects.get().removed_at is not None
    assert "Gone?" not in exhibitor_client.get(reverse("devices:questions")).content.decode()


def test_portal_reorders_questions(exhibitor_client, exhibitor):
    question_create(exhibitor=exhibitor, text="One?", kind="text")
    two = question_create(exhibitor=exhibitor, text="Two?", kind="text")
    url = reverse("devices:question_move", kwargs={"pk": two.pk})

    exhibitor_client.post(url, {"direction": "up"})
    assert texts(exhibitor) == ["Two?", "One?"]
    exhibitor_client.post(url, {"direction": "down"})
    assert texts(exhibitor) == ["One?", "Two?"]
    assert exhibitor_client.get(url).status_code == 405


def test_question_page_query_count_does_not_grow(
    exhibitor_client, exhibitor, django_assert_num_queries
):
    for n in range(6):
        question_create(exhibitor=exhibitor, text=f"Q{n}?", kind="single", choices=["a", "b"])
    # session, user, the account with its exhibitor (portal_page; base.html reuses it),
    # questions
    with django_assert_num_queries(4):
        exhibitor_client.get(reverse("devices:questions"))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("devices:question_edit", {"text": "Hijacked", "kind": "text"}),
        ("devices:question_remove", {}),
        ("devices:question_move", {"direction": "up"}),
    ],
)
def test_other_exhibitors_question_ids_give_404(exhibitor_client, other_exhibitor, name, data):
    theirs = question_create(exhibitor=other_exhibitor, text="Theirs?", kind="text")
    url = reverse(name, kwargs={"pk": theirs.pk})
    assert exhibitor_client.post(url, data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.text == "Theirs?" and theirs.removed_at is None


def test_other_exhibitors_questions_are_not_listed(exhibitor_client, other_exhibitor):
    question_create(exhibitor=other_exhibitor, text="Their secret question?", kind="text")
    page = exhibitor_client.get(reverse("devices:questions")).content.decode()
    assert "Their secret question?" not in page


def test_question_update_service_validates(exhibitor):
    question = question_create(exhibitor=exhibitor, text="Q?", kind="text")
    with pytest.raises(LeadDataInvalid):
        question_update(question=question, text=" ", kind="text")
