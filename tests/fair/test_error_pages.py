"""Our own error pages (fair/errors.py): branded, translated, a way back, no database."""

import pytest
from django.test import RequestFactory, override_settings
from django.utils import translation

from fair import errors

pytestmark = pytest.mark.urls("tests.error_urls")

PAGES = [
    ("/bad/", 400, {"en": "could not understand", "de": "nicht verstehen"}),
    ("/forbidden/", 403, {"en": "may not open this page", "de": "nicht öffnen"}),
    ("/nowhere/", 404, {"en": "This page does not exist", "de": "Diese Seite gibt es nicht"}),
    ("/boom/", 500, {"en": "went wrong on our side", "de": "bei uns etwas schiefgegangen"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(("url", "status", "texts"), PAGES)
def test_error_pages_are_ours_in_both_languages(client, url, status, texts, language):
    client.raise_request_exception = False

    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)

    html = response.content.decode()
    assert response.status_code == status
    assert texts[language] in html
    assert f'<html lang="{language}">' in html
    assert 'href="/"' in html  # a way back
    assert response["Cache-Control"].startswith("max-age=0")
    assert response["Referrer-Policy"] == "same-origin"


def test_server_error_page_renders_without_a_database():
    # No django_db mark: pytest-django makes every database access fail here.
    request = RequestFactory().get("/boom/")
    with translation.override("en"):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "went wrong on our side" in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="fair.urls")
def test_csrf_failure_page_leads_back_to_the_form(client):
    csrf_client = type(client)(enforce_csrf_checks=True)

    response = csrf_client.post(
        "/register/",
        {},
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_REFERER="http://testserver/badge/again/",
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert "Please send the form again" in html
    assert 'href="http://testserver/badge/again/"' in html


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="fair.urls")
def test_csrf_failure_page_never_links_to_another_site(client):
    csrf_client = type(client)(enforce_csrf_checks=True)
    response = csrf_client.post(
        "/register/", {}, HTTP_ACCEPT_LANGUAGE="de", HTTP_REFERER="https://evil.example/x"
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "evil.example" not in html
    assert "Bitte senden Sie das Formular erneut" in html
