"""Scanner devices: services, the portal pages and the create_scanner command."""

import base64
import datetime
import io
import re

import pytest
import zxingcpp
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from fair.hashing import secret_hash
from leads.exceptions import (
    DeviceLabelTaken,
    DeviceRevoked,
    ExhibitorNotApproved,
    PairingCodeExpired,
    PairingCodeInvalid,
    PairingCodeUsed,
)
from leads.models import PairingCode, ScannerDevice
from leads.selectors import device_for_token
from leads.services.devices import (
    device_create,
    device_pair,
    device_pairing_code_create,
    device_provision,
    device_revoke,
)
from leads.tokens import pairing_code_display
from tests import factories

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


# --- services ---------------------------------------------------------------------------------


def test_pairing_code_and_token_are_stored_only_as_hashes(exhibitor):
    device = device_create(exhibitor=exhibitor, label="Phone")
    issued = device_pairing_code_create(device=device)
    credentials = device_pair(pairing_code=issued.code)

    stored = PairingCode.objects.get()
    assert stored.code_hash == secret_hash(issued.code) != issued.code
    device.refresh_from_db()
    assert device.token_hash == secret_hash(credentials.token)
    assert credentials.token.startswith("fl_dev_") and len(credentials.token) > 40
    assert device_for_token(token=credentials.token) == device


def test_pairing_code_is_valid_for_15_minutes(exhibitor):
    device = device_create(exhibitor=exhibitor, label="Phone")
    start = timezone.now()
    issued = device_pairing_code_create(device=device, now=start)
    assert issued.expires_at == start + datetime.timedelta(minutes=15)
    with pytest.raises(PairingCodeExpired):
        device_pair(pairing_code=issued.code, now=start + datetime.timedelta(minutes=15))
    assert device_pair(pairing_code=issued.code, now=start + datetime.timedelta(minutes=14))


def test_pairing_code_cannot_be_reused(exhibitor):
    issued = device_pairing_code_create(device=device_create(exhibitor=exhibitor, label="P"))
    device_pair(pairing_code=issued.code)
    with pytest.raises(PairingCodeUsed):
        device_pair(pairing_code=issued.code)


def test_new_pairing_code_invalidates_the_previous_one(exhibitor):
    device = device_create(exhibitor=exhibitor, label="Phone")
    old = device_pairing_code_create(device=device)
    new = device_pairing_code_create(device=device)
    with pytest.raises(PairingCodeInvalid):
        device_pair(pairing_code=old.code)
    assert device_pair(pairing_code=new.code)


def test_repairing_replaces_the_token(exhibitor):
    device = device_create(exhibitor=exhibitor, label="Phone")
    first = device_pair(pairing_code=device_pairing_code_create(device=device).code)
    second = device_pair(pairing_code=device_pairing_code_create(device=device).code)
    assert device_for_token(token=first.token) is None
    assert device_for_token(token=second.token) == device


def test_revoked_device_gets_no_pairing_code_and_its_open_code_dies(exhibitor):
    device = device_create(exhibitor=exhibitor, label="Phone")
    issued = device_pairing_code_create(device=device)
    device_revoke(device=device)
    with pytest.raises(PairingCodeInvalid):
        device_pair(pairing_code=issued.code)
    with pytest.raises(DeviceRevoked):
        device_pairing_code_create(device=device)


def test_only_approved_exhibitors_get_devices(area):
    submitted = factories.make_exhibitor(area=area)
    with pytest.raises(ExhibitorNotApproved):
        device_create(exhibitor=submitted, label="Phone")
    assert not ScannerDevice.objects.exists()


def test_device_names_are_unique_per_exhibitor(exhibitor, other_exhibitor):
    device_create(exhibitor=exhibitor, label="Phone")
    device_create(exhibitor=other_exhibitor, label="Phone")
    with pytest.raises(DeviceLabelTaken):
        device_create(exhibitor=exhibitor, label=" Phone ")


def test_database_refuses_duplicate_device_name(exhibitor):
    ScannerDevice.objects.create(exhibitor=exhibitor, label="Phone")
    with pytest.raises(IntegrityError), transaction.atomic():
        ScannerDevice.objects.create(exhibitor=exhibitor, label="Phone")


def test_database_refuses_token_on_unpaired_device(exhibitor):
    with pytest.raises(IntegrityError), transaction.atomic():
        ScannerDevice.objects.create(exhibitor=exhibitor, label="Phone", token_hash="a" * 64)


def test_database_refuses_pairing_code_used_after_expiry(exhibitor):
    device = device_create(exhibitor=exhibitor, label="Phone")
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        PairingCode.objects.create(
            device=device,
            code_hash="b" * 64,
            expires_at=now,
            used_at=now + datetime.timedelta(seconds=1),
        )


# --- portal pages -----------------------------------------------------------------------------


def test_device_pages_need_login(client, exhibitor):
    response = client.get(reverse("devices:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_device_pages_need_an_exhibitor_account(client, organizer):
    client.force_login(organizer)
    assert client.get(reverse("devices:list")).status_code == 403


def test_device_list_shows_devices_with_status_and_pins_query_count(
    exhibitor_client, exhibitor, django_assert_num_queries
):
    paired = device_provision(exhibitor=exhibitor, label="Paired phone").device
    device_create(exhibitor=exhibitor, label="New phone")
    revoked = device_create(exhibitor=exhibitor, label="Lost phone")
    device_revoke(device=revoked)
    for n in range(5):
        device_create(exhibitor=exhibitor, label=f"Spare {n}")

    # session, user, the account with its exhibitor (portal_page; base.html reuses it),
    # devices with their scan counts
    with django_assert_num_queries(4):
        response = exhibitor_client.get(reverse("devices:list"), **EN)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Paired phone" in html and "Lost phone" in html and "Spare 4" in html

    def row(device):
        return re.search(rf'data-device-id="{device.pk}".*?</tr>', html, re.S).group(0)

    assert ">paired<" in row(paired)
    assert ">revoked<" in row(revoked) and "Revoke" not in row(revoked)
    new = ScannerDevice.objects.get(label="New phone")
    assert ">not paired yet<" in row(new)


def test_device_list_query_count_does_not_grow_with_devices(
    exhibitor_client, exhibitor, django_assert_num_queries
):
    device_create(exhibitor=exhibitor, label="One")
    exhibitor_client.get(reverse("devices:list"))
    with CaptureQueriesContext(connection) as few:
        exhibitor_client.get(reverse("devices:list"))
    for n in range(10):
        device_create(exhibitor=exhibitor, label=f"More {n}")
    with django_assert_num_queries(len(few)):
        exhibitor_client.get(reverse("devices:list"))


def test_other_exhibitors_devices_are_not_listed(exhibitor_client, other_exhibitor):
    device_create(exhibitor=other_exhibitor, label="Their secret phone")
    assert b"Their secret phone" not in exhibitor_client.get(reverse("devices:list")).content


def test_adding_a_device_shows_code_qr_and_link(exhibitor_client, exhibitor):
    response = exhibitor_client.post(
        reverse("devices:list"), {"label": "Stand phone 1"}, follow=True, **EN
    )

    device = ScannerDevice.objects.get(exhibitor=exhibitor)
    assert device.label == "Stand phone 1"
    assert response.redirect_chain[-1][0] == reverse("devices:pairing", kwargs={"pk": device.pk})
    html = response.content.decode()
    code = re.search(r'id="pairing-code">([0-9A-Z-]+)<', html).group(1)
    link = re.search(r'id="pairing-link"[^>]*>([^<]+)<', html).group(1)
    assert link == f"http://testserver/scan/#pair={code.replace('-', '')}"
    assert PairingCode.objects.get(device=device).code_hash == secret_hash(code.replace("-", ""))
    assert 'id="pairing-qr"' in html
    assert "Valid for 15 more minutes" in html
    # The code in the QR is the same link; a phone can pair with it.
    assert device_pair(pairing_code=code).device == device


def test_pairing_qr_decodes_to_the_pairing_link(exhibitor_client, exhibitor):
    response = exhibitor_client.post(reverse("devices:list"), {"label": "Phone"}, follow=True)
    html = response.content.decode()
    link = re.search(r'id="pairing-link"[^>]*>([^<]+)<', html).group(1)
    data_uri = re.search(r'<img src="data:image/png;base64,([^"]+)" id="pairing-qr"', html)

    image = Image.open(io.BytesIO(base64.b64decode(data_uri.group(1))))
    decoded = zxingcpp.read_barcodes(image)

    assert [result.text for result in decoded] == [link]


def test_pairing_page_keeps_showing_the_code_until_it_is_used(exhibitor_client, exhibitor):
    exhibitor_client.post(reverse("devices:list"), {"label": "Phone"})
    device = ScannerDevice.objects.get()
    url = reverse("devices:pairing", kwargs={"pk": device.pk})
    html = exhibitor_client.get(url, **EN).content.decode()
    code = re.search(r'id="pairing-code">([0-9A-Z-]+)<', html).group(1)

    device_pair(pairing_code=code, device_name="Anna's phone")

    html = exhibitor_client.get(url, **EN).content.decode()
    assert 'id="pairing-code"' not in html
    assert "is paired" in html


def test_new_pairing_code_for_a_paired_device(exhibitor_client, exhibitor):
    device = device_provision(exhibitor=exhibitor, label="Phone").device
    url = reverse("devices:pairing", kwargs={"pk": device.pk})
    assert 'id="pairing-code"' not in exhibitor_client.get(url).content.decode()

    response = exhibitor_client.post(url, follow=True, **EN)

    assert 'id="pairing-code"' in response.content.decode()
    assert PairingCode.objects.filter(device=device, used_at__isnull=True).count() == 1


def test_expired_code_is_no_longer_shown(exhibitor_client, exhibitor):
    exhibitor_client.post(reverse("devices:list"), {"label": "Phone"})
    device = ScannerDevice.objects.get()
    PairingCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    html = exhibitor_client.get(
        reverse("devices:pairing", kwargs={"pk": device.pk}), **EN
    ).content.decode()
    assert 'id="pairing-code"' not in html
    assert "expired" in html


def test_revoking_a_device_in_the_portal(exhibitor_client, exhibitor):
    credentials = device_provision(exhibitor=exhibitor, label="Lost phone")
    url = reverse("devices:revoke", kwargs={"pk": credentials.device.pk})
    assert exhibitor_client.get(url).status_code == 200

    response = exhibitor_client.post(url)

    assert response.status_code == 302
    credentials.device.refresh_from_db()
    assert credentials.device.revoked_at is not None
    me = Client(HTTP_AUTHORIZATION=f"Bearer {credentials.token}").get("/api/scan/me")
    assert me.status_code == 401


def test_duplicate_device_name_is_a_form_error(exhibitor_client, exhibitor):
    device_create(exhibitor=exhibitor, label="Phone")
    response = exhibitor_client.post(reverse("devices:list"), {"label": "Phone"}, **EN)
    assert response.status_code == 200
    assert "already have a device with this name" in response.content.decode()
    assert ScannerDevice.objects.count() == 1


def test_exhibitor_not_yet_approved_cannot_add_devices(client, area):
    submitted = factories.make_exhibitor(area=area)
    client.force_login(factories.make_exhibitor_user(exhibitor=submitted))

    page = client.get(reverse("devices:list"), **EN)
    assert 'id="devices-not-approved"' in page.content.decode()
    client.post(reverse("devices:list"), {"label": "Phone"})
    assert not ScannerDevice.objects.exists()


@pytest.mark.parametrize("name", ["devices:pairing", "devices:revoke"])
def test_other_exhibitors_device_ids_give_404(exhibitor_client, other_exhibitor, name):
    theirs = device_provision(exhibitor=other_exhibitor, label="Theirs").device
    url = reverse(name, kwargs={"pk": theirs.pk})
    assert exhibitor_client.get(url).status_code == 404
    assert exhibitor_client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert not PairingCode.objects.filter(device=theirs).exists()


def test_pairing_code_display_groups_by_four():
    assert pairing_code_display("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN"


# --- create_scanner ---------------------------------------------------------------------------


def test_create_scanner_prints_a_working_token(exhibitor):
    out = io.StringIO()
    call_command(
        "create_scanner",
        "--exhibitor",
        str(exhibitor.pk),
        "--label",
        "Hall phone",
        "--token",
        stdout=out,
        stderr=io.StringIO(),
    )
    token = out.getvalue().strip()
    device = ScannerDevice.objects.get()
    assert device.label == "Hall phone" and device.exhibitor == exhibitor
    assert device.token_hash == secret_hash(token)
    me = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/scan/me")
    assert me.status_code == 200


@translation.override("en")
def test_create_scanner_refuses_unknown_or_unapproved_exhibitors(area):
    with pytest.raises(CommandError, match="no exhibitor"):
        call_command("create_scanner", "--exhibitor", "999999", "--label", "x")
    submitted = factories.make_exhibitor(area=area)
    with pytest.raises(CommandError, match="approved"):
        call_command("create_scanner", "--exhibitor", str(submitted.pk), "--label", "x")
    assert not ScannerDevice.objects.exists()


def test_create_scanner_refuses_a_taken_label(exhibitor):
    device_create(exhibitor=exhibitor, label="Phone")
    with pytest.raises(CommandError):
        call_command("create_scanner", "--exhibitor", str(exhibitor.pk), "--label", "Phone")
