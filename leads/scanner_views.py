"""The stand scanner: one page, its service worker and its manifest.

These views only render. The page needs no login: the device token it receives when pairing
is its credential, and every read and write goes through the scan API (/api/scan/).
"""

import hashlib
import json
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import Engine
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Files the page needs to open and scan without a network. The entry module imports its
# siblings by relative path; the service worker resolves those against the entry's URL.
SHELL_STATIC = [
    "css/fairlead.css",
    "scanner/scanner.css",
    "scanner/checkin.css",
    "scanner/app.js",
    "scanner/icon-192.png",
    "scanner/icon-512.png",
    "scanner/icon-maskable-512.png",
    "scanner/apple-touch-icon.png",
]
# The modules the entry imports for the pairing screen, announced with modulepreload …
FIRST_MODULES = ["shell.js", "pairing.js", "api.js", "store.js"]
# … and those of the scanning screen, imported once the phone is paired.
SCREEN_MODULES = [
    "screen.js",
    "capture.js",
    "sync.js",
    "sheet.js",
    "ui.js",
    "camera.js",
    "codes.js",
]
# … and the check-in screen of a device paired to a forum room (instead of the scanning one).
CHECKIN_MODULES = ["checkin.js"]
APP_MODULES = FIRST_MODULES + SCREEN_MODULES + CHECKIN_MODULES
# The decoder for browsers without a native BarcodeDetector (vendored by `npm run vendor`).
DECODER_MODULE = "vendor/barcode-detector/ponyfill.js"
DECODER_WASM = "vendor/barcode-detector/zxing_reader.wasm"
DECODER_IMPORTS = ["zxing-exported.js"]

THEME_COLOR = "#0b5cad"


def _plural(forms: Callable[[int], str]) -> dict[str, str]:
    """The forms of a text with a count, for the script's Intl.PluralRules (German and English
    have "one" and "other"), translated when the page is rendered; the script puts the count
    in for %s. ``forms`` calls ``ngettext`` so that makemessages finds the texts."""
    translated = lazy(forms, str)
    return {"one": translated(1), "other": translated(2)}


# Every text the script shows; German comes from the catalog like any other page.
STRINGS = {
    "app_name": _("Fairlead scanner"),
    "pairing": _("Pairing …"),
    "pair_failed": _("Pairing failed: %s"),
    "pair_offline": _("Pairing needs a network connection."),
    "pair_waiting": _plural(
        lambda n: ngettext(
            "%s scan or edit was not uploaded yet. Pair this phone again for the same "
            "exhibitor to send it, or delete it.",
            "%s scans or edits were not uploaded yet. Pair this phone again for the same "
            "exhibitor to send them, or delete them.",
            n,
        )
    ),
    "discard_confirm": _(
        "Delete the scans and edits that were not uploaded? They cannot be brought back."
    ),
    "unpair_confirm": _("Unpair this device? It can only scan again with a new pairing code."),
    "unpair_pending": _(
        "%s scans or edits have not been uploaded yet and would be lost. Unpair anyway?"
    ),
    "device_revoked": _(
        "This phone is no longer paired (it was revoked in the exhibitor portal or paired on "
        "another phone). Its lead list was deleted from it."
    ),
    "stand": _("Stand %s"),
    "online": _("online"),
    "offline": _("offline"),
    "limited": _("too many scans, retrying in %s s"),
    "waiting": _("%s waiting to sync"),
    "all_synced": _("all synced"),
    "camera_start": _("Start camera"),
    "camera_stop": _("Stop camera"),
    "camera_denied": _(
        "The camera is blocked for this page. To allow it, tap the lock or camera symbol next "
        "to the address, allow the camera and start it again (iPhone: Settings → Safari → "
        "Camera → Allow). Meanwhile, type the code printed under the QR code."
    ),
    "camera_missing": _("No camera found. Use the code field or a hardware scanner."),
    "camera_failed": _("The camera could not be started: %s"),
    "decoder_loading": _("Loading the code reader …"),
    "state_new": _("New lead"),
    "state_again": _("Already captured"),
    "state_revoked": _("Badge revoked"),
    "state_unknown": _("Unknown badge"),
    "state_typo": _("Check the code"),
    "state_queued": _("Queued"),
    "state_limited": _("Too many scans"),
    "state_refused": _("Refused"),
    "queued_detail": _("No connection. The scan is stored on this device and syncs later."),
    "limited_detail": _(
        "The server asks this device to slow down. The scan is stored here and is sent again "
        "in %s s."
    ),
    "repeat_detail": _("Scanned a moment ago: counted once."),
    "several_read": _plural(lambda n: ngettext("%s code read", "%s codes read", n)),
    "several_detail": _("Each badge is captured once. Tap one to rate it."),
    "several_choose": _("Read together: tap a lead to rate it"),
    "typo_detail": _("This code has a typo: the check character does not match."),
    "typo_marked": _("Compare the marked characters with the badge."),
    "revoked_detail": _("This badge is no longer valid. Ask the visitor to see the info desk."),
    "unknown_detail": _("No badge of this fair has this code."),
    "scan_count": _("scanned %s times"),
    "contact_not_shared": _("Contact details not shared"),
    "name_after_sync": _("Name appears after sync"),
    "scanned_badge": _("Scanned badge"),
    "rating": _("Rating"),
    "hot": _("hot"),
    "warm": _("warm"),
    "cold": _("cold"),
    "note": _("Note"),
    "note_placeholder": _("What did you talk about?"),
    "tags": _("Tags"),
    "tag_placeholder": _("Add a tag"),
    "tag_add": _("Add"),
    "questions": _("Questions"),
    "save": _("Save"),
    "saved": _("Saved"),
    "saved_queued": _("Saved on this device; syncs later"),
    "next_scan": _("Next scan"),
    "close": _("Close"),
    "no_leads": _("No leads on this device yet."),
    "no_match": _("No lead matches."),
    "lead_queued": _("waiting to sync"),
    "lead_refused_revoked": _("refused: badge revoked"),
    "lead_refused_unknown": _("refused: unknown badge"),
    "lead_refused_invalid": _("refused by the server"),
    "sync_refused": _("%s queued scans were refused by the server; see the list."),
    "dismiss": _("Remove"),
    "update_ready": _("A new version is ready."),
    # Session check-in (a device paired to a forum room).
    "checkin_mode": _("Session check-in"),
    "state_checked_in": _("Checked in"),
    "state_already": _("Already checked in"),
    "state_checkin_queued": _("Stored, let in"),
    "state_full": _("Room full"),
    "full": _("full"),
    "full_detail": _("The room holds no more people. Nobody else can be checked in."),
    "no_session_now": _("No session now"),
    "no_session_detail": _(
        "Nothing runs in this room now or within the next 15 minutes; nobody was checked in."
    ),
    "checkin_queued_detail": _(
        "No connection. The check-in is stored on this device and is sent later."
    ),
    "repeat_checkin_detail": _("Scanned a moment ago: checked in once."),
    "checkins_pending": _plural(
        lambda n: ngettext("%s check-in not yet sent", "%s check-ins not yet sent", n)
    ),
    "next_session": _("Next: %s"),
    "checkins_refused": _(
        "%s stored check-ins were refused by the server (room full or badge invalid)."
    ),
    "reload": _("Reload"),
}


def _static_sources() -> list[str]:
    """Paths (relative to the static roots) of everything the service worker caches."""
    modules = [f"scanner/{name}" for name in APP_MODULES]
    decoder_dir = DECODER_MODULE.rsplit("/", 1)[0]
    decoder = [DECODER_MODULE, DECODER_WASM] + [f"{decoder_dir}/{n}" for n in DECODER_IMPORTS]
    return SHELL_STATIC + modules + decoder


def _compute_version() -> str:
    """A digest over the cached files and templates: a new release gets a fresh cache."""
    digest = hashlib.sha256()
    for name in _static_sources():
        found = finders.find(name)
        digest.update(name.encode())
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    for template in ("scanner/page.html", "scanner/sw.js"):
        digest.update(Engine.get_default().get_template(template).source.encode())
    return digest.hexdigest()[:16]


_cached_version = cache(_compute_version)


def shell_version() -> str:
    # In development files change under a running server, so recompute each time.
    return _compute_version() if settings.DEBUG else _cached_version()


def _config(request: HttpRequest) -> dict:
    return {
        "language": get_language(),
        "apiBase": "/api/scan/",
        "scope": reverse("scanner:page"),
        "serviceWorker": reverse("scanner:service_worker"),
        "decoder": static(DECODER_MODULE),
        "wasm": static(DECODER_WASM),
        "version": shell_version(),
        "checkinCss": static("scanner/checkin.css"),
    }


@require_GET
def page(request: HttpRequest) -> HttpResponse:
    """The scanner app. The pairing link is /scan/?pair=CODE or /scan/#pair=CODE."""
    response = render(
        request,
        "scanner/page.html",
        {
            "scanner_config": _config(request),
            "scanner_strings": STRINGS,
            # Announced up front, so the browser fetches the whole module graph at once.
            "scanner_modules": [static(f"scanner/{name}") for name in FIRST_MODULES],
        },
    )
    # The service worker keeps the offline copy; the browser should always ask first.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    worker = {
        "version": shell_version(),
        "page": reverse("scanner:page"),
        "shell": [reverse("scanner:manifest"), *(static(name) for name in SHELL_STATIC)],
        "app": static("scanner/app.js"),
        "appModules": APP_MODULES,
        "decoder": static(DECODER_MODULE),
        "decoderImports": DECODER_IMPORTS,
        "wasm": static(DECODER_WASM),
        "staticPrefix": settings.STATIC_URL,
    }
    # JSON is valid JavaScript; the file is served as a script, not inside HTML.
    context = {"worker_config": mark_safe(json.dumps(worker))}
    body = render_to_string("scanner/sw.js", context, request=request)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("scanner:page")
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    scope = reverse("scanner:page")
    data = {
        "name": str(STRINGS["app_name"]),
        "short_name": str(_("Scanner")),
        "description": str(_("Capture leads at your stand by scanning visitor badges.")),
        "lang": get_language(),
        "start_url": scope,
        "scope": scope,
        "id": scope,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f6f8fa",
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": static("scanner/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("scanner/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("scanner/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response
