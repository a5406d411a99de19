// The upload queue: every scan and edit waits in IndexedDB until the server has answered it.
// Decides what the server's answers mean for the device: which lead a scan became, which scans
// were refused for good (they leave the queue), and when to try again (back-off).

import { ApiError } from "./api.js";
import { banner, deviceRevoked, drawSyncState, emit, state, t } from "./shell.js";
import * as store from "./store.js";
import { fmt } from "./ui.js";

const BATCH_LIMIT = 500;

const queue = {
  inFlight: new Set(), // client_ids being sent right now
  syncing: false,
  retryTimer: null,
  retryDelay: 5000,
};

/** The server's lead as this device keeps it, merged with what the device already had. */
export function fromServer(lead, local) {
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

/**
 * Record the answer for one uploaded scan: 201/200 with the lead, or a refusal.
 * Live scans that were refused leave no entry (the person saw the flash); refusals that come
 * back for scans queued earlier stay in the list, marked, so nobody wonders where they went.
 */
export async function applyScanResult(item, result, { live = false } = {}) {
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
    emit("rekeyed", { from: tempKey, to: merged.key });
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

export function scheduleRetry() {
  clearTimeout(queue.retryTimer);
  queue.retryTimer = setTimeout(sync, queue.retryDelay);
  queue.retryDelay = Math.min(queue.retryDelay * 2, 60000);
}

export function retrySoon() {
  queue.retryDelay = 5000;
  sync();
}

async function withLock(body) {
  if (navigator.locks) return navigator.locks.request("fairlead-scanner-sync", body);
  return body();
}

/** Send one scan at once (the person is waiting for the answer); the queue holds it already. */
export async function sendLive(item, options) {
  queue.inFlight.add(item.clientId);
  try {
    return await state.api.scan(item, options);
  } finally {
    queue.inFlight.delete(item.clientId);
  }
}

/** Upload everything queued, in order: scans in batches, then the edits whose lead is known. */
export async function sync() {
  if (queue.syncing || !state.auth || state.revoked) return;
  queue.syncing = true;
  let refused = 0;
  try {
    await withLock(async () => {
      for (;;) {
        if (!state.auth) break; // unpaired meanwhile
        const items = (await store.queueAll()).filter((item) => !queue.inFlight.has(item.clientId));
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
    queue.retryDelay = 5000;
    if (refused) banner(fmt(t.sync_refused, refused));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) deviceRevoked();
    else scheduleRetry();
  } finally {
    queue.syncing = false;
    drawSyncState();
    emit("leads-changed");
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
