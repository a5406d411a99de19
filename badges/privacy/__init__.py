"""Visitor privacy: consent, the data copy, erasure, retention — one package, one module per
use case.

* ``consent``: the consent history and the visitor's own decision (badge page);
* ``data_copy``: the copy of everything held about the visitor (badge page), logged;
* ``erasure``: the visitor asks, an organizer confirms or rejects;
* ``anonymize``: the one routine that erases people (erasure and retention);
* ``retention``: ``purge_expired`` erases a fair's personal data after the retention period;
* ``selectors``: reads (who captured the visitor, consent history, the copy's content);
* ``registry``: how apps above ``badges`` (``leads``) take part without being imported;
* ``audit``: the privacy log; ``forms``: the badge page's privacy forms.

The names below are the package's public interface for the other apps (admin, views).
"""

from badges.privacy.anonymize import ERASED_NAME, AnonymizeCounts, attendees_anonymize
from badges.privacy.consent import consent_record, consent_set
from badges.privacy.data_copy import attendee_data_download
from badges.privacy.erasure import erasure_confirm, erasure_reject, erasure_request
from badges.privacy.exceptions import (
    AttendeeErased,
    ErasureAlreadyRequested,
    ErasureNotPending,
    ErasureReasonMissing,
    PrivacyRefused,
)

__all__ = [
    "ERASED_NAME",
    "AnonymizeCounts",
    "AttendeeErased",
    "ErasureAlreadyRequested",
    "ErasureNotPending",
    "ErasureReasonMissing",
    "PrivacyRefused",
    "attendee_data_download",
    "attendees_anonymize",
    "consent_record",
    "consent_set",
    "erasure_confirm",
    "erasure_reject",
    "erasure_request",
]
