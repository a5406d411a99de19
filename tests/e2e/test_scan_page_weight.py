"""What a phone downloads to open the scanner, measured in Chromium (bytes, not time).

Run with -s to see the figures. A new phone's first visit (the pairing screen) stays under
100 KB without the decoder; a paired phone also loads the scanning screen's modules (without
the service worker's copy: with it, nothing at all).
"""

import gzip

import pytest

from tests.e2e.helpers import pair_page, phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHELL_BUDGET = 100 * 1024
# What a paired phone needs to open the scanning screen (no decoder, no service worker).
PAIRED_BUDGET = 120 * 1024


def transferred(page, action) -> list[tuple[str, int]]:
    """Bytes received per response (encoded body + headers, as the network sent them), with
    the browser's cache off: what a phone that never loaded the page receives. After a
    navigation only the new document's requests count, not what the page before it still
    had in flight."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    requests: dict[str, dict] = {}
    sizes: dict[str, int] = {}

    def sent(event):
        requests[event["requestId"]] = event

    def finished(event):
        sizes[event["requestId"]] = int(event["encodedDataLength"])

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    action()
    page.wait_for_load_state("networkidle")
    cdp.detach()
    documents = {
        event["loaderId"] for event in requests.values() if event.get("type") == "Document"
    }
    # One line per response: the same URL fetched twice counts twice.
    return [
        (requests[request]["request"]["url"], size)
        for request, size in sizes.items()
        if request in requests and (not documents or requests[request]["loaderId"] in documents)
    ]


def test_first_load_is_light_and_the_decoder_comes_only_on_demand(browser, live_server):
    # Service workers blocked: this is what the page itself needs, not the offline precache.
    context = phone_context(browser, service_workers="block")
    page = context.new_page()
    shell = transferred(page, lambda: page.goto(f"{live_server.url}/scan/"))
    page.wait_for_selector("#pair-view:not([hidden])")
    decoder = transferred(
        page,
        lambda: page.evaluate(
            """async () => {
              const config = JSON.parse(document.getElementById('scanner-config').textContent);
              const { detectorGet } = await import('/static/scanner/camera.js');
              const detector = await detectorGet(config);
              await detector.detect(new ImageData(8, 8));
            }"""
        ),
    )
    context.close()

    shell_total = sum(size for _, size in shell)
    decoder_total = sum(size for _, size in decoder)
    print(f"\nfirst load without decoder: {shell_total / 1024:.1f} KiB in {len(shell)} responses")
    for url, size in sorted(shell, key=lambda item: -item[1]):
        print(f"  {size:>8}  {url.removeprefix(live_server.url)}")
    print(f"decoder on demand: {decoder_total / 1024:.1f} KiB in {len(decoder)} responses")
    for url, size in sorted(decoder, key=lambda item: -item[1]):
        print(f"  {size:>8}  {url.removeprefix(live_server.url)}")
    print(f"first load with decoder: {(shell_total + decoder_total) / 1024:.1f} KiB")
    assert not any("vendor/" in url for url, _ in shell)
    assert any(url.endswith("zxing_reader.wasm") for url, _ in decoder)
    assert shell_total < SHELL_BUDGET


def test_a_paired_phone_opens_the_scanning_screen_without_the_decoder(
    browser, live_server, stand_device
):
    context = phone_context(browser, service_workers="block")
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    opened = transferred(page, lambda: page.reload())
    page.wait_for_selector("#app-view:not([hidden])")
    context.close()
    total = sum(size for _, size in opened)
    print(f"\npaired phone opens the scanner: {total / 1024:.1f} KiB in {len(opened)} responses")
    for url, size in sorted(opened, key=lambda item: -item[1]):
        print(f"  {size:>8}  {url.removeprefix(live_server.url)}")
    assert any(url.endswith("/static/scanner/capture.js") for url, _ in opened)
    assert not any("vendor/" in url for url, _ in opened)  # the camera was not started
    fetched = [url for url, _ in opened]
    assert sorted(fetched) == sorted(set(fetched)), "a response fetched twice"
    assert total < PAIRED_BUDGET


def test_gzip_sizes_of_what_production_serves():
    """Whitenoise serves pre-compressed files in production; print what that makes of it."""
    from django.contrib.staticfiles import finders

    from leads.scanner_views import APP_MODULES, DECODER_MODULE, DECODER_WASM, SHELL_STATIC

    def gz(path: str) -> int:
        with open(finders.find(path), "rb") as handle:
            return len(gzip.compress(handle.read(), 9))

    shell = sum(gz(p) for p in SHELL_STATIC if p.endswith((".js", ".css")))
    shell += sum(gz(f"scanner/{name}") for name in APP_MODULES)
    decoder_dir = DECODER_MODULE.rsplit("/", 1)[0]
    decoder = gz(DECODER_MODULE) + gz(DECODER_WASM) + gz(f"{decoder_dir}/zxing-exported.js")
    print(f"\ngzip: scripts and styles {shell / 1024:.1f} KiB, decoder {decoder / 1024:.1f} KiB")
    assert shell < SHELL_BUDGET
