"""The lead-sharing consent text visitors see, and its version.

Change LEAD_SHARING_TEXT_VERSION whenever the text (in any language) changes: each attendee
record keeps the version that was shown when they decided.
"""

from django.utils.translation import gettext_lazy as _

LEAD_SHARING_TEXT_VERSION = "2026-12-v2"
LEAD_SHARING_TEXT = _(
    "Exhibitors who scan my badge may receive my contact details (name, company, job title, "
    "email, phone, country, postal code and interest topics) to get in touch with me about "
    "their products. I can withdraw this consent at any time myself on my badge page (the link in "
    "the email with my badge), or by writing to the organizers."
)
# Consent that came with a ticketing system's CSV export: the text was the ticket shop's.
IMPORT_TEXT_VERSION = "csv-import"
