"""Threads against one database (PostgreSQL tests): a target in its own thread and
connection, and the race "the second write while the first holds its transaction open"."""

import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connection, transaction

WAIT = 20  # seconds; only a safety net against a hung test, never a measured figure


def in_thread(target: Callable[[], Any], results: dict, key: Hashable) -> threading.Thread:
    """Start ``target`` in a thread; its return value, or the exception it raised, lands in
    ``results[key]``; the thread's own database connection is closed at the end."""

    def run() -> None:
        try:
            results[key] = target()
        except Exception as error:  # reported to the main thread
            results[key] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def second_while_first_held(first: Callable[[], Any], second: Callable[[], Any]) -> dict:
    """``first`` runs inside a transaction that stays open until ``second`` has been started
    in another thread (so it meets the first's locks); returns ``{"first": "ok" or the
    exception, "second": its result or the exception}``."""
    first_done, release = threading.Event(), threading.Event()
    results: dict = {}

    def first_and_hold() -> str:
        with transaction.atomic():
            first()
            first_done.set()
            release.wait(WAIT)
        return "ok"

    def after_first() -> Any:
        first_done.wait(WAIT)
        return second()

    threads = [
        in_thread(first_and_hold, results, "first"),
        in_thread(after_first, results, "second"),
    ]
    first_done.wait(WAIT)
    release.set()
    for thread in threads:
        thread.join(WAIT)
    return results
