from unittest import mock

from django.db import OperationalError


def test_healthz_answers_ok_after_database_round_trip(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_answers_503_when_database_unreachable(client, db):
    with mock.patch("fair.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_home_lists_area_open_for_registration(client, area):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert "Smart City" in response.content.decode()
