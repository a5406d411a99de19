// The lead sheet: the panel under the camera for the lead just scanned, the same panel full
// screen for a lead opened from the list, and the list itself. Decides when edits become a
// queued upload: a rating or answer at once, tags after a pause, a note when the panel is left.

import { $, deviceInfo, drawSyncState, el, focusCodeInput, formatTime, on, state, t } from "./shell.js";
import * as store from "./store.js";
import { REFUSED_STATES, sync } from "./sync.js";
import { fullName, leadPanel, leadRow, matches, refusedText } from "./ui.js";

const sheet = {
  draft: null, // {key, changes}: edits not yet queued
  draftTimer: null,
  knownTags: [],
};

on("rekeyed", ({ from, to }) => {
  if (state.currentKey === from) state.currentKey = to;
  if (state.sheetKey === from) state.sheetKey = to;
  if (sheet.draft && sheet.draft.key === from) sheet.draft.key = to;
});

on("leads-changed", () => {
  drawList();
  redrawOpenPanels();
});

on("unpaired", () => {
  sheet.draft = null;
  clearTimeout(sheet.draftTimer);
  hideCurrent();
  closeSheet();
  $("lead-list").replaceChildren();
  $("lead-count").textContent = "";
});

function showInCurrent(node) {
  $("current-lead").replaceChildren(node);
  $("current-lead").hidden = false;
  $("tab-scan").classList.add("has-lead");
}

/**
 * The panel under the camera: the lead just scanned, editable; a refused scan only says so.
 * A `refresh` leaves the panel alone while someone is at it.
 */
export async function showCurrent(key, { refresh = false } = {}) {
  state.currentKey = key;
  const record = await store.leadGet(key);
  if (state.currentKey !== key) return; // something else was shown meanwhile
  if (refresh && atPanel()) return;
  if (!record) {
    hideCurrent();
    return;
  }
  if (REFUSED_STATES.has(record.state)) {
    const name = fullName(record) || record.code || t.scanned_badge;
    showInCurrent(
      el(
        "section",
        { class: "refused-panel" },
        el("h2", { text: name }),
        el("p", { class: "mark refused", text: refusedText(record, t) }),
        el("button", { type: "button", class: "button", text: t.next_scan, onclick: hideCurrent }),
      ),
    );
    return;
  }
  showInCurrent(panelFor(record, { closeLabel: t.next_scan, where: "current" }));
}

/** Several badges were read at once: the person picks the one to rate. */
export async function showChoice(keys) {
  state.currentKey = null;
  const records = (await Promise.all(keys.map((key) => store.leadGet(key)))).filter(Boolean);
  const choices = records.map((record) =>
    el(
      "li",
      {},
      el(
        "button",
        { type: "button", class: "lead-open", onclick: () => openSheet(record.key) },
        el("span", { class: "lead-name", text: fullName(record) || record.code || t.scanned_badge }),
        el("span", { class: "lead-company", text: (record.contact && record.contact.company) || "" }),
      ),
    ),
  );
  showInCurrent(
    el("section", { class: "choice-panel" }, el("h2", { text: t.several_choose }), el("ul", { class: "lead-list" }, choices)),
  );
}

export function hideCurrent() {
  state.currentKey = null;
  $("current-lead").hidden = true;
  $("current-lead").replaceChildren();
  $("tab-scan").classList.remove("has-lead");
}

export async function openSheet(key) {
  await draftFlush({ final: true });
  const record = await store.leadGet(key);
  if (!record || REFUSED_STATES.has(record.state)) return;
  state.sheetKey = key;
  $("sheet-body").replaceChildren(panelFor(record, { where: "sheet" }));
  $("lead-sheet").hidden = false;
}

export function closeSheet() {
  state.sheetKey = null;
  $("lead-sheet").hidden = true;
  drawList();
}

function closeCurrent() {
  hideCurrent();
  focusCodeInput();
}

function panelFor(record, { closeLabel, where }) {
  const panel = leadPanel(record, {
    t,
    questions: deviceInfo().questions,
    knownTags: sheet.knownTags,
    formatTime,
    closeLabel,
    onChange: (field, value, { now = false } = {}) => {
      draftChange(record.key, field, value);
      if (now) draftFlush({ final: false, panel });
      else {
        clearTimeout(sheet.draftTimer);
        sheet.draftTimer = setTimeout(() => draftFlush({ final: false, panel }), 1500);
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
  if (!sheet.draft || sheet.draft.key !== key) sheet.draft = { key, changes: {} };
  const changes = sheet.draft.changes;
  if (field === "answer") changes.answers = { ...(changes.answers || {}), [value.id]: value.value };
  else if (field === "tags") changes.tags = [...new Set([...(changes.tags || []), ...value])];
  else if (field === "note") {
    if (value) changes.note = changes.note ? `${changes.note}\n${value}` : value;
  } else changes[field] = value;
}

/**
 * Turn the pending changes into one queued edit (the note only on a final flush) and upload
 * it, unless the caller uploads afterwards (a new scan goes first: someone waits for it).
 */
export async function draftFlush({ final = false, panel = null, upload = true } = {}) {
  clearTimeout(sheet.draftTimer);
  if (final) {
    // A note typed in an open panel goes with it when the panel is left by a new scan.
    for (const open of document.querySelectorAll(".lead-panel")) {
      const note = open.takeNote();
      if (note) draftChange(open.dataset.lead, "note", note);
    }
  }
  const draft = sheet.draft;
  if (!draft || !Object.keys(draft.changes).length) return;
  sheet.draft = null;
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
  await store.queueWithLead(item, updated);
  rememberTags(updated.tags);
  if (panel) panel.showStatus(navigator.onLine ? t.saved : t.saved_queued);
  drawSyncState();
  if (upload && navigator.onLine) sync();
}

function rememberTags(tags) {
  sheet.knownTags = [...new Set([...(tags || []), ...sheet.knownTags])].slice(0, 50);
}

async function redrawOpenPanels() {
  // Names that arrived with a sync, unless someone is at the panel.
  if (state.currentKey && !$("current-lead").hidden) showCurrent(state.currentKey, { refresh: true });
}

/** Someone is typing in the panel under the camera, or left text there that is not saved. */
function atPanel() {
  const panel = $("current-lead").querySelector(".lead-panel");
  return $("current-lead").contains(document.activeElement) || Boolean(panel && panel.unsent());
}

async function dismiss(key) {
  await store.leadDelete(key);
  drawList();
}

export async function drawList() {
  const records = await store.leadAll();
  for (const record of records) rememberTags(record.tags);
  const query = $("lead-search").value.trim();
  const shown = records.filter((record) => matches(record, query)).slice(0, 300);
  // People with the same name are told apart by company, exact time and typed code.
  const names = new Map();
  for (const record of shown) names.set(fullName(record), (names.get(fullName(record)) || 0) + 1);
  const ctx = { t, formatTime, onOpen: openSheet, onDismiss: dismiss };
  $("lead-list").replaceChildren(
    ...shown.map((record) => leadRow(record, { ...ctx, twin: Boolean(fullName(record)) && names.get(fullName(record)) > 1 })),
  );
  $("lead-empty").textContent = records.length ? (shown.length ? "" : t.no_match) : t.no_leads;
  // Refused scans are no leads: they are not counted.
  const leads = records.filter((record) => !REFUSED_STATES.has(record.state)).length;
  $("lead-count").textContent = leads ? String(leads) : "";
}
