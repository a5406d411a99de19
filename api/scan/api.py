"""The scan API for stand devices (django-ninja), mounted at ``/api/scan/``."""

from django.utils import translation
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from api.errors import error_codes_markdown
from api.scan.auth import DeviceBearer
from api.scan.checkin_routes import router as checkin_router
from api.scan.exceptions import install_error_handlers
from api.scan.routes import router

with translation.override("en"):  # the API reference is in English
    ERROR_CODES = error_codes_markdown()

DESCRIPTION = f"""
Lead capture for stand devices, and session check-in for room devices (a device paired to a
forum room from the organizers' pages: `GET /me` says `"mode": "attendance"`; it uses `/room`
and `/checkins`, a stand device uses `/scans` and `/leads`). Pair a device once with
`POST /pair` (pairing code from the exhibitor portal or the organizers' forum pages), then
send `Authorization: Bearer <token>` with every request.

Scans are idempotent: every scan carries a `client_id` (a UUID the device makes); sending it
again returns the original answer and changes nothing, so a device may always retry.

Every error has the body `{{"error": "<code>", "detail": "<text>"}}` (plus `"fields"` for 422).
The codes:

{ERROR_CODES}
"""

api = NinjaAPI(
    title="Fairlead scan API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="scan_api",
    auth=DeviceBearer(),
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Served from the static files django-ninja ships once "ninja" is in INSTALLED_APPS;
    # without it django-ninja falls back to loading Swagger UI from a CDN.
    docs=Swagger(settings={"persistAuthorization": True}),
)
install_error_handlers(api)
api.add_router("/", router)
api.add_router("/", checkin_router)
