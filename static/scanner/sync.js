// The upload queue and the lead list's freshness. Every scan and edit waits in IndexedDB until
// the server has answered it. Decides what an answer means for the device: which lead a scan
// became; which scans were refused for good (404, 410, 409, 422: they leave the queue, marked);
// when to try again (back-off after network errors, exactly Retry-After after a 429); and that
// the server's current view of a lead (consent withdrawn, visitor erased) replaces the copy
// kept here, which holds only what the stand needs offline and only for KEEP_DAYS.

import { ApiError, RateLimited } from "./api.js";
import { banner, drawSyncState, emit, fmt, state, t } from "./shell.js";
import * as store from "./store.js";

const BATCH_LIMIT = 500;
const KEEP_DAYS = 7;

export const REFUSED_STATES = new Set(["unknown", "revoked", "invalid"]);

/** The list state of a scan the server refused with this status. */
export function refusedState(status) {
  return { 404: "unknown", 410: "revoked" }[status] || "invalid"; // 409, 422
}

const queue = {
  inFlight: new Set(), // client_ids being sent right now
  syncing: false,
  refreshing: false,
  retryTimer: null,
  retryDelay: 5000,
};

// ---------------------------------------------------------------- rate limit

/** Milliseconds until the server accepts scans again (0: now). */
export function limitedFor() {
  return Math.max(0, state.limitedUntil - performance.now());
}

/** The server answered 429: keep everything queued and come back after exactly that long. */
export function rateLimited(seconds) {
  state.limitedUntil = performance.now() + seconds * 1000;
  clearTimeout(queue.retryTimer);
  queue.retryTimer = setTimeout(sync, seconds * 1000 + 100);
  drawSyncState();
}

export function scheduleRetry() {
  if (limitedFor() > 0) return; // the rate limit's timer comes first
  clearTimeout(queue.retryTimer);
  queue.retryTimer = setTimeout(sync, queue.retryDelay);
  queue.retryDelay = Math.min(queue.retryDelay * 2, 60000);
}

export function retrySoon() {
  queue.retryDelay = 5000;
  return sync();
}

/** What a failed request means beyond itself. */
function failed(error) {
  if (error instanceof RateLimited) rateLimited(error.retryAfter);
  else if (error instanceof ApiError && error.status === 401) emit("revoked");
  else scheduleRetry();
}

// ---------------------------------------------------------------- leads as the device keeps them

/** Queued edits of a lead (by its id, or by a scan of it not uploaded yet), oldest first. */
async function pendingEdits(local, sentSeq) {
  const clientIds = new Set(local.clientIds || []);
  return (await store.queueAll()).filter(
    (item) =>
      item.kind === "edit" &&
      item.seq !== sentSeq &&
      ((item.leadId && item.leadId === local.leadId) || clientIds.has(item.clientId)),
  );
}

/**
 * The server's lead as this device keeps it: the server's view (by the visitor's current
 * consent) with the edits still waiting here on top, and the device's own bookkeeping.
 */
async function fromServer(lead, local, sentSeq = null) {
  const base = local || {};
  const record = {
    key: `l:${lead.id}`,
    leadId: lead.id,
    clientIds: base.clientIds || [],
    badges: base.badges || [],
    code: base.code || "",
    contact: store.contactKept(lead.attendee),
    rating: lead.rating || "",
    tags: lead.tags || [],
    answers: lead.answers || {},
    notes: [
      ...(lead.notes || []).map((note) => ({ text: note.text, at: note.written_at })),
      ...(base.notes || []).filter((note) => note.pending),
    ],
    scanCount: lead.scan_count || 1,
    scannedAt: base.scannedAt || lead.last_scanned_at,
    state: "synced",
  };
  for (const edit of local ? await pendingEdits(local, sentSeq) : []) {
    if (edit.changes.rating) record.rating = edit.changes.rating;
    if (edit.changes.tags) record.tags = [...new Set([...record.tags, ...edit.changes.tags])];
    if (edit.changes.answers) record.answers = { ...record.answers, ...edit.changes.answers };
  }
  return record;
}

const union = (a, b) => [...new Set([...(a || []), ...(b || [])])];

/** One entry from the lead's entry and the scan's entry before upload (same visitor). */
function joined(existing, temp) {
  if (!existing || !temp || existing.key === temp.key) return existing || temp || null;
  return {
    ...existing,
    clientIds: union(existing.clientIds, temp.clientIds),
    badges: union(existing.badges, temp.badges),
    code: existing.code || temp.code,
    notes: [...(existing.notes || []), ...(temp.notes || []).filter((note) => note.pending)],
    scannedAt: existing.scannedAt > temp.scannedAt ? existing.scannedAt : temp.scannedAt,
  };
}

/**
 * Record the answer for one uploaded scan: 201/200 with the lead, or a refusal. Returns the
 * entry as it is now. A refused live scan leaves no entry (the person saw the answer); a
 * refusal for a scan queued earlier stays in the list, marked, so nobody wonders where it went.
 */
export async function applyScanResult(item, result, { live = false } = {}) {
  const queued = (await store.queueAll()).find((row) => row.kind === "scan" && row.clientId === item.clientId);
  const holder = await store.leadByClientId(item.clientId);
  const changes = { remove: queued ? [queued.seq] : [], links: [], drop: [], put: [] };
  if (result.status === 200 || result.status === 201) {
    const key = `l:${result.lead.id}`;
    const local = joined(await store.leadGet(key), holder);
    const record = await fromServer(result.lead, local);
    record.clientIds = union(record.clientIds, [item.clientId]);
    if (item.scannedAt > record.scannedAt) record.scannedAt = item.scannedAt;
    if (holder && holder.key !== key) {
      changes.drop.push(holder.key);
      emit("rekeyed", { from: holder.key, to: key });
    }
    changes.links.push({ clientId: item.clientId, leadId: result.lead.id, status: result.status });
    changes.put.push(record);
    await store.syncApply(changes);
    return record;
  }
  changes.links.push({ clientId: item.clientId, leadId: null, status: result.status });
  let record = null;
  if (holder) {
    const others = holder.clientIds.filter((id) => id !== item.clientId);
    if (holder.leadId || others.length) {
      // A repeat of a badge this device holds: the entry stays, one scan fewer.
      record = { ...holder, clientIds: others, scanCount: Math.max(1, holder.scanCount - 1) };
      changes.put.push(record);
    } else if (live) {
      changes.drop.push(holder.key);
      record = { ...holder, state: refusedState(result.status) };
    } else {
      record = { ...holder, state: refusedState(result.status) };
      changes.put.push(record);
    }
  }
  await store.syncApply(changes);
  return record;
}

// ---------------------------------------------------------------- upload

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
  if (queue.syncing || !state.auth || limitedFor() > 0) return;
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
    failed(error);
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
  const local = await store.leadGet(`l:${leadId}`);
  if (!local) {
    await store.syncApply({ remove: [edit.seq] }); // no longer kept on this device
    return true;
  }
  const sent = (note) => (note.pending && note.at === edit.writtenAt ? { ...note, pending: false } : note);
  const updated = await fromServer(lead, { ...local, notes: (local.notes || []).map(sent) }, edit.seq);
  await store.syncApply({ remove: [edit.seq], put: [updated] });
  return true;
}

// ---------------------------------------------------------------- freshness

/**
 * Ask the server what changed since the last time and replace the entries this device holds:
 * a withdrawn consent or an erasure reaches the phone here. Entries of leads uploaded more
 * than KEEP_DAYS ago are dropped from the phone (the portal has them).
 */
export async function refreshLeads() {
  if (!state.auth || queue.refreshing) return;
  queue.refreshing = true; // before the first await: a second caller meanwhile returns
  const token = state.api.token;
  try {
    await store.leadsPrune(new Date(Date.now() - KEEP_DAYS * 24 * 3600 * 1000).toISOString());
    emit("leads-changed");
    if (limitedFor() > 0 || !navigator.onLine) return;
    const since = await store.metaGet("leadsSince");
    let offset = 0;
    let serverTime = null;
    while (offset !== null && offset !== undefined) {
      const answer = await state.api.leads({ since, offset });
      if (state.api.token !== token) return; // unpaired meanwhile
      serverTime = serverTime || answer.serverTime;
      const put = [];
      for (const lead of answer.data.items) {
        const local = await store.leadGet(`l:${lead.id}`);
        if (local) put.push(await fromServer(lead, local));
      }
      await store.syncApply({ put });
      offset = answer.data.next_offset;
    }
    if (serverTime) await store.leadsSinceSet(serverTime);
    emit("leads-changed");
  } catch (error) {
    failed(error);
  } finally {
    queue.refreshing = false;
  }
}
