"""One digest for every stored secret: each kind of secret is found again by ``secret_hash``."""

from api.models import ApiToken
from api.v1.services import api_token_create
from badges.selectors import attendee_for_access_token
from fair.hashing import secret_hash
from leads.models import PairingCode, ScannerDevice
from leads.services.devices import device_create, device_pairing_code_create, device_provision
from tests import factories


def test_digest_is_64_hex_characters_and_differs_per_secret():
    assert len(secret_hash("a")) == 64 and set(secret_hash("a")) <= set("0123456789abcdef")
    assert secret_hash("a") == secret_hash("a") != secret_hash("b")


def test_device_tokens_pairing_codes_and_api_keys_are_stored_as_this_digest(exhibitor):
    credentials = device_provision(exhibitor=exhibitor, label="Phone")
    assert ScannerDevice.objects.get(token_hash=secret_hash(credentials.token))
    issued = device_pairing_code_create(device=device_create(exhibitor=exhibitor, label="P2"))
    assert PairingCode.objects.get(code_hash=secret_hash(issued.code))
    organizer = factories.make_organizer()
    _token, key = api_token_create(name="CRM", user=organizer, created_by=organizer)
    assert ApiToken.objects.get(token_hash=secret_hash(key))


def test_a_badge_link_is_looked_up_by_this_digest(fair):
    attendee = factories.make_attendee(fair=fair, access_token_hash=secret_hash("link-secret"))
    assert attendee_for_access_token(token="link-secret") == attendee
