// Fairlead stand scanner. Pair once, then scan badges by camera, hardware scanner or typed
// short code. Every scan and edit is stored on the device first and uploaded when possible.

import { Api, ApiError, NetworkError } from "./api.js";
import { Camera, needsPolyfill } from "./camera.js";
import { parseCode } from "./codes.js";
import * as store from "./store.js";
import { el, fmt, fullName, leadPanel, leadRow, matches } from "./ui.js";

const config = JSON.parse(document.getElementById("scanner-config").textContent);
const t = JSON.parse(document.getElementById("scanner-strings").textContent);
const $ = (id) => document.getElementById(id);

const DUPLICATE_WINDOW_MS = 5000;
const SEND_TIMEOUT_MS = 5000;
const BATCH_LIMIT = 500;
const FLASH = {
  new: { ms: 1500, vibrate: [90] },
  again: { ms: 1500, vibrate: [60, 60, 60] },
  queued: { ms: 1500, vibrate: [90] },
  revoked: { ms: 2600, vibrate: [300, 100, 300] },
  unknown: { ms: 2600, vibrate: [300, 100, 300] },
  typo: { ms: 2600, vibrate: [300, 100, 300] },
  error: { ms: 2600, vibrate: [300, 100, 300] },
};

const state = {
  auth: null, // {token, device, exhibitor}
  me: null, // GET /api/scan/me
  api: new Api(config.apiBase),
  recent: null, // {key, at, flash}: the last code, to drop repeats
  inFlight: new Set(), // client_ids being sent right now
  syncing: false,
  retryTimer: null,
  retryDelay: 5000,
  revoked: false,
  currentKey: null, // the lead shown in the scan tab's panel
  sheetKey: null, // the lead open from the list
  draft: null, // {key, changes}: edits not yet queued
  draftTimer: null,
  flashTimer: null,
  camera: null,
  installPrompt: null,
  resumeCamera: false,
};

// ---------------------------------------------------------------- formatting

const timeFormat = () =>
  new Intl.DateTimeFormat(config.language, {
    timeZone: (state.me && state.me.fair && state.me.fair.time_zone) || undefined,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
  });

function formatTime(iso) {
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

// ---------------------------------------------------------------- pairing

function guessDeviceName() {
  const ua = navigator.userAgent;
  if (/iPhone/.test(ua)) return "iPhone";
  if (/iPad/.test(ua)) return "iPad";
  if (/Android/.test(ua)) return "Android";
  return "Browser";
}

/** The pairing code from /scan/?pair=CODE or /scan/#pair=CODE. */
function pairCodeFromUrl() {
  const query = new URLSearchParams(location.search).get("pair");
  const hash = new URLSearchParams(location.hash.replace(/^#/, "")).get("pair");
  return (query || hash || "").trim();
}

function forgetPairCodeInUrl() {
  const url = new URL(location.href);
  url.searchParams.delete("pair");
  if (/pair=/.test(url.hash)) url.hash = "";
  history.replaceState(null, "", url.pathname + url.search + url.hash);
}

function showPairing(message = "") {
  $("pair-view").hidden = false;
  $("app-view").hidden = true;
  const code = pairCodeFromUrl();
  if (code) $("pair-code").value = code;
  if (!$("pair-device").value) $("pair-device").value = guessDeviceName();
  $("pair-error").textContent = message;
  (code ? $("pair-device") : $("pair-code")).focus();
}

async function pair(event) {
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
    startApp();
  } catch (error) {
    $("pair-error").textContent =
      error instanceof NetworkError ? t.pair_offline : fmt(t.pair_failed, error.message);
  } finally {
    button.disabled = false;
  }
}

async function unpair() {
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

// ---------------------------------------------------------------- app shell

function deviceInfo() {
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

function drawDeviceBar() {
  const info = deviceInfo();
  $("exhibitor-name").textContent = info.exhibitor;
  $("stand-label").textContent = info.stand ? fmt(t.stand, info.stand) : "";
  $("device-name").textContent = info.device;
}

async function drawSyncState() {
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

function banner(text, action = null) {
  const node = $("banner");
  node.replaceChildren(text);
  if (action) node.append(" ", el("button", { type: "button", class: "link", text: action.label, onclick: action.run }));
  node.hidden = !text;
}

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

function deviceRevoked() {
  state.revoked = true;
  store.metaSet("revoked", true);
  banner(t.device_revoked);
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

// ---------------------------------------------------------------- camera

function cameraState(kind, detail = "") {
  const message = $("camera-msg");
  const button = $("camera-toggle");
  const messages = {
    starting: t.decoder_loading,
    denied: t.camera_denied,
    missing: t.camera_missing,
    failed: fmt(t.camera_failed, detail),
  };
  message.textContent = messages[kind] || "";
  $("camera").dataset.state = kind;
  button.textContent = kind === "running" || kind === "starting" ? t.camera_stop : t.camera_start;
}

function toggleCamera() {
  if (state.camera.active) state.camera.stop();
  else state.camera.start();
}

async function autoStartCamera() {
  // Only start by itself when the user has granted the camera before: no surprise prompts.
  try {
    const permission = await navigator.permissions.query({ name: "camera" });
    if (permission.state === "granted") state.camera.start();
  } catch {
    // Safari before 16 has no camera permission query; the button starts the camera.
  }
}

// ---------------------------------------------------------------- input

function focusCodeInput() {
  // On phones the on-screen keyboard would cover the camera; focus only with a real keyboard.
  if (window.matchMedia("(pointer: fine)").matches && !$("tab-scan").hidden) {
    $("code").focus({ preventScroll: true });
  }
}

function submitCode(event) {
  event.preventDefault();
  const input = $("code");
  const text = input.value;
  input.value = "";
  if (text.trim()) handleCode(text, "typed");
}

// A keyboard-wedge scanner types fast and ends with Enter. When no field has the focus, collect
// those keystrokes so a hardware scanner works without tapping the code field first.
const wedge = { buffer: "", last: 0 };
function onKeydown(event) {
  const target = event.target;
  if (target && (target.closest("input, textarea, select, [contenteditable]") || $("app-view").hidden)) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const now = performance.now();
  if (now - wedge.last > 100) wedge.buffer = "";
  wedge.last = now;
  if (event.key === "Enter") {
    if (wedge.buffer.length >= 8) {
      event.preventDefault();
      handleCode(wedge.buffer, "wedge");
    }
    wedge.buffer = "";
  } else if (event.key.length === 1) {
    wedge.buffer += event.key;
  }
}

// ---------------------------------------------------------------- scanning

function handleCode(raw, source) {
  if (!state.auth) return;
  const parsed = parseCode(raw);
  const now = Date.now();
  if (!parsed.ok) {
    if (source === "camera") return; // some other QR code in view: not ours
    showFlash("typo", { detail: parsed.reason === "check" ? t.typo_detail : t.unknown_detail });
    return;
  }
  const recent = state.recent;
  if (recent && recent.key === parsed.key && now - recent.at < DUPLICATE_WINDOW_MS) {
    recent.at = now; // still in view: keep suppressing
    if (source !== "camera") showFlash(recent.flash.kind, recent.flash.info);
    return;
  }
  state.recent = { key: parsed.key, at: now, flash: { kind: "queued", info: {} } };
  capture(parsed);
}

async function capture(parsed) {
  await draftFlush({ final: true });
  const clientId = crypto.randomUUID();
  const scannedAt = new Date().toISOString();
  const item = { kind: "scan", clientId, code: parsed.send, scannedAt, display: parsed.display };
  const record = {
    key: `c:${clientId}`,
    leadId: null,
    clientIds: [clientId],
    code: parsed.display === "QR" ? "" : parsed.display,
    contact: null,
    rating: "",
    tags: [],
    answers: {},
    notes: [],
    scanCount: 1,
    scannedAt,
    state: "queued",
  };
  await store.scanRecord(item, record);
  drawSyncState();

  if (!navigator.onLine || state.revoked) {
    flashResult("queued", record);
    return;
  }
  state.inFlight.add(clientId);
  let answered = false;
  try {
    const { status, data } = await state.api.scan(item, { timeout: SEND_TIMEOUT_MS });
    answered = true;
    const final = await applyScanResult(item, { status, lead: data }, { live: true });
    flashResult(status === 201 ? "new" : "again", final);
  } catch (error) {
    if (error instanceof ApiError) {
      answered = true;
      if (error.status === 401) {
        deviceRevoked();
        flashResult("queued", record);
      } else {
        await applyScanResult(item, { status: error.status, lead: null, error: error.body }, { live: true });
        const kind = error.status === 410 ? "revoked" : error.status === 404 ? "unknown" : "error";
        flashResult(kind, null, error.message);
      }
    } else {
      flashResult("queued", record);
      scheduleRetry();
    }
  } finally {
    state.inFlight.delete(clientId);
    drawSyncState();
    drawList();
    if (answered) sync();
  }
}

function flashResult(kind, record, detail = "") {
  const info = { detail };
  if (record) {
    info.name = fullName(record);
    info.company = record.contact ? record.contact.company : "";
    if (kind === "again" && record.scanCount > 1) info.detail = fmt(t.scan_count, record.scanCount);
    if (kind === "queued") info.detail = t.queued_detail;
  }
  if (kind === "revoked") info.detail = t.revoked_detail;
  if (kind === "unknown") info.detail = t.unknown_detail;
  if (state.recent) state.recent.flash = { kind, info };
  showFlash(kind, info);
  if (record) showCurrent(record.key);
}

function showFlash(kind, info = {}) {
  const flash = $("flash");
  const titles = {
    new: t.state_new,
    again: t.state_again,
    queued: t.state_queued,
    revoked: t.state_revoked,
    unknown: t.state_unknown,
    typo: t.state_typo,
    error: t.state_error,
  };
  flash.dataset.kind = kind;
  flash.querySelector(".flash-title").textContent = titles[kind];
  flash.querySelector(".flash-name").textContent = info.name || "";
  flash.querySelector(".flash-company").textContent = info.company || "";
  flash.querySelector(".flash-detail").textContent = info.detail || "";
  flash.hidden = false;
  if (navigator.vibrate) navigator.vibrate(FLASH[kind].vibrate);
  clearTimeout(state.flashTimer);
  state.flashTimer = setTimeout(hideFlash, FLASH[kind].ms);
}

function hideFlash() {
  clearTimeout(state.flashTimer);
  $("flash").hidden = true;
  focusCodeInput();
}

// ---------------------------------------------------------------- server results

/** The server's lead as this device keeps it, merged with what the device already had. */
function fromServer(lead, local) {
  const contact = lead.attendee || null;
  const base = local || {};
  const serverNotes = (lead.notes || []).map((note) => ({
    text: note.text,
    at: note.written_at || note.created_at || note.at,
  }));
  const pendingNotes = (base.notes || []).filter((note) => note.pending);
  // An API that leaves notes out of the lead keeps the device's own list.
  const notes = Array.isArray(lead.notes) ? [...serverNotes, ...pendingNotes] : base.notes || [];
  return {
    key: `l:${lead.id}`,
    leadId: lead.id,
    clientIds: [...new Set([...(base.clientIds || [])])],
    code: base.code || "",
    contact,
    rating: lead.rating || base.rating || "",
    tags: lead.tags && lead.tags.length ? lead.tags : base.tags || [],
    answers: { ...(base.answers || {}), ...(lead.answers || {}) },
    notes,
    scanCount: lead.scan_count || base.scanCount || 1,
    scannedAt: base.scannedAt || lead.last_scanned_at,
    state: "synced",
  };
}

/**
 * Record the answer for one uploaded scan: 201/200 with the lead, or a refusal.
 * Live scans that were refused leave no entry (the person saw the flash); refusals that come
 * back for scans queued earlier stay in the list, marked, so nobody wonders where they went.
 */
async function applyScanResult(item, result, { live = false } = {}) {
  const queued = (await store.queueAll()).find((row) => row.kind === "scan" && row.clientId === item.clientId);
  const tempKey = `c:${item.clientId}`;
  const temp = await store.leadGet(tempKey);
  const changes = { remove: queued ? [queued.seq] : [], links: [], drop: [], put: [] };
  let final = null;
  if (result.status === 200 || result.status === 201) {
    const existing = await store.leadGet(`l:${result.lead.id}`);
    const merged = fromServer(result.lead, mergeLocal(existing, temp));
    merged.clientIds = [...new Set([...(existing ? existing.clientIds : []), item.clientId])];
    merged.scannedAt = item.scannedAt > (existing ? existing.scannedAt : "") ? item.scannedAt : existing.scannedAt;
    changes.links.push({ clientId: item.clientId, leadId: result.lead.id, status: result.status });
    changes.drop.push(tempKey);
    changes.put.push(merged);
    if (state.currentKey === tempKey) state.currentKey = merged.key;
    if (state.sheetKey === tempKey) state.sheetKey = merged.key;
    if (state.draft && state.draft.key === tempKey) state.draft.key = merged.key;
    final = merged;
  } else {
    const refused = { 404: "unknown", 410: "revoked" }[result.status] || "invalid"; // 409, 422
    changes.links.push({ clientId: item.clientId, leadId: null, status: result.status });
    if (live || !temp) changes.drop.push(tempKey);
    else changes.put.push({ ...temp, state: refused });
    if (live && state.currentKey === tempKey) state.currentKey = null;
  }
  await store.syncApply(changes);
  return final;
}

function mergeLocal(existing, temp) {
  if (!existing) return temp;
  if (!temp) return existing;
  return {
    ...existing,
    rating: temp.rating || existing.rating,
    tags: temp.tags && temp.tags.length ? temp.tags : existing.tags,
    answers: { ...existing.answers, ...temp.answers },
    notes: [...(existing.notes || []), ...(temp.notes || [])],
  };
}

// ---------------------------------------------------------------- upload queue

function scheduleRetry() {
  clearTimeout(state.retryTimer);
  state.retryTimer = setTimeout(sync, state.retryDelay);
  state.retryDelay = Math.min(state.retryDelay * 2, 60000);
}

async function withLock(body) {
  if (navigator.locks) return navigator.locks.request("fairlead-scanner-sync", body);
  return body();
}

/** Upload everything queued, in order: scans in batches, then the edits whose lead is known. */
async function sync() {
  if (state.syncing || !state.auth || state.revoked) return;
  state.syncing = true;
  let refused = 0;
  try {
    await withLock(async () => {
      for (;;) {
        if (!state.auth) break; // unpaired meanwhile
        const items = (await store.queueAll()).filter((item) => !state.inFlight.has(item.clientId));
        if (!items.length) break;
        let progressed = false;
        const scans = items.filter((item) => item.kind === "scan").slice(0, BATCH_LIMIT);
        if (scans.length) {
          const { data } = await state.api.batch(scans);
          for (const [index, result] of data.results.entries()) {
            await applyScanResult(scans[index], result);
            if (result.status !== 200 && result.status !== 201) refused += 1;
          }
          progressed = true;
        }
        for (const edit of items.filter((item) => item.kind === "edit")) {
          if (await sendEdit(edit)) progressed = true;
        }
        if (!progressed) break;
      }
    });
    state.retryDelay = 5000;
    if (refused) banner(fmt(t.sync_refused, refused));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) deviceRevoked();
    else scheduleRetry();
  } finally {
    state.syncing = false;
    drawSyncState();
    drawList();
    redrawOpenPanels();
  }
}

/** PATCH one queued edit once its lead is known. True when the queue changed. */
async function sendEdit(edit) {
  let leadId = edit.leadId;
  if (!leadId) {
    const link = await store.linkGet(edit.clientId);
    if (!link) return false; // its scan is still waiting
    if (!link.leadId) {
      await store.syncApply({ remove: [edit.seq] }); // its scan was refused
      return true;
    }
    leadId = link.leadId;
  }
  let lead;
  try {
    lead = (await state.api.patch(leadId, edit.changes)).data;
  } catch (error) {
    if (error instanceof ApiError && error.status !== 401) {
      await store.syncApply({ remove: [edit.seq] }); // refused for good (deleted lead, bad value)
      return true;
    }
    throw error;
  }
  const key = `l:${leadId}`;
  const local = await store.leadGet(key);
  const sent = (note) => (note.pending && note.at === edit.writtenAt ? { ...note, pending: false } : note);
  const updated = fromServer(lead, local && { ...local, notes: (local.notes || []).map(sent) });
  updated.clientIds = local ? local.clientIds : [];
  updated.scannedAt = local ? local.scannedAt : updated.scannedAt;
  updated.code = local ? local.code : "";
  await store.syncApply({ remove: [edit.seq], put: [updated] });
  return true;
}

// ---------------------------------------------------------------- editing a lead

async function showCurrent(key) {
  state.currentKey = key;
  const record = await store.leadGet(key);
  const holder = $("current-lead");
  if (!record) {
    holder.replaceChildren();
    holder.hidden = true;
    $("tab-scan").classList.remove("has-lead");
    return;
  }
  holder.replaceChildren(panelFor(record, { closeLabel: t.next_scan, where: "current" }));
  holder.hidden = false;
  $("tab-scan").classList.add("has-lead");
}

async function openSheet(key) {
  await draftFlush({ final: true });
  const record = await store.leadGet(key);
  if (!record) return;
  state.sheetKey = key;
  $("sheet-body").replaceChildren(panelFor(record, { where: "sheet" }));
  $("lead-sheet").hidden = false;
}

function closeSheet() {
  state.sheetKey = null;
  $("lead-sheet").hidden = true;
  drawList();
}

function closeCurrent() {
  state.currentKey = null;
  $("current-lead").hidden = true;
  $("current-lead").replaceChildren();
  $("tab-scan").classList.remove("has-lead");
  focusCodeInput();
}

let knownTags = [];

function panelFor(record, { closeLabel, where }) {
  const panel = leadPanel(record, {
    t,
    questions: deviceInfo().questions,
    knownTags,
    formatTime,
    closeLabel,
    onChange: (field, value, { now = false } = {}) => {
      draftChange(record.key, field, value);
      if (now) draftFlush({ final: false, panel });
      else {
        clearTimeout(state.draftTimer);
        state.draftTimer = setTimeout(() => draftFlush({ final: false, panel }), 1500);
      }
    },
    onSave: async (note) => {
      draftChange(record.key, "note", note);
      await draftFlush({ final: true, panel });
      if (where === "sheet") openSheet(state.sheetKey || record.key);
      else showCurrent(state.currentKey || record.key);
    },
    onClose: async (note) => {
      draftChange(record.key, "note", note);
      await draftFlush({ final: true, panel });
      if (where === "sheet") closeSheet();
      else closeCurrent();
    },
  });
  return panel;
}

function draftChange(key, field, value) {
  if (!state.draft || state.draft.key !== key) state.draft = { key, changes: {} };
  const changes = state.draft.changes;
  if (field === "answer") changes.answers = { ...(changes.answers || {}), [value.id]: value.value };
  else if (field === "tags") changes.tags = [...new Set([...(changes.tags || []), ...value])];
  else if (field === "note") {
    if (value) changes.note = changes.note ? `${changes.note}\n${value}` : value;
  } else changes[field] = value;
}

/** Turn the pending changes into one queued edit (the note only on a final flush). */
async function draftFlush({ final = false, panel = null } = {}) {
  clearTimeout(state.draftTimer);
  if (final) {
    // A note typed in an open panel goes with it when the panel is left by a new scan.
    for (const open of document.querySelectorAll(".lead-panel")) {
      const note = open.takeNote();
      if (note) draftChange(open.dataset.lead, "note", note);
    }
  }
  const draft = state.draft;
  if (!draft || !Object.keys(draft.changes).length) return;
  state.draft = null;
  // The draft may point at an entry that was re-keyed when its scan synced.
  const record = (await store.leadGet(draft.key)) || (await store.leadGet(state.currentKey));
  if (!record) return;
  const writtenAt = new Date().toISOString();
  const { note, ...changes } = draft.changes;
  // A note carries its own client_id, so a resent edit never adds it twice.
  if (note) changes.notes = [{ text: note, client_id: crypto.randomUUID(), written_at: writtenAt }];
  const item = { kind: "edit", leadId: record.leadId, clientId: record.clientIds[0], changes, writtenAt };
  const updated = { ...record };
  if (changes.rating) updated.rating = changes.rating;
  if (changes.tags) updated.tags = [...new Set([...(record.tags || []), ...changes.tags])];
  if (changes.answers) updated.answers = { ...record.answers, ...changes.answers };
  if (note) updated.notes = [...(record.notes || []), { text: note, at: writtenAt, pending: true }];
  await store.editRecord(item, updated);
  rememberTags(updated.tags);
  if (panel) panel.showStatus(navigator.onLine ? t.saved : t.saved_queued);
  drawSyncState();
  if (navigator.onLine) sync();
}

function rememberTags(tags) {
  knownTags = [...new Set([...(tags || []), ...knownTags])].slice(0, 50);
}

async function redrawOpenPanels() {
  // Refresh names that arrived with a sync, unless someone is typing in the panel.
  const active = document.activeElement;
  if (state.currentKey && !$("current-lead").hidden && !$("current-lead").contains(active)) {
    showCurrent(state.currentKey);
  }
}

// ---------------------------------------------------------------- list

async function drawList() {
  const records = await store.leadAll();
  for (const record of records) rememberTags(record.tags);
  const query = $("lead-search").value.trim();
  const shown = records.filter((record) => matches(record, query));
  $("lead-list").replaceChildren(...shown.slice(0, 300).map((record) => leadRow(record, t, formatTime, openSheet)));
  $("lead-empty").textContent = records.length ? (shown.length ? "" : t.no_match) : t.no_leads;
  $("lead-count").textContent = records.length ? String(records.length) : "";
}

// ---------------------------------------------------------------- service worker

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

// ---------------------------------------------------------------- start

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
    state.retryDelay = 5000;
    sync();
    refreshMe();
  });
  window.addEventListener("offline", drawSyncState);
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      draftFlush({ final: true });
      // A phone in a pocket should not keep the camera (and its battery drain) running.
      state.resumeCamera = state.camera.active;
      if (state.resumeCamera) state.camera.stop();
    } else {
      if (state.resumeCamera && state.auth) state.camera.start();
      state.resumeCamera = false;
      sync();
    }
  });
  window.addEventListener("pagehide", () => draftFlush({ final: true }));
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    state.installPrompt = event;
    $("install").hidden = false;
  });
  $("install").addEventListener("click", async () => {
    if (!state.installPrompt) return;
    state.installPrompt.prompt();
    state.installPrompt = null;
    $("install").hidden = true;
  });
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
