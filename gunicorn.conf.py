"""gunicorn settings for Fairlead; gunicorn reads this file by itself when started from the
repository root as the README says: ``.venv/bin/gunicorn fair.wsgi``.

Any setting can still be changed per run with ``GUNICORN_CMD_ARGS`` (e.g.
``GUNICORN_CMD_ARGS="--bind 0.0.0.0:8000 --workers 8"``) or ``WEB_CONCURRENCY`` (workers).
"""

import os

# Behind the TLS-terminating proxy on the same host; the proxy is the only client.
bind = ["127.0.0.1:8000"]
# One worker process per core, several threads each: a request spends a good part of its time
# waiting for PostgreSQL, and threads let a process use that time; processes beat the GIL.
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
worker_class = "gthread"
threads = 4
# Scanner phones and the proxy reuse connections; a scan costs less than a TLS/TCP set-up.
keepalive = 30
# Load the app once in the master, then fork: workers start warm and share memory.
preload_app = True
accesslog = "-"
errorlog = "-"
loglevel = "warning"
# Access and error log lines with badge, confirmation and invitation secrets redacted.
logger_class = "fair.logging.RedactingGunicornLogger"
