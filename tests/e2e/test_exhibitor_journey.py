"""The exhibitor's whole journey in Chromium, through the real server with real headers:
register (with a logo) → confirm from the mail → the organizer approves and assigns a stand in
the admin → invitation mail → set the password → add stand staff → staff badge PDF (its QR
decoded) → pair a phone with the portal's pairing link → scan a visitor's typed badge code →
edit the lead → download every export format and read each file back.

Run on a phone in German and on a desktop in English. Every page is checked for console
errors and warnings and for CSP violations; a failing step leaves a screenshot in
$FAIRLEAD_E2E_FAILURES (default /tmp/fairlead-e2e-failures).
"""

import datetime
import time
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from badges.models import Badge
from exhibitors.models import Exhibitor
from leads.models import Lead
from tests import factories
from tests.e2e.portal_journey import (
    DESKTOP,
    PHONE,
    PageWatch,
    csv_rows,
    mail_link,
    path_of,
    pdf_qr_codes,
    pdf_text,
    screenshot,
    step,
    submit,
    xlsx_rows,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Messe-Stand-2019!"
ORGANIZER_PASSWORD = "organizer-secret-9"


@pytest.fixture
def running_fair(db):
    """A fair running today (scans are taken now), its area open for registration, free
    stands, an organizer and a visitor who shares contact details."""
    today = timezone.localdate()
    fair = factories.make_fair(
        starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=1)
    )
    area = factories.make_area(fair=fair)
    stands = [factories.make_stand(area=area, number=f"3.C0{n}") for n in (1, 2)]
    organizer = factories.make_organizer(username="orga")
    organizer.set_password(ORGANIZER_PASSWORD)
    organizer.save()
    visitor = factories.make_badge(
        fair=fair, first_name="Ayşe", last_name="Öztürk-Wójcik", email="ayse@stadt.example"
    )
    return {"fair": fair, "area": area, "stands": stands, "visitor": visitor}


def logo_file(tmp_path) -> str:
    path = tmp_path / "logo.png"
    image = Image.new("RGB", (320, 120), (11, 92, 173))
    image.save(path, format="PNG")
    return str(path)


def new_context(browser, viewport: str, language: str, watch: PageWatch):
    context = browser.new_context(
        viewport=PHONE if viewport == "phone" else DESKTOP,
        locale="de-DE" if language == "de" else "en-GB",
        timezone_id="Europe/Berlin",
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
        accept_downloads=True,
    )
    watch.attach(context)
    return context


def download(page, selector: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.locator(selector).first.click()
    file = info.value
    return file.suggested_filename, Path(file.path()).read_bytes()


def wait_for(condition, *, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.mark.parametrize(("viewport", "language"), [("phone", "de"), ("desktop", "en")])
def test_exhibitor_journey(browser, live_server, running_fair, tmp_path, viewport, language):
    base = live_server.url
    area = running_fair["area"]
    watch = PageWatch()
    context = new_context(browser, viewport, language, watch)
    page = context.new_page()
    email = "kim.kontakt@parkwerk-test.example"

    with step(page, f"{viewport}-register"):
        page.goto(f"{base}{reverse('exhibitors:register', kwargs={'area_id': area.pk})}")
        for name, value in {
            "company_name": "Parkwerk Test O'Brien & Co GmbH",
            "legal_form": "GmbH",
            "street": "Rheinlanddamm 200",
            "postal_code": "44139",
            "city": "Dortmund",
            "vat_id": "DE123456788",
            "contact_name": "Kim Kontakt",
            "contact_email": email,
            "requested_sqm": "20",
            "catalog_text": "Sensoren für smartes Parken.\nMade in Dortmund.",
        }.items():
            page.fill(f"main [name={name}]", value)
        page.select_option("main select[name=language]", language)
        page.locator("[name=topics]").first.check()
        page.set_input_files("[name=logo]", logo_file(tmp_path))
        page.check("[name=terms_accepted]")
        page.check("[name=privacy_accepted]")
        watch.check(page)
        screenshot(page, f"portal-register-{viewport}")
        page.click(".reg-submit button")
        page.wait_for_url("**/register/done/")
        watch.check(page)
        exhibitor = Exhibitor.objects.get(contact_email=email)
        assert exhibitor.logo and exhibitor.state == Exhibitor.State.UNCONFIRMED

    with step(page, f"{viewport}-confirm"):
        wait_for(lambda: len(mail.outbox) == 1)
        assert "O'Brien & Co" in mail.outbox[0].body
        page.goto(base + path_of(mail_link(mail.outbox[0].body, "/exhibitors/confirm/")))
        submit(page)  # a POST from a page of ours: Chromium sends Origin, CSRF accepts it
        exhibitor.refresh_from_db()
        assert exhibitor.state == Exhibitor.State.SUBMITTED
        watch.check(page)

    with step(page, f"{viewport}-organizer-approves"):
        organizer = new_context(browser, "desktop", language, watch).new_page()
        organizer.goto(f"{base}/admin/login/")
        organizer.fill("#id_username", "orga")
        organizer.fill("#id_password", ORGANIZER_PASSWORD)
        organizer.click("[type=submit]")
        organizer.goto(f"{base}{reverse('admin:exhibitors_exhibitor_changelist')}?state=review")
        organizer.check(f"input[name=_selected_action][value='{exhibitor.pk}']")
        organizer.select_option("select[name=action]", "approve")
        organizer.click("button[name=index]")
        stand = running_fair["stands"][1]
        organizer.select_option("select[name=stand]", str(stand.pk))
        organizer.click("#content-main form [type=submit]")
        organizer.wait_for_load_state("networkidle")
        watch.check(organizer)
        exhibitor.refresh_from_db()
        assert exhibitor.state == Exhibitor.State.APPROVED and exhibitor.stand_id == stand.pk
        organizer.context.close()

    with step(page, f"{viewport}-invitation"):
        wait_for(lambda: len(mail.outbox) == 3)  # received, approved (with the invitation)
        invitation = mail_link(mail.outbox[-1].body, "/exhibitor/invitation/")
        page.goto(base + path_of(invitation))
        page.fill("[name=new_password1]", PASSWORD)
        page.fill("[name=new_password2]", PASSWORD)
        submit(page)
        assert page.url.rstrip("/").endswith("/exhibitor")
        assert stand.number in page.content()
        watch.check(page)

    with step(page, f"{viewport}-staff"):
        page.goto(f"{base}{reverse('portal:staff')}")
        page.fill("[name=first_name]", "Zoë")
        page.fill("[name=last_name]", "Ładowarka")
        page.fill("[name=email]", "zoe@parkwerk-test.example")
        page.select_option("[name=role]", "manager")
        page.click("#h-add ~ form [type=submit]")
        page.wait_for_load_state("networkidle")
        assert "Ładowarka" in page.content()
        watch.check(page)
        screenshot(page, f"portal-staff-{viewport}")
        name, pdf = download(page, "a[href$='/badge.pdf']")
        staff_badge = Badge.objects.get(attendee__staff_member__email="zoe@parkwerk-test.example")
        assert name.endswith(".pdf")
        assert pdf_qr_codes(pdf) == [staff_badge.qr_content]
        _name, all_badges = download(page, f"a[href='{reverse('badges:staff_badges_pdf')}']")
        assert pdf_qr_codes(all_badges) == [staff_badge.qr_content]

    with step(page, f"{viewport}-pair-device"):
        page.goto(f"{base}{reverse('devices:list')}")
        page.fill("[name=label]", "Standhandy 1")
        page.click("#h-add-device ~ form [type=submit]")
        link = page.get_attribute("#pairing-link", "href")
        assert "#pair=" in link
        watch.check(page)
        phone = new_context(browser, "phone", language, watch).new_page()
        phone.goto(link)
        phone.wait_for_selector("#pair-view:not([hidden])")
        phone.fill("#pair-device", "Kims Telefon")
        phone.click("#pair-submit")
        phone.wait_for_selector("#app-view:not([hidden])")

    with step(phone, f"{viewport}-scan"):
        visitor = running_fair["visitor"]
        phone.fill("#code", visitor.short_code)
        phone.keyboard.press("Enter")
        wait_for(lambda: Lead.objects.filter(exhibitor=exhibitor).exists())
        phone.wait_for_selector("#flash:not([hidden])")
        assert "Ayşe" in phone.inner_text("#flash")
        watch.check(phone)
        phone.context.close()

    lead = Lead.objects.get(exhibitor=exhibitor)
    with step(page, f"{viewport}-edit-lead"):
        page.goto(f"{base}{reverse('leads:detail', kwargs={'pk': lead.pk})}")
        page.select_option("[name=rating]", "hot")
        page.fill("[name=tags]", "Rückruf, Angebot")
        page.fill("[name=note]", "Möchte 20 Stellplätze mit Sensoren.")
        page.click("form[aria-labelledby=edit-title] [type=submit]")
        page.wait_for_load_state("networkidle")
        lead.refresh_from_db()
        assert lead.rating == "hot" and lead.tags == ["Rückruf", "Angebot"]
        page.click("form:has(input[name=tag][value='Angebot']) button")
        page.wait_for_load_state("networkidle")
        page.click(".note-actions a")
        page.fill("[name=text]", "Möchte 25 Stellplätze mit Sensoren.")
        page.click("#notes-title ~ ol form [type=submit]")
        page.wait_for_load_state("networkidle")
        lead.refresh_from_db()
        assert lead.tags == ["Rückruf"]
        assert lead.notes.get().text == "Möchte 25 Stellplätze mit Sensoren."
        assert "20 Stellplätze" in page.content()  # the earlier version is kept
        watch.check(page)
        screenshot(page, f"portal-lead-{viewport}")

    with step(page, f"{viewport}-downloads"):
        page.goto(f"{base}{reverse('leads:list')}")
        watch.check(page)
        screenshot(page, f"portal-leads-{viewport}")
        files = {}
        for fmt in ("csv", "csv-excel", "xlsx", "salesforce", "hubspot"):
            href = reverse("leads:export", kwargs={"fmt": fmt})
            files[fmt] = download(page, f".download-list a[href='{href}']")
        files["pdf"] = download(page, f".download-list a[href='{reverse('leads:report_pdf')}']")
        assert len({name for name, _data in files.values()}) == len(files)
        for fmt, delimiter in (("csv", ","), ("csv-excel", ";")):
            rows = csv_rows(files[fmt][1], delimiter=delimiter)
            assert len(rows) == 2 and "Ayşe" in rows[1] and "ayse@stadt.example" in rows[1]
        for fmt in ("salesforce", "hubspot"):
            assert "ayse@stadt.example" in files[fmt][1].decode("utf-8-sig")
        sheet = xlsx_rows(files["xlsx"][1])
        assert len(sheet) == 2 and "Öztürk-Wójcik" in sheet[1]
        assert "Öztürk-Wójcik" in pdf_text(files["pdf"][1])
    context.close()
