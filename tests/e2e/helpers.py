"""Helpers for the browser tests of the stand scanner page."""

import os
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

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


def portal_login(context, live_server, user) -> None:
    """Give the browser context the session of ``user`` (logged in to the portal)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def wait_for_service_worker(page):
    """Wait until the service worker controls the page and holds the shell."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)


def flash(page, kind: str, timeout: float = 15_000):
    """Wait for the full-screen answer of the given kind and return its text."""
    locator = page.locator(f'#flash[data-kind="{kind}"]:not([hidden])')
    try:
        locator.wait_for(timeout=timeout)
    except PlaywrightTimeoutError:
        # Say what the page shows instead (e.g. "queued": the live send timed out).
        shown = page.evaluate(
            "() => { const f = document.getElementById('flash');"
            " return f && [f.dataset.kind, f.hidden, f.innerText]; }"
        )
        raise AssertionError(
            f"no {kind!r} flash within {timeout} ms; #flash is {shown!r}"
        ) from None
    return locator.inner_text()


def dismiss_flash(page):
    if page.locator("#flash:not([hidden])").count():
        page.click("#flash")
    page.wait_for_selector("#flash", state="hidden")


def wedge_scan(page, text: str):
    """A keyboard-wedge scanner: the code typed at machine pace, then Enter, into whatever has
    the focus."""
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def hand_type(page, text: str):
    """A person typing (about 90 ms per key)."""
    page.keyboard.type(text, delay=90)


def synced(page, timeout: float = 20_000):
    """Wait until nothing waits in the upload queue."""
    page.wait_for_function(
        "() => document.getElementById('sync-count').dataset.count === '0'", timeout=timeout
    )


def stored(page) -> dict[str, list]:
    """Everything the page keeps in IndexedDB, per object store."""
    return page.evaluate(
        """async () => {
          const db = await new Promise((ok, fail) => {
            const r = indexedDB.open('fairlead-scanner');
            r.onsuccess = () => ok(r.result);
            r.onerror = () => fail(r.error);
          });
          const out = {};
          for (const name of db.objectStoreNames) {
            out[name] = await new Promise((ok) => {
              const r = db.transaction(name).objectStore(name).getAll();
              r.onsuccess = () => ok(r.result);
            });
          }
          db.close();
          return out;
        }"""
    )


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
        country=str(attendee.country),  # the code; the print run shows the name
    )
    return badge_pdf_bytes(data, layout=layout_get("a6"))


def badge_card(badge, *, height: int):
    """The printed badge as the camera sees it, ``height`` pixels tall (a PIL image)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(badge_pdf(badge))
    page = document[0]
    image = page.render(scale=height / page.get_height()).to_pil().convert("RGB")
    document.close()
    return image


def qr_card(content: str, *, height: int):
    """A card with a QR code of any content (e.g. a well-formed code no badge has), like a
    badge of another fair or a flyer next to the visitor's badge."""
    import qrcode
    from PIL import Image

    card = Image.new("RGB", (int(height * 105 / 148), height), (255, 255, 255))
    qr = qrcode.make(content, border=4).convert("RGB")
    side = int(card.width * 0.6)
    card.paste(qr.resize((side, side), Image.NEAREST), ((card.width - side) // 2, height // 3))
    return card


def camera_scene(cards=(), *, width: int = 1280, height: int = 720):
    """One camera frame: the cards side by side on a hall's gray, centered."""
    from PIL import Image

    frame = Image.new("RGB", (width, height), (92, 96, 104))
    gap = 24
    total = sum(card.width for card in cards) + gap * max(0, len(cards) - 1)
    x = (width - total) // 2
    for card in cards:
        frame.paste(card, (x, (height - card.height) // 2))
        x += card.width + gap
    return frame


def camera_feed_write(pdf: bytes, path: Path, *, width: int = 1280, height: int = 720) -> None:
    """Rasterise the PDF's first page and write it as a YUV4MPEG2 (4:2:0) file that Chromium's
    fake camera plays in a loop: the badge held up in front of the phone at arm's length."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    page_height = page.get_height()
    badge = page.render(scale=(height * 0.9) / page_height).to_pil().convert("RGB")
    document.close()
    scene_feed_write(camera_scene([badge], width=width, height=height), path)


def scene_feed_write(frame, path: Path) -> None:
    """A still camera scene as a YUV4MPEG2 (4:2:0) file that Chromium's fake camera loops."""
    from PIL import Image

    width, height = frame.size
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


# Chromium plays an MJPEG file for its fake camera at 30 frames per second, in a loop.
MJPEG_FPS = 30


def timed_feed_write(scenes, path: Path) -> None:
    """A camera film as MJPEG: ``scenes`` are ``(frame, seconds)``, played in order and looped
    (a gray hall, then a badge held up, then gray again …)."""
    import io

    with path.open("wb") as out:
        for frame, seconds in scenes:
            buffer = io.BytesIO()
            frame.save(buffer, format="JPEG", quality=90)
            out.write(buffer.getvalue() * max(1, round(seconds * MJPEG_FPS)))


def camera_browser(playwright, feed: Path):
    """Debian's Chromium with ``feed`` as its camera (permission granted, no prompt)."""
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={feed}",
        ],
    )
