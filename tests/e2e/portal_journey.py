"""Shared helpers of the exhibitor and organizer journeys (test_exhibitor_journey.py,
test_organizer_journey.py) and of the portal tests that read files back.

Files are read back by the programs people open them with: PDFs rasterised by pypdfium2 and
their QR codes decoded by zxing-cpp, their text extracted by pdfium; CSV parsed by the csv
module, XLSX opened with openpyxl.
"""

import contextlib
import csv
import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FAILURES = Path(os.environ.get("FAIRLEAD_E2E_FAILURES", "/tmp/fairlead-e2e-failures"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


# --------------------------------------------------------------------------- files


def pdf_qr_codes(pdf: bytes, *, scale: float = 3.0) -> list[str]:
    """Every QR code on every page of the PDF, as a phone would read the printed page."""
    import pypdfium2
    import zxingcpp

    codes = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for page in document:
            image = page.render(scale=scale).to_pil()
            # QR only, as a phone's QR scanner: a linear format can be "read" from printed text
            # (CI once found a code "649900" on a staff badge page).
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            codes += [result.text for result in found]
    finally:
        document.close()
    return codes


def pdf_text(pdf: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def csv_rows(data: bytes, *, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def xlsx_rows(data: bytes) -> list[tuple]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def mail_link(body: str, path_part: str) -> str:
    """The first absolute link in a mail body whose path contains ``path_part``."""
    match = re.search(rf"https?://\S*{re.escape(path_part)}\S*", body)
    assert match, body
    return match.group(0)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


# --------------------------------------------------------------------------- browser


# Collects what a page reports: CSP violations (the event) and console errors and warnings.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@dataclass
class PageWatch:
    """Console errors/warnings, page errors and CSP violations of every page a context opens."""

    problems: list[str] = field(default_factory=list)

    def attach(self, context) -> None:
        context.add_init_script(WATCH)
        context.on("page", self._page)

    def _page(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def check(self, page, where: str = "") -> None:
        """Fail on anything reported so far (CSP violations are read from the page)."""
        try:
            violations = page.evaluate("window.__csp || []")
        except Exception:  # a download or a closed page has no window
            violations = []
        found = [*self.problems, *(f"CSP: {v}" for v in violations)]
        self.problems.clear()
        assert found == [], f"{where or page.url}: {found}"


@contextmanager
def step(page, name: str) -> Iterator[None]:
    """A named journey step: when it fails, a screenshot of the page is saved first."""
    try:
        yield
    except BaseException:
        FAILURES.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^a-z0-9-]+", "-", name.lower())
        with contextlib.suppress(Exception):  # keep the original failure
            page.screenshot(path=str(FAILURES / f"{safe}.png"), full_page=True)
        raise


def screenshot(page, name: str) -> None:
    """docs/screenshots/NAME.png when FAIRLEAD_SCREENSHOTS=1 (a normal run leaves the work
    tree alone)."""
    if os.environ.get("FAIRLEAD_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def pdf_screenshot(pdf: bytes, name: str, *, scale: float = 1.5) -> None:
    """docs/screenshots/NAME.png: the PDF's first page as a viewer shows it, when
    FAIRLEAD_SCREENSHOTS=1."""
    if os.environ.get("FAIRLEAD_SCREENSHOTS") != "1":
        return
    import pypdfium2

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(pdf)
    try:
        document[0].render(scale=scale).to_pil().save(str(SCREENSHOTS / f"{name}.png"))
    finally:
        document.close()


def submit(page, form_selector: str = "main form") -> None:
    """Press the submit button of the page's form (not the header's language buttons)."""
    page.locator(f"{form_selector} [type=submit]").first.click()
    page.wait_for_load_state("networkidle")


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    submit(page)
