"""The control room's attendee desk through the test client: search, revoke and reissue by
POST only, the reprint of one badge and a print run as PDFs (QR codes read back)."""

from django.urls import reverse

from badges.codes import short_code_display
from badges.models import Attendee, Badge
from tests import factories
from tests.badges.conftest import qr_texts_per_page


def test_list_searches_by_code_as_printed(organizer_client, fair):
    badge = factories.make_badge(fair=fair, last_name="Gesucht")
    factories.make_badge(fair=fair, last_name="Anderer")

    response = organizer_client.get(
        reverse("organizer_attendees:list"),
        {"fair": fair.pk, "q": short_code_display(badge.short_code)},
    )

    assert response.status_code == 200
    assert [a.last_name for a in response.context["page"].object_list] == ["Gesucht"]


def test_list_query_count_does_not_grow_with_attendees(
    organizer_client, fair, django_assert_max_num_queries
):
    for _ in range(30):
        factories.make_badge(fair=fair)
    url = reverse("organizer_attendees:list")
    # session, user, fairs (fair chooser and the fair), count, page
    with django_assert_max_num_queries(8):
        response = organizer_client.get(url, {"fair": fair.pk})
    assert len(response.context["page"].object_list) == 30


def test_list_refuses_an_overlong_search_without_error(organizer_client, fair):
    factories.make_badge(fair=fair)
    response = organizer_client.get(
        reverse("organizer_attendees:list"), {"fair": fair.pk, "q": "x" * 5000}
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_revoke_needs_post(organizer_client, fair):
    badge = factories.make_badge(fair=fair)
    url = reverse("organizer_attendees:revoke", kwargs={"badge_id": badge.pk})

    assert organizer_client.get(url).status_code == 405
    assert Badge.objects.get(pk=badge.pk).state == Badge.State.ACTIVE

    response = organizer_client.post(url)
    assert response.status_code == 302
    assert Badge.objects.get(pk=badge.pk).state == Badge.State.REVOKED


def test_revoke_needs_the_csrf_token(client, organizer, fair):
    from django.test import Client

    badge = factories.make_badge(fair=fair)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(organizer)

    response = strict.post(reverse("organizer_attendees:revoke", kwargs={"badge_id": badge.pk}))

    assert response.status_code == 403
    assert Badge.objects.get(pk=badge.pk).state == Badge.State.ACTIVE


def test_reissue_shows_the_new_code(organizer_client, fair):
    old = factories.make_badge(fair=fair)
    url = reverse("organizer_attendees:reissue", kwargs={"attendee_id": old.attendee_id})

    response = organizer_client.post(url, follow=True)

    new = Badge.objects.get(attendee=old.attendee, state=Badge.State.ACTIVE)
    assert short_code_display(new.short_code) in response.content.decode()


def test_reprint_gives_the_pdf_of_that_badge_and_marks_it_printed(organizer_client, fair):
    badge = factories.make_badge(fair=fair)
    factories.make_badge(fair=fair)
    url = reverse("organizer_attendees:reprint", kwargs={"badge_id": badge.pk})

    response = organizer_client.post(url, {"layout": "a6-4up"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert [code for page in qr_texts_per_page(pdf) for code in page] == [badge.qr_content]
    assert Badge.objects.get(pk=badge.pk).printed_at is not None


def test_reprint_of_a_revoked_badge_or_unknown_layout_gives_no_pdf(organizer_client, fair):
    badge = factories.make_badge(fair=fair)
    url = reverse("organizer_attendees:reprint", kwargs={"badge_id": badge.pk})

    assert organizer_client.post(url, {"layout": "poster"}).status_code == 302
    Badge.objects.filter(pk=badge.pk).update(state="revoked", revoked_at=badge.issued_at)
    assert organizer_client.post(url, {"layout": "a6-4up"}).status_code == 302
    assert Badge.objects.get(pk=badge.pk).printed_at is None


def test_print_run_of_not_printed_press_badges(organizer_client, fair):
    press = factories.make_badge(fair=fair, category=Attendee.Category.PRESS)
    printed = factories.make_badge(fair=fair, category=Attendee.Category.PRESS)
    Badge.objects.filter(pk=printed.pk).update(printed_at=printed.issued_at)
    factories.make_badge(fair=fair)  # a visitor

    response = organizer_client.post(
        reverse("organizer_attendees:print_run"),
        {"fair": fair.pk, "layout": "a6-4up", "categories": ["press"], "not_printed": "on"},
    )

    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert [code for page in qr_texts_per_page(pdf) for code in page] == [press.qr_content]
    assert Badge.objects.get(pk=press.pk).printed_at is not None


def test_print_run_with_nothing_to_print_says_so(organizer_client, fair):
    response = organizer_client.post(
        reverse("organizer_attendees:print_run"), {"fair": fair.pk, "layout": "a6-4up"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response["Content-Type"].startswith("text/html")


def test_print_run_opens_on_one_exhibitors_staff_badges(organizer_client, fair):
    """The review page links "Print their staff badges" to ?exhibitor=<id>."""
    area = factories.make_area(fair=fair)
    exhibitor = factories.make_approved_exhibitor(area=area)
    other_fair_default = factories.make_fair()

    response = organizer_client.get(
        reverse("organizer_attendees:print_run"),
        {"exhibitor": exhibitor.pk, "fair": other_fair_default.pk},
    )

    form = response.context["form"]
    assert form["exhibitor"].value() == exhibitor.pk
    assert form["fair"].value() == fair.pk
    assert form["categories"].value() == [Attendee.Category.EXHIBITOR_STAFF]
    assert form["not_printed"].value() is True


def test_print_run_ignores_a_preset_it_cannot_use(organizer_client, fair):
    waiting = factories.make_exhibitor(area=factories.make_area(fair=fair))
    for value in (waiting.pk, "²", "9" * 30, "-1", ""):
        response = organizer_client.get(
            reverse("organizer_attendees:print_run"), {"exhibitor": value, "fair": fair.pk}
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert form["exhibitor"].value() is None
        assert form["categories"].value() is None
        assert form["fair"].value() == fair.pk
