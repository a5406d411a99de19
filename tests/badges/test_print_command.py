import pytest
from django.core.management import CommandError, call_command

from badges.models import Attendee, Badge
from badges.services.issue import staff_badge_issue
from tests import factories
from tests.badges.conftest import qr_texts_per_page


def test_print_run_writes_pdf_in_name_order_and_marks_printed(fair, tmp_path):
    zander = factories.make_badge(fair=fair, last_name="Zander")
    adler = factories.make_badge(fair=fair, last_name="Adler")
    out = tmp_path / "run.pdf"

    call_command("print_badges", "--out", str(out), "--layout", "a6", "--fair", fair.slug)

    pages = qr_texts_per_page(out.read_bytes(), dpi=120)
    assert [found[0] for found in pages] == [adler.qr_content, zander.qr_content]
    assert Badge.objects.filter(printed_at__isnull=True).count() == 0


def test_not_printed_prints_only_new_badges(fair, tmp_path):
    first = factories.make_badge(fair=fair)
    call_command("print_badges", "--out", str(tmp_path / "1.pdf"), "--fair", fair.slug)
    second = factories.make_badge(fair=fair)

    call_command(
        "print_badges", "--out", str(tmp_path / "2.pdf"), "--not-printed", "--fair", fair.slug
    )

    found = qr_texts_per_page((tmp_path / "2.pdf").read_bytes())
    assert found == [[second.qr_content]]
    assert first.qr_content not in str(found)


def test_category_and_exhibitor_filters(fair, exhibitor, tmp_path):
    factories.make_badge(fair=fair)
    press = factories.make_badge(fair=fair, category=Attendee.Category.PRESS)
    staff = staff_badge_issue(staff_member=factories.make_staff_member(exhibitor=exhibitor))

    call_command(
        "print_badges", "--out", str(tmp_path / "p.pdf"), "--category", "press",
        "--layout", "id1", "--fair", fair.slug,
    )  # fmt: skip
    call_command(
        "print_badges", "--out", str(tmp_path / "s.pdf"), "--exhibitor", exhibitor.company_name,
        "--layout", "label-4x3", "--fair", fair.slug,
    )  # fmt: skip

    assert qr_texts_per_page((tmp_path / "p.pdf").read_bytes()) == [[press.qr_content]]
    assert qr_texts_per_page((tmp_path / "s.pdf").read_bytes()) == [[staff.qr_content]]


def test_revoked_badges_are_not_printed(fair, tmp_path):
    from badges.services.issue import badge_reissue

    old = factories.make_badge(fair=fair)
    new = badge_reissue(attendee=old.attendee)

    call_command("print_badges", "--out", str(tmp_path / "r.pdf"), "--fair", fair.slug)

    assert qr_texts_per_page((tmp_path / "r.pdf").read_bytes()) == [[new.qr_content]]


def test_nothing_to_print_is_an_error_and_writes_no_file(fair, tmp_path):
    with pytest.raises(CommandError, match="No active badge"):
        call_command("print_badges", "--out", str(tmp_path / "none.pdf"), "--fair", fair.slug)
    assert list(tmp_path.iterdir()) == []


def test_failed_write_marks_nothing_printed(fair, tmp_path, monkeypatch):
    factories.make_badge(fair=fair)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("badges.management.commands.print_badges.os.replace", broken)
    with pytest.raises(OSError):
        call_command("print_badges", "--out", str(tmp_path / "x.pdf"), "--fair", fair.slug)

    assert Badge.objects.filter(printed_at__isnull=False).count() == 0
    assert list(tmp_path.iterdir()) == []


def test_missing_output_folder_is_refused(fair, tmp_path):
    factories.make_badge(fair=fair)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("print_badges", "--out", str(tmp_path / "no" / "x.pdf"), "--fair", fair.slug)
