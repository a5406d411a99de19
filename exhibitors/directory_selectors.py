"""Reads for the public exhibitor directory and hall plan (no login).

What is public is decided here and nowhere else: an exhibitor appears only when it is
approved, listed by its own choice (``directory_listed``) and not hidden by the organizers
(``directory_hidden``). Pages never get the ``Exhibitor`` row itself but a ``PublicEntry``
holding only the public fields: company name, stand, topics and co-exhibitors always; logo,
catalog entry and website only when the exhibitor shows them; an email address only the one
the exhibitor entered for the public (never the contact person's).

``directory_version`` changes whenever a page could change: any change to the area's
exhibitors (profile, state, stand, publicity, the organizers' hiding, co-exhibitors saved with
the exhibitor in the admin), a new or deleted exhibitor, the area, hall or fair names, and the
language. Topics and stands carry no
change time; their edits show when the five-minute bucket in the version turns over.
"""

import hashlib
import time
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import get_language

from exhibitors.models import CoExhibitor, Exhibitor
from fair.models import Area, Fair, Stand, Topic

# Untracked edits (topic names, stands on the plan) show after at most this many seconds.
VERSION_BUCKET_SECONDS = 300
SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class PublicEntry:
    """What a visitor may see of one exhibitor."""

    pk: int
    company_name: str
    catalog_text: str
    # The language the catalog text is written in ("de"/"en"), for the lang attribute.
    catalog_language: str
    logo_url: str
    website: str
    email: str
    topics: tuple[Topic, ...]
    stand_id: int | None
    stand_number: str
    co_exhibitors: tuple[CoExhibitor, ...]


def public_exhibitors() -> QuerySet[Exhibitor]:
    """Every exhibitor the directory may show, of any fair."""
    return Exhibitor.objects.filter(
        state=Exhibitor.State.APPROVED, directory_listed=True, directory_hidden=False
    )


def exhibitor_is_public(*, exhibitor: Exhibitor) -> bool:
    """The same rule as ``public_exhibitors`` for a row already loaded."""
    return (
        exhibitor.state == Exhibitor.State.APPROVED
        and exhibitor.directory_listed
        and not exhibitor.directory_hidden
    )


def _catalog(exhibitor: Exhibitor, language: str) -> tuple[str, str]:
    """The catalog text in the visitor's language when given, else the other one."""
    german, english = exhibitor.catalog_text.strip(), exhibitor.catalog_text_en.strip()
    if language == "en":
        return (english, "en") if english else (german, "de")
    return (german, "de") if german else (english, "en")


def entry_public(*, exhibitor: Exhibitor, language: str | None = None) -> PublicEntry:
    """The public fields of one exhibitor (topics and co-exhibitors prefetched by the caller,
    as ``directory_entries`` does)."""
    language = (language or get_language() or "de")[:2]
    text, text_language = _catalog(exhibitor, language)
    show_text = exhibitor.public_catalog_text and bool(text)
    stand = exhibitor.stand
    return PublicEntry(
        pk=exhibitor.pk,
        company_name=exhibitor.company_name,
        catalog_text=text if show_text else "",
        catalog_language=text_language,
        logo_url=exhibitor.logo.url if exhibitor.public_logo and exhibitor.logo else "",
        website=exhibitor.website if exhibitor.public_website else "",
        email=exhibitor.public_email,
        topics=tuple(exhibitor.topics.all()),
        stand_id=stand.pk if stand is not None else None,
        stand_number=stand.number if stand is not None else "",
        co_exhibitors=tuple(exhibitor.co_exhibitors.all()),
    )


def _area_versioned() -> QuerySet[Area]:
    """Areas with their fair and hall and what their directory version is made of: the
    latest change to any of the area's exhibitors and their number (co-exhibitors are saved
    with their exhibitor, which touches its ``updated_at``). One grouped join, no subquery:
    this query runs on every directory request, cached or not."""
    return Area.objects.select_related("fair", "hall").annotate(
        directory_changed=Max("exhibitors__updated_at"),
        directory_count=Count("exhibitors"),
    )


def directory_area(*, fair_slug: str, area_slug: str) -> Area | None:
    """The area with its fair and hall, ready for ``directory_version``, in one query."""
    return _area_versioned().filter(fair__slug=fair_slug, slug=area_slug).first()


def directory_version(*, area: Area, now: float | None = None) -> str:
    """A short hash that changes whenever the area's public pages could (module docstring);
    ``area`` comes from ``directory_area``."""
    bucket = int((time.time() if now is None else now) // VERSION_BUCKET_SECONDS)
    fair = area.fair
    parts = (
        get_language(),
        area.pk,
        area.name,
        area.description,
        area.hall.name,
        fair.pk,
        fair.name,
        fair.venue,
        fair.city,
        fair.starts_on,
        fair.ends_on,
        getattr(area, "directory_changed", None),
        getattr(area, "directory_count", None),
        bucket,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def directory_areas(*, fair_slug: str) -> tuple[Fair | None, list[Area]]:
    """The fair and its areas, each annotated with ``public_count`` (exhibitors shown)."""
    fair = Fair.objects.filter(slug=fair_slug).first()
    if fair is None:
        return None, []
    areas = (
        Area.objects.filter(fair=fair)
        .select_related("hall")
        .annotate(
            public_count=Count(
                "exhibitors",
                filter=Q(
                    exhibitors__state=Exhibitor.State.APPROVED,
                    exhibitors__directory_listed=True,
                    exhibitors__directory_hidden=False,
                ),
            )
        )
        .order_by("name")
    )
    return fair, list(areas)


def directory_topics(*, area: Area) -> list[Topic]:
    return list(Topic.objects.filter(area=area).order_by("position", "name_de"))


def _entries_queryset(*, area: Area) -> QuerySet[Exhibitor]:
    return (
        public_exhibitors()
        .filter(area=area)
        .select_related("stand")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("position", "name_de")),
            Prefetch("co_exhibitors", queryset=CoExhibitor.objects.order_by("name")),
        )
        .order_by("company_name", "pk")
    )


def directory_entries(
    *, area: Area, topic_id: int | None = None, search: str = ""
) -> list[PublicEntry]:
    """The area's public exhibitors by company name, optionally only those of one topic and
    those whose name, or a co-exhibitor's name, contains ``search``: three queries."""
    queryset = _entries_queryset(area=area)
    if topic_id is not None:
        queryset = queryset.filter(topics__pk=topic_id)
    search = search.strip()[:SEARCH_MAX_LENGTH]
    if search:
        matches = public_exhibitors().filter(
            Q(company_name__icontains=search) | Q(co_exhibitors__name__icontains=search)
        )
        queryset = queryset.filter(pk__in=matches.values("pk"))
    language = (get_language() or "de")[:2]
    return [entry_public(exhibitor=exhibitor, language=language) for exhibitor in queryset]


def directory_entry(*, area: Area, exhibitor_id: int) -> PublicEntry | None:
    """One public exhibitor of the area, or None (unknown, not approved, unlisted, hidden or
    of another area)."""
    exhibitor = _entries_queryset(area=area).filter(pk=exhibitor_id).first()
    return entry_public(exhibitor=exhibitor) if exhibitor is not None else None


@dataclass(frozen=True)
class PlanStand:
    """One stand of the public plan: its public exhibitor's name and id, or none."""

    stand: Stand
    company_name: str
    exhibitor_id: int | None


def plan_stands(*, area: Area) -> list[PlanStand]:
    """Every stand of the area by number, with the company shown on it only when that
    exhibitor is public (one query)."""
    stands = Stand.objects.filter(area=area).select_related("exhibitor").order_by("number")
    result = []
    for stand in stands:
        exhibitor = getattr(stand, "exhibitor", None)
        public = exhibitor is not None and exhibitor_is_public(exhibitor=exhibitor)
        result.append(
            PlanStand(
                stand=stand,
                company_name=exhibitor.company_name if public else "",  # type: ignore[union-attr]
                exhibitor_id=exhibitor.pk if public else None,  # type: ignore[union-attr]
            )
        )
    return result


def directory_for_organizer(*, fair: Fair) -> QuerySet[Exhibitor]:
    """The fair's approved exhibitors with what decides their directory entry (one query)."""
    return (
        Exhibitor.objects.filter(fair=fair, state=Exhibitor.State.APPROVED)
        .select_related("area", "stand")
        .order_by("area__name", "company_name", "pk")
    )
