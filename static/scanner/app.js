// Fairlead stand scanner. Pair once, then scan badges by camera, hardware scanner or typed
// short code. Every scan and edit is stored on the device first and uploaded when possible.
// This entry module decides which screen opens: pairing.js for a phone that is not paired
// (or opened a pairing link), else screen.js, the scanning screen (checkin.js for a device
// paired to a forum room: session check-in at its door), loaded only then, so a
// new phone's first visit fetches what pairing needs. The service worker keeps all of it.

import { pairCodeFromUrl, pairingWire, showPairing } from "./pairing.js";
import { banner, config, on, state, t } from "./shell.js";
import * as store from "./store.js";

/** A room device (paired to a forum room) checks people in; a stand device captures leads. */
function attendanceMode() {
  return Boolean((state.auth && state.auth.room) || (state.me && state.me.mode === "attendance"));
}

let openedMode = null;

async function openScanner() {
  const mode = attendanceMode() ? "attendance" : "leads";
  // Both screens wire the same fields and buttons: a phone paired again for the other kind
  // of device starts from a fresh page (the credential is stored already).
  if (openedMode && openedMode !== mode) {
    location.reload();
    return;
  }
  openedMode = mode;
  const screen = mode === "attendance" ? await import("./checkin.js") : await import("./screen.js");
  screen.open();
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
  } catch {
    // No service worker (private mode, old browser): the page still works while online.
  }
}

async function boot() {
  pairingWire();
  on("paired", openScanner);
  registerServiceWorker();
  state.auth = (await store.metaGet("auth")) || null;
  state.me = (await store.metaGet("me")) || null;
  document.body.dataset.ready = "true";
  if (state.auth) state.api.token = state.auth.token;
  // A pairing link opened on a paired phone asks before pairing again.
  if (!state.auth || pairCodeFromUrl()) showPairing();
  else openScanner();
}

boot();
