// What every part of the scanner shares: the page's configuration and texts, the one state
// object, the device bar and banner, and a small event bus. The bus lets the upload queue
// announce changes without importing the screens that draw them (no import cycles).

import * as store from "./store.js";
import { Api } from "./api.js";
import { el, fmt } from "./ui.js";

export const config = JSON.parse(document.getElementById("scanner-config").textContent);
export const t = JSON.parse(document.getElementById("scanner-strings").textContent);
export const $ = (id) => document.getElementById(id);

export const state = {
  auth: null, // {token, device, exhibitor}
  me: null, // GET /api/scan/me
  api: new Api(config.apiBase),
  revoked: false,
  currentKey: null, // the lead shown in the scan tab's panel
  sheetKey: null, // the lead open from the list
  camera: null,
};

const bus = new EventTarget();

/** Subscribe to an event of the page ("leads-changed", "paired", …). */
export function on(name, handler) {
  bus.addEventListener(name, (event) => handler(event.detail));
}

export function emit(name, detail = null) {
  bus.dispatchEvent(new CustomEvent(name, { detail }));
}

const timeFormat = () =>
  new Intl.DateTimeFormat(config.language, {
    timeZone: (state.me && state.me.fair && state.me.fair.time_zone) || undefined,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
  });

export function formatTime(iso) {
  if (!iso) return "";
  try {
    return timeFormat().format(new Date(iso));
  } catch {
    return iso;
  }
}

function nameOf(thing, ...fields) {
  if (!thing) return "";
  if (typeof thing === "string") return thing;
  for (const field of fields) if (thing[field]) return thing[field];
  return "";
}

export function deviceInfo() {
  const me = state.me || {};
  const auth = state.auth || {};
  const exhibitor = me.exhibitor || auth.exhibitor;
  const device = me.device || auth.device;
  const stand = me.stand || (exhibitor && exhibitor.stand);
  return {
    exhibitor: nameOf(exhibitor, "company_name", "name"),
    device: nameOf(device, "label", "paired_name"),
    stand: nameOf(stand, "number"),
    questions: me.questions || [],
  };
}

export function drawDeviceBar() {
  const info = deviceInfo();
  $("exhibitor-name").textContent = info.exhibitor;
  $("stand-label").textContent = info.stand ? fmt(t.stand, info.stand) : "";
  $("device-name").textContent = info.device;
}

export async function drawSyncState() {
  const count = await store.queueCount();
  const online = navigator.onLine;
  const net = $("net-state");
  net.textContent = online ? t.online : t.offline;
  net.dataset.online = online ? "true" : "false";
  const counter = $("sync-count");
  counter.textContent = count ? fmt(t.waiting, count) : t.all_synced;
  counter.dataset.count = String(count);
  counter.disabled = count === 0;
}

export function banner(text, action = null) {
  const node = $("banner");
  node.replaceChildren(text);
  if (action) node.append(" ", el("button", { type: "button", class: "link", text: action.label, onclick: action.run }));
  node.hidden = !text;
}

export function focusCodeInput() {
  // On phones the on-screen keyboard would cover the camera; focus only with a real keyboard.
  if (window.matchMedia("(pointer: fine)").matches && !$("tab-scan").hidden) {
    $("code").focus({ preventScroll: true });
  }
}

export function deviceRevoked() {
  state.revoked = true;
  store.metaSet("revoked", true);
  banner(t.device_revoked);
}
