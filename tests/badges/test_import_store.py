"""The server-side store of uploaded import files (badges.import_store)."""

import os
import time

import pytest

from badges.import_store import (
    import_file_delete,
    import_file_read,
    import_file_store,
    import_files_expire,
)


def test_stored_file_reads_back_and_is_deleted(settings):
    token = import_file_store(content=b"a;b\r\n")

    assert import_file_read(token=token) == b"a;b\r\n"
    import_file_delete(token=token)
    assert import_file_read(token=token) is None


@pytest.mark.parametrize("token", ["", "../../etc/passwd", "x" * 43 + "/..", "a" * 42])
def test_malformed_tokens_read_nothing(settings, token):
    import_file_store(content=b"x")
    assert import_file_read(token=token) is None
    import_file_delete(token=token)  # and delete nothing


def test_tokens_are_random(settings):
    assert import_file_store(content=b"x") != import_file_store(content=b"x")


def test_old_files_expire(settings):
    old = import_file_store(content=b"old")
    new = import_file_store(content=b"new")
    folder = settings.MEDIA_ROOT / "attendee-imports"
    stale = time.time() - 7 * 3600
    os.utime(folder / f"{old}.csv", (stale, stale))

    assert import_files_expire() == 1
    assert import_file_read(token=old) is None
    assert import_file_read(token=new) == b"new"


def test_oversized_content_is_refused(settings, monkeypatch):
    monkeypatch.setattr("badges.import_store.MAX_BYTES", 3)
    with pytest.raises(ValueError):
        import_file_store(content=b"four")
