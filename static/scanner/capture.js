// Capture: turns what the camera, a hardware scanner or the code field read into scans.
// Decides which reads are sent (a repeat of the same badge within seconds is not), stores each
// scan on the device before sending it, and shows the answer full screen.

import { ApiError } from "./api.js";
import { parseCode } from "./codes.js";
import { $, deviceRevoked, drawSyncState, emit, focusCodeInput, state, t } from "./shell.js";
import { draftFlush, showCurrent } from "./sheet.js";
import * as store from "./store.js";
import { applyScanResult, scheduleRetry, sendLive, sync } from "./sync.js";
import { fmt, fullName } from "./ui.js";

const DUPLICATE_WINDOW_MS = 5000;
const SEND_TIMEOUT_MS = 5000;
const FLASH = {
  new: { ms: 1500, vibrate: [90] },
  again: { ms: 1500, vibrate: [60, 60, 60] },
  queued: { ms: 1500, vibrate: [90] },
  revoked: { ms: 2600, vibrate: [300, 100, 300] },
  unknown: { ms: 2600, vibrate: [300, 100, 300] },
  typo: { ms: 2600, vibrate: [300, 100, 300] },
  error: { ms: 2600, vibrate: [300, 100, 300] },
};

const capture = {
  recent: null, // {key, at, flash}: the last code, to drop repeats
  flashTimer: null,
};

// ---------------------------------------------------------------- camera

export function cameraState(kind, detail = "") {
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

export function toggleCamera() {
  if (state.camera.active) state.camera.stop();
  else state.camera.start();
}

export async function autoStartCamera() {
  // Only start by itself when the user has granted the camera before: no surprise prompts.
  try {
    const permission = await navigator.permissions.query({ name: "camera" });
    if (permission.state === "granted") state.camera.start();
  } catch {
    // Safari before 16 has no camera permission query; the button starts the camera.
  }
}

// ---------------------------------------------------------------- input

export function submitCode(event) {
  event.preventDefault();
  const input = $("code");
  const text = input.value;
  input.value = "";
  if (text.trim()) handleCode(text, "typed");
}

// A keyboard-wedge scanner types fast and ends with Enter. When no field has the focus, collect
// those keystrokes so a hardware scanner works without tapping the code field first.
const wedge = { buffer: "", last: 0 };
export function onKeydown(event) {
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

export function handleCode(raw, source) {
  if (!state.auth) return;
  const parsed = parseCode(raw);
  const now = Date.now();
  if (!parsed.ok) {
    if (source === "camera") return; // some other QR code in view: not ours
    showFlash("typo", { detail: parsed.reason === "check" ? t.typo_detail : t.unknown_detail });
    return;
  }
  const recent = capture.recent;
  if (recent && recent.key === parsed.key && now - recent.at < DUPLICATE_WINDOW_MS) {
    recent.at = now; // still in view: keep suppressing
    if (source !== "camera") showFlash(recent.flash.kind, recent.flash.info);
    return;
  }
  capture.recent = { key: parsed.key, at: now, flash: { kind: "queued", info: {} } };
  captureScan(parsed);
}

async function captureScan(parsed) {
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
  let answered = false;
  try {
    const { status, data } = await sendLive(item, { timeout: SEND_TIMEOUT_MS });
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
    drawSyncState();
    emit("leads-changed");
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
  if (capture.recent) capture.recent.flash = { kind, info };
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
  clearTimeout(capture.flashTimer);
  capture.flashTimer = setTimeout(hideFlash, FLASH[kind].ms);
}

export function hideFlash() {
  clearTimeout(capture.flashTimer);
  $("flash").hidden = true;
  focusCodeInput();
}
