// Durable state of the scanner in IndexedDB: the device credential, the upload queue, the
// device's recent leads and which lead each scan became. Every scan and edit is written here
// before anything is sent, so a reload, a closed tab or a sleeping phone loses nothing.
// What a lead keeps here is limited to what the stand needs offline (SECURITY.md, "What a
// lost phone holds"): no e-mail, phone, address or topics.

const DB_NAME = "fairlead-scanner";
const DB_VERSION = 2;
// The visitor data a lead keeps on the phone: enough to recognize the person at the stand.
export const CONTACT_KEPT = ["first_name", "last_name", "company", "job_title", "contact_shared"];

export function contactKept(contact) {
  if (!contact) return null;
  const kept = {};
  for (const field of CONTACT_KEPT) if (contact[field] !== undefined && contact[field] !== null) kept[field] = contact[field];
  return kept;
}

let dbPromise = null;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
}

export function open() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = (event) => {
        const db = request.result;
        if (event.oldVersion < 1) {
          db.createObjectStore("meta", { keyPath: "key" });
          // Uploads in the order they happened: {seq, kind: "scan"|"edit", ...}.
          db.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
          // What this device shows in its list: {key: "c:<client_id>" | "l:<lead id>", ...}.
          const leads = db.createObjectStore("leads", { keyPath: "key" });
          leads.createIndex("scannedAt", "scannedAt");
          // client_id of a scan → the lead it became (or why it was refused).
          db.createObjectStore("links", { keyPath: "clientId" });
        }
        if (event.oldVersion < 2) {
          const leads = request.transaction.objectStore("leads");
          // A lead holds the client_ids of its scans and digests of the badge codes it was
          // read from, so a repeat scan finds its lead before the server has answered.
          leads.createIndex("clientIds", "clientIds", { multiEntry: true });
          leads.createIndex("badges", "badges", { multiEntry: true });
          request.transaction.objectStore("meta").delete("revoked"); // a flag version 1 kept
          // Version 1 kept the whole contact (e-mail, phone …): drop what is not needed.
          leads.openCursor().onsuccess = (cursorEvent) => {
            const cursor = cursorEvent.target.result;
            if (!cursor) return;
            cursor.update({ ...cursor.value, contact: contactKept(cursor.value.contact) });
            cursor.continue();
          };
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error("database blocked by another tab"));
    });
  }
  return dbPromise;
}

async function run(stores, mode, body) {
  const db = await open();
  const tx = db.transaction(stores, mode);
  body(tx);
  await done(tx);
}

export async function metaGet(key) {
  const db = await open();
  const row = await promised(db.transaction("meta").objectStore("meta").get(key));
  return row ? row.value : undefined;
}

export function metaSet(key, value) {
  return run(["meta"], "readwrite", (tx) => {
    tx.objectStore("meta").put({ key, value });
  });
}

/** Queue an upload (scan or edit) and store the lead as the user now sees it, together. */
export function queueWithLead(item, lead) {
  return run(["queue", "leads"], "readwrite", (tx) => {
    tx.objectStore("queue").add(item);
    tx.objectStore("leads").put(lead);
  });
}

// "Changed since" is asked with a margin, so that a change in the same second is not missed.
const SINCE_OVERLAP_MS = 60 * 1000;

/** Remember the server time from which to ask for changed leads next time. */
export function leadsSinceSet(serverTime) {
  return metaSet("leadsSince", new Date(serverTime - SINCE_OVERLAP_MS).toISOString());
}

/** Queue an upload that has no list entry (a room device's check-in). */
export function queueAdd(item) {
  return run(["queue"], "readwrite", (tx) => {
    tx.objectStore("queue").add(item);
  });
}

/** Take the uploads with these client_ids out of the queue (answered by the server). */
export function queueRemoveClientIds(clientIds) {
  const wanted = new Set(clientIds);
  return run(["queue"], "readwrite", (tx) => {
    tx.objectStore("queue").openCursor().onsuccess = (event) => {
      const cursor = event.target.result;
      if (!cursor) return;
      if (wanted.has(cursor.value.clientId)) cursor.delete();
      cursor.continue();
    };
  });
}

export async function queueAll() {
  const db = await open();
  return promised(db.transaction("queue").objectStore("queue").getAll());
}

export async function queueCount() {
  const db = await open();
  return promised(db.transaction("queue").objectStore("queue").count());
}

export async function leadGet(key) {
  const db = await open();
  return promised(db.transaction("leads").objectStore("leads").get(key));
}

export async function leadAll() {
  const db = await open();
  const rows = await promised(db.transaction("leads").objectStore("leads").getAll());
  return rows.sort((a, b) => (a.scannedAt < b.scannedAt ? 1 : -1));
}

/** The list entry that holds the scan with this client_id, if any. */
export async function leadByClientId(clientId) {
  const db = await open();
  return promised(db.transaction("leads").objectStore("leads").index("clientIds").get(clientId));
}

/** The list entry of the badge with this code digest, if this device has read it before. */
export async function leadByBadge(digest) {
  const db = await open();
  return promised(db.transaction("leads").objectStore("leads").index("badges").get(digest));
}

export function leadDelete(key) {
  return run(["leads"], "readwrite", (tx) => {
    tx.objectStore("leads").delete(key);
  });
}

export async function linkGet(clientId) {
  const db = await open();
  return promised(db.transaction("links").objectStore("links").get(clientId));
}

/**
 * Apply what the server answered for uploaded items in one transaction: remove them from the
 * queue, remember which lead each scan became, and replace list entries.
 * `changes` = {remove: [seq], links: [{clientId, leadId, status}], drop: [key], put: [lead]}.
 */
export function syncApply(changes) {
  return run(["queue", "leads", "links"], "readwrite", (tx) => {
    const queue = tx.objectStore("queue");
    const leads = tx.objectStore("leads");
    const links = tx.objectStore("links");
    for (const seq of changes.remove || []) queue.delete(seq);
    for (const link of changes.links || []) links.put(link);
    for (const key of changes.drop || []) leads.delete(key);
    for (const lead of changes.put || []) leads.put(lead);
  });
}

/** Forget everything: used when the device is unpaired. */
export function clearAll() {
  return run(["meta", "queue", "leads", "links"], "readwrite", (tx) => {
    for (const name of ["meta", "queue", "leads", "links"]) tx.objectStore(name).clear();
  });
}

/**
 * The device lost its pairing (revoked in the portal, or paired on another phone): forget the
 * credential and every lead, keep only the scans and edits not uploaded yet (badge codes,
 * times and what the staff typed) and whose they are, so pairing again can still send them.
 */
export function purgeDevice() {
  return run(["meta", "leads", "links"], "readwrite", (tx) => {
    tx.objectStore("leads").clear();
    tx.objectStore("links").clear();
    const meta = tx.objectStore("meta");
    for (const key of ["auth", "me", "leadsSince", "room"]) meta.delete(key);
  });
}

export function queueClear() {
  return run(["queue"], "readwrite", (tx) => {
    tx.objectStore("queue").clear();
  });
}

/** Drop uploaded leads last scanned before `before` (ISO time) and links nobody needs. */
export function leadsPrune(before) {
  return run(["leads", "links", "queue"], "readwrite", (tx) => {
    const range = IDBKeyRange.upperBound(before, true);
    tx.objectStore("leads").index("scannedAt").openCursor(range).onsuccess = (event) => {
      const cursor = event.target.result;
      if (!cursor) return;
      if (cursor.value.state === "synced") cursor.delete();
      cursor.continue();
    };
    // A link only helps an edit whose scan was still queued; with an empty queue, none is.
    tx.objectStore("queue").count().onsuccess = (event) => {
      if (event.target.result === 0) tx.objectStore("links").clear();
    };
  });
}
