// Pairing: how this browser becomes one of the exhibitor's scanner devices and stops being one.
// Decides where a pairing code comes from (the portal's link or typed), what the device is
// called, and what is forgotten on unpairing.

import { Api, NetworkError } from "./api.js";
import { $, config, emit, state, t } from "./shell.js";
import { draftFlush } from "./sheet.js";
import * as store from "./store.js";
import { fmt } from "./ui.js";

function guessDeviceName() {
  const ua = navigator.userAgent;
  if (/iPhone/.test(ua)) return "iPhone";
  if (/iPad/.test(ua)) return "iPad";
  if (/Android/.test(ua)) return "Android";
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

export function showPairing(message = "") {
  $("pair-view").hidden = false;
  $("app-view").hidden = true;
  const code = pairCodeFromUrl();
  if (code) $("pair-code").value = code;
  if (!$("pair-device").value) $("pair-device").value = guessDeviceName();
  $("pair-error").textContent = message;
  (code ? $("pair-device") : $("pair-code")).focus();
}

export async function pair(event) {
  event.preventDefault();
  const code = $("pair-code").value.trim();
  const name = $("pair-device").value.trim() || guessDeviceName();
  const button = $("pair-submit");
  button.disabled = true;
  $("pair-error").textContent = t.pairing;
  try {
    const { data } = await new Api(config.apiBase).pair(code, name);
    state.auth = { token: data.token, device: data.device, exhibitor: data.exhibitor };
    state.api.token = data.token;
    await store.metaSet("auth", state.auth);
    forgetPairCodeInUrl();
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

export async function unpair() {
  await draftFlush({ final: true });
  const waiting = await store.queueCount();
  const question = waiting ? fmt(t.unpair_pending, waiting) : t.unpair_confirm;
  if (!window.confirm(question)) return;
  if (state.camera) state.camera.stop();
  // Forget the token first, so that an answer still on its way cannot store anything again.
  state.auth = null;
  state.me = null;
  state.api.token = null;
  state.currentKey = null;
  await store.clearAll();
  state.revoked = false;
  showPairing();
}
