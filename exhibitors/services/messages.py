"""Messages from the organizers to a selection of exhibitors (the control room's exhibitor
communication, ``exhibitors.organizer_messages_views``).

Decisions:

* The recipients are ``exhibitors_for_message`` of the selection at the moment of sending;
  the page shows the same count before (the preview), and the send is refused when the
  selection has changed in between (``expected_count``), so nobody mails more people than
  they saw.
* Each exhibitor gets the message in their language (``Exhibitor.language``): the German text
  is required; the English text is needed as soon as one recipient reads English.
* One transaction writes the log row (who, what, selection, how many); the mails leave only
  after it commits (``fair.mail.mail_send_on_commit``), to the contact address.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibitors.exceptions import MessageRefused
from exhibitors.message_selectors import MessageSelection, exhibitors_for_message
from exhibitors.models import ExhibitorMessage
from fair.mail import mail_send_on_commit


@dataclass(frozen=True)
class MessageTexts:
    subject_de: str
    body_de: str
    subject_en: str = ""
    body_en: str = ""


def _texts_checked(texts: MessageTexts, *, needs_english: bool) -> MessageTexts:
    cleaned = MessageTexts(
        subject_de=" ".join(texts.subject_de.split()),
        body_de=texts.body_de.strip(),
        subject_en=" ".join(texts.subject_en.split()),
        body_en=texts.body_en.strip(),
    )
    subject_max = ExhibitorMessage.SUBJECT_MAX_LENGTH
    body_max = ExhibitorMessage.BODY_MAX_LENGTH
    if not cleaned.subject_de or not cleaned.body_de:
        raise MessageRefused(_("Write the German subject and text."))
    if bool(cleaned.subject_en) != bool(cleaned.body_en):
        raise MessageRefused(_("Write both the English subject and text, or neither."))
    if needs_english and not cleaned.subject_en:
        raise MessageRefused(
            _("Some recipients read English: write the English subject and text too.")
        )
    if max(len(cleaned.subject_de), len(cleaned.subject_en)) > subject_max:
        raise MessageRefused(
            _("A subject has at most %(limit)d characters.") % {"limit": subject_max}
        )
    if max(len(cleaned.body_de), len(cleaned.body_en)) > body_max:
        raise MessageRefused(_("A text has at most %(limit)d characters.") % {"limit": body_max})
    return cleaned


@transaction.atomic
def exhibitor_message_send(
    *,
    selection: MessageSelection,
    texts: MessageTexts,
    actor: User,
    expected_count: int,
) -> ExhibitorMessage:
    """Send the message to every exhibitor of the selection, each in their language, and log
    it. Raises MessageRefused (texts incomplete or too long, nobody selected, or the selection
    no longer has ``expected_count`` recipients)."""
    recipients = list(
        exhibitors_for_message(selection=selection).values_list(
            "contact_name", "contact_email", "company_name", "language"
        )
    )
    if not recipients:
        raise MessageRefused(_("No exhibitor matches this selection."))
    if len(recipients) != expected_count:
        raise MessageRefused(
            _(
                "The selection now has %(count)d recipients, not %(expected)d as previewed; "
                "check them and send again."
            )
            % {"count": len(recipients), "expected": expected_count}
        )
    texts = _texts_checked(
        texts, needs_english=any(language == "en" for *_rest, language in recipients)
    )
    message = ExhibitorMessage.objects.create(
        fair=selection.fair,
        sent_at=timezone.now(),
        sent_by=actor,
        actor_label=actor.get_username()[:200],
        filters=selection.as_log(),
        subject_de=texts.subject_de,
        body_de=texts.body_de,
        subject_en=texts.subject_en,
        body_en=texts.body_en,
        recipient_count=len(recipients),
    )
    for name, email, company, language in recipients:
        english = language == "en"
        mail_send_on_commit(
            to=email,
            template="exhibitors/mail/organizer_message",
            context={
                "fair": selection.fair,
                "name": name,
                "company": company,
                "subject": texts.subject_en if english else texts.subject_de,
                "body": texts.body_en if english else texts.body_de,
            },
            language="en" if english else "de",
        )
    return message
