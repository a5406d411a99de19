"""Qualifying questions an exhibitor asks about each lead: create, change, remove, reorder.

A removed question is no longer asked but stays stored, so answers already given keep their label.
"""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibitors.models import Exhibitor
from leads.exceptions import LeadDataInvalid
from leads.models import Question

CHOICE_MAX_LENGTH = 100
CHOICES_MAX = 30


def _question_clean(*, text: str, kind: str, choices: Sequence[str]) -> tuple[str, list[str]]:
    errors: dict[str, list[str]] = {}
    text = text.strip()
    if not text:
        errors["text"] = [str(_("Enter the question."))]
    if kind not in Question.Kind.values:
        errors["kind"] = [str(_("Choose a kind of question."))]
    cleaned: list[str] = []
    if kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE}:
        for choice in choices:
            choice = choice.strip()
            if choice and choice.casefold() not in {c.casefold() for c in cleaned}:
                cleaned.append(choice)
        if len(cleaned) < 2:
            errors["choices"] = [str(_("A choice question needs at least two different choices."))]
        elif len(cleaned) > CHOICES_MAX or any(len(c) > CHOICE_MAX_LENGTH for c in cleaned):
            errors["choices"] = [
                str(_("At most %(count)d choices of up to %(length)d characters each."))
                % {"count": CHOICES_MAX, "length": CHOICE_MAX_LENGTH}
            ]
    if errors:
        raise LeadDataInvalid(errors)
    return text, cleaned


@transaction.atomic
def question_create(
    *, exhibitor: Exhibitor, text: str, kind: str, choices: Sequence[str] = ()
) -> Question:
    text, cleaned = _question_clean(text=text, kind=kind, choices=choices)
    last = Question.objects.filter(exhibitor=exhibitor, removed_at__isnull=True).aggregate(
        last=Max("position")
    )["last"]
    return Question.objects.create(
        exhibitor=exhibitor,
        text=text,
        kind=kind,
        choices=cleaned,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def question_update(
    *, question: Question, text: str, kind: str, choices: Sequence[str] = ()
) -> Question:
    """Change a question; answers already given keep their values."""
    text, cleaned = _question_clean(text=text, kind=kind, choices=choices)
    question.text, question.kind, question.choices = text, kind, cleaned
    question.save(update_fields=["text", "kind", "choices"])
    return question


@transaction.atomic
def question_remove(*, question: Question, now: datetime.datetime | None = None) -> Question:
    """Stop asking a question. It stays stored so that answers already given keep their label."""
    if question.removed_at is None:
        question.removed_at = now or timezone.now()
        question.save(update_fields=["removed_at"])
    return question


@transaction.atomic
def question_move(*, question: Question, offset: int) -> Question:
    """Move a question up (``offset=-1``) or down (``+1``) among the exhibitor's questions."""
    ordered = list(
        Question.objects.select_for_update()
        .filter(exhibitor_id=question.exhibitor_id, removed_at__isnull=True)
        .order_by("position", "id")
    )
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    target = index + offset
    if 0 <= target < len(ordered):
        ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
        if item.pk == question.pk:
            question.position = position
    return question
