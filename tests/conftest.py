import datetime
import time

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from badges.models import Badge
from fair.models import Fair, ForumSession, Room
from leads.models import ScannerDevice
from leads.selectors import device_for_token
from leads.services.devices import DeviceCredentials, device_provision
from tests import factories
from tests.forum_factories import make_room, make_session
from tests.leads.checkin_fixtures import room_device_paired
from tests.leads.scan_fixtures import api_for


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need PostgreSQL; elsewhere they are skipped with a reason."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:  # Django's backend or ours (fair.postgresql)
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file (one per xdist worker), not memory. With memory,
    the live server answers the browser on the test's own connection, and a query from each
    thread at once can hang both for good, as Django's docs warn (CI hung 11 minutes in
    test_a_typo_keeps_the_typed_code_and_marks_the_wrong_place: make_badge's INSERT against
    the page's device lookup). With a file each thread has its connection, as in production."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # PBKDF2 at production strength costs ~0.5 s per password; tests need the check, not the cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_device_remembered():
    # The scan API remembers checked devices per process (api.scan.auth): each test starts
    # as a fresh process would.
    from api.scan.auth import device_memory_clear

    device_memory_clear()


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def fair(db):
    return factories.make_fair()


@pytest.fixture
def area(fair):
    return factories.make_area(fair=fair)


@pytest.fixture
def stand(area):
    return factories.make_stand(area=area)


@pytest.fixture
def exhibitor(area):
    """An approved exhibitor with a stand and a staff quota of 5."""
    return factories.make_approved_exhibitor(area=area)


@pytest.fixture
def other_exhibitor(area):
    return factories.make_approved_exhibitor(area=area)


@pytest.fixture
def exhibitor_user(exhibitor):
    return factories.make_exhibitor_user(exhibitor=exhibitor)


@pytest.fixture
def exhibitor_client(client, exhibitor_user):
    client.force_login(exhibitor_user)
    return client


@pytest.fixture
def organizer(db):
    return factories.make_organizer()


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


# Devices, badges and scan API clients (lead capture, the scan API, security tests).


@pytest.fixture
def scanner(exhibitor) -> DeviceCredentials:
    return device_provision(exhibitor=exhibitor, label="Stand phone 1")


@pytest.fixture
def second_scanner(exhibitor) -> DeviceCredentials:
    return device_provision(exhibitor=exhibitor, label="Stand phone 2")


@pytest.fixture
def other_scanner(other_exhibitor) -> DeviceCredentials:
    return device_provision(exhibitor=other_exhibitor, label="Other phone")


@pytest.fixture
def badge(fair) -> Badge:
    """A visitor who shares contact details with exhibitors."""
    return factories.make_badge(fair=fair, lead_sharing=True)


@pytest.fixture
def private_badge(fair) -> Badge:
    """A visitor who did not consent to lead sharing."""
    return factories.make_badge(fair=fair, lead_sharing=False)


@pytest.fixture
def api(scanner) -> Client:
    return api_for(scanner)


@pytest.fixture
def other_api(other_scanner) -> Client:
    return api_for(other_scanner)


# --------------------------------------------------------------------------- session check-in


@pytest.fixture
def live_fair(db) -> Fair:
    """A fair that runs today (from yesterday to tomorrow: a session now is on a fair day)."""
    today = timezone.localdate()
    return factories.make_fair(
        starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=1)
    )


@pytest.fixture
def room(live_fair) -> Room:
    return make_room(fair=live_fair, name="Forum Saal", capacity=3)


@pytest.fixture
def session_now(live_fair, room) -> ForumSession:
    """Started 10 minutes ago, ends in 50."""
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=10)
    return make_session(fair=live_fair, room=room, starts_at=start, minutes=60, items=0)


@pytest.fixture
def session_starting(live_fair, room, session_now) -> ForumSession:
    """The room's next session, right after ``session_now``."""
    return make_session(
        fair=live_fair, room=room, starts_at=session_now.ends_at, minutes=30, items=0
    )


@pytest.fixture
def door(room) -> ScannerDevice:
    """The room device as the scan API sees it (room and fair loaded by its token)."""
    credentials = room_device_paired(room)
    device = device_for_token(token=credentials.token)
    assert device is not None
    device.token = credentials.token  # type: ignore[attr-defined]  # for door_api
    return device


@pytest.fixture
def door_api(door) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {door.token}", HTTP_ACCEPT_LANGUAGE="en")


# --------------------------------------------------------------------------- rate limits


@pytest.fixture
def rate_limit_window() -> None:
    """Tests that count requests need them all in one window of the limiter. Windows start
    at multiples of their length since the epoch, and every window the code or a test
    configures is a multiple of 30 s: a test that would start in the last seconds before
    such a boundary waits for it."""
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.05)
