// The scanning screen, loaded once the phone is paired (the pairing screen does not need it).
// Wires capture.js (reading codes), sync.js (the upload queue, fresh lead data) and sheet.js
// (panel and list) to the page, and decides when the camera runs (only while the page is
// visible) and when to sync and refresh (on opening, on return, when the network comes back).

import { ApiError } from "./api.js";
import { Camera, needsPolyfill } from "./camera.js";
import {
  autoStartCamera,
  cameraState,
  clearTypo,
  handleFrame,
  hideFlash,
  onKeydown,
  submitCode,
  toggleCamera,
  toggleTorch,
  typeInstead,
} from "./capture.js";
import { forgetCredential, showPairing } from "./pairing.js";
import { $, config, drawDeviceBar, drawSyncState, emit, fmt, focusCodeInput, on, state, t } from "./shell.js";
import { closeSheet, draftFlush, drawList } from "./sheet.js";
import * as store from "./store.js";
import { refreshLeads, retrySoon, sync } from "./sync.js";

// While the page is open, ask now and then whether a visitor withdrew consent or was erased.
const REFRESH_EVERY_MS = 5 * 60 * 1000;

const screen = { wired: false, installPrompt: null, resumeCamera: false, refreshTimer: null };

/** Show the scanning screen for the paired device. */
export function open() {
  if (!screen.wired) wire();
  $("pair-view").hidden = true;
  $("app-view").hidden = false;
  drawDeviceBar();
  drawSyncState();
  drawList();
  selectTab("scan");
  focusCodeInput();
  autoStartCamera();
  refreshMe();
  sync().then(refreshLeads);
  clearInterval(screen.refreshTimer);
  screen.refreshTimer = setInterval(() => document.hidden || refreshLeads(), REFRESH_EVERY_MS);
  cacheDecoder();
}

async function refreshMe() {
  if (!navigator.onLine || !state.auth) return;
  const token = state.api.token;
  try {
    const me = (await state.api.me()).data;
    if (state.api.token !== token) return; // unpaired meanwhile
    state.me = me;
    await store.metaSet("me", state.me);
    drawDeviceBar();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) emit("revoked");
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

async function unpair() {
  await draftFlush({ final: true });
  const waiting = await store.queueCount();
  const question = waiting ? fmt(t.unpair_pending, waiting) : t.unpair_confirm;
  if (!window.confirm(question)) return;
  forgetCredential();
  await store.clearAll();
  showPairing();
}

/** A hidden page (other tab, phone locked) lets go of the camera and takes it back on return. */
function onVisibility() {
  if (document.hidden) {
    draftFlush({ final: true });
    screen.resumeCamera = state.camera.active;
    if (screen.resumeCamera) state.camera.stop();
    return;
  }
  if (screen.resumeCamera && state.auth) state.camera.start();
  screen.resumeCamera = false;
  if (state.auth) sync().then(refreshLeads);
}

/** Browsers without a native QR detector need the WebAssembly decoder offline too. */
async function cacheDecoder() {
  if (!("serviceWorker" in navigator) || !(await needsPolyfill())) return;
  const ready = await navigator.serviceWorker.ready;
  if (ready.active) ready.active.postMessage({ type: "cache-decoder" });
}

function wire() {
  screen.wired = true;
  $("code-form").addEventListener("submit", submitCode);
  $("code").addEventListener("input", clearTypo);
  $("camera-toggle").addEventListener("click", toggleCamera);
  $("camera-type").addEventListener("click", typeInstead);
  $("torch").addEventListener("click", toggleTorch);
  $("flash").addEventListener("click", hideFlash);
  $("sync-count").addEventListener("click", () => sync());
  $("tab-button-scan").addEventListener("click", () => selectTab("scan"));
  $("tab-button-leads").addEventListener("click", () => selectTab("leads"));
  $("lead-search").addEventListener("input", drawList);
  $("sheet-close").addEventListener("click", async () => {
    await draftFlush({ final: true });
    closeSheet();
  });
  $("unpair").addEventListener("click", unpair);
  // Capturing, so a hardware scanner's keys are seen before any field acts on them.
  window.addEventListener("keydown", onKeydown, true);
  window.addEventListener("online", () => {
    drawSyncState();
    if (!state.auth) return;
    refreshMe();
    retrySoon().then(refreshLeads);
  });
  window.addEventListener("offline", drawSyncState);
  document.addEventListener("visibilitychange", onVisibility);
  window.addEventListener("pagehide", () => draftFlush({ final: true }));
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    screen.installPrompt = event;
    $("install").hidden = false;
  });
  $("install").addEventListener("click", async () => {
    if (!screen.installPrompt) return;
    screen.installPrompt.prompt();
    screen.installPrompt = null;
    $("install").hidden = true;
  });
  on("unpaired", () => clearInterval(screen.refreshTimer));
  state.camera = new Camera({ video: $("video"), config, onCodes: handleFrame, onState: cameraState });
  cameraState("stopped");
}
