"""NUL bytes (\\x00) in search and filter parameters: PostgreSQL refuses them in a string, so
a page answers 400 before the query reaches the database, never 500 (fair/security.py)."""

import pytest
from django.urls import reverse

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("admin:exhibitors_exhibitor_changelist", {"q": "Test\x00werk"}),
        ("admin:exhibitors_exhibitor_changelist", {"state": "approved\x00"}),
        ("admin:exhibitors_exhibitor_changelist", {"country__exact": "D\x00E"}),
        ("admin:exhibitors_staffmember_changelist", {"q": "\x00"}),
        ("admin:exhibitors_exhibitorauditentry_changelist", {"action": "x\x00"}),
        ("admin:exhibitors_exhibitoraccount_changelist", {"q\x00": "x"}),
        ("portal:staff", {"x": "\x00"}),
        ("home", {"next": "\x00"}),
    ],
)
def test_nul_byte_in_a_query_string_is_a_clear_400(organizer_client, exhibitor, url, params):
    response = organizer_client.get(reverse(url), params, **EN)
    assert response.status_code == 400


def test_the_same_admin_filters_without_nul_work(organizer_client, exhibitor):
    url = reverse("admin:exhibitors_exhibitor_changelist")
    for params in ({"q": "Testwerk"}, {"state": "approved"}, {"country__exact": "DE"}):
        assert organizer_client.get(url, params, **EN).status_code == 200


def test_the_apis_check_their_own_parameters(organizer_client, db):
    """/api/ answers with its own error body; the page guard leaves it alone."""
    response = organizer_client.get("/api/v1/exhibitors/", {"search": "\x00"})
    assert response.status_code != 400 or response["Content-Type"].startswith("application/")
