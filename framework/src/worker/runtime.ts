import type { FileData } from "../components/file-data.js";
import { Engine } from "../engine/engine.js";
import type { ModelHandle } from "../models/pipeline.js";
import type { ServerMessage } from "../protocol.js";
import { wellFormedMessage } from "../protocol.js";
import type { Space } from "../space.js";
import { BrowserFileStore } from "./files.js";
import type { WorkerReply, WorkerRequest } from "./messages.js";

declare const __SPACECRAFT_MODELS__: boolean | undefined;
/**
 * False in the static build of a Space without models: transformers.js is then left out. Written
 * here and in interface.ts, not shared: the bundler folds the constant only within a module.
 */
const WITH_MODELS = typeof __SPACECRAFT_MODELS__ === "undefined" || __SPACECRAFT_MODELS__;

/** Options of {@link runWorker}. */
export interface WorkerOptions {
  /** Load models from this URL (a folder laid out by model id) instead of the Hub. */
  modelsUrl?: string;
  /** Where the onnxruntime-web WASM files are (default `ort/` beside the page). */
  wasmUrl?: string;
  /** Files that examples name, served beside the page; the store adopts them under their paths. */
  exampleFiles?: FileData[];
}

interface WorkerScope {
  postMessage(message: WorkerReply): void;
  addEventListener(type: "message", listener: (event: MessageEvent<WorkerRequest>) => void): void;
  addEventListener(type: "error", listener: (event: ErrorEvent) => void): void;
  addEventListener(type: "unhandledrejection", listener: (event: PromiseRejectionEvent) => void): void;
}

/**
 * Runs a Space's engine inside a Web Worker: the page sends the same protocol messages it
 * would send over the WebSocket. Models load through transformers.js web (WebGPU when the
 * browser has it, WASM otherwise; threads when the page is cross-origin isolated).
 */
export function runWorker(
  space: Space,
  options: WorkerOptions = {},
  scope = globalThis as unknown as WorkerScope,
): void {
  const files = new BrowserFileStore();
  const engine = new Engine(space, { files });
  const send = (message: ServerMessage) => scope.postMessage(message);
  const session = "page";
  // A stray error after start-up is reported here, so the page's `error` event on the Worker
  // means only that the engine could not start.
  scope.addEventListener("error", (event) => {
    event.preventDefault();
    console.error(event.error ?? event.message);
    send({ type: "error", id: null, message: `The demo's engine hit an error: ${event.message}` });
  });
  scope.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    console.error(event.reason);
    send({ type: "error", id: null, message: `The demo's engine hit an error: ${reasonOf(event.reason)}` });
  });

  // Models start loading at once; predictions wait until transformers.js is configured, so
  // the first load uses the right device and WASM files.
  let ready: Promise<unknown> = Promise.all((options.exampleFiles ?? []).map((file) => files.adopt(file)));
  if (WITH_MODELS && space.models.length > 0) {
    ready = Promise.all([ready, configureModels(options)]).then(([, device]) => {
      for (const model of space.models) {
        console.info(`Spacecraft: ${model.model} runs ${whereItRuns(model.options.device, device)}.`);
        model.onStatus(() => send({ type: "model", model: model.model, ...modelState(model) }));
        model.load({ device }).catch(() => {});
      }
    });
  }
  // If the engine cannot get ready (an example file or transformers.js failed to load), the
  // page hears it once, and every prediction gets that answer.
  const notReady = (error: unknown) =>
    `The demo's engine could not get ready: ${reasonOf(error)}. Reload the page to try again.`;
  ready.catch((error: unknown) => send({ type: "error", id: null, message: notReady(error) }));

  scope.addEventListener("message", (event) => {
    const request = event.data;
    if (request.type === "upload") {
      files.receive(request.file, request.name).then(
        (file) => scope.postMessage({ type: "uploaded", id: request.id, file }),
        (error: unknown) =>
          scope.postMessage({ type: "upload-failed", id: request.id, message: String(error) }),
      );
      return;
    }
    const message = wellFormedMessage(request);
    if (!message) {
      send({ type: "error", id: null, message: "Invalid message to the engine." });
      return;
    }
    // The page signed the visitor in (a static Space's LoginButton) and says who with each request;
    // only the page that started this worker can post to it.
    const caller = request.type === "predict" ? request.caller : undefined;
    ready.then(
      () => {
        if (message.type === "predict") {
          const refusal = engine.submit(session, message, send, caller);
          if (refusal) send({ type: "error", id: message.id, ...refusal });
        } else engine.cancel(session, message.id);
      },
      (error: unknown) => {
        if (message.type === "predict") send({ type: "error", id: message.id, message: notReady(error) });
      },
    );
  });
}

/** Where a model runs, for the console: the declared device, else the one this browser offers. */
function whereItRuns(declared: string | undefined, offered: "webgpu" | "wasm"): string {
  if (declared) return `on "${declared}", as declared`;
  return offered === "webgpu"
    ? "on this browser's GPU (WebGPU)"
    : "on the CPU (WASM): this browser offers no WebGPU adapter";
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function modelState(model: ModelHandle) {
  const { state, progress, message } = model.status;
  return {
    state,
    ...(progress === undefined ? {} : { progress }),
    ...(message === undefined ? {} : { message }),
  };
}

let configured: Promise<"webgpu" | "wasm"> | undefined;

/** Points transformers.js web at its WASM files and the model source; picks WebGPU or WASM. */
function configureModels(options: WorkerOptions): Promise<"webgpu" | "wasm"> {
  configured ??= (async () => {
    const { env } = await import("@huggingface/transformers");
    const wasm = env.backends.onnx.wasm;
    if (wasm) {
      wasm.wasmPaths = new URL(options.wasmUrl ?? "ort/", location.href).href;
      wasm.numThreads = globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
    }
    if (options.modelsUrl) {
      // transformers.js looks for "local" models only at paths, not at full URLs: a folder on
      // this origin is local; one elsewhere plays the Hub, laid out by model id.
      const url = new URL(options.modelsUrl, location.href);
      const sameOrigin = url.origin === location.origin;
      env.allowLocalModels = sameOrigin;
      env.allowRemoteModels = !sameOrigin;
      if (sameOrigin) env.localModelPath = url.pathname;
      else {
        env.remoteHost = url.href;
        env.remotePathTemplate = "{model}/";
      }
      env.useBrowserCache = false;
    }
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    const adapter = await gpu?.requestAdapter().catch(() => null);
    return adapter ? "webgpu" : "wasm";
  })();
  return configured;
}
