"""Logging in: limits that hold on every login page, email login, where each role lands."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests import factories

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]


@pytest.fixture
def kim(db):
    return get_user_model().objects.create_user(
        username="kim",
        email="kim@stadtwerke.example",
        password="right-horse-battery",
        is_staff=True,
    )


def attempt(client, page: str, username: str, password: str):
    return client.post(page, {"username": username, "password": password}, **EN)


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_right_password_after_five_wrong_ones_is_refused_with_429(client, kim, page):
    for _ in range(5):
        assert attempt(client, page, "kim", "wrong").status_code == 200
    response = attempt(client, page, "kim", "right-horse-battery")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 15 * 60
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_both_login_pages_share_one_budget(client, kim, page):
    other = LOGIN_PAGES[1 - LOGIN_PAGES.index(page)]
    for _ in range(3):
        attempt(client, page, "kim", "wrong")
    for _ in range(2):
        attempt(client, other, "kim", "wrong")
    assert attempt(client, page, "kim", "right-horse-battery").status_code == 429


@pytest.mark.parametrize("page", LOGIN_PAGES)
@pytest.mark.parametrize("disguise", ["ｋim", "KIM", " kim ", "Kim"])
def test_the_account_key_is_normalized_like_the_login_form(client, kim, page, disguise):
    """A full-width letter (NFKC), other case or spaces name the same account: no fresh
    budget."""
    for _ in range(5):
        attempt(client, page, "kim", "wrong")
    assert attempt(client, page, disguise, "right-horse-battery").status_code == 429


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_successful_logins_do_not_count(client, kim, page):
    for _ in range(8):
        response = attempt(client, page, "kim", "right-horse-battery")
        assert response.status_code == 302
        client.post(reverse("logout"))
    # Nobody can lock an account by logging in with it (or a stolen session) again and again.
    assert attempt(client, page, "kim", "wrong").status_code == 200


def test_per_address_limit_still_holds_across_accounts(client, db, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"login_ip": (3, 900)}
    for n in range(3):
        assert attempt(client, "/accounts/login/", f"u{n}", "x").status_code == 200
    assert attempt(client, "/admin/login/", "u9", "x").status_code == 429


def test_exhibitor_logs_in_with_the_email_address_in_any_case(client, exhibitor):
    user = factories.make_exhibitor_user(exhibitor=exhibitor)
    user.username = f"{exhibitor.pk}.{user.email}"  # the name a second account gets
    user.set_password("right-horse-battery")
    user.save()
    response = attempt(client, "/accounts/login/", user.email.upper(), "right-horse-battery")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:overview")


def test_email_login_with_a_wrong_password_fails(client, exhibitor):
    user = factories.make_exhibitor_user(exhibitor=exhibitor)
    response = attempt(client, "/accounts/login/", user.email, "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_organizer_lands_on_the_organizer_home(client, kim):
    response = attempt(client, "/accounts/login/", "kim", "right-horse-battery")
    assert response["Location"] == reverse("organizer:home")


def test_a_safe_next_page_still_wins(client, kim):
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"username": "kim", "password": "right-horse-battery", "next": "/admin/"},
    )
    assert response["Location"] == "/admin/"


def test_login_field_asks_for_the_email_address(client, db):
    german = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<label for="id_username">E-Mail' in german
    english = client.get("/accounts/login/", **EN).content.decode()
    assert '<label for="id_username">Email' in english
    assert 'autocomplete="username"' in english


def test_home_page_shows_each_role_its_place(client, exhibitor, kim):
    anonymous = client.get("/", **EN).content.decode()
    assert reverse("login") in anonymous
    assert reverse("badges:register") in anonymous  # the visitors' entry

    client.force_login(factories.make_exhibitor_user(exhibitor=exhibitor))
    page = client.get("/", **EN).content.decode()
    assert f'href="{reverse("portal:overview")}"' in page
    assert exhibitor.company_name in page
    assert f'href="{reverse("login")}"' not in page

    client.force_login(kim)
    page = client.get("/", **EN).content.decode()
    assert f'href="{reverse("organizer:home")}"' in page
    assert f'href="{reverse("login")}"' not in page
