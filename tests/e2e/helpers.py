"""Helpers for the browser tests of the stand scanner page."""

import os
from dataclasses import dataclass
from pathlib import Path

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def phone_context(browser, **extra):
    """A browser context like a phone held upright, English UI."""
    options = {
        "viewport": PHONE,
        "device_scale_factor": 1,
        "is_mobile": True,
        "has_touch": True,
        "locale": "en-GB",
        "timezone_id": "Europe/Berlin",
        "service_workers": "allow",
    }
    options.update(extra)
    return browser.new_context(**options)


@dataclass
class Stand:
    exhibitor: object
    device: object
    pairing_code: str


def pair_page(page, live_server, stand: Stand, *, use_hash: bool = False):
    """Open the pairing link like a phone that scanned the portal's pairing QR, and pair."""
    link = f"{live_server.url}/scan/{'#' if use_hash else '?'}pair={stand.pairing_code}"
    page.goto(link)
    page.wait_for_selector("#pair-view:not([hidden])")
    assert page.input_value("#pair-code") == stand.pairing_code
    page.fill("#pair-device", "Test phone")
    page.click("#pair-submit")
    page.wait_for_selector("#app-view:not([hidden])")
    page.wait_for_function(
        "() => document.getElementById('exhibitor-name').textContent.length > 0",
        timeout=10_000,
    )


def wait_for_service_worker(page):
    """Wait until the service worker controls the page and holds the shell."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)


def flash(page, kind: str, timeout: float = 15_000):
    """Wait for the full-screen answer of the given kind and return its text."""
    locator = page.locator(f'#flash[data-kind="{kind}"]:not([hidden])')
    locator.wait_for(timeout=timeout)
    return locator.inner_text()


def dismiss_flash(page):
    if page.locator("#flash:not([hidden])").count():
        page.click("#flash")
    page.wait_for_selector("#flash", state="hidden")


def screenshot(page, name: str):
    """Save docs/screenshots/scanner-NAME.png when FAIRLEAD_SCREENSHOTS=1 (never by default:
    a normal test run leaves the work tree alone)."""
    if os.environ.get("FAIRLEAD_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # let the flash's short fade-in finish
    page.screenshot(path=str(SCREENSHOTS / f"scanner-{name}.png"))


def badge_pdf(badge) -> bytes:
    """The badge as the visitor prints it, rendered by our own badge code (A6 portrait)."""
    from badges.codes import short_code_display
    from badges.layouts import layout_get
    from badges.render import BadgeData, badge_pdf_bytes

    attendee = badge.attendee
    fair = attendee.fair
    data = BadgeData(
        qr_content=badge.qr_content,
        short_code=short_code_display(badge.short_code),
        first_name=attendee.first_name,
        last_name=attendee.last_name,
        category=attendee.category,
        category_label=str(attendee.get_category_display()),
        fair_name=fair.name,
        fair_dates=f"{fair.starts_on:%d.%m.}–{fair.ends_on:%d.%m.%Y}",
        company=attendee.company,
        job_title=attendee.job_title,
        country=attendee.country,
    )
    return badge_pdf_bytes(data, layout=layout_get("a6"))


def camera_feed_write(pdf: bytes, path: Path, *, width: int = 1280, height: int = 720) -> None:
    """Rasterise the PDF's first page and write it as a YUV4MPEG2 (4:2:0) file that Chromium's
    fake camera plays in a loop: the badge held up in front of the phone at arm's length."""
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    page_height = page.get_height()
    badge = page.render(scale=(height * 0.9) / page_height).to_pil().convert("RGB")
    document.close()
    frame = Image.new("RGB", (width, height), (92, 96, 104))  # a hall's grey behind the badge
    frame.paste(badge, ((width - badge.width) // 2, (height - badge.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (width // 2, height // 2)
    planes = (
        y.tobytes() + cb.resize(half, Image.BOX).tobytes() + cr.resize(half, Image.BOX).tobytes()
    )
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for _ in range(2):
            out.write(b"FRAME\n")
            out.write(planes)
