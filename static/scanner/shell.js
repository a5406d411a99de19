// What every part of the scanner shares: the page's configuration and texts, the one state
// object, the device bar and banner, and a small event bus. The bus lets the upload queue
// announce changes without importing the screens that draw them (no import cycles).

import { Api } from "./api.js";
import * as store from "./store.js";

export const config = JSON.parse(document.getElementById("scanner-config").textContent);
export const t = JSON.parse(document.getElementById("scanner-strings").textContent);
export const $ = (id) => document.getElementById(id);

export const state = {
  auth: null, // {token, device, exhibitor}
  me: null, // GET /api/scan/me
  api: new Api(config.apiBase),
  limitedUntil: 0, // performance.now() until which the server asked us to wait (429)
  currentKey: null, // the lead shown in the scan tab's panel
  sheetKey: null, // the lead open from the list
  camera: null,
};

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function fmt(template, value) {
  return String(template).replace("%s", value);
}

const bus = new EventTarget();

/** Subscribe to an event of the page ("leads-changed", "paired", …). */
export function on(name, handler) {
  bus.addEventListener(name, (event) => handler(event.detail));
}

export function emit(name, detail = null) {
  bus.dispatchEvent(new CustomEvent(name, { detail }));
}

const timeFormat = (exact) =>
  new Intl.DateTimeFormat(config.language, {
    timeZone: (state.me && state.me.fair && state.me.fair.time_zone) || undefined,
    weekday: "short",
    ...(exact ? { day: "numeric", month: "numeric", second: "2-digit" } : {}),
    hour: "2-digit",
    minute: "2-digit",
  });

/** The form of a text for `count` (forms from the catalog: {one, other}). */
export function plural(forms, count) {
  const category = new Intl.PluralRules(config.language).select(count);
  return forms[category] || forms.other;
}

/** A time in the fair's zone; `exact` adds the date and seconds. */
export function formatTime(iso, { exact = false } = {}) {
  if (!iso) return "";
  try {
    return timeFormat(exact).format(new Date(iso));
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
  const label = nameOf(device, "label");
  const paired = nameOf(device, "paired_name");
  return {
    exhibitor: nameOf(exhibitor, "company_name", "name"),
    // The portal's name for the device, and what the phone was called when it was paired.
    device: paired && paired !== label ? `${label} (${paired})` : label || paired,
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

let countdown = null;

export async function drawSyncState() {
  const count = await store.queueCount();
  const online = navigator.onLine;
  const wait = Math.ceil((state.limitedUntil - performance.now()) / 1000);
  const net = $("net-state");
  net.textContent = wait > 0 ? fmt(t.limited, wait) : online ? t.online : t.offline;
  net.dataset.online = online ? "true" : "false";
  net.dataset.limited = wait > 0 ? "true" : "false";
  clearTimeout(countdown);
  if (wait > 0) countdown = setTimeout(drawSyncState, 1000);
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
