// Continuous QR decoding from the rear camera: the native BarcodeDetector where the browser
// has one for QR codes, otherwise the vendored ZXing WebAssembly polyfill from our own static
// files (never a CDN: the page has to work offline).

let detectorPromise = null;

async function nativeDetector() {
  if (!("BarcodeDetector" in globalThis)) return null;
  try {
    const formats = await globalThis.BarcodeDetector.getSupportedFormats();
    if (!formats.includes("qr_code")) return null;
    return new globalThis.BarcodeDetector({ formats: ["qr_code"] });
  } catch {
    return null;
  }
}

/** True when this browser will need the WebAssembly decoder. */
export async function needsPolyfill() {
  return (await nativeDetector()) === null;
}

async function polyfillDetector(config) {
  const module = await import(config.decoder);
  module.prepareZXingModule({
    overrides: {
      locateFile: (path, prefix) => (path.endsWith(".wasm") ? config.wasm : prefix + path),
    },
    fireImmediately: true,
  });
  return new module.BarcodeDetector({ formats: ["qr_code"] });
}

export function detectorGet(config) {
  if (!detectorPromise) {
    detectorPromise = (async () => (await nativeDetector()) || polyfillDetector(config))();
    detectorPromise.catch(() => {
      detectorPromise = null;
    });
  }
  return detectorPromise;
}

export class Camera {
  /** `onCodes(texts)` gets the codes of each frame that has any; `onState(kind, detail)`. */
  constructor({ video, config, onCodes, onState }) {
    this.video = video;
    this.config = config;
    this.onCodes = onCodes;
    this.onState = onState;
    this.stream = null;
    this.running = false;
    this.busy = false;
    this.timer = null;
  }

  get active() {
    return this.stream !== null;
  }

  get track() {
    return this.stream ? this.stream.getVideoTracks()[0] : null;
  }

  /** True when the camera has a light this page may switch (Chrome on Android). */
  torchSupported() {
    const track = this.track;
    const capabilities = track && track.getCapabilities ? track.getCapabilities() : {};
    return Boolean(capabilities.torch);
  }

  /** Switch the light; true when the camera did. */
  async setTorch(on) {
    try {
      await this.track.applyConstraints({ advanced: [{ torch: on }] });
      return true;
    } catch {
      return false;
    }
  }

  async start() {
    if (this.stream) return;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      this.onState("missing");
      return;
    }
    this.onState("starting");
    let detector;
    try {
      const [stream, found] = await Promise.all([
        navigator.mediaDevices.getUserMedia({
          audio: false,
          video: {
            facingMode: { ideal: "environment" },
            width: { ideal: 1280 },
            height: { ideal: 720 },
          },
        }),
        detectorGet(this.config),
      ]);
      this.stream = stream;
      detector = found;
    } catch (error) {
      this.stop();
      const name = error && error.name;
      if (name === "NotAllowedError" || name === "SecurityError") this.onState("denied");
      else if (name === "NotFoundError" || name === "OverconstrainedError") this.onState("missing");
      else this.onState("failed", (error && error.message) || String(error));
      return;
    }
    this.detector = detector;
    this.video.srcObject = this.stream;
    this.video.setAttribute("playsinline", "");
    this.video.muted = true;
    try {
      await this.video.play();
    } catch {
      // Autoplay of a muted inline video is allowed everywhere we support; keep decoding anyway.
    }
    this.running = true;
    this.onState("running");
    this.tick();
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
    if (this.stream) {
      for (const track of this.stream.getTracks()) track.stop();
    }
    this.stream = null;
    this.video.srcObject = null;
    this.onState("stopped");
  }

  /** Decode a frame, then schedule the next one; never more than one decode at a time. */
  async tick() {
    if (!this.running) return;
    if (!document.hidden && this.video.readyState >= 2 && !this.busy) {
      this.busy = true;
      try {
        const codes = (await this.detector.detect(this.video)).map((code) => code.rawValue).filter(Boolean);
        if (codes.length && this.running) this.onCodes(codes);
      } catch {
        // A frame that cannot be read (camera switching, size 0) is skipped.
      } finally {
        this.busy = false;
      }
    }
    this.timer = setTimeout(() => this.tick(), 120);
  }
}
