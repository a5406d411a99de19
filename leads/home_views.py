"""The control room's home (/organizer/): per fair, what waits for the organizers, each with a
link to the list that handles it.

Where no purpose-built organizer page exists yet, the link opens the back office's list with
the filter that shows exactly the counted rows (tests/leads/test_home.py checks that the list
shows that many).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from exhibitors.review_selectors import NEED_STAFF, NEED_STAND
from fair.access import organizer_required
from leads.home_selectors import FairAttention, fair_attention_list, fairs_for_home


@dataclass(frozen=True)
class HomeItem:
    key: str
    count: int
    label: str
    href: str


def _url(name: str, **query: object) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def home_items(attention: FairAttention) -> list[HomeItem]:
    """The lines of one fair's card, in the order the work comes up in a season."""
    fair_id = attention.fair.pk
    counts = attention
    return [
        HomeItem(
            "review",
            counts.awaiting_review,
            ngettext(
                "registration awaiting review",
                "registrations awaiting review",
                counts.awaiting_review,
            ),
            _url("registrations:queue", fair=fair_id, state="submitted"),
        ),
        HomeItem(
            "waitlist",
            counts.waitlisted,
            ngettext(
                "registration on the waiting list",
                "registrations on the waiting list",
                counts.waitlisted,
            ),
            _url("registrations:queue", fair=fair_id, state="waitlisted"),
        ),
        HomeItem(
            "unassigned",
            counts.unassigned,
            ngettext(
                "approved exhibitor without a stand",
                "approved exhibitors without a stand",
                counts.unassigned,
            ),
            _url("registrations:queue", fair=fair_id, need=NEED_STAND),
        ),
        HomeItem(
            "staff",
            counts.staff_over_quota,
            ngettext(
                "exhibitor with more stand staff than the quota",
                "exhibitors with more stand staff than the quota",
                counts.staff_over_quota,
            ),
            _url("registrations:queue", fair=fair_id, need=NEED_STAFF),
        ),
        HomeItem(
            "erasure",
            counts.erasure_requests,
            ngettext(
                "erasure request to decide",
                "erasure requests to decide",
                counts.erasure_requests,
            ),
            f"{reverse('organizer_privacy:desk')}#erasure-pending",
        ),
        HomeItem(
            "badges",
            counts.badges_unprinted,
            ngettext("badge not printed yet", "badges not printed yet", counts.badges_unprinted),
            _url("organizer_attendees:list", fair=fair_id, printed="not_printed", badge="active"),
        ),
        HomeItem(
            "devices",
            counts.devices_unpaired,
            ngettext(
                "scanner device not paired yet",
                "scanner devices not paired yet",
                counts.devices_unpaired,
            ),
            _url(
                "admin:leads_scannerdevice_changelist",
                exhibitor__fair__id__exact=fair_id,
                paired_at__isnull="True",
                revoked_at__isempty="1",
            ),
        ),
    ]


@require_GET
@organizer_required
def home(request: HttpRequest) -> HttpResponse:
    cards = [
        {"attention": attention, "items": home_items(attention)}
        for attention in fair_attention_list(fairs=fairs_for_home())
    ]
    return render(request, "leads/organizer/home.html", {"cards": cards})
