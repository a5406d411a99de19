"""The public exhibitor directory and hall plan (no login), mounted at /fairs/.

Per fair and area: the exhibitor list (filter by topic, search by name), one page per
exhibitor with its stand on the hall plan, and the plan itself with a table of stands as its
accessible alternative. What is public is ``directory_selectors``' decision.

Caching, in two layers, both keyed by ``directory_version`` (which includes the language):
- HTTP: an ETag answers a repeated request with 304 and browsers keep a page for a minute.
  ``private``: every page carries the language switch's CSRF token (and the language comes
  from a cookie), so shared caches must not keep it.
- In the process: the page's main part (everything but the site's frame) is rendered once per
  version, page and topic and kept in Django's cache (searches are not kept); a hit costs one
  query (the area with its version). An edit changes the version, so no page outlives the
  data it shows.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from exhibitors.directory_plan import plan_rows, plan_svg
from exhibitors.directory_selectors import (
    SEARCH_MAX_LENGTH,
    directory_area,
    directory_areas,
    directory_entries,
    directory_entry,
    directory_topics,
    directory_version,
    plan_stands,
)
from fair.models import Area
from fair.text import text_normalize

CACHE_SECONDS = 60
FRAGMENT_SECONDS = 600


def _area_or_404(fair_slug: str, area_slug: str) -> Area:
    area = directory_area(fair_slug=fair_slug, area_slug=area_slug)
    if area is None:
        raise Http404("no such area")
    return area


def _page(
    request: HttpRequest,
    *,
    area: Area,
    name: str,
    params: tuple[Any, ...],
    title: str,
    build: Callable[[], tuple[str, dict[str, Any]]],
    status: int = 200,
    keep: bool = True,
) -> HttpResponse:
    """The page ``name`` of ``area``: 304 for a known ETag, else the cached main part (or
    ``build()``'s template and context, rendered and, with ``keep``, cached) in the site's
    frame. Searches are not kept: each text is asked rarely, and a stream of them would push
    the list and plan pages out of the cache."""
    version = directory_version(area=area)
    variant = hashlib.sha256(repr((name, params)).encode()).hexdigest()[:16]
    # The frame differs per person (log-in link or portal link): part of the ETag.
    viewer = hashlib.sha256(str(request.user.pk).encode()).hexdigest()[:8]
    etag = f'"{version}-{variant}-{viewer}"'
    if status == 200:
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
    key = f"directory:{version}:{variant}"
    cached = cache.get(key)
    if cached is None:
        template, context = build()
        body = render_to_string(template, {"area": area, "fair": area.fair, **context})
        cached = (context.get("page_title", title), body)
        if keep:
            cache.set(key, cached, FRAGMENT_SECONDS)
    title, body = cached
    response = render(
        request,
        "exhibitors/directory/page.html",
        {"area": area, "fair": area.fair, "title": title, "body": mark_safe(body)},
        status=status,
    )
    if status == 200:
        response["ETag"] = etag
        patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def fair_index(request: HttpRequest, fair_slug: str) -> HttpResponse:
    """The fair's areas with their number of exhibitors; a fair of one area goes straight to
    that area's directory."""
    fair, areas = directory_areas(fair_slug=fair_slug)
    if fair is None:
        raise Http404("no such fair")
    if len(areas) == 1:
        return redirect("directory:list", fair_slug=fair.slug, area_slug=areas[0].slug)
    response = render(request, "exhibitors/directory/index.html", {"fair": fair, "areas": areas})
    patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    return response


def _filters(request: HttpRequest) -> tuple[int | None, str, str]:
    """(topic id, search text, error) from the query string; an error names what is wrong."""
    topic_text = request.GET.get("topic", "").strip()
    search = text_normalize(request.GET.get("q", "")).strip()
    if topic_text and not (topic_text.isdigit() and len(topic_text) <= 12):
        return None, "", _("Please choose a topic from the list.")
    if len(search) > SEARCH_MAX_LENGTH:
        return (
            None,
            "",
            _("Please search for at most %(max)d characters.") % {"max": SEARCH_MAX_LENGTH},
        )
    return (int(topic_text) if topic_text else None), search, ""


@require_safe
def exhibitor_list(request: HttpRequest, fair_slug: str, area_slug: str) -> HttpResponse:
    area = _area_or_404(fair_slug, area_slug)
    topic_id, search, error = _filters(request)

    def build() -> tuple[str, dict[str, Any]]:
        topics = directory_topics(area=area)
        topic = next((each for each in topics if each.pk == topic_id), None)
        if topic_id is not None and topic is None:
            raise Http404("no such topic")
        entries = directory_entries(area=area, topic_id=topic_id, search=search)
        return "exhibitors/directory/_list.html", {
            "topics": topics,
            "topic": topic,
            "search": search,
            "entries": entries,
            "error": error,
            "search_max": SEARCH_MAX_LENGTH,
        }

    return _page(
        request,
        area=area,
        name="list",
        params=(topic_id, search, error),
        title=_("Exhibitors · %(area)s") % {"area": area.name},
        build=build,
        status=400 if error else 200,
        keep=not search,
    )


def _stand_url(area: Area) -> Callable[[int], str]:
    def url(exhibitor_id: int) -> str:
        return reverse(
            "directory:exhibitor",
            kwargs={
                "fair_slug": area.fair.slug,
                "area_slug": area.slug,
                "exhibitor_id": exhibitor_id,
            },
        )

    return url


@require_safe
def exhibitor_page(
    request: HttpRequest, fair_slug: str, area_slug: str, exhibitor_id: int
) -> HttpResponse:
    area = _area_or_404(fair_slug, area_slug)

    def build() -> tuple[str, dict[str, Any]]:
        entry = directory_entry(area=area, exhibitor_id=exhibitor_id)
        if entry is None:
            raise Http404("no such exhibitor")
        stands = plan_stands(area=area)
        return "exhibitors/directory/_exhibitor.html", {
            "page_title": f"{entry.company_name} · {area.name}",
            "entry": entry,
            "plan": plan_svg(
                stands=stands,
                exhibitor_url=_stand_url(area),
                highlight=entry.stand_number,
                title=_("Hall plan of %(area)s, stand %(stand)s highlighted")
                % {"area": area.name, "stand": entry.stand_number},
            ),
        }

    return _page(
        request,
        area=area,
        name="exhibitor",
        params=(exhibitor_id,),
        title=_("Exhibitor · %(area)s") % {"area": area.name},
        build=build,
    )


@require_safe
def hall_plan(request: HttpRequest, fair_slug: str, area_slug: str) -> HttpResponse:
    area = _area_or_404(fair_slug, area_slug)

    def build() -> tuple[str, dict[str, Any]]:
        stands = plan_stands(area=area)
        return "exhibitors/directory/_plan.html", {
            "rows": plan_rows(stands=stands, exhibitor_url=_stand_url(area)),
            "plan": plan_svg(
                stands=stands,
                exhibitor_url=_stand_url(area),
                title=_("Hall plan of %(area)s") % {"area": area.name},
            ),
        }

    return _page(
        request,
        area=area,
        name="plan",
        params=(),
        title=_("Hall plan · %(area)s") % {"area": area.name},
        build=build,
    )
