import type { FileData } from "../components/file-data.js";
import type { Caller } from "../context.js";
import type { ServerMessage } from "../protocol.js";
import type { WorkerReply, WorkerRequest } from "../worker/messages.js";
import type { ConnectionState, JobHandle, JobMessage, Transport } from "./transport.js";
import { routeMessage } from "./transport.js";

/**
 * The native protocol to an engine in a Web Worker (static Spaces): the same messages as over
 * the WebSocket, by `postMessage`. Files go to the worker as Blobs.
 * @example const transport = new WorkerTransport(new Worker(new URL("worker.js", document.baseURI), { type: "module" }))
 */
export class WorkerTransport implements Transport {
  readonly #worker: Worker;
  readonly #jobs = new Map<string, (message: JobMessage) => void>();
  readonly #uploads = new Map<
    string,
    { resolve: (file: FileData) => void; reject: (error: Error) => void }
  >();
  readonly #listeners: ((message: ServerMessage) => void)[] = [];
  #counter = 0;
  #caller: Caller = {};
  /** Why the engine is gone, once it failed to start; every later call fails with it. */
  #failure: string | undefined;

  constructor(worker: Worker) {
    this.#worker = worker;
    worker.addEventListener("message", (event: MessageEvent<WorkerReply>) => this.#receive(event.data));
    // The worker reports its own errors once running (see runWorker): this one means it never started.
    worker.addEventListener("error", (event) => {
      const message = `The demo's engine failed to start: ${event.message || "see the browser console"}. Reload the page to try again.`;
      this.#failure = message;
      for (const [id, listener] of this.#jobs) listener({ type: "error", id, message });
      this.#jobs.clear();
      for (const { reject } of this.#uploads.values()) reject(new Error(message));
      this.#uploads.clear();
      for (const listener of this.#listeners) listener({ type: "error", id: null, message });
    });
  }

  submit(
    endpoint: number | string,
    data: unknown[],
    onMessage: (message: JobMessage) => void,
    eventData?: unknown,
  ): JobHandle {
    const id = this.#nextId();
    const failure = this.#failure;
    if (failure !== undefined) {
      queueMicrotask(() => onMessage({ type: "error", id, message: failure }));
      return { id, cancel: () => {} };
    }
    this.#jobs.set(id, onMessage);
    this.#post({
      type: "predict",
      id,
      endpoint,
      data,
      caller: this.#caller,
      ...(eventData === undefined ? {} : { eventData }),
    });
    return { id, cancel: () => this.#jobs.has(id) && this.#post({ type: "cancel", id }) };
  }

  upload(file: Blob, name: string): Promise<FileData> {
    if (this.#failure !== undefined) return Promise.reject(new Error(this.#failure));
    const id = this.#nextId();
    return new Promise((resolve, reject) => {
      this.#uploads.set(id, { resolve, reject });
      this.#post({ type: "upload", id, file, name });
    });
  }

  setCaller(caller: Caller): void {
    this.#caller = caller;
  }

  onMessage(listener: (message: ServerMessage) => void): void {
    this.#listeners.push(listener);
  }

  onState(listener: (state: ConnectionState, reopened: boolean) => void): void {
    // A worker is there from the start and never drops.
    listener("open", false);
  }

  close(): void {
    this.#worker.terminate();
  }

  #post(message: WorkerRequest): void {
    this.#worker.postMessage(message);
  }

  #nextId(): string {
    return `w${(this.#counter++).toString(36)}`;
  }

  #receive(message: WorkerReply): void {
    if (message.type === "uploaded" || message.type === "upload-failed") {
      const pending = this.#uploads.get(message.id);
      this.#uploads.delete(message.id);
      if (message.type === "uploaded") pending?.resolve(message.file);
      else pending?.reject(new Error(message.message));
      return;
    }
    routeMessage(message, this.#jobs, this.#listeners);
  }
}
