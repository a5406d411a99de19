// Durable state of the scanner in IndexedDB: the device credential, the upload queue, the
// device's recent leads and which lead each scan became. Every scan and edit is written here
// before anything is sent, so a reload, a closed tab or a sleeping phone loses nothing.

const DB_NAME = "fairlead-scanner";
const DB_VERSION = 1;

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
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore("meta", { keyPath: "key" });
        // Uploads in the order they happened: {seq, kind: "scan"|"edit", ...}.
        db.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
        // What this device shows in its list: {key: "c:<client_id>" | "l:<lead id>", ...}.
        const leads = db.createObjectStore("leads", { keyPath: "key" });
        leads.createIndex("scannedAt", "scannedAt");
        // client_id of a scan → the lead it became (or why it was refused).
        db.createObjectStore("links", { keyPath: "clientId" });
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

/** Store a new scan: its upload and its entry in the list, in one transaction. */
export function scanRecord(item, lead) {
  return run(["queue", "leads"], "readwrite", (tx) => {
    tx.objectStore("queue").add(item);
    tx.objectStore("leads").put(lead);
  });
}

/** Store an edit: the upload and the lead as the user now sees it, in one transaction. */
export function editRecord(item, lead) {
  return run(["queue", "leads"], "readwrite", (tx) => {
    tx.objectStore("queue").add(item);
    tx.objectStore("leads").put(lead);
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

export function queueUpdate(item) {
  return run(["queue"], "readwrite", (tx) => {
    tx.objectStore("queue").put(item);
  });
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

export function leadPut(lead) {
  return run(["leads"], "readwrite", (tx) => {
    tx.objectStore("leads").put(lead);
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
