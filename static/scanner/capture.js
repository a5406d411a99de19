// Capture: turns what the camera, a hardware scanner or the code field read into scans.
// Decides which reads are sent:
// - a code in the camera's view is sent once per hold, per code (several badges in view are
//   each captured once), and again only after it has been out of view for LEFT_VIEW_MS;
// - a hardware-scanner or typed repeat within REPEAT_MS is answered "already captured" and not
//   sent; a later repeat of a badge this device holds is a repeat, never a second lead;
// - a hardware scanner's burst of keys is taken back out of whatever field it landed in.
// Every scan is stored on the device before it is sent; the answer is shown full screen.

import { ApiError, RateLimited } from "./api.js";
import { parseCode, typoSpots } from "./codes.js";
import { $, drawSyncState, el, emit, fmt, focusCodeInput, plural, state, t } from "./shell.js";
import { closeSheet, draftFlush, hideCurrent, showChoice, showCurrent } from "./sheet.js";
import * as store from "./store.js";
import { applyScanResult, limitedFor, rateLimited, REFUSED_STATES, refusedState, scheduleRetry, sendLive, sync } from "./sync.js";
import { fullName } from "./ui.js";

const REPEAT_MS = 5000;
const LEFT_VIEW_MS = 3000;
const SEND_TIMEOUT_MS = 5000;
// A keyboard-wedge scanner types a whole code at a few ms per key and ends with Enter; a
// person's keystrokes are 80 ms or more apart. A burst is told apart by its pace (one hiccup
// of a busy phone allowed) and its shape (a badge code).
const WEDGE_MEAN_GAP_MS = 35;
const WEDGE_MAX_GAP_MS = 300;
const WEDGE_MIN_LENGTH = 11;
const ALARM = [300, 100, 300];
const FLASH = {
  new: { ms: 1500, vibrate: [90] },
  again: { ms: 1500, vibrate: [60, 60, 60] },
  queued: { ms: 1500, vibrate: [90] },
  limited: { ms: 2600, vibrate: [90] },
  several: { ms: 2600, vibrate: [90, 60, 90] },
  revoked: { ms: 2600, vibrate: ALARM },
  unknown: { ms: 2600, vibrate: ALARM },
  typo: { ms: 2600, vibrate: ALARM },
  error: { ms: 2600, vibrate: ALARM },
};
const TITLES = {
  new: "state_new",
  again: "state_again",
  queued: "state_queued",
  limited: "state_limited",
  revoked: "state_revoked",
  unknown: "state_unknown",
  typo: "state_typo",
  error: "state_refused",
};

const capture = {
  inView: new Map(), // camera: code key → when it was last seen
  manual: new Map(), // hardware scanner and typing: code key → {at, result} of its last read
  turn: Promise.resolve(), // captures run one after the other, answers show in order
  flashTimer: null,
};

// ---------------------------------------------------------------- camera

/** The codes the camera read in one frame. */
export function handleFrame(raws) {
  if (!state.auth) return;
  const now = performance.now();
  const fresh = [];
  for (const raw of new Set(raws)) {
    const parsed = parseCode(raw);
    if (!parsed.ok) continue; // some other QR code in view: not ours, never sent
    const seen = capture.inView.get(parsed.key);
    capture.inView.set(parsed.key, now);
    if (seen === undefined || now - seen > LEFT_VIEW_MS) fresh.push(parsed);
  }
  for (const [key, seen] of capture.inView) if (now - seen > LEFT_VIEW_MS) capture.inView.delete(key);
  if (fresh.length) captureAll(fresh);
}

export function cameraState(kind, detail = "") {
  const messages = {
    starting: t.decoder_loading,
    denied: t.camera_denied,
    missing: t.camera_missing,
    failed: fmt(t.camera_failed, detail),
  };
  $("camera-msg").textContent = messages[kind] || "";
  $("camera").dataset.state = kind;
  $("camera-toggle").textContent = kind === "running" || kind === "starting" ? t.camera_stop : t.camera_start;
  $("camera-type").hidden = !["denied", "missing", "failed"].includes(kind);
  const torch = $("torch");
  torch.hidden = !(kind === "running" && state.camera.torchSupported());
  torch.setAttribute("aria-pressed", "false");
}

export function toggleCamera() {
  if (state.camera.active) state.camera.stop();
  else state.camera.start();
}

export async function toggleTorch() {
  const torch = $("torch");
  const on = torch.getAttribute("aria-pressed") !== "true";
  if (await state.camera.setTorch(on)) torch.setAttribute("aria-pressed", on ? "true" : "false");
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

/** "Type the code instead", offered when the camera cannot be used. */
export function typeInstead() {
  const input = $("code");
  input.scrollIntoView({ block: "center" });
  input.focus();
}

// ---------------------------------------------------------------- typing

export function submitCode(event) {
  event.preventDefault();
  const input = $("code");
  const text = input.value.trim();
  if (!text) return;
  if (!parseCode(text).ok) {
    showTypo(input.value);
    return;
  }
  input.value = "";
  clearTypo();
  handleCode(text);
}

/** Keep what was typed, mark the characters that are probably wrong, select the first one. */
function showTypo(text) {
  const input = $("code");
  const spots = typoSpots(text);
  const chars = [...text].map((char, index) => (spots.includes(index) ? el("mark", { text: char }) : char));
  $("code-check").replaceChildren(
    el("span", { class: "typed" }, chars),
    " ",
    spots.length ? t.typo_marked : t.typo_detail,
  );
  $("code-check").hidden = false;
  input.setAttribute("aria-invalid", "true");
  input.focus();
  if (spots.length) input.setSelectionRange(spots[0], spots[0] + 1);
}

export function clearTypo() {
  $("code-check").hidden = true;
  $("code-check").replaceChildren();
  $("code").removeAttribute("aria-invalid");
}

// ---------------------------------------------------------------- hardware scanner

const typed = []; // the last keystrokes: {key, at, target, before (the field before the key)}

function textField(node) {
  return node && (node.tagName === "TEXTAREA" || (node.tagName === "INPUT" && typeof node.selectionStart === "number"));
}

function looksLikeCode(text) {
  return parseCode(text).ok || /^FL1[:Ö][0-9A-Z]{26}$/i.test(text) || /^[0-9A-Z]{4}-?[0-9A-Z]{4}-?[0-9A-Z]{3}$/i.test(text);
}

/** The keystrokes just before Enter that a scanner typed: a code, at a scanner's pace. */
function scannerRun(enterAt) {
  for (let start = 0; start + WEDGE_MIN_LENGTH <= typed.length; start += 1) {
    const run = typed.slice(start);
    if (!looksLikeCode(run.map((stroke) => stroke.key).join(""))) continue;
    const gaps = [...run.slice(1).map((stroke, i) => stroke.at - run[i].at), enterAt - run[run.length - 1].at];
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    if (mean <= WEDGE_MEAN_GAP_MS && Math.max(...gaps) <= WEDGE_MAX_GAP_MS) return run;
  }
  return null;
}

/**
 * Keydown anywhere on the page (capturing, before any field sees it). A scanner's burst that
 * ends in Enter is read as a code wherever the focus is; what it typed into a field is undone.
 */
export function onKeydown(event) {
  if (!state.auth || $("app-view").hidden) return;
  const now = event.timeStamp;
  if (typed.length && now - typed[typed.length - 1].at > 1000) typed.length = 0;
  if (event.key === "Enter") {
    const run = scannerRun(now);
    typed.length = 0;
    if (!run) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    // The focus may have moved during the burst (the page focused the code field): undo what
    // went into each field, from its first stroke of the run.
    const firsts = new Map();
    for (const stroke of run) if (!firsts.has(stroke.target)) firsts.set(stroke.target, stroke.before);
    for (const [target, before] of firsts) {
      if (!before) continue;
      target.value = before.value;
      target.setSelectionRange(before.start, before.end);
      target.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (firsts.has($("code"))) clearTypo();
    handleCode(run.map((stroke) => stroke.key).join(""), "wedge");
    return;
  }
  if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return; // Shift …
  const target = event.target;
  const before = textField(target) ? { value: target.value, start: target.selectionStart, end: target.selectionEnd } : null;
  typed.push({ key: event.key, at: now, target, before });
  if (typed.length > 64) typed.shift();
}

// ---------------------------------------------------------------- scanning

/** A code from the hardware scanner or the code field. */
export async function handleCode(raw, source = "typed") {
  if (!state.auth) return;
  const parsed = parseCode(raw);
  if (!parsed.ok) {
    if (source === "wedge") showFlash("typo", { detail: parsed.reason === "check" ? t.typo_detail : t.unknown_detail });
    return;
  }
  const now = performance.now();
  const last = capture.manual.get(parsed.key);
  const entry = { at: now, result: last ? last.result : null };
  capture.manual.set(parsed.key, entry);
  if (last && now - last.at < REPEAT_MS) {
    // Read again a moment ago: send nothing; a refusal stays a refusal, anything else is
    // "already captured".
    if (last.result && !last.result.record && last.result.kind !== "limited") flashOne(last.result);
    else {
      const digest = await badgeDigest(parsed.key);
      const record = digest && (await store.leadByBadge(digest));
      showFlash("again", { ...who(record), detail: t.repeat_detail });
    }
    return;
  }
  [entry.result] = await captureAll([parsed]);
}

/** A short digest of a badge code: recognizes a repeat without keeping the code itself. */
async function badgeDigest(key) {
  if (!crypto.subtle) return null;
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`fairlead-badge:${key}`));
  return [...new Uint8Array(bytes).slice(0, 12)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Capture the codes read together; returns their results. */
function captureAll(list) {
  const turn = capture.turn.then(() => captureTogether(list));
  capture.turn = turn.catch(() => {});
  return turn;
}

async function captureTogether(list) {
  await draftFlush({ final: true, upload: false });
  if (state.sheetKey) closeSheet();
  const results = [];
  for (const parsed of list) results.push(await captureOne(parsed)); // one request at a time
  drawSyncState();
  emit("leads-changed");
  if (navigator.onLine) sync(); // the previous visitor's edits, refusals' follow-ups
  if (!state.auth) return results; // unpaired by the answer
  if (results.length === 1) flashOne(results[0]);
  else flashSeveral(results);
  const leads = results.filter((result) => result.record);
  if (leads.length === 1) showCurrent(leads[0].record.key);
  else if (leads.length > 1) showChoice(leads.map((result) => result.record.key));
  else hideCurrent(); // a refusal is never shown as an editable lead
  return results;
}

/** Store one scan, then send it. {kind, record, queued, wait, detail}. */
async function captureOne(parsed) {
  if (!state.auth) return { kind: "error", record: null };
  const digest = await badgeDigest(parsed.key);
  const found = digest && (await store.leadByBadge(digest));
  const earlier = found && !REFUSED_STATES.has(found.state) ? found : null;
  const clientId = crypto.randomUUID();
  const scannedAt = new Date().toISOString();
  const item = { kind: "scan", clientId, code: parsed.send, scannedAt };
  const record = earlier
    ? { ...earlier, clientIds: [...earlier.clientIds, clientId], scanCount: earlier.scanCount + 1, scannedAt }
    : {
        key: `c:${clientId}`,
        leadId: null,
        clientIds: [clientId],
        badges: digest ? [digest] : [],
        code: parsed.kind === "short" ? parsed.display : "",
        contact: null,
        rating: "",
        tags: [],
        answers: {},
        notes: [],
        scanCount: 1,
        scannedAt,
        state: "queued",
      };
  await store.queueWithLead(item, record);
  const waiting = { kind: earlier ? "again" : "queued", record, queued: true };
  if (limitedFor() > 0) return { ...waiting, kind: "limited", wait: limitedFor() };
  if (!navigator.onLine) return waiting;
  try {
    const { status, data } = await sendLive(item, { timeout: SEND_TIMEOUT_MS });
    const final = await applyScanResult(item, { status, lead: data }, { live: true });
    return { kind: status === 201 ? "new" : "again", record: final };
  } catch (error) {
    if (error instanceof RateLimited) {
      rateLimited(error.retryAfter);
      return { ...waiting, kind: "limited", wait: limitedFor() };
    }
    if (!(error instanceof ApiError)) {
      scheduleRetry();
      return waiting;
    }
    if (error.status === 401) {
      emit("revoked");
      return { kind: "error", record: null };
    }
    await applyScanResult(item, { status: error.status, lead: null }, { live: true });
    const kind = { revoked: "revoked", unknown: "unknown" }[refusedState(error.status)] || "error";
    return { kind, record: null, detail: error.message };
  }
}

function who(record) {
  if (!record) return {};
  return { name: fullName(record) || record.code, company: record.contact ? record.contact.company : "" };
}

function detailOf(result) {
  const { kind, record } = result;
  if (kind === "limited") return fmt(t.limited_detail, Math.ceil(result.wait / 1000));
  if (result.queued) return t.queued_detail;
  if (kind === "again" && record && record.scanCount > 1) return fmt(t.scan_count, record.scanCount);
  if (kind === "revoked") return t.revoked_detail;
  if (kind === "unknown") return t.unknown_detail;
  return result.detail || "";
}

function flashOne(result) {
  showFlash(result.kind, { ...who(result.record), detail: detailOf(result) });
}

function flashSeveral(results) {
  const lines = results.map((result) => {
    const name = who(result.record).name || t.scanned_badge;
    return `${name}: ${t[TITLES[result.kind]]}`;
  });
  showFlash("several", { title: fmt(plural(t.several_read, results.length), results.length), lines, detail: t.several_detail });
}

function showFlash(kind, info = {}) {
  const flash = $("flash");
  flash.dataset.kind = kind;
  flash.querySelector(".flash-title").textContent = info.title || t[TITLES[kind]];
  flash.querySelector(".flash-name").textContent = info.name || "";
  flash.querySelector(".flash-company").textContent = info.company || "";
  flash.querySelector(".flash-list").replaceChildren(...(info.lines || []).map((line) => el("li", { text: line })));
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
