#!/usr/bin/env python3
"""Fairlead's two commands for a fresh machine with only Python >= 3.11.

python3 dev.py up     create .venv, install, migrate, load the demo fair, serve on :8000
python3 dev.py test   create .venv if needed and run the whole test suite (pytest args pass on)
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".fairlead-installed"


def run(*args: str) -> None:
    subprocess.run(args, cwd=ROOT, check=True)


def ensure_env() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older Python
        sys.exit("Fairlead needs Python 3.11 or newer.")
    if not PYTHON.exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pyproject = ROOT / "pyproject.toml"
    if not STAMP.exists() or STAMP.stat().st_mtime < pyproject.stat().st_mtime:
        print("Installing Fairlead and its dependencies …", flush=True)
        run(str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(str(PYTHON), "-m", "pip", "install", "--quiet", "-e", ".[dev]")
        STAMP.touch()


def manage(*args: str) -> None:
    run(str(PYTHON), "manage.py", *args)


def up() -> None:
    ensure_env()
    manage("migrate", "--noinput")
    manage("seed_demo")
    manage("runserver", "127.0.0.1:8000")


def test(pytest_args: list[str]) -> int:
    ensure_env()
    return subprocess.run([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT).returncode


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"up", "test"}:
        sys.exit(__doc__)
    if sys.argv[1] == "up":
        up()
    else:
        sys.exit(test(sys.argv[2:]))


if __name__ == "__main__":
    main()
