"""What the attendee and badge admins do beyond editing: reissue, print checks (print runs:
``badges.print_response``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from badges.models import Attendee
from badges.print_check import badge_print_check
from badges.render import PrintIssue
from badges.services.issue import badge_reissue


def reissue(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, attendees: QuerySet[Attendee]
) -> None:
    count = 0
    # An erased person gets no new badge.
    for attendee in attendees.filter(erased_at__isnull=True):
        badge_reissue(attendee=attendee)
        count += 1
    modeladmin.message_user(
        request,
        _("%(count)d badge(s) revoked and reissued. The old codes now scan as “revoked”.")
        % {"count": count},
        messages.SUCCESS,
    )


def print_issues(attendee: Attendee) -> list[PrintIssue]:
    return badge_print_check(
        first_name=attendee.first_name,
        last_name=attendee.last_name,
        company=attendee.company,
        job_title=attendee.job_title,
    )
