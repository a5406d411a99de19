import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are asserted in English (German is the site's default language); pages asked
    for in English too. Tests about German output say so themselves."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
