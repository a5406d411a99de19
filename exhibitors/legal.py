"""The participation terms and the privacy notice an exhibitor accepts when registering.

Each text has a version. A registration stores the version it accepted together with the time;
change the version whenever the text changes, so that every record says which text applied.
The terms version belongs to each fair (``Fair.terms_version``: every edition has its own
terms); the privacy notice is the platform's and versioned here. So the texts keep their
British "catalogue" (issue 14): respelling them would make a new version to accept.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

PRIVACY_VERSION = "2019-01"

TERMS_TITLE = _("Participation terms for exhibitors")
TERMS_PARAGRAPHS = [
    _(
        "1. Registration. Your registration is an application for a stand in the chosen area. "
        "It becomes binding for both sides only when the organizer approves it in writing and "
        "assigns a stand. There is no claim to admission or to a particular stand."
    ),
    _(
        "2. Stand and price. The stand rent is the price per m² of the assigned stand times its "
        "size, plus VAT where it applies. Requested size, stand type and corner wish are taken "
        "into account as far as the hall plan allows."
    ),
    _(
        "3. Co-exhibitors. Companies that present themselves on your stand must be named as "
        "co-exhibitors. You remain responsible for them towards the organizer."
    ),
    _(
        "4. Catalogue and logo. You confirm that you may use the catalogue text and the logo "
        "you provide, and you allow the organizer to publish them in the fair catalogue, on the "
        "website and on signs in the hall."
    ),
    _(
        "5. Withdrawal. You can withdraw your registration at any time before the fair in the "
        "exhibitor portal. After approval, cancellation fees may apply as stated in the approval."
    ),
    _(
        "6. Stand staff. Staff badges are issued by name within the quota that follows from the "
        "stand size. Badges are personal and must not be passed on."
    ),
    _(
        "7. House rules. The house rules and technical guidelines of the venue apply. "
        "Place of jurisdiction is the seat of the organizer where the law permits."
    ),
]

PRIVACY_TITLE = _("Privacy notice for exhibitor registration")
PRIVACY_PARAGRAPHS = [
    _(
        "Who processes your data: the organizer of the fair named on this page, who runs this "
        "registration with Fairlead."
    ),
    _(
        "What we store and why: your company's details, the contact person's name, email, "
        "phone and position, the invoice address and the stand request. We use them to review "
        "and process your registration, to plan the hall, to invoice and to contact you about "
        "the fair (Art. 6(1)(b) GDPR). Catalogue text, logo, company name and website are "
        "published once you are approved."
    ),
    _(
        "Confirmation by email: we send a link to the contact's email address. The registration "
        "is passed to the organizer only after that link has been used (double opt-in)."
    ),
    _(
        "How long: registrations are kept for the fair and for the statutory retention periods "
        "for invoices; unconfirmed registrations are deleted after a few weeks."
    ),
    _(
        "Your rights: access, correction, deletion, restriction of processing, data portability "
        "and objection, and the right to complain to a data protection authority. Write to the "
        "organizer to use them."
    ),
]


def organizer_email() -> str:
    """Where exhibitors write with questions; empty when the deployment names no address."""
    return getattr(settings, "FAIRLEAD_ORGANIZER_EMAIL", "") or ""
