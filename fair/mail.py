"""Mail to people in their own language, sent only once the transaction has committed."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def mail_send_on_commit(*, to: str, template: str, context: dict, language: str = "de") -> None:
    """Render ``<template>_subject.txt`` / ``<template>_body.txt`` (and ``_body.html`` if any)
    in ``language`` now, and send the mail after the surrounding transaction commits."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    transaction.on_commit(message.send)


def absolute_url(path: str) -> str:
    return f"{settings.FAIRLEAD_BASE_URL}{path}"
