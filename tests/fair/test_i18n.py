"""The German and English catalogs are complete and the compiled catalog matches them."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
# The same call that maintains the catalogs (see README, "Translations").
MAKEMESSAGES_ARGS = ["-l", "de", "-l", "en", "--no-obsolete", "-i", "static/vendor/*"]
MAKEMESSAGES_IGNORED = ("tests", "bench")
PO_FILES = {lang: ROOT / "locale" / lang / "LC_MESSAGES" / "django.po" for lang in ("de", "en")}


def _po_entries(path: Path) -> list[dict]:
    """Parse the entries of a .po file: msgctxt, msgid, msgid_plural, msgstr(s), fuzzy."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fields: dict[str, str] = {}
        current = None
        fuzzy = False
        for line in lines:
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current] += _unquote(line)
                continue
            key, _, value = line.partition(" ")
            current = key
            fields[key] = _unquote(value)
        if fields.get("msgid") == "" and "msgid_plural" not in fields:
            continue  # the header
        entries.append({**fields, "fuzzy": fuzzy})
    return entries


def _unquote(text: str) -> str:
    return text.strip()[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


def _untranslated(entries: list[dict]) -> list[str]:
    missing = []
    for entry in entries:
        translations = [value for key, value in entry.items() if key.startswith("msgstr")]
        if entry["fuzzy"] or not translations or not all(translations):
            missing.append(entry["msgid"])
    return missing


def test_german_catalog_translates_every_message():
    entries = _po_entries(PO_FILES["de"])
    assert len(entries) > 100
    assert _untranslated(entries) == []


def test_compiled_german_catalog_matches_the_po_file():
    entries = [e for e in _po_entries(PO_FILES["de"]) if "msgid_plural" not in e]
    with translation.override("de"):
        wrong = [
            e["msgid"]
            for e in entries
            if (
                translation.pgettext(e["msgctxt"], e["msgid"])
                if "msgctxt" in e
                else translation.gettext(e["msgid"])
            )
            != e["msgstr"]
        ]
    assert wrong == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_catalogs_cover_every_translatable_string_in_the_code(tmp_path):
    """makemessages over a copy of the tree finds no message the committed catalog lacks."""
    copy = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            "node_modules",
            ".git",
            "media",
            "staticfiles",
            "*.sqlite3*",
            "__pycache__",
            *MAKEMESSAGES_IGNORED,
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *MAKEMESSAGES_ARGS],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    committed = {e["msgid"] for e in _po_entries(PO_FILES["de"])}
    found = {e["msgid"] for e in _po_entries(copy / "locale/de/LC_MESSAGES/django.po")}
    assert sorted(found - committed) == []
    assert _untranslated(_po_entries(copy / "locale/de/LC_MESSAGES/django.po")) == []
