import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are asserted in English (German is the site's default language); pages asked
    for in English too. Tests about German output say so themselves."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _live_fresh(monkeypatch):
    """Every live.json request computes the results anew (no per-process reuse)."""
    from badges.forum import views

    monkeypatch.setattr(views, "LIVE_CACHE_SECONDS", 0)
    views._live_cache.clear()
