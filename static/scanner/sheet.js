// The lead sheet: the panel under the camera for the lead just scanned, the same panel full
// screen for a lead opened from the list, and the list itself. Decides when edits become a
// queued upload: a rating or answer at once, tags after a pause, a note when the panel is left.

import { $, deviceInfo, drawSyncState, focusCodeInput, formatTime, on, state, t } from "./shell.js";
import * as store from "./store.js";
import { sync } from "./sync.js";
import { leadPanel, leadRow, matches } from "./ui.js";

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

export async function showCurrent(key) {
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

export async function openSheet(key) {
  await draftFlush({ final: true });
  const record = await store.leadGet(key);
  if (!record) return;
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
  state.currentKey = null;
  $("current-lead").hidden = true;
  $("current-lead").replaceChildren();
  $("tab-scan").classList.remove("has-lead");
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

/** Turn the pending changes into one queued edit (the note only on a final flush). */
export async function draftFlush({ final = false, panel = null } = {}) {
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
  await store.editRecord(item, updated);
  rememberTags(updated.tags);
  if (panel) panel.showStatus(navigator.onLine ? t.saved : t.saved_queued);
  drawSyncState();
  if (navigator.onLine) sync();
}

function rememberTags(tags) {
  sheet.knownTags = [...new Set([...(tags || []), ...sheet.knownTags])].slice(0, 50);
}

async function redrawOpenPanels() {
  // Refresh names that arrived with a sync, unless someone is typing in the panel.
  const active = document.activeElement;
  if (state.currentKey && !$("current-lead").hidden && !$("current-lead").contains(active)) {
    showCurrent(state.currentKey);
  }
}

export async function drawList() {
  const records = await store.leadAll();
  for (const record of records) rememberTags(record.tags);
  const query = $("lead-search").value.trim();
  const shown = records.filter((record) => matches(record, query));
  $("lead-list").replaceChildren(...shown.slice(0, 300).map((record) => leadRow(record, t, formatTime, openSheet)));
  $("lead-empty").textContent = records.length ? (shown.length ? "" : t.no_match) : t.no_leads;
  $("lead-count").textContent = records.length ? String(records.length) : "";
}
