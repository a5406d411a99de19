"""The deployment command of the README, ``gunicorn fair.wsgi`` with its gunicorn.conf.py,
started for real: each worker listens on a socket of its own, so that the kernel spreads the
connections of keep-alive clients (scanner phones, the proxy's upstream pool) over all of
them. With one shared socket whichever worker woke first took them: bench/scan_load.py saw all
16 of its connections on one of four workers (half the requests/s)."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listeners(port: int) -> list[set[int]]:
    """The listening sockets on ``port``, each as the set of process ids holding it."""
    out = subprocess.run(
        ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout
    return [{int(pid) for pid in re.findall(r"pid=(\d+)", line)} for line in out.splitlines()]


@pytest.mark.skipif(shutil.which("ss") is None, reason="needs ss (iproute2)")
def test_every_worker_listens_on_a_socket_of_its_own(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "fair.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        listeners: list[set[int]] = []
        deadline = time.monotonic() + 30
        while len(listeners) < WORKERS and time.monotonic() < deadline:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.2)
            listeners = _listeners(port)
        assert len(listeners) == WORKERS, listeners
        holders = set().union(*listeners)
        assert all(len(pids) == 1 for pids in listeners) and len(holders) == WORKERS
        assert server.pid not in holders  # the master accepts nothing
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
