"""A hardware scanner (keyboard wedge) and typing on the scanner page, in Chromium.

A wedge scanner types the code at machine pace and presses Enter into whatever has the focus:
`wedge_scan` does the same through Chromium's input pipeline; `hand_type` types like a person.
"""

import pytest
from playwright.sync_api import expect

from badges.codes import short_code_display
from leads.models import Lead, Scan
from tests import factories
from tests.e2e.helpers import (
    dismiss_flash,
    flash,
    hand_type,
    pair_page,
    screenshot,
    synced,
    wedge_scan,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(context, live_server, stand_device):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    pair_page(page, live_server, stand_device)
    yield page
    assert errors == []


def capture(page, badge, kind="new"):
    page.evaluate("document.activeElement && document.activeElement.blur()")
    wedge_scan(page, badge.qr_content)
    text = flash(page, kind)
    dismiss_flash(page)
    return text


def test_a_scan_into_the_open_note_captures_the_next_visitor_and_leaves_the_note_alone(page, fair):
    first = factories.make_badge(fair=fair, first_name="Anna", last_name="Erste")
    second = factories.make_badge(fair=fair, first_name="Bernd", last_name="Zweiter")
    capture(page, first)
    note = page.locator("#current-lead .note")
    note.click()
    hand_type(page, "Wants a demo")
    page.keyboard.press("Enter")  # a person's Enter in the note is a new line
    hand_type(page, "in March")
    assert note.input_value() == "Wants a demo\nin March"

    wedge_scan(page, second.qr_content)
    assert "Bernd Zweiter" in flash(page, "new")
    dismiss_flash(page)
    synced(page)
    first_lead = Lead.objects.get(attendee=first.attendee)
    assert [n.text for n in first_lead.notes.all()] == ["Wants a demo\nin March"]
    assert first_lead.tags == []
    assert Lead.objects.get(attendee=second.attendee).notes.count() == 0
    expect(page.locator("#current-lead .panel-name")).to_have_text("Bernd Zweiter")
    assert "FL1" not in page.locator("#current-lead .note").input_value()


def test_a_scan_into_the_tag_field_adds_no_tag_and_keeps_what_was_typed(page, fair):
    first = factories.make_badge(fair=fair, first_name="Clara", last_name="Tag")
    second = factories.make_badge(fair=fair, first_name="Dieter", last_name="Danach")
    capture(page, first)
    tags = page.locator("#current-lead .tag-input")
    tags.click()
    hand_type(page, "pil")
    wedge_scan(page, second.qr_content)
    assert "Dieter Danach" in flash(page, "new")
    dismiss_flash(page)
    synced(page)
    assert Lead.objects.get(attendee=first.attendee).tags == []
    assert Scan.objects.count() == 2


def test_a_scan_into_the_lead_search_is_undone(page, fair):
    first = factories.make_badge(fair=fair, first_name="Eva", last_name="Suche")
    second = factories.make_badge(fair=fair, first_name="Felix", last_name="Fund")
    capture(page, first)
    page.click("#tab-button-leads")
    page.click("#lead-search")
    hand_type(page, "eva")
    wedge_scan(page, short_code_display(second.short_code))
    assert "Felix Fund" in flash(page, "new")
    assert page.input_value("#lead-search") == "eva"


def test_a_repeat_scan_says_already_captured_and_queued_repeats_count_once(page, context, fair):
    anna = factories.make_badge(fair=fair, first_name="Anna", last_name="Again")
    ben = factories.make_badge(fair=fair, first_name="Ben", last_name="Bald")
    capture(page, anna)
    text = capture(page, anna, "again")  # the same badge a moment later
    assert "Anna Again" in text and "counted once" in text
    assert Scan.objects.count() == 1

    context.set_offline(True)
    capture(page, ben, "queued")
    page.wait_for_timeout(5200)  # later than "a moment": a real second scan, queued
    assert "Already captured" in capture(page, ben, "again")  # name unknown until uploaded
    text = capture(page, anna, "again")
    assert "Anna Again" in text
    expect(page.locator("#sync-count")).to_have_text("3 waiting to sync")
    expect(page.locator("#lead-count")).to_have_text("2")
    page.click("#tab-button-leads")
    expect(page.locator("#lead-list li")).to_have_count(2)

    context.set_offline(False)
    synced(page)
    assert Lead.objects.count() == 2
    assert Lead.objects.get(attendee=anna.attendee).scan_count == 2
    assert Lead.objects.get(attendee=ben.attendee).scan_count == 2
    expect(page.locator("#lead-count")).to_have_text("2")
    expect(page.locator("#lead-list li")).to_have_count(2)
    expect(page.locator("#lead-list")).to_contain_text("Ben Bald")


def test_a_refused_badge_read_again_a_moment_later_is_still_refused_and_not_resent(page, fair):
    from badges.services.issue import badge_revoke

    badge = factories.make_badge(fair=fair)
    badge_revoke(badge=badge)
    requests = []
    page.on("request", lambda request: "/api/scan/scans" in request.url and requests.append(1))
    capture(page, badge, "revoked")
    capture(page, badge, "revoked")
    assert len(requests) == 1
    expect(page.locator("#current-lead")).to_be_hidden()


def test_a_typo_keeps_the_typed_code_and_marks_the_wrong_place(page, fair, live_server):
    badge = factories.make_badge(fair=fair, first_name="Tipp", last_name="Fehler")
    code = badge.short_code
    i = next(i for i in range(4, 9) if code[i] != code[i + 1])
    wrong = code[:i] + code[i + 1] + code[i] + code[i + 2 :]  # two neighbors swapped
    typed = short_code_display(wrong)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.click("#code")
    hand_type(page, typed)
    page.keyboard.press("Enter")
    check = page.locator("#code-check")
    expect(check).to_be_visible()
    expect(check).to_contain_text("Compare the marked characters")
    assert page.input_value("#code") == typed
    raw = [n for n, char in enumerate(typed) if char != "-"]  # code index → typed index
    marked = check.evaluate(
        """node => [...node.querySelector('.typed').childNodes].flatMap((child, index) =>
             child.nodeName === 'MARK' ? [index] : [])"""
    )
    assert {raw[i], raw[i + 1]} <= set(marked)
    selection = page.locator("#code").evaluate("node => [node.selectionStart, node.selectionEnd]")
    assert selection[1] - selection[0] == 1 and selection[0] in marked
    assert page.get_attribute("#code", "aria-invalid") == "true"
    screenshot(page, "typo")
    assert not any(url.endswith("/api/scan/scans") for url in requests)

    # Fixing it in place: select the swapped pair and type it right.
    page.evaluate(f"document.getElementById('code').setSelectionRange({raw[i]}, {raw[i + 1] + 1})")
    hand_type(page, short_code_display(code)[raw[i] : raw[i + 1] + 1])
    expect(check).to_be_hidden()
    page.keyboard.press("Enter")
    assert "Tipp Fehler" in flash(page, "new")
    assert page.input_value("#code") == ""


def test_typo_spots_point_at_the_wrong_place(context, live_server):
    """Over many codes: a swap of neighbors or a look-alike character is always marked, and
    only a few places are."""
    from badges.codes import short_code_generate

    page = context.new_page()
    page.goto(f"{live_server.url}/scan/")
    codes = [short_code_generate() for _ in range(300)]
    cases = []
    for n, code in enumerate(codes):
        i = n % 10
        if code[i] != code[i + 1]:
            cases.append((code[:i] + code[i + 1] + code[i] + code[i + 2 :], [i, i + 1]))
        alike = {"8": "B", "B": "8", "5": "S", "S": "5", "2": "Z", "Z": "2", "6": "G", "G": "6"}
        j = next((j for j, char in enumerate(code) if char in alike), None)
        if j is not None:
            cases.append((code[:j] + alike[code[j]] + code[j + 1 :], [j]))
    spots = page.evaluate(
        """async (cases) => {
          const { typoSpots } = await import('/static/scanner/codes.js');
          return cases.map(([text]) => typoSpots(text));
        }""",
        cases,
    )
    for (text, wrong), marked in zip(cases, spots, strict=True):
        assert set(wrong) <= set(marked), (text, wrong, marked)
    mean = sum(len(marked) for marked in spots) / len(spots)
    print(f"\n{len(cases)} typos, {mean:.2f} places marked on average")
    assert mean < 3.5


def test_a_scan_while_the_focus_moves_is_read_whole_and_undone_in_both_fields(page, fair):
    # The page may focus the code field while a scanner's burst is under way (after pairing,
    # after an answer): CI once read only the tail of such a burst, a "typo".
    first = factories.make_badge(fair=fair, first_name="Gabi", last_name="Vorher")
    second = factories.make_badge(fair=fair, first_name="Hans", last_name="Wechsel")
    capture(page, first)
    page.click("#tab-button-leads")
    page.click("#lead-search")
    hand_type(page, "gab")
    code = second.qr_content
    page.keyboard.type(code[:9])
    page.evaluate("document.getElementById('tab-button-scan').click()")
    page.evaluate("document.getElementById('code').focus()")
    page.keyboard.type(code[9:])
    page.keyboard.press("Enter")
    assert "Hans Wechsel" in flash(page, "new")
    assert page.input_value("#lead-search") == "gab"
    assert page.input_value("#code") == ""
