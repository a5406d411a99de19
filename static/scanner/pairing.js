// Pairing: how this browser becomes one of the exhibitor's scanner devices and stops being one.
// Decides where a pairing code comes from (the portal's link, also opened in a tab that shows
// the scanner already, or typed), what the device is called, and what the phone forgets:
// everything on unpairing; every lead and the credential when the server no longer knows the
// device (401: revoked in the portal, or paired on another phone), keeping only the scans not
// uploaded yet, which a new pairing for the same exhibitor still sends.

import { Api, NetworkError } from "./api.js";
import { $, config, emit, fmt, on, plural, state, t } from "./shell.js";
import * as store from "./store.js";

/** A name for this phone that its owner recognizes in the portal's device list. */
async function guessDeviceName() {
  const ua = navigator.userAgent;
  if (/iPhone/.test(ua)) return "iPhone";
  if (/iPad/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1)) return "iPad";
  if (/Android/.test(ua)) {
    try {
      const { model } = await navigator.userAgentData.getHighEntropyValues(["model"]);
      if (model) return `Android (${model})`;
    } catch {
      // No client hints (Firefox, or a browser that keeps them to itself).
    }
    return "Android";
  }
  if (/Windows/.test(ua)) return "Windows";
  if (/Macintosh/.test(ua)) return "Mac";
  if (/Linux|CrOS/.test(ua)) return "Linux";
  return "Browser";
}

/** The pairing code from /scan/?pair=CODE or /scan/#pair=CODE. */
export function pairCodeFromUrl() {
  const query = new URLSearchParams(location.search).get("pair");
  const hash = new URLSearchParams(location.hash.replace(/^#/, "")).get("pair");
  return (query || hash || "").trim();
}

export function forgetPairCodeInUrl() {
  const url = new URL(location.href);
  url.searchParams.delete("pair");
  if (/pair=/.test(url.hash)) url.hash = "";
  history.replaceState(null, "", url.pathname + url.search + url.hash);
}

export async function showPairing(message = "") {
  if (state.camera) state.camera.stop();
  $("pair-view").hidden = false;
  $("app-view").hidden = true;
  $("pair-cancel").hidden = !state.auth;
  const code = pairCodeFromUrl();
  if (code) $("pair-code").value = code;
  $("pair-error").textContent = message;
  const waiting = state.auth ? 0 : await store.queueCount();
  $("pair-waiting").hidden = !waiting;
  $("pair-waiting-text").textContent = waiting ? fmt(plural(t.pair_waiting, waiting), waiting) : "";
  if (!$("pair-device").value) $("pair-device").value = await guessDeviceName();
  const name = $("pair-device");
  if (code) {
    name.focus();
    name.select();
  } else {
    $("pair-code").focus();
  }
}

export async function pair(event) {
  event.preventDefault();
  const code = $("pair-code").value.trim();
  const name = $("pair-device").value.trim() || (await guessDeviceName());
  const button = $("pair-submit");
  button.disabled = true;
  $("pair-error").textContent = t.pairing;
  try {
    const answer = await new Api(config.apiBase).pair(code, name);
    const { data } = answer;
    // Scans and leads of another exhibitor must never reach this one.
    // (A room device's check-ins belong to its room.)
    const owner = await store.metaGet("owner");
    const newOwner = data.exhibitor ? data.exhibitor.id : `room:${data.room.id}`;
    if (owner !== undefined && owner !== newOwner) await store.clearAll();
    state.auth = { token: data.token, device: data.device, exhibitor: data.exhibitor, room: data.room || null };
    state.api.token = data.token;
    state.me = null;
    await store.metaSet("owner", newOwner);
    await store.metaSet("auth", state.auth);
    if (answer.serverTime && !(await store.metaGet("leadsSince"))) await store.leadsSinceSet(answer.serverTime);
    forgetPairCodeInUrl();
    $("pair-code").value = "";
    try {
      state.me = (await state.api.me()).data;
      await store.metaSet("me", state.me);
    } catch {
      state.me = null;
    }
    $("pair-error").textContent = "";
    emit("paired");
  } catch (error) {
    $("pair-error").textContent =
      error instanceof NetworkError ? t.pair_offline : fmt(t.pair_failed, error.message);
  } finally {
    button.disabled = false;
  }
}

/** Forget the credential at once, so that an answer still on its way stores nothing. */
export function forgetCredential() {
  if (state.camera) state.camera.stop();
  state.auth = null;
  state.me = null;
  state.api.token = null;
  state.currentKey = null;
  emit("unpaired");
}

/** The server refused the token (401): this phone is no longer one of the devices. */
async function deviceLost() {
  if (!state.auth) return;
  forgetCredential();
  await store.purgeDevice();
  showPairing(t.device_revoked);
}

async function discardWaiting() {
  if (!window.confirm(t.discard_confirm)) return;
  await store.clearAll();
  showPairing();
}

/** A pairing link opened in a tab that already shows the scanner changes only the hash. */
function onHashChange() {
  if (pairCodeFromUrl()) showPairing();
}

export function pairingWire() {
  $("pair-form").addEventListener("submit", pair);
  $("pair-cancel").addEventListener("click", () => {
    forgetPairCodeInUrl();
    emit("paired");
  });
  $("pair-discard").addEventListener("click", discardWaiting);
  window.addEventListener("hashchange", onHashChange);
  on("revoked", deviceLost);
}
