"""Mail to people in their own language, sent only once the transaction has committed."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, engines
from django.utils import translation


def mail_send_on_commit(*, to: str, template: str, context: dict, language: str = "de") -> None:
    """Render ``<template>_subject.txt`` / ``<template>_body.txt`` as plain text in
    ``language`` now, and send the mail after the surrounding transaction commits."""
    with translation.override(language):
        subject = mail_subject(template=template, context=context)
        body = text_render(f"{template}_body.txt", context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    transaction.on_commit(message.send)


def mail_subject(*, template: str, context: dict, language: str | None = None) -> str:
    """The subject line ``mail_send_on_commit`` gives this mail, on one line; in ``language``
    when given (else the active one). Previews of a mail use it, so they show what is sent."""
    with translation.override(language or translation.get_language()):
        return " ".join(text_render(f"{template}_subject.txt", context).split())


def text_render(template_name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping: a name like O'Brien & Söhne <GmbH>
    stays as it is (the HTML engine would write O&#x27;Brien &amp; Söhne &lt;GmbH&gt;)."""
    engine = engines["django"].engine  # type: ignore[attr-defined]
    return engine.get_template(template_name).render(Context(context, autoescape=False))


def absolute_url(path: str) -> str:
    return f"{settings.FAIRLEAD_BASE_URL}{path}"
