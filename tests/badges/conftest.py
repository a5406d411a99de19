"""Helpers for the badge tests: rasterise PDFs and read every QR code on them."""

import pypdfium2 as pdfium
import pytest
import zxingcpp

from badges.render import BadgeData

# Names that test the font and the shrink-to-fit: long double-barrelled German names, long
# company names, and letters from Polish, Czech, Turkish, Hungarian, Greek and Cyrillic.
HARD_NAMES = [
    (
        "Maximiliane Friederike Auguste",
        "von Hohenzollern-Sigmaringen-Wittelsbach-Schleswig-Holstein",
        "Überlandwerk Groß-Gerau Energie- und Wasserversorgungsgesellschaft mbH & Co. KG",
        "Stellvertretende Abteilungsleiterin Netzplanung und Digitalisierung",
    ),
    ("Łucja", "Wiśniewska-Żółkiewska", "Zakład Energetyczny Łódź", "Kierowniczka"),
    ("Řehoř", "Dvořák", "Elektrárny Brno", "Ředitel"),
    ("Ayşe Gül", "Doğan-Şahin", "Güneş Enerji A.Ş.", "Mühendis"),
    ("Ödön", "Kőváry-Győrffy", "Villamosművek Zrt.", "Mérnök"),
    ("Ωmega", "Παπαδόπουλος", "Ηλεκτρική Εταιρεία", "Μηχανικός"),
    ("Жанна", "Щербакова-Жуковская", "Электросети", "Инженер"),
    ("Bo", "Li", "", ""),
]


def make_data(index: int, *, category: str = "visitor", names=None) -> BadgeData:
    from badges.codes import qr_content, secret_generate, short_code_display, short_code_generate

    first, last, company, job = names or HARD_NAMES[index % len(HARD_NAMES)]
    return BadgeData(
        qr_content=qr_content(secret_generate()),
        short_code=short_code_display(short_code_generate()),
        first_name=first,
        last_name=last,
        company=company,
        job_title=job,
        country="Deutschland",
        category=category,
        category_label="Besucher · Visitor",
        fair_name="Elektrotechnik 2019",
        fair_dates="13.–15.02.2019 · Westfalenhallen Dortmund",
    )


def pdf_pages(pdf: bytes):
    document = pdfium.PdfDocument(pdf)
    try:
        yield from (document[index] for index in range(len(document)))
    finally:
        document.close()


def qr_texts_per_page(pdf: bytes, *, dpi: int = 200) -> list[list[str]]:
    """Rasterise every page and decode every QR code on it (zxing-cpp)."""
    found = []
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            image = document[index].render(scale=dpi / 72).to_pil()
            codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            found.append([code.text for code in codes])
    finally:
        document.close()
    return found


def qr_widths_mm(pdf: bytes, *, dpi: int = 200) -> list[float]:
    """Width of every decoded QR symbol (without quiet zone) in millimetres."""
    widths = []
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            image = document[index].render(scale=dpi / 72).to_pil()
            for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
                position = code.position
                pixels = abs(position.top_right.x - position.top_left.x)
                widths.append(pixels / dpi * 25.4)
    finally:
        document.close()
    return widths


@pytest.fixture
def hard_badges() -> list[BadgeData]:
    return [make_data(index) for index in range(len(HARD_NAMES))]
