// Badge codes as badges/codes.py defines them, checked on the device before anything is sent.
// QR content: "FL1:" + 26 Crockford base32 characters. Short code: 10 characters + 1 check
// character, printed as XXXX-XXXX-XXX; reading maps O→0 and I/L→1. The check is the Damm-style
// one of badges/codes.py over x∘y = 2·x + y in GF(32): it catches every single wrong character
// and every swap of two neighbors.

export const QR_PREFIX = "FL1:";
export const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const SECRET_LENGTH = 26;
const SHORT_LENGTH = 11;
const READ_AS = { O: "0", I: "1", L: "1" };
const GF32_MODULUS = 0b100101; // x^5 + x^2 + 1

function valueOf(char) {
  return ALPHABET.indexOf(char);
}

function timesTwo(value) {
  const shifted = value << 1;
  return shifted & 0b100000 ? shifted ^ GF32_MODULUS : shifted;
}

function interim(text) {
  let result = 0;
  for (const char of text) result = timesTwo(result) ^ valueOf(char);
  return result;
}

/** The check character that completes a body of Crockford base32 characters. */
export function checkChar(body) {
  return ALPHABET[timesTwo(interim(body))];
}

export function checkValid(code) {
  return interim(code) === 0;
}

function isBase32(text) {
  for (const char of text) {
    if (valueOf(char) < 0) return false;
  }
  return true;
}

/** Canonical short code, or null with a reason. */
function normalizeShortCode(text) {
  const cleaned = text
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/[OIL]/g, (char) => READ_AS[char]);
  if (cleaned.length !== SHORT_LENGTH || !isBase32(cleaned)) return { ok: false, reason: "format" };
  if (!checkValid(cleaned)) return { ok: false, reason: "check" };
  return { ok: true, value: cleaned };
}

/**
 * Read scanned or typed text.
 * Returns {ok: true, kind: "qr"|"short", send, key, display} or {ok: false, reason}.
 * `send` is what goes to the API, `key` identifies the badge for duplicate suppression.
 */
export function parseCode(raw) {
  let text = String(raw || "").trim();
  if (!text) return { ok: false, reason: "empty" };
  let upper = text.toUpperCase();
  // A keyboard-wedge scanner set to a US layout on a German keyboard types "FL1Ö" for "FL1:"
  // and swaps Y and Z; the prefix tells us that happened, so undo it.
  if (upper.startsWith("FL1Ö")) {
    upper = QR_PREFIX + upper.slice(4).replace(/[YZ]/g, (c) => (c === "Y" ? "Z" : "Y"));
  }
  if (upper.startsWith(QR_PREFIX)) {
    const secret = upper.slice(QR_PREFIX.length);
    if (secret.length !== SECRET_LENGTH || !isBase32(secret)) return { ok: false, reason: "format" };
    return { ok: true, kind: "qr", send: QR_PREFIX + secret, key: QR_PREFIX + secret, display: "QR" };
  }
  const short = normalizeShortCode(upper);
  if (!short.ok) return short;
  const value = short.value;
  return {
    ok: true,
    kind: "short",
    send: value,
    key: value,
    display: `${value.slice(0, 4)}-${value.slice(4, 8)}-${value.slice(8)}`,
  };
}

// Characters people confuse when they copy a code from a badge (O/0 and I/L/1 are read alike
// already, and U is not in the alphabet).
const LOOK_ALIKE = ["8B", "5S", "2Z", "6G", "17", "0D", "0Q", "MN", "VY", "EF", "CG", "PR", "38", "9G", "KX", "VW"];

function lookAlikes(char) {
  return LOOK_ALIKE.filter((pair) => pair.includes(char)).map((pair) => pair.replace(char, ""));
}

/**
 * Where a typed short code is probably wrong, as indexes into `text` as typed: characters
 * outside the alphabet; else, for a failed check, the neighbors whose swap or the characters
 * whose look-alike makes the check right. Empty when nothing points at a place.
 */
export function typoSpots(text) {
  const positions = []; // index in `text` of each code character
  let cleaned = "";
  [...text.toUpperCase()].forEach((char, index) => {
    if (/[\s-]/.test(char)) return;
    positions.push(index);
    cleaned += READ_AS[char] || char;
  });
  const foreign = [...cleaned].flatMap((char, index) => (valueOf(char) < 0 ? [positions[index]] : []));
  if (foreign.length || cleaned.length !== SHORT_LENGTH) return foreign;
  if (checkValid(cleaned)) return [];
  const spots = new Set();
  for (let i = 0; i + 1 < cleaned.length; i += 1) {
    const swapped = cleaned.slice(0, i) + cleaned[i + 1] + cleaned[i] + cleaned.slice(i + 2);
    if (cleaned[i] !== cleaned[i + 1] && checkValid(swapped)) spots.add(i).add(i + 1);
  }
  [...cleaned].forEach((char, i) => {
    for (const other of lookAlikes(char)) {
      if (checkValid(cleaned.slice(0, i) + other + cleaned.slice(i + 1))) spots.add(i);
    }
  });
  return [...spots].sort((a, b) => a - b).map((i) => positions[i]);
}
