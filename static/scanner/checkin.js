// The check-in screen of a room device: the same page, camera and code field as the stand
// scanner, but every badge read checks its holder in to the session now running in the
// device's room (POST /api/scan/checkins). No lead sheet, no lead list.
// Decides what the door person sees: the session and "112 / 120" (or "full") on top, one
// full-screen answer per badge (checked in, already checked in, room full, no session, queued
// while offline), and the last check-ins below. Offline, each check-in is stored in the same
// IndexedDB queue as scans (kind "checkin", with its client_id and device time) and uploaded
// in batches when the network returns; the server decides its session by the device time and
// recognizes a resent check-in by its client_id, so nothing is lost or counted twice.

import { ApiError, NetworkError, RateLimited } from "./api.js";
import { Camera } from "./camera.js";
import { parseCode } from "./codes.js";
import { forgetCredential, showPairing } from "./pairing.js";
import { $, banner, config, drawSyncState, el, emit, fmt, focusCodeInput, formatTime, on, plural, state, t } from "./shell.js";
import * as store from "./store.js";

const REPEAT_MS = 5000;
const LEFT_VIEW_MS = 3000;
const SEND_TIMEOUT_MS = 5000;
const ROOM_EVERY_MS = 20 * 1000;
// At most this many per upload: a batch answers well within the request timeout of 30 s.
const BATCH_LIMIT = 200;
const ALARM = [300, 100, 300];
const FLASH = {
  new: { ms: 1200, vibrate: [90], title: "state_checked_in" },
  again: { ms: 1500, vibrate: [60, 60, 60], title: "state_already" },
  queued: { ms: 1500, vibrate: [90], title: "state_checkin_queued" },
  full: { ms: 2600, vibrate: ALARM, title: "state_full" },
  revoked: { ms: 2600, vibrate: ALARM, title: "state_revoked" },
  unknown: { ms: 2600, vibrate: ALARM, title: "state_unknown" },
  typo: { ms: 2600, vibrate: ALARM, title: "state_typo" },
  error: { ms: 2600, vibrate: ALARM, title: "state_refused" },
};

const door = {
  wired: false,
  room: null, // GET /room, as last answered
  recent: [], // {first_name, last_name, company, scanned_at, pending}
  inView: new Map(),
  manual: new Map(),
  turn: Promise.resolve(),
  syncing: false,
  timer: null,
  retryTimer: null,
  flashTimer: null,
};

/** Show the check-in screen for the paired room device. */
export async function open() {
  if (!door.wired) wire();
  $("pair-view").hidden = true;
  $("app-view").hidden = false;
  $("app-view").dataset.mode = "attendance";
  door.room = (await store.metaGet("room")) || null;
  drawBar();
  drawRoom();
  drawSyncState();
  focusCodeInput();
  autoStartCamera();
  refreshRoom();
  syncCheckins();
  clearInterval(door.timer);
  door.timer = setInterval(() => document.hidden || (syncCheckins(), refreshRoom()), ROOM_EVERY_MS);
}

function wire() {
  door.wired = true;
  // Its styles come with it: a stand device never loads them.
  document.head.append(el("link", { rel: "stylesheet", href: config.checkinCss }));
  $("code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("code");
    const text = input.value.trim();
    if (!text) return;
    const parsed = parseCode(text);
    if (!parsed.ok) {
      showFlash("typo", { detail: parsed.reason === "check" ? t.typo_detail : t.unknown_detail });
      return;
    }
    input.value = "";
    handle(parsed, "typed");
  });
  $("camera-toggle").addEventListener("click", () => (state.camera.active ? state.camera.stop() : state.camera.start()));
  $("flash").addEventListener("click", hideFlash);
  $("sync-count").addEventListener("click", () => syncCheckins());
  $("unpair").addEventListener("click", unpair);
  window.addEventListener("online", () => {
    drawSyncState();
    syncCheckins().then(refreshRoom);
  });
  window.addEventListener("offline", () => {
    drawSyncState();
    drawRoom();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) state.camera && state.camera.stop();
    else if (state.auth) syncCheckins().then(refreshRoom);
  });
  on("unpaired", () => clearInterval(door.timer));
  state.camera = new Camera({ video: $("video"), config, onCodes: onFrame, onState: cameraState });
  cameraState("stopped");
}

async function autoStartCamera() {
  try {
    const permission = await navigator.permissions.query({ name: "camera" });
    if (permission.state === "granted") state.camera.start();
  } catch {
    // No permission query: the button starts the camera.
  }
}

function cameraState(kind, detail = "") {
  const messages = { starting: t.decoder_loading, denied: t.camera_denied, missing: t.camera_missing, failed: fmt(t.camera_failed, detail) };
  $("camera-msg").textContent = messages[kind] || "";
  $("camera").dataset.state = kind;
  $("camera-toggle").textContent = kind === "running" || kind === "starting" ? t.camera_stop : t.camera_start;
}

function onFrame(raws) {
  if (!state.auth) return;
  const now = performance.now();
  for (const raw of new Set(raws)) {
    const parsed = parseCode(raw);
    if (!parsed.ok) continue;
    const seen = door.inView.get(parsed.key);
    door.inView.set(parsed.key, now);
    if (seen === undefined || now - seen > LEFT_VIEW_MS) handle(parsed, "camera");
  }
  for (const [key, seen] of door.inView) if (now - seen > LEFT_VIEW_MS) door.inView.delete(key);
}

// ---------------------------------------------------------------- drawing

function drawBar() {
  const me = state.me || {};
  const auth = state.auth || {};
  const room = me.room || auth.room || {};
  const device = me.device || auth.device || {};
  $("exhibitor-name").textContent = room.name || "";
  $("stand-label").textContent = t.checkin_mode;
  $("device-name").textContent = device.label || device.paired_name || "";
}

/** The session box: title and time, "n / capacity" or "full", the next session. */
async function drawRoom() {
  const room = door.room;
  const waiting = await pendingCheckins();
  const box = $("room-panel");
  box.hidden = false;
  const session = room && room.session;
  const count = (room ? room.checked_in : 0) + waiting;
  const capacity = room ? room.capacity : (state.auth && state.auth.room && state.auth.room.capacity) || 0;
  const full = Boolean(session) && count >= capacity;
  box.dataset.full = full ? "true" : "false";
  $("room-session").textContent = session ? session.title : t.no_session_now;
  $("room-time").textContent = session ? `${formatTime(session.starts_at)} – ${clockTime(session.ends_at)}` : "";
  $("room-count").textContent = session ? `${count} / ${capacity}` : "";
  $("room-count").dataset.count = String(count);
  $("room-full").hidden = !full;
  $("room-pending").textContent = waiting ? fmt(plural(t.checkins_pending, waiting), waiting) : "";
  const next = room && room.next_session;
  $("room-next").textContent = next ? fmt(t.next_session, `${formatTime(next.starts_at)} ${next.title}`) : "";
  const list = $("checkin-recent");
  list.replaceChildren(
    ...door.recent.slice(0, 5).map((entry) =>
      el(
        "li",
        { class: entry.pending ? "pending" : "" },
        el("strong", { text: [entry.first_name, entry.last_name].filter(Boolean).join(" ") || entry.code || t.scanned_badge }),
        entry.company ? el("span", { text: entry.company }) : null,
        el("time", { text: entry.pending ? t.lead_queued : formatTime(entry.scanned_at) }),
      ),
    ),
  );
  $("checkin-recent-title").hidden = door.recent.length === 0;
}

/** Hours and minutes only, in the fair's zone (the end of a session on the same day). */
function clockTime(iso) {
  const zone = (state.me && state.me.fair && state.me.fair.time_zone) || undefined;
  try {
    return new Intl.DateTimeFormat(config.language, { timeZone: zone, hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
  } catch {
    return iso;
  }
}

async function pendingCheckins() {
  return (await store.queueAll()).filter((item) => item.kind === "checkin").length;
}

// ---------------------------------------------------------------- the server's view

async function refreshRoom() {
  if (!state.auth || !navigator.onLine) return;
  const token = state.api.token;
  try {
    const { data } = await state.api.request("GET", "room");
    if (state.api.token !== token) return;
    door.room = data;
    const pending = door.recent.filter((entry) => entry.pending);
    door.recent = [...pending, ...data.recent];
    await store.metaSet("room", data);
    drawRoom();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) emit("revoked");
  }
}

/** The count and session an answer reports, applied to the box at once. */
function applyCount(checkin) {
  if (!door.room || !door.room.session || door.room.session.id !== checkin.session.id) {
    door.room = { ...(door.room || {}), session: checkin.session, capacity: checkin.capacity, recent: [] };
  }
  door.room = { ...door.room, checked_in: checkin.checked_in, capacity: checkin.capacity, full: checkin.full };
  store.metaSet("room", door.room);
}

// ---------------------------------------------------------------- one badge

function handle(parsed, source) {
  const turn = door.turn.then(() => checkIn(parsed, source));
  door.turn = turn.catch(() => {});
  return turn;
}

async function checkIn(parsed, source) {
  if (!state.auth) return;
  const now = performance.now();
  const last = door.manual.get(parsed.key);
  if (source !== "camera" && last && now - last < REPEAT_MS) {
    showFlash("again", { detail: t.repeat_checkin_detail });
    return;
  }
  door.manual.set(parsed.key, now);
  const item = { kind: "checkin", clientId: crypto.randomUUID(), code: parsed.send, scannedAt: new Date().toISOString() };
  await store.queueAdd(item);
  const pending = { code: parsed.kind === "short" ? parsed.display : "", pending: true, clientId: item.clientId };
  if (!navigator.onLine) return queued(item, pending);
  let answer;
  try {
    answer = await state.api.request("POST", "checkins", checkinBody(item), { timeout: SEND_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof RateLimited || error instanceof NetworkError || !(error instanceof ApiError)) {
      scheduleRetry();
      return queued(item, pending);
    }
    await store.queueRemoveClientIds([item.clientId]);
    if (error.status === 401) {
      emit("revoked");
      return;
    }
    drawSyncState();
    showRefusal(error.code, error.message);
    return;
  }
  await store.queueRemoveClientIds([item.clientId]);
  const checkin = answer.data;
  applyCount(checkin);
  if (checkin.already) {
    showFlash("again", { ...checkin.person, detail: countText(checkin) });
  } else {
    door.recent.unshift({ ...checkin.person, scanned_at: checkin.scanned_at });
    showFlash("new", { ...checkin.person, detail: countText(checkin) });
  }
  drawSyncState();
  drawRoom();
}

function countText(checkin) {
  return checkin.full ? `${checkin.checked_in} / ${checkin.capacity} · ${t.full}` : `${checkin.checked_in} / ${checkin.capacity}`;
}

function queued(item, pending) {
  door.recent.unshift(pending);
  drawSyncState();
  drawRoom();
  showFlash("queued", { detail: t.checkin_queued_detail });
}

function showRefusal(code, message) {
  if (code === "session_full") showFlash("full", { detail: t.full_detail });
  else if (code === "no_session") showFlash("error", { title: t.no_session_now, detail: t.no_session_detail });
  else if (code === "badge_revoked") showFlash("revoked", { detail: t.revoked_detail });
  else if (code === "badge_unknown") showFlash("unknown", { detail: t.unknown_detail });
  else showFlash("error", { detail: message });
}

function checkinBody(item) {
  return { code: item.code, client_id: item.clientId, scanned_at: item.scannedAt };
}

// ---------------------------------------------------------------- upload of queued check-ins

function scheduleRetry() {
  clearTimeout(door.retryTimer);
  door.retryTimer = setTimeout(() => syncCheckins().then(refreshRoom), 5000);
}

async function syncCheckins() {
  if (door.syncing || !state.auth || !navigator.onLine) return;
  door.syncing = true;
  let refused = 0;
  try {
    for (;;) {
      const items = (await store.queueAll()).filter((item) => item.kind === "checkin").slice(0, BATCH_LIMIT);
      if (!items.length) break;
      const { data } = await state.api.request("POST", "checkins/batch", { checkins: items.map(checkinBody) }, { timeout: 30000 });
      for (const [index, result] of data.results.entries()) {
        if (result.status !== 200 && result.status !== 201) refused += 1;
        if (result.checkin) applyCount(result.checkin);
        const entry = door.recent.find((row) => row.clientId === items[index].clientId);
        if (entry && result.checkin) Object.assign(entry, result.checkin.person, { scanned_at: result.checkin.scanned_at, pending: false });
        else if (entry) door.recent.splice(door.recent.indexOf(entry), 1);
      }
      await store.queueRemoveClientIds(items.map((item) => item.clientId));
    }
    if (refused) banner(fmt(t.checkins_refused, refused));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) emit("revoked");
    else scheduleRetry();
  } finally {
    door.syncing = false;
    drawSyncState();
    drawRoom();
  }
}

// ---------------------------------------------------------------- the answer on screen

function showFlash(kind, info = {}) {
  const flash = $("flash");
  flash.dataset.kind = kind;
  flash.querySelector(".flash-title").textContent = info.title || t[FLASH[kind].title];
  flash.querySelector(".flash-name").textContent = [info.first_name, info.last_name].filter(Boolean).join(" ");
  flash.querySelector(".flash-company").textContent = info.company || "";
  flash.querySelector(".flash-list").replaceChildren();
  flash.querySelector(".flash-detail").textContent = info.detail || "";
  flash.hidden = false;
  if (navigator.vibrate) navigator.vibrate(FLASH[kind].vibrate);
  clearTimeout(door.flashTimer);
  door.flashTimer = setTimeout(hideFlash, FLASH[kind].ms);
}

function hideFlash() {
  clearTimeout(door.flashTimer);
  $("flash").hidden = true;
  focusCodeInput();
}

async function unpair() {
  const waiting = await pendingCheckins();
  const question = waiting ? fmt(t.unpair_pending, waiting) : t.unpair_confirm;
  if (!window.confirm(question)) return;
  forgetCredential();
  await store.clearAll();
  delete $("app-view").dataset.mode;
  showPairing();
}
