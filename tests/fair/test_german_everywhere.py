"""An organizer who reads German sees German on every page: the control room and the back office.

The walker finds the pages itself, so pages added later are checked without touching this file:
every named URL pattern under /organizer/ (arguments filled from the demo data, by name) and,
for every model registered in the admin, its change list, the change page of one object and
the add page where adding is allowed. Each page is fetched with ``Accept-Language: de`` and the
language cookie, and fails when its visible text (and titles, labels, placeholders) shows

- a message of our catalog in English: its msgid where the German msgstr says something else
  (a text rendered before the language was active, or a msgstr that is missing or fuzzy),
- a back-office filter titled "Nach <English word>" (a field without a German verbose name),
- Django's own name ("Django-Verwaltung") instead of the back office's.

The catalog itself must have no empty and no fuzzy German entry, and every model, field and
choice of our apps has a translatable name that the catalog translates.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django_countries.fields import CountryField

from leads.demo import demo_seed

ROOT = Path(__file__).resolve().parents[2]
GERMAN_PO = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
OUR_APPS = ("fair", "exhibitors", "badges", "leads", "api")
GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}

# Values for URL arguments that are not object ids (an id argument "<thing>_id" is filled with
# the id of a demo object of the model named "thing" or "…thing"). A new organizer page with
# another kind of argument makes the walker fail until a sample value is added here.
SAMPLE_ARGUMENTS = {
    "fmt": "csv",
    "action": "open",
    # The demo holds no erasure request: its confirm/reject pages answer 404 here (walked,
    # not read); tests/privacy/test_privacy_desk.py renders them.
    "request_id": 10**6,
}
# Texts that are German and English alike, or data of the demo that happens to equal an
# English message (shown as it is stored): never counted as English leftovers.
NOT_ENGLISH = frozenset({"organizer"})
# Texts Django or we have been seen to leave in English on German pages.
KNOWN_LEFTOVERS = re.compile(r"Django|\bNach nach\b|\bBy [a-z]")
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class _Texts(HTMLParser):
    """The text a reader sees: text nodes (without scripts and styles) and a few attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skip:
            self.texts.append(text)


def _visible_texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


def _catalog() -> polib.POFile:
    return polib.pofile(str(GERMAN_PO))


def _german_texts(catalog: polib.POFile) -> frozenset[str]:
    """Every German translation, ours and Django's: a text that is one is German, even when it
    is also an English msgid ("Start", "Position", "Tag")."""
    django_catalogs = Path(django.__file__).parent.glob("**/locale/de/LC_MESSAGES/django.po")
    german = set()
    for po in [catalog, *(polib.pofile(str(path)) for path in django_catalogs)]:
        for entry in po:
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if text:
                    german.update({text, capfirst(text)})
    return frozenset(german)


def _english_messages(catalog: polib.POFile) -> frozenset[str]:
    """Our messages whose German translation is another text, as they would show if left in
    English (also with the first letter capitalised, as Django shows verbose names)."""
    english = set()
    for entry in catalog:
        if entry.obsolete or entry.msgid_plural or "%" in entry.msgid or "{" in entry.msgid:
            continue
        if len(entry.msgid) < 3:
            continue
        english.update({entry.msgid, capfirst(entry.msgid)})
    return frozenset(english - _german_texts(catalog) - NOT_ENGLISH)


def _problems(html: str, english: frozenset[str]) -> list[str]:
    found = []
    for text in _visible_texts(html):
        if text in english:
            found.append(f"English: {text!r}")
        elif (match := re.fullmatch(r"Nach (.+)", text)) and match.group(1) in english:
            found.append(f"English filter title: {text!r}")
        elif KNOWN_LEFTOVERS.search(text):
            found.append(f"leftover: {text!r}")
    return found


def _named_patterns(patterns, namespace="", prefix="", params=()):
    """(name for reverse(), route, argument names) of every named pattern, depth first."""
    for pattern in patterns:
        names = tuple(params) + _argument_names(pattern)
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, inner, route, names)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", route, names


def _argument_names(pattern) -> tuple[str, ...]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return tuple(converters)
    return tuple(pattern.pattern.regex.groupindex)


def _model_for(thing: str):
    candidates = [
        model
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.model_name == thing or model._meta.model_name.endswith(thing)
    ]
    return min(candidates, key=lambda model: len(model._meta.model_name), default=None)


def _argument_value(name: str) -> str | int:
    if name in SAMPLE_ARGUMENTS:
        return SAMPLE_ARGUMENTS[name]
    if name.endswith("_id") and (model := _model_for(name.removesuffix("_id"))) is not None:
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"the demo has no {model.__name__} for the argument {name}"
        return obj.pk
    raise AssertionError(
        f"no sample value for the URL argument {name!r}: add one to SAMPLE_ARGUMENTS"
    )


def organizer_urls() -> list[str]:
    urls = []
    for name, route, arguments in _named_patterns(get_resolver().url_patterns):
        if not route.startswith("organizer/"):
            continue
        urls.append(reverse(name, kwargs={arg: _argument_value(arg) for arg in arguments}))
    return sorted(set(urls))


def admin_urls(user) -> list[str]:
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    request = type("Request", (), {"user": user})()
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{info}_changelist"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"{info}_change", args=[obj.pk]))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"{info}_add"))
    return urls


@pytest.fixture
def demo_organizer(db, settings):
    settings.DEBUG = True  # the demo only loads in development
    demo_seed()
    settings.DEBUG = False
    return get_user_model().objects.get(username="organizer")


@pytest.fixture
def german_client(client, demo_organizer):
    client.force_login(demo_organizer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    return client


def _walk(client, urls: list[str]) -> dict[str, list[str]]:
    english = _english_messages(_catalog())
    failures = {}
    for url in urls:
        response = client.get(url, **GERMAN)
        assert response.status_code < 500, url
        if "text/html" not in response.get("Content-Type", ""):
            continue
        assert response.headers.get("Content-Language", "de") == "de", url
        if problems := _problems(response.content.decode(), english):
            failures[url] = sorted(set(problems))
    return failures


def test_german_catalog_has_no_empty_or_fuzzy_entry():
    catalog = _catalog()
    assert len(catalog) > 100
    open_entries = [
        entry.msgid
        for entry in catalog
        if not entry.obsolete and (entry.fuzzy or not entry.translated())
    ]
    assert open_entries == []


def test_every_model_field_and_choice_of_our_apps_has_a_german_name():
    catalog = {entry.msgid: entry for entry in _catalog() if not entry.obsolete}
    unnamed = []

    def check(label, value):
        if not isinstance(value, Promise):
            unnamed.append(f"{label}: {value!r} is not translatable")
        elif str(value) not in catalog or not catalog[str(value)].translated():
            unnamed.append(f"{label}: {value!s} has no German translation")

    with translation.override("en"):
        for app in OUR_APPS:
            for model in apps.get_app_config(app).get_models():
                meta = model._meta
                check(f"{model.__name__}", meta.verbose_name)
                check(f"{model.__name__} (plural)", meta.verbose_name_plural)
                for field in meta.get_fields():
                    if field.auto_created and not field.concrete:
                        continue  # reverse relations show the other model's name
                    if isinstance(field, models.AutoField):
                        continue  # "ID", translated by Django
                    check(f"{model.__name__}.{field.name}", field.verbose_name)
                    if field.is_relation or isinstance(field, CountryField):
                        continue  # objects' and countries' names come from elsewhere
                    for value, label in getattr(field, "flatchoices", None) or []:
                        check(f"{model.__name__}.{field.name}={value}", label)
    assert unnamed == []


def test_every_control_room_page_is_german(german_client):
    urls = organizer_urls()
    assert reverse("organizer:dashboard") in urls
    assert len(urls) >= 5
    assert _walk(german_client, urls) == {}


def test_every_back_office_page_is_german(german_client, demo_organizer):
    urls = admin_urls(demo_organizer)
    assert reverse("admin:exhibitors_exhibitor_changelist") in urls
    assert _walk(german_client, urls) == {}


def test_back_office_login_page_is_german(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = client.get(reverse("admin:login"), **GERMAN).content.decode()
    assert "Fairlead-Backoffice" in page
    assert _problems(page, _english_messages(_catalog())) == []


def test_back_office_links_to_the_control_room(german_client):
    page = german_client.get(reverse("admin:index"), **GERMAN).content.decode()
    assert f'href="{reverse("organizer:home")}"' in page
    assert "Fairlead-Backoffice" in page


def test_the_walker_sees_english_filter_titles_and_leftovers():
    """The checks themselves: without them the walk above could pass on English pages."""
    english = _english_messages(_catalog())
    page = (
        "<html><head><title>Website-Verwaltung | Django-Verwaltung</title></head><body>"
        '<h3>Nach fair</h3><button title="Save">Sichern</button>'
        "<script>var x = 'Save';</script><p>Nach Messe</p><p>exhibitor</p></body></html>"
    )
    assert _problems(page, english) == [
        "leftover: 'Website-Verwaltung | Django-Verwaltung'",
        "English filter title: 'Nach fair'",
        "English: 'Save'",
        "English: 'exhibitor'",
    ]
