"""Editing a lead right after a scan, the lead list, and the page's weight, in Chromium.

Run with FAIRLEAD_SCREENSHOTS=1 to refresh docs/screenshots/scanner-*.png.
"""

import time

import pytest
from playwright.sync_api import expect

from badges.codes import short_code_display
from badges.services.issue import badge_revoke
from leads.models import Lead, Question
from tests import factories
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.helpers import (
    dismiss_flash,
    flash,
    pair_page,
    phone_context,
    screenshot,
    stored,
    wait_for_service_worker,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def camera_browser(playwright_instance):
    """Chromium with its built-in fake camera (a moving test pattern, no QR code in it)."""
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ],
    )
    yield browser
    browser.close()


def enter_code(page, text: str):
    page.click("#code")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_rating_answers_tags_and_note_after_a_scan_reach_the_lead(
    camera_browser, live_server, stand_device, fair
):
    exhibitor = stand_device.exhibitor
    budget = Question.objects.create(
        exhibitor=exhibitor,
        text="Budget this year?",
        kind=Question.Kind.SINGLE,
        choices=["< 10k", "10–50k", "> 50k"],
        position=0,
    )
    project = Question.objects.create(exhibitor=exhibitor, text="Project", position=1)
    badge = factories.make_badge(fair=fair, first_name="Erika", last_name="Mustermann")
    other = factories.make_badge(fair=fair, first_name="Max", last_name="Beispiel")
    context = phone_context(camera_browser, permissions=["camera"])
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    page.locator('#camera[data-state="running"]').wait_for(timeout=20_000)
    screenshot(page, "idle")

    enter_code(page, short_code_display(badge.short_code))
    text = flash(page, "new")
    assert "Erika Mustermann" in text and badge.attendee.company in text
    screenshot(page, "new-lead")
    dismiss_flash(page)

    panel = page.locator("#current-lead .lead-panel")
    panel.get_by_role("button", name="hot").click()
    panel.get_by_label("10–50k").check()
    panel.get_by_label("Project").fill("Smart parking pilot")
    panel.get_by_label("Project").blur()
    panel.get_by_label("Tags").fill("follow-up")
    panel.get_by_label("Tags").press("Enter")
    panel.get_by_label("Note").fill("Wants a call after the fair.")
    page.locator("#current-lead").evaluate("node => node.scrollIntoView()")
    screenshot(page, "lead-edit")
    with page.expect_response(
        lambda response: (
            response.request.method == "PATCH"
            and "Wants a call" in (response.request.post_data or "")
        )
    ) as patch:
        panel.get_by_role("button", name="Save").click()
    assert patch.value.status == 200
    page.wait_for_function(
        "() => document.getElementById('sync-count').dataset.count === '0'", timeout=15_000
    )

    lead = Lead.objects.get(attendee=badge.attendee)
    assert lead.rating == "hot"
    assert lead.answers == {str(budget.pk): "10–50k", str(project.pk): "Smart parking pilot"}
    assert lead.tags == ["follow-up"]
    assert [note.text for note in lead.notes.all()] == ["Wants a call after the fair."]
    assert lead.notes.get().device_id == stand_device.device.pk

    # Offline: the next scan and its rating wait on the phone, then go up in order.
    wait_for_service_worker(page)
    context.set_offline(True)
    enter_code(page, other.qr_content)
    flash(page, "queued")
    screenshot(page, "queued")
    dismiss_flash(page)
    page.locator("#current-lead .lead-panel").get_by_role("button", name="cold").click()
    page.locator("#sync-count[data-count='2']").wait_for()
    page.click("#tab-button-leads")
    page.locator("#lead-list .mark.queued").wait_for()
    screenshot(page, "offline-queue")
    page.fill("#lead-search", "mustermann")
    expect(page.locator("#lead-list li")).to_have_count(1)
    expect(page.locator("#lead-list li")).to_contain_text("Erika Mustermann")
    page.fill("#lead-search", "")

    context.set_offline(False)
    page.wait_for_function(
        "() => document.getElementById('sync-count').dataset.count === '0'", timeout=20_000
    )
    assert Lead.objects.get(attendee=other.attendee).rating == "cold"
    page.locator("#lead-list").get_by_text("Max Beispiel").wait_for()
    screenshot(page, "leads")
    context.close()


def test_a_refresh_keeps_a_note_and_a_tag_typed_but_not_saved(
    context, live_server, stand_device, fair
):
    # Typed, then the keyboard closed (focus left the panel), then the page refreshed its
    # leads, as its timer does every minute: the panel must not be redrawn over the text.
    badge = factories.make_badge(fair=fair, first_name="Erika", last_name="Mustermann")
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    enter_code(page, short_code_display(badge.short_code))
    flash(page, "new")
    dismiss_flash(page)
    panel = page.locator("#current-lead .lead-panel")
    panel.get_by_label("Note").fill("Wants a call after the fair.")
    panel.get_by_label("Tags").fill("follow-up")
    panel.get_by_label("Tags").blur()
    with page.expect_response(lambda response: "/api/scan/leads" in response.url):
        page.evaluate("async () => (await import('/static/scanner/sync.js')).refreshLeads()")
    expect(panel.get_by_label("Note")).to_have_value("Wants a call after the fair.")
    with page.expect_response(lambda response: response.request.method == "PATCH"):
        panel.get_by_role("button", name="Save").click()
    page.wait_for_function(
        "() => document.getElementById('sync-count').dataset.count === '0'", timeout=15_000
    )
    lead = Lead.objects.get(attendee=badge.attendee)
    assert [note.text for note in lead.notes.all()] == ["Wants a call after the fair."]
    assert lead.tags == ["follow-up"]
    context.close()


def test_revoked_badge_screenshot_and_typo_is_caught_before_sending(
    context, live_server, stand_device, fair
):
    badge = factories.make_badge(fair=fair)
    badge_revoke(badge=badge)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    pair_page(page, live_server, stand_device)

    code = badge.short_code
    wrong = code[:-2] + code[-1] + code[-2]  # two neighbors swapped
    if wrong == code:
        wrong = code[:3] + ("0" if code[3] != "0" else "1") + code[4:]
    enter_code(page, short_code_display(wrong))
    assert "Check the code" in flash(page, "typo")
    assert not any(url.endswith("/api/scan/scans") for url in requests)
    dismiss_flash(page)

    enter_code(page, short_code_display(code))
    flash(page, "revoked")
    screenshot(page, "revoked")


def test_hash_pairing_link_then_unpair_forgets_the_device(context, live_server, stand_device):
    page = context.new_page()
    pair_page(page, live_server, stand_device, use_hash=True)
    assert "pair=" not in page.url
    expect(page.locator("#exhibitor-name")).to_have_text(stand_device.exhibitor.company_name)
    expect(page.locator("#device-name")).to_have_text("Stand phone 1 (Test phone)")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#unpair")
    page.wait_for_selector("#pair-view:not([hidden])")
    page.reload()
    page.wait_for_selector("#pair-view:not([hidden])")
    assert all(rows == [] for rows in stored(page).values())


def test_used_pairing_code_is_refused_with_the_servers_reason(context, live_server, stand_device):
    from leads.services.devices import device_pair

    device_pair(pairing_code=stand_device.pairing_code, device_name="someone else")
    page = context.new_page()
    page.goto(f"{live_server.url}/scan/?pair={stand_device.pairing_code}")
    page.wait_for_selector("#pair-view:not([hidden])")
    page.click("#pair-submit")
    page.wait_for_function(
        "() => document.getElementById('pair-error').textContent.startsWith('Pairing failed')"
    )
    assert page.locator("#app-view").is_hidden()


def test_short_code_check_matches_the_servers(context, live_server):
    """The page's check character is badges/codes.py's: same verdict on codes and typos."""
    from badges.codes import CodeFormatError, short_code_generate, short_code_normalize

    page = context.new_page()
    page.goto(f"{live_server.url}/scan/")
    codes = [short_code_generate() for _ in range(200)]
    typos = []
    for n, code in enumerate(codes[:100]):
        i = n % 10
        if code[i] != code[i + 1]:
            typos.append(code[:i] + code[i + 1] + code[i] + code[i + 2 :])  # neighbors swapped
        typos.append(code[:i] + ("Z" if code[i] != "Z" else "Y") + code[i + 1 :])  # one wrong
    samples = codes + typos + ["o0i1-lLxx-xxx", "FL1:" + "A" * 26, "FL1Ö" + "Y" * 26, ""]
    verdicts = page.evaluate(
        """async (samples) => {
          const { parseCode } = await import('/static/scanner/codes.js');
          return samples.map((s) => { const r = parseCode(s); return r.ok ? r.send : null; });
        }""",
        samples,
    )
    for sample, verdict in zip(samples, verdicts, strict=True):
        if sample.startswith("FL1Ö"):
            assert verdict == "FL1:" + "Z" * 26  # US-layout scanner on a German keyboard
            continue
        if sample.startswith("FL1:"):
            assert verdict == sample
            continue
        try:
            expected = short_code_normalize(sample)
        except CodeFormatError:
            expected = None
        assert verdict == expected, sample
    assert all(verdict is None for verdict in verdicts[200 : 200 + len(typos)])


def test_too_many_scans_is_its_own_state_and_the_scan_goes_up_after_retry_after(
    context, live_server, stand_device, fair, settings
):
    window = 6
    settings.FAIRLEAD_RATE_LIMITS = {"scans_device": (2, window)}
    badges = [factories.make_badge(fair=fair) for _ in range(3)]
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    answers = []
    page.on(
        "response",
        lambda response: (
            "/api/scan/scans" in response.url
            and answers.append((response.status, response.headers.get("retry-after")))
        ),
    )
    while not 0.2 < time.time() % window < 1.0:  # all three scans in one window
        time.sleep(0.05)
    for badge in badges[:2]:
        enter_code(page, badge.qr_content)
        flash(page, "new")
        dismiss_flash(page)
    enter_code(page, badges[2].qr_content)
    text = flash(page, "limited")
    assert "Too many scans" in text and "sent again in" in text
    assert answers[-1][0] == 429 and int(answers[-1][1]) <= window
    net = page.locator("#net-state")
    expect(net).to_contain_text("too many scans, retrying in")
    expect(net).not_to_have_text("offline")
    expect(page.locator("#sync-count")).to_have_text("1 waiting to sync")
    expect(page.locator("#current-lead .lead-panel")).to_be_visible()  # it can be rated already
    screenshot(page, "rate-limited")
    dismiss_flash(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "rate-limited-waiting")

    page.wait_for_function(
        "() => document.getElementById('sync-count').dataset.count === '0'",
        timeout=(window + 5) * 1000,
    )
    assert Lead.objects.filter(attendee=badges[2].attendee).exists()
    assert [status for status, _ in answers].count(429) == 1  # no hammering while waiting
    expect(net).to_have_text("online")


def test_queued_scans_the_server_refuses_leave_the_queue_and_are_no_leads(
    context, live_server, stand_device, fair
):
    from badges.services.issue import staff_badge_issue

    good = factories.make_badge(fair=fair, first_name="Gerda", last_name="Gültig")
    revoked = factories.make_badge(fair=fair)
    badge_revoke(badge=revoked)
    own = staff_badge_issue(
        staff_member=factories.make_staff_member(exhibitor=stand_device.exhibitor)
    )
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    wait_for_service_worker(page)
    context.set_offline(True)
    for code in (good.qr_content, revoked.qr_content, "FL1:" + "7" * 26, own.qr_content):
        enter_code(page, code)
        flash(page, "queued")
        dismiss_flash(page)
    expect(page.locator("#lead-count")).to_have_text("4")
    context.set_offline(False)
    page.wait_for_function(
        "() => document.getElementById('sync-count').dataset.count === '0'", timeout=20_000
    )
    expect(page.locator("#banner")).to_contain_text("3 queued scans were refused")
    page.click("#tab-button-leads")
    rows = page.locator("#lead-list li")
    expect(rows).to_have_count(4)
    expect(page.locator("#lead-count")).to_have_text("1")
    refused = page.locator("#lead-list li .mark.refused")
    expect(refused).to_have_count(3)
    for text in ("refused: badge revoked", "refused: unknown badge", "refused by the server"):
        expect(page.locator("#lead-list")).to_contain_text(text)
    # A refused scan does not open as a lead to edit; it can be dismissed.
    revoked_row = page.locator("#lead-list li", has_text="refused: badge revoked")
    expect(revoked_row.locator("button.lead-open")).to_have_count(0)
    revoked_row.locator(".lead-open").click()
    assert page.locator("#lead-sheet").is_hidden()
    screenshot(page, "refused")
    revoked_row.get_by_role("button", name="Remove").click()
    expect(rows).to_have_count(3)
    assert stored(page)["queue"] == []
    assert list(Lead.objects.values_list("attendee_id", flat=True)) == [good.attendee_id]


def test_a_refused_live_scan_closes_the_previous_visitors_panel(
    context, live_server, stand_device, fair
):
    first = factories.make_badge(fair=fair)
    revoked = factories.make_badge(fair=fair)
    badge_revoke(badge=revoked)
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    enter_code(page, first.qr_content)
    flash(page, "new")
    expect(page.locator("#current-lead .lead-panel")).to_be_visible()
    enter_code(page, revoked.qr_content)
    flash(page, "revoked")
    expect(page.locator("#current-lead")).to_be_hidden()


def test_people_with_the_same_name_are_told_apart_in_the_list(
    context, live_server, stand_device, fair
):
    same = {"first_name": "Thomas", "last_name": "Müller"}
    at_rwe = factories.make_badge(fair=fair, company="RWE", **same)
    at_dew = factories.make_badge(fair=fair, company="DEW21", **same)
    typed = factories.make_badge(fair=fair, company="DEW21", **same)
    other = factories.make_badge(fair=fair, first_name="Petra", last_name="Einzeln")
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    for code in (at_rwe.qr_content, at_dew.qr_content, other.qr_content):
        enter_code(page, code)
        flash(page, "new")
        dismiss_flash(page)
    page.click("#code")
    page.keyboard.type(short_code_display(typed.short_code), delay=90)  # typed by hand
    page.keyboard.press("Enter")
    flash(page, "new")
    dismiss_flash(page)
    page.click("#tab-button-leads")
    rows = page.locator("#lead-list li", has_text="Thomas Müller")
    expect(rows).to_have_count(3)
    texts = rows.all_inner_texts()
    assert len(set(texts)) == 3, texts
    assert any("RWE" in text for text in texts)
    assert sum("DEW21" in text for text in texts) == 2
    assert any(short_code_display(typed.short_code) in text for text in texts)
    # The exact time (with seconds) tells the two at DEW21 apart; a unique name keeps it short.
    times = rows.locator("time").all_inner_texts()
    assert all(time_text.count(":") == 2 for time_text in times), times
    single = page.locator("#lead-list li", has_text="Petra Einzeln").locator("time").inner_text()
    assert single.count(":") == 1
    screenshot(page, "duplicates")
