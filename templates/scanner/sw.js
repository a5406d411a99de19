// Fairlead scanner service worker: keeps the page, its code and the QR decoder on the phone
// so the scanner opens and scans without a network. Uploads are never cached or replayed here;
// the page's IndexedDB queue does that.
const CONFIG = {{ worker_config }};
const CACHE = `fairlead-scanner-${CONFIG.version}`;
const PAGE_KEY = new URL(CONFIG.page, self.location.origin).href;

// The entry module imports its siblings by relative path: cache the URLs the browser will ask.
const SHELL = [...new Set([
  ...CONFIG.shell,
  CONFIG.app,
  ...CONFIG.appModules.map((name) => new URL(name, new URL(CONFIG.app, self.location.origin)).pathname),
])];
const DECODER = [...new Set([
  CONFIG.decoder,
  CONFIG.wasm,
  ...CONFIG.decoderImports.map((name) => new URL(name, new URL(CONFIG.decoder, self.location.origin)).pathname),
])];

async function cachePage(cache) {
  const response = await fetch(CONFIG.page, { credentials: "same-origin", cache: "no-store" });
  if (response.ok) await cache.put(PAGE_KEY, response);
}

async function cacheDecoder() {
  const cache = await caches.open(CACHE);
  const missing = [];
  for (const url of DECODER) {
    if (!(await cache.match(url))) missing.push(url);
  }
  if (missing.length) await cache.addAll(missing);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(SHELL);
      await cachePage(cache);
      // Carry the decoder over from the previous version when it has not changed.
      for (const name of await caches.keys()) {
        if (name === CACHE || !name.startsWith("fairlead-scanner-")) continue;
        const old = await caches.open(name);
        for (const url of DECODER) {
          const hit = await old.match(url);
          if (hit && !(await cache.match(url))) await cache.put(url, hit);
        }
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== CACHE && name.startsWith("fairlead-scanner-")) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "cache-decoder") event.waitUntil(cacheDecoder());
});

/** The page: network first (fresh text and language), the stored copy when offline. */
async function navigate(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 4000)),
    ]);
    if (response.ok) await cache.put(PAGE_KEY, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(PAGE_KEY);
    if (cached) return cached;
    throw error;
  }
}

/** Static files: the cache first; anything else under /static/ is cached once fetched. */
async function staticFile(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === CONFIG.page) {
    event.respondWith(navigate(request));
  } else if (url.pathname.startsWith(CONFIG.staticPrefix) || CONFIG.shell.includes(url.pathname)) {
    event.respondWith(staticFile(request));
  }
});
