"""The scanner page, its service worker and manifest as Django serves them (no browser)."""

import hashlib
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from leads import scanner_views

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor" / "barcode-detector"


@pytest.mark.django_db
def test_page_needs_no_login_and_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/scan/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    assert b"Pair this device" in response.content


@pytest.mark.django_db
def test_page_has_no_inline_script_only_json_data(client):
    html = client.get("/scan/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    for attributes, body in scripts:
        if 'type="application/json"' in attributes:
            json.loads(body)
        else:
            assert 'type="module"' in attributes and "src=" in attributes
            assert body.strip() == ""


@pytest.mark.django_db
def test_page_passes_translated_strings_and_language_to_the_script(client):
    html = client.get("/scan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    strings = json.loads(re.search(r'id="scanner-strings"[^>]*>(.*?)</script>', html).group(1))
    config = json.loads(re.search(r'id="scanner-config"[^>]*>(.*?)</script>', html).group(1))
    assert strings["state_new"] == "New lead"
    assert set(strings) == set(scanner_views.STRINGS)
    assert config["language"] == "en"
    assert config["apiBase"] == "/api/scan/"
    assert config["wasm"].endswith("zxing_reader.wasm")
    german = client.get("/scan/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '"language": "de"' in german


@pytest.mark.django_db
def test_service_worker_is_served_for_the_scan_scope_and_never_cached(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/scan/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/scan/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    config = json.loads(re.search(r"const CONFIG = (\{.*?\});", body).group(1))
    assert config["page"] == "/scan/"
    assert config["version"] == scanner_views.shell_version()
    for url in [*config["shell"], config["decoder"], config["wasm"]]:
        assert url.startswith("/")
        assert "//" not in url  # our own origin, never a CDN
    for name in config["appModules"]:
        assert finders.find(f"scanner/{name}"), name


def test_shell_version_changes_when_a_cached_file_changes(monkeypatch, tmp_path):
    real_find = finders.find
    changed = tmp_path / "app.js"
    before = scanner_views._compute_version()
    changed.write_text(Path(real_find("scanner/app.js")).read_text() + "\n// changed\n")
    monkeypatch.setattr(
        finders,
        "find",
        lambda path, *args, **kwargs: (
            str(changed) if path == "scanner/app.js" else real_find(path, *args, **kwargs)
        ),
    )
    assert scanner_views._compute_version() != before


@pytest.mark.django_db
def test_manifest_makes_the_page_installable(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/scan/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == manifest["scope"] == "/scan/"
    assert manifest["display"] == "standalone"
    assert manifest["name"] == "Fairlead scanner"
    sizes = set()
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])


def test_vendored_decoder_matches_the_locked_version():
    """static/vendor/ is what `npm ci && npm run vendor` makes from package-lock.json."""
    lock = json.loads((ROOT / "package-lock.json").read_text())
    packages = lock["packages"]
    assert (
        packages[""]["dependencies"]["barcode-detector"]
        == packages["node_modules/barcode-detector"]["version"]
    )
    zxing_version = packages["node_modules/zxing-wasm"]["version"]
    bundle = (VENDOR / "zxing-exported.js").read_text()
    assert f'"{zxing_version}"' in bundle
    wasm_digest = hashlib.sha256((VENDOR / "zxing_reader.wasm").read_bytes()).hexdigest()
    assert f'"{wasm_digest}"' in bundle  # the bundle's own ZXING_WASM_SHA256
    assert 'from "./zxing-exported.js"' in (VENDOR / "ponyfill.js").read_text()
