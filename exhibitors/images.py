"""Exhibitor logos: accept PNG or JPEG only (judged by Pillow from the bytes), store re-encoded.

The uploaded file is never stored as it came: it is decoded, stripped of metadata, converted to
sRGB, shrunk to fit ``LOGO_STORED_BOX`` and encoded again under a random file name.
"""

import io
import uuid
import warnings
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LOGO_MAX_BYTES = 5 * 1024 * 1024
LOGO_MAX_SIDE = 6000
LOGO_STORED_BOX = (1200, 1200)
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}
JPEG_QUALITY = 88

# Errors Pillow raises for files it cannot read or that are damaged.
_DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


def _error(message: "StrOrPromise", code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _read_limited(upload: UploadedFile) -> bytes:
    """The upload's bytes; refuses before reading anything when the size is over the limit."""
    if upload.size is not None and upload.size > LOGO_MAX_BYTES:
        raise _too_big(upload.size)
    upload.seek(0)
    chunks, total = [], 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > LOGO_MAX_BYTES:
            raise _too_big(total)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(size: int) -> ValidationError:
    return _error(
        _("The logo file is %(size)s; at most %(max)s are allowed."),
        "logo_too_big",
        size=filesizeformat(size),
        max=filesizeformat(LOGO_MAX_BYTES),
    )


def _not_an_image() -> ValidationError:
    return _error(
        _("This file is not a PNG or JPEG image (it may be another kind of file renamed)."),
        "logo_not_image",
    )


def _damaged() -> ValidationError:
    return _error(
        _("The image file is damaged or incomplete. Please export it again and upload it anew."),
        "logo_damaged",
    )


def _too_many_pixels(width: int, height: int) -> ValidationError:
    return _error(
        _(
            "The logo is %(width)s × %(height)s pixels; at most %(max)d × %(max)d pixels are "
            "allowed."
        ),
        "logo_too_many_pixels",
        width=width,
        height=height,
        max=LOGO_MAX_SIDE,
    )


def _open(data: bytes) -> Image.Image:
    """Open lazily (header only); turns decompression-bomb warnings into errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _error(
                _("The logo has far too many pixels; at most %(max)d × %(max)d are allowed."),
                "logo_too_many_pixels",
                max=LOGO_MAX_SIDE,
            ) from None
        except _DECODE_ERRORS:
            raise _not_an_image() from None


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert an image with an embedded color profile to sRGB (best effort)."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in {"RGB", "RGBA", "CMYK"}:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, target, outputMode=output_mode)
        return converted if converted is not None else image
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _shrink(image: Image.Image, *, has_alpha: bool) -> Image.Image:
    """The decoded image shrunk to fit ``LOGO_STORED_BOX`` before anything copies it whole.

    Memory: a 6,000 × 6,000 PNG decodes to 137 MiB, and every full-size conversion (palette
    → RGBA, premultiplied alpha for resampling, color profile) used to add another copy. A big
    image is therefore first reduced by an integer factor in strips of a few hundred rows
    (each strip converted and premultiplied on its own), so only the decoded image and one
    strip are alive at full resolution; LANCZOS then works on the reduced image, still at
    least twice the stored size, as ``thumbnail(reducing_gap=2)`` would.
    """
    mode = "RGBA" if has_alpha else ("L" if image.mode in {"1", "L"} else "RGB")
    width, height = image.size
    factor = int(max(width / LOGO_STORED_BOX[0], height / LOGO_STORED_BOX[1]) // 2)
    if factor < 2 or (image.mode == mode and mode != "RGBA"):
        # Small enough, or RGB/L: thumbnail() reduces in place without a full-size copy.
        image = image.convert(mode) if image.mode != mode else image
        image.thumbnail(LOGO_STORED_BOX, Image.Resampling.LANCZOS, reducing_gap=2.0)
        return image
    work = "RGBa" if mode == "RGBA" else mode  # average colors weighted by their alpha
    reduced = Image.new(work, (-(-width // factor), -(-height // factor)))
    rows = factor * max(1, 128 // factor)
    for top in range(0, height, rows):
        strip = image.crop((0, top, width, min(height, top + rows))).convert(mode)
        reduced.paste(strip.convert(work).reduce(factor), (0, top // factor))
    reduced.thumbnail(LOGO_STORED_BOX, Image.Resampling.LANCZOS)  # still premultiplied
    small = reduced.convert(mode)
    small.info.update(image.info)  # color profile and EXIF orientation, used below
    return small


def logo_prepare(upload: UploadedFile) -> ContentFile:
    """Check an uploaded logo and return it re-encoded, ready to store under a random name.

    Raises ValidationError (codes ``logo_too_big``, ``logo_not_image``, ``logo_wrong_format``,
    ``logo_too_many_pixels``, ``logo_damaged``) with a message for the upload field.
    """
    data = _read_limited(upload)
    if not data:
        raise _not_an_image()

    probe = _open(data)
    fmt = probe.format
    if fmt not in LOGO_FORMATS:
        raise _error(
            _("Only PNG or JPEG images are allowed; this file is a %(format)s image."),
            "logo_wrong_format",
            format=fmt or "?",
        )
    width, height = probe.size
    if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
        raise _too_many_pixels(width, height)
    try:
        probe.verify()
    except _DECODE_ERRORS:
        raise _damaged() from None

    image = _open(data)  # verify() leaves the image unusable: open again to decode
    try:
        if fmt == "JPEG":
            # Let the JPEG decoder scale down while decoding: far less memory for big photos.
            image.draft("RGB", LOGO_STORED_BOX)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
        has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
        image = _shrink(image, has_alpha=has_alpha)
        image = ImageOps.exif_transpose(image)
    except _DECODE_ERRORS:
        raise _damaged() from None

    image = _to_srgb(image)
    if fmt == "PNG":
        image = image.convert("RGBA" if has_alpha else "RGB")
    else:
        image = image.convert("L" if image.mode in {"L", "1"} else "RGB")

    clean = Image.new(image.mode, image.size)
    clean.paste(image)  # a fresh image carries no EXIF, text chunks or color profile
    out = io.BytesIO()
    if fmt == "PNG":
        clean.save(out, format="PNG", optimize=True)
    else:
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{LOGO_FORMATS[fmt]}")
