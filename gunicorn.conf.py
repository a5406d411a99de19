"""gunicorn settings for Fairlead; gunicorn reads this file by itself when started from the
repository root as the README says: ``.venv/bin/gunicorn fair.wsgi``.

Any setting can still be changed per run with ``GUNICORN_CMD_ARGS`` (e.g.
``GUNICORN_CMD_ARGS="--bind 0.0.0.0:8000 --workers 8"``) or ``WEB_CONCURRENCY`` (workers).
"""

import gc
import os

# Behind the TLS-terminating proxy on the same host; the proxy is the only client.
bind = ["127.0.0.1:8000"]
# Two worker processes per core, two threads each: a request spends a good part of its time
# waiting for PostgreSQL, and threads let a process use that time; processes beat the GIL.
# The same eight requests in flight as two processes of four threads, but fewer threads share
# each interpreter lock, so a vote or scan back from the database gets the lock sooner while
# polls keep a worker busy (bench/voting.py: vote p99 63 → 38 ms at 500 polls/s).
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
worker_class = "gthread"
threads = 2
# Scanner phones and the proxy reuse connections; a scan costs less than a TLS/TCP set-up.
keepalive = 30
# A listening socket per worker (SO_REUSEPORT): the kernel spreads new connections over the
# workers. On one shared socket whichever worker woke first took them, and a kept-alive
# connection stays with its worker: in 2 of 8 runs all 16 connections of bench/scan_load.py's
# /healthz phase sat on one of four workers (830 against 1,850 requests/s), and scans/s varied
# from 555 to 850. The price: connections still queued at a worker that dies are reset (a
# scanner phone sends its queued scans again).
reuse_port = True
# Load the app once in the master, then fork: workers start warm and share memory.
preload_app = True
accesslog = "-"
errorlog = "-"
loglevel = "warning"
# Access and error log lines with badge, confirmation and invitation secrets redacted.
logger_class = "fair.logging.RedactingGunicornLogger"


def pre_fork(server: object, worker: object) -> None:
    """Freeze what the master loaded (Django, the URLconf, the app) before each fork.

    The frozen objects are never scanned by the garbage collector again: a worker's full
    collection then walks only what it made itself instead of ~140,000 objects (70–230 ms at
    a time, measured in-process with ``gc.callbacks``), a pause every request waiting behind
    it would add to the scan API's p99. The pages stay shared with the master, too.
    """
    gc.freeze()
