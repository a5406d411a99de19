"""Helpers for the public registration tests (import explicitly)."""

import io
import struct
import zlib
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from exhibitors import legal

VALID_DE_VAT = "DE136695976"
VALID_AT_VAT = "ATU13585627"
VALID_FR_VAT = "FR40303265045"
VALID_GR_VAT = "EL094259216"
VALID_NL_VAT = "NL004495445B01"
VALID_DE_TAX_NUMBER = "181/815/08155"


def registration_post(area, **overrides) -> dict:
    """A complete, valid POST body for the registration form of ``area``."""
    topics = list(area.topics.values_list("pk", flat=True)[:2])
    data = {
        "company_name": "Quartierswerk Nord",
        "legal_form": "GmbH",
        "street": "Rheinlanddamm 200",
        "postal_code": "44139",
        "city": "Dortmund",
        "country": "DE",
        "vat_id": "de 136.695.976",
        "tax_number": "",
        "website": "https://quartierswerk.example",
        "phone": "+49 231 1204-0",
        "contact_name": "Kim Kontakt",
        "contact_email": "Kim.Kontakt@Quartierswerk.example",
        "contact_phone": "+49 231 1204-11",
        "contact_position": "Head of Marketing",
        "language": "de",
        "invoice_company": "",
        "invoice_street": "",
        "invoice_postal_code": "",
        "invoice_city": "",
        "invoice_country": "",
        "invoice_email": "",
        "requested_sqm": "24",
        "preferred_stand_type": "corner",
        "wants_corner": "on",
        "topics": topics,
        "catalog_text": "Sensors and software for smart parking.\r\nMade in Dortmund.",
        "terms_accepted": "on",
        "privacy_accepted": "on",
        "terms_version": area.fair.terms_version,
        "privacy_version": legal.PRIVACY_VERSION,
        "co-TOTAL_FORMS": "2",
        "co-INITIAL_FORMS": "0",
        "co-MIN_NUM_FORMS": "0",
        "co-MAX_NUM_FORMS": "50",
        "co-0-name": "Parkfuchs UG",
        "co-0-website": "parkfuchs.example",
        "co-1-name": "",
        "co-1-website": "",
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def register_url(area) -> str:
    return f"/exhibitors/register/{area.pk}/"


def image_bytes(fmt: str, size=(400, 300), mode="RGB", **save_kwargs) -> bytes:
    color = (10, 92, 173, 128) if mode == "RGBA" else (10, 92, 173)
    if mode == "L":
        color = 128
    if mode == "P":
        color = 3
    image = Image.new(mode, size, color)
    out = io.BytesIO()
    image.save(out, format=fmt, **save_kwargs)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_with_header_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return [path for path in root.rglob("*") if path.is_file()]
