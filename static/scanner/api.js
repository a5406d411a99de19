// The scan API (/api/scan/): JSON in and out, the device token as a bearer credential.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && (body.detail || body.error)) || `HTTP ${status}`);
    this.status = status;
    this.code = (body && body.error) || "";
    this.body = body;
  }
}

/** The request never reached the server or its answer never came back. */
export class NetworkError extends Error {}

/** 429: the server is there but wants us to wait `retryAfter` seconds; nothing was stored. */
export class RateLimited extends Error {
  constructor(retryAfter) {
    super(`HTTP 429, retry after ${retryAfter} s`);
    this.retryAfter = retryAfter;
  }
}

function retryAfterSeconds(response) {
  const value = Number.parseInt(response.headers.get("Retry-After") || "", 10);
  return Number.isFinite(value) && value > 0 ? Math.min(value, 3600) : 30;
}

export class Api {
  constructor(base, token = null) {
    this.base = base;
    this.token = token;
  }

  async request(method, path, body = undefined, { timeout = 8000 } = {}) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeout);
    let response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        credentials: "omit",
        cache: "no-store",
      });
    } catch (error) {
      throw new NetworkError(error.message || "network error");
    } finally {
      clearTimeout(timer);
    }
    let data = null;
    const text = await response.text().catch(() => "");
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (!response.ok) {
      if (response.status === 429) throw new RateLimited(retryAfterSeconds(response));
      // A 5xx page from a proxy is as good as no answer: keep the data queued, try again.
      if (response.status >= 500) throw new NetworkError(`HTTP ${response.status}`);
      throw new ApiError(response.status, data);
    }
    // The server's clock (whole seconds), for asking later what changed since this answer.
    const date = Date.parse(response.headers.get("Date") || "");
    return { status: response.status, data, serverTime: Number.isNaN(date) ? null : date };
  }

  pair(pairingCode, deviceName) {
    return this.request("POST", "pair", { pairing_code: pairingCode, device_name: deviceName });
  }

  me() {
    return this.request("GET", "me");
  }

  scan(item, options) {
    return this.request("POST", "scans", scanBody(item), options);
  }

  batch(items) {
    return this.request("POST", "scans/batch", { scans: items.map(scanBody) }, { timeout: 30000 });
  }

  leads({ since = null, offset = 0, limit = 200 } = {}) {
    const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    if (since) query.set("since", since);
    return this.request("GET", `leads?${query}`);
  }

  patch(leadId, changes) {
    return this.request("PATCH", `leads/${leadId}`, changes);
  }
}

function scanBody(item) {
  const body = { code: item.code, client_id: item.clientId, scanned_at: item.scannedAt };
  if (item.rating) body.rating = item.rating;
  if (item.note) body.note = item.note;
  if (item.answers && Object.keys(item.answers).length) body.answers = item.answers;
  return body;
}
