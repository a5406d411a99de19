// Fairlead stand scanner. Pair once, then scan badges by camera, hardware scanner or typed
// short code. Every scan and edit is stored on the device first and uploaded when possible.
// This entry module wires the page together: pairing.js (becoming a device), capture.js
// (reading codes), sync.js (the upload queue) and sheet.js (the lead panel and list).

import { ApiError } from "./api.js";
import { Camera, needsPolyfill } from "./camera.js";
import {
  autoStartCamera,
  cameraState,
  handleCode,
  hideFlash,
  onKeydown,
  submitCode,
  toggleCamera,
} from "./capture.js";
import { forgetPairCodeInUrl, pair, pairCodeFromUrl, showPairing, unpair } from "./pairing.js";
import {
  $,
  banner,
  config,
  deviceRevoked,
  drawDeviceBar,
  drawSyncState,
  focusCodeInput,
  on,
  state,
  t,
} from "./shell.js";
import { closeSheet, draftFlush, drawList } from "./sheet.js";
import * as store from "./store.js";
import { retrySoon, sync } from "./sync.js";

const app = { installPrompt: null, resumeCamera: false };

function startApp() {
  $("pair-view").hidden = true;
  $("app-view").hidden = false;
  drawDeviceBar();
  drawSyncState();
  drawList();
  if (state.revoked) banner(t.device_revoked);
  selectTab("scan");
  focusCodeInput();
  autoStartCamera();
  refreshMe();
  sync();
}

async function refreshMe() {
  if (!navigator.onLine || state.revoked) return;
  const token = state.api.token;
  try {
    const me = (await state.api.me()).data;
    if (state.api.token !== token) return; // unpaired meanwhile
    state.me = me;
    await store.metaSet("me", state.me);
    drawDeviceBar();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) deviceRevoked();
  }
}

function selectTab(name) {
  for (const tab of ["scan", "leads"]) {
    $(`tab-${tab}`).hidden = tab !== name;
    $(`tab-button-${tab}`).setAttribute("aria-selected", tab === name ? "true" : "false");
  }
  if (name === "leads") {
    draftFlush({ final: true });
    drawList();
  }
}

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    // Only a page that an older worker already served has an update to offer.
    const hadWorker = Boolean(navigator.serviceWorker.controller);
    const registration = await navigator.serviceWorker.register(config.serviceWorker, { scope: config.scope });
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker.addEventListener("statechange", () => {
        if (worker.state === "activated" && hadWorker) {
          banner(t.update_ready, { label: t.reload, run: () => location.reload() });
        }
      });
    });
    // Browsers without a native QR detector need the WebAssembly decoder offline too.
    if (await needsPolyfill()) {
      const ready = await navigator.serviceWorker.ready;
      if (ready.active) ready.active.postMessage({ type: "cache-decoder" });
    }
  } catch {
    // No service worker (private mode, old browser): the page still works while online.
  }
}

async function boot() {
  $("pair-form").addEventListener("submit", pair);
  $("code-form").addEventListener("submit", submitCode);
  $("camera-toggle").addEventListener("click", toggleCamera);
  $("flash").addEventListener("click", hideFlash);
  $("unpair").addEventListener("click", unpair);
  $("sync-count").addEventListener("click", () => sync());
  $("tab-button-scan").addEventListener("click", () => selectTab("scan"));
  $("tab-button-leads").addEventListener("click", () => selectTab("leads"));
  $("lead-search").addEventListener("input", drawList);
  $("sheet-close").addEventListener("click", async () => {
    await draftFlush({ final: true });
    closeSheet();
  });
  document.addEventListener("keydown", onKeydown);
  window.addEventListener("online", () => {
    drawSyncState();
    retrySoon();
    refreshMe();
  });
  window.addEventListener("offline", drawSyncState);
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      draftFlush({ final: true });
      // A phone in a pocket should not keep the camera (and its battery drain) running.
      app.resumeCamera = state.camera.active;
      if (app.resumeCamera) state.camera.stop();
    } else {
      if (app.resumeCamera && state.auth) state.camera.start();
      app.resumeCamera = false;
      sync();
    }
  });
  window.addEventListener("pagehide", () => draftFlush({ final: true }));
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    app.installPrompt = event;
    $("install").hidden = false;
  });
  $("install").addEventListener("click", async () => {
    if (!app.installPrompt) return;
    app.installPrompt.prompt();
    app.installPrompt = null;
    $("install").hidden = true;
  });
  on("paired", startApp);
  state.camera = new Camera({ video: $("video"), config, onCode: (code) => handleCode(code, "camera"), onState: cameraState });
  cameraState("stopped");

  registerServiceWorker();
  state.auth = (await store.metaGet("auth")) || null;
  state.me = (await store.metaGet("me")) || null;
  state.revoked = Boolean(await store.metaGet("revoked"));
  document.body.dataset.ready = "true";
  if (!state.auth) {
    showPairing();
    return;
  }
  state.api.token = state.auth.token;
  if (pairCodeFromUrl()) forgetPairCodeInUrl();
  startApp();
}

boot();
