import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import { connect as connectSocket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import sharp from "sharp";
import type { FileData, ServerMessage } from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import * as v from "valibot";
import { afterAll, beforeAll } from "vitest";
import { WebSocket } from "ws";
import { makeWav } from "../models/wav.js";
import space from "./space.js";

/** The server's WebSocket message and JSON body limit in these suites (small, so oversize is cheap). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** The server's upload limit in these suites. */
export const MAX_UPLOAD_BYTES = 64 * 1024;
/** Generous: the suites run on a busy two-core machine. */
export const DEADLINE_MS = 20_000;
/** Per property: a few seconds on an idle machine, many times that on a busy one. */
export const FUZZ_TIMEOUT_MS = 180_000;

/** The Space under fuzz, its ids and labels. */
export { space };
export const inputs = space.endpoints[0]?.inputs ?? [];
export const inputIds = space.endpoints[0]?.inputIds ?? [];

/** A component as errors name it: `Textbox "Text"`. */
export const describeInput = (i: number) => {
  const input = inputs[i] as (typeof inputs)[number];
  const name =
    { checkboxgroup: "CheckboxGroup", json: "JSON" }[input.type as string] ??
    `${input.type[0]?.toUpperCase()}${input.type.slice(1)}`;
  return `${name} "${input.props.label}"`;
};
/** The components' names as regular expressions. */
export const componentNames = inputs.map((_, i) => describeInput(i).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

/** Whether a value passes an input's own schema (files also need an upload, so never by chance). */
export function validFor(i: number, value: unknown): boolean {
  const input = inputs[i] as (typeof inputs)[number];
  if (["file", "image", "audio"].includes(input.type)) return false;
  return v.safeParse(input.schema as v.GenericSchema, value).success;
}

/** Values of every JSON type and then some (dates, maps, typed arrays: as JSON makes them). */
export const garbageValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({
    maxDepth: 3,
    withBigInt: false,
    withMap: true,
    withSet: true,
    withDate: true,
    withTypedArray: true,
  }),
);

/** A real server on 127.0.0.1:0 with every log line kept, and the folder of its file store. */
export interface FuzzServer {
  readonly server: RunningServer;
  readonly url: string;
  readonly port: number;
  readonly logs: { message: string; error: unknown }[];
  /** The file store's private folder. */
  readonly storeDir: string;
  close(): Promise<void>;
}

/** Starts the fuzz Space (MCP on, small limits), with its store in a folder of its own. */
export async function startFuzzServer(): Promise<FuzzServer> {
  const parent = mkdtempSync(join(tmpdir(), "spacecraft-fuzz-"));
  const logs: { message: string; error: unknown }[] = [];
  // The store makes its folder under os.tmpdir(), which reads TMPDIR at each call.
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = parent;
  let server: RunningServer;
  try {
    server = await serve(space, {
      port: 0,
      maxMessageBytes: MAX_MESSAGE_BYTES,
      maxUploadBytes: MAX_UPLOAD_BYTES,
      mcp: true,
      logError: (message, error) => logs.push({ message, error }),
    });
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
  const stores = readdirSync(parent).filter((name) => name.startsWith("spacecraft-"));
  if (stores.length !== 1) throw new Error(`Expected one file store folder in ${parent}, found ${stores}`);
  return {
    server,
    url: server.url,
    port: server.port,
    logs,
    storeDir: join(parent, stores[0] as string),
    async close() {
      await server.close({ timeoutMs: 500 });
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/**
 * Log lines that mean the server failed rather than refused: an error that escaped (it would
 * have crashed the process), a 5xx, a message the socket could not handle, a failed `fn` call.
 */
export function failures(logs: FuzzServer["logs"]): string[] {
  return logs
    .filter(({ message }) =>
      /escaped|failed:|could not be handled|returned a result it cannot show/.test(message),
    )
    .map(
      ({ message, error }) => `${message} ${error instanceof Error ? (error.stack ?? error.message) : ""}`,
    );
}

/** Throws when a server's answer leaks internals: a stack frame or an absolute path. */
export function assertNoInternals(text: string, what: string): void {
  for (const leak of ["    at ", "/tmp/", "/work/", "node_modules", "file://"]) {
    if (text.includes(leak)) throw new Error(`${what} leaks "${leak}": ${text.slice(0, 500)}`);
  }
}

/** Polls `check` until it returns a value (not undefined), or throws `why()` after the deadline. */
export async function until<T>(
  check: () => T | undefined | Promise<T | undefined>,
  why: () => string,
  timeoutMs = DEADLINE_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${why()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A native-protocol client that keeps every message and how the socket closed. */
export class FuzzSocket {
  readonly messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | undefined;
  readonly #socket: WebSocket;
  #sentinels = 0;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on("message", (data) => this.messages.push(JSON.parse(String(data)) as ServerMessage));
    socket.on("close", (code, reason) => {
      this.closed = { code, reason: String(reason) };
    });
    socket.on("error", () => {});
  }

  static async open(url: string): Promise<FuzzSocket> {
    const socket = new WebSocket(`${url.replace(/^http/, "ws")}/ws`);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return new FuzzSocket(socket);
  }

  get open(): boolean {
    return this.#socket.readyState === WebSocket.OPEN;
  }

  send(data: string | Uint8Array, binary = typeof data !== "string"): void {
    this.#socket.send(data, { binary });
  }

  /** The first message from `index` on that matches, once it arrived. */
  async next(
    match: (message: ServerMessage) => boolean,
    from = 0,
    what = "a matching message",
  ): Promise<ServerMessage> {
    return until(
      () => {
        for (let i = from; i < this.messages.length; i++) {
          const message = this.messages[i] as ServerMessage;
          if (match(message)) return message;
        }
        if (this.closed) throw new Error(`The socket closed (${this.closed.code}) while waiting for ${what}`);
        return undefined;
      },
      () => `no ${what}; the last messages: ${JSON.stringify(this.messages.slice(-5))}`,
    );
  }

  /** The message that ends job `id`: complete, error or cancelled. */
  end(id: string, from = 0): Promise<ServerMessage> {
    return this.next((m) => "id" in m && m.id === id && isFinal(m), from, `the end of job "${id}"`);
  }

  /**
   * Sends one frame and returns its outcome: the error it was refused with, or (when it started a
   * job with id `jobId`) the message that ended that job. A cancel of a job that does not exist
   * goes right after it, so a frame that got no answer at all is caught.
   */
  async exchange(frame: string | Uint8Array, jobId?: unknown, binary?: boolean): Promise<ServerMessage> {
    const start = this.messages.length;
    const sentinel = `~sentinel~${this.#sentinels++}`;
    this.send(frame, binary);
    this.send(JSON.stringify({ type: "cancel", id: sentinel }));
    const sentinelIndex = await until(
      () => {
        const index = this.messages.findIndex(
          (m, i) => i >= start && m.type === "error" && m.id === sentinel,
        );
        if (index >= 0) return index;
        if (this.closed) throw new Error(`The socket closed (${this.closed.code}: ${this.closed.reason})`);
        return undefined;
      },
      () => `no answer to the sentinel after ${preview(frame)}`,
    );
    const window = this.messages.slice(start, sentinelIndex);
    const refusal = window.find((m) => m.type === "error");
    if (refusal) {
      const extra = window.filter((m) => m.type === "error");
      if (extra.length > 1) throw new Error(`More than one error for one frame: ${JSON.stringify(extra)}`);
      return refusal;
    }
    if (typeof jobId !== "string") {
      throw new Error(`No error for ${preview(frame)}, and it names no job; got ${JSON.stringify(window)}`);
    }
    return this.end(jobId, start);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#socket.readyState === WebSocket.CLOSED) return resolve();
      this.#socket.once("close", () => resolve());
      this.#socket.close();
    });
  }
}

function isFinal(message: ServerMessage): boolean {
  return message.type === "complete" || message.type === "error" || message.type === "cancelled";
}

export function preview(frame: unknown): string {
  const text =
    typeof frame === "string"
      ? frame
      : frame instanceof Uint8Array
        ? `<${frame.byteLength} bytes>`
        : String(frame);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** An HTTP answer, its body as text. */
export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request on a connection of its own (no pooling: descriptors are counted). */
export function request(
  port: number,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Uint8Array;
    /** A keep-alive agent, for many requests in a row (default: a connection each). */
    agent?: http.Agent;
  },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: "127.0.0.1",
        port,
        method: options.method ?? "GET",
        path: options.path,
        // Node sends a GET's body without framing unless the length is given.
        headers: {
          ...(options.agent ? {} : { connection: "close" }),
          ...(options.body === undefined
            ? {}
            : { "content-length": String(Buffer.byteLength(options.body)) }),
          ...options.headers,
        },
        agent: options.agent ?? false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        response.on("error", reject);
        response.on("close", () => {
          if (!response.complete)
            reject(new Error(`${options.method ?? "GET"} ${options.path}: the answer was cut off`));
        });
      },
    );
    outgoing.setTimeout(DEADLINE_MS, () =>
      outgoing.destroy(
        new Error(`No answer to ${options.method ?? "GET"} ${options.path} in ${DEADLINE_MS} ms`),
      ),
    );
    outgoing.on("error", reject);
    outgoing.end(options.body);
  });
}

/** What a raw connection got back: a parsed answer, or nothing before it closed. */
export interface RawOutcome {
  answer?: Answer;
  /** All bytes received. */
  received: string;
  /** A socket error (e.g. ECONNRESET after the server refused a body it would not read). */
  error?: string;
}

/**
 * Writes bytes on a raw TCP connection (for requests `fetch` cannot express), then waits for the
 * server to close it, ends it (`end`: half-close) or destroys it (`destroy`: an aborted client).
 */
export function rawRequest(
  port: number,
  bytes: Uint8Array,
  then: "wait" | "end" | "destroy" = "wait",
): Promise<RawOutcome> {
  return new Promise((resolve, reject) => {
    const socket = connectSocket({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`The server neither answered nor closed within ${DEADLINE_MS} ms`));
    }, DEADLINE_MS);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (cause: NodeJS.ErrnoException) => {
      error = cause.code ?? cause.message;
    });
    socket.on("close", () => {
      clearTimeout(timer);
      const received = Buffer.concat(chunks).toString("utf8");
      resolve({ received, ...parseAnswer(received), ...(error ? { error } : {}) });
    });
    socket.on("connect", () => {
      if (then === "destroy") {
        socket.write(bytes, () => socket.destroy());
        return;
      }
      socket.write(bytes);
      if (then === "end") socket.end();
    });
  });
}

function parseAnswer(received: string): { answer?: Answer } {
  const match = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/.exec(received);
  if (!match) return {};
  const headerEnd = received.indexOf("\r\n\r\n");
  if (headerEnd < 0) return {};
  const headers: http.IncomingHttpHeaders = {};
  for (const line of received.slice(match[0].length, headerEnd).split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let text = received.slice(headerEnd + 4);
  if (headers["transfer-encoding"] === "chunked") text = unchunk(text);
  return { answer: { status: Number(match[1]), headers, text } };
}

function unchunk(text: string): string {
  let out = "";
  let rest = text;
  for (;;) {
    const lineEnd = rest.indexOf("\r\n");
    if (lineEnd < 0) return out;
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (!size) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 4 + size);
  }
}

/** Messages that say nothing of the problem: generic fallbacks and zlib's own words. */
const VAGUE = [
  "The request is not valid.",
  "Something went wrong",
  "incorrect header check",
  "unexpected end of file",
  "Decompression failed",
  "could not handle",
];

/**
 * Checks a refusal: a 4xx (never 5xx), a JSON body whose `error` (or Gradio's `detail`) says
 * what was wrong, and no stack or path in it. Returns the message.
 */
export function refusalMessage(answer: Answer, what: string): string {
  if (answer.status >= 500) throw new Error(`${what}: ${answer.status} for a client mistake: ${answer.text}`);
  if (answer.status < 400) throw new Error(`${what}: expected a 4xx, got ${answer.status}: ${answer.text}`);
  assertNoInternals(answer.text, what);
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw new Error(
      `${what}: ${answer.status} without a JSON body: ${JSON.stringify(answer.text.slice(0, 200))}`,
    );
  }
  const message = errorText(body);
  if (!message) throw new Error(`${what}: ${answer.status} without an error message: ${answer.text}`);
  if (VAGUE.some((vague) => message.includes(vague))) {
    throw new Error(`${what}: the error does not say what is wrong: "${message}"`);
  }
  return message;
}

/** The message of an error body: `{ error }`, Gradio's `{ detail }` or JSON-RPC's `{ error: { message } }`. */
export function errorText(body: unknown): string | undefined {
  const { error, detail } = (body ?? {}) as { error?: unknown; detail?: unknown };
  if (typeof error === "string" && error !== "") return error;
  const rpc = (error as { message?: unknown } | undefined)?.message;
  if (typeof rpc === "string" && rpc !== "") return rpc;
  if (typeof detail === "string" && detail !== "") return detail;
  const first = Array.isArray(detail) ? (detail[0] as { message?: unknown } | undefined)?.message : undefined;
  return typeof first === "string" && first !== "" ? first : undefined;
}

/** GET /config answers: the process is up and serving. */
export async function assertHealthy(port: number): Promise<void> {
  const answer = await request(port, { path: "/config" });
  if (answer.status !== 200) throw new Error(`GET /config answered ${answer.status}: ${answer.text}`);
}

/** The files a valid call needs, as bytes. */
export async function sampleFiles(): Promise<{ name: string; bytes: Uint8Array; type: string }[]> {
  const png = await sharp({ create: { width: 2, height: 3, channels: 3, background: { r: 9, g: 9, b: 9 } } })
    .png()
    .toBuffer();
  return [
    { name: "notes.txt", bytes: new TextEncoder().encode("some notes\n"), type: "text/plain" },
    { name: "photo.png", bytes: new Uint8Array(png), type: "image/png" },
    { name: "speech.wav", bytes: makeWav(new Float32Array(800), 8000), type: "audio/wav" },
  ];
}

/** Uploads one file and returns its FileData, as the page would send it. */
export async function upload(url: string, file: { name: string; bytes: Uint8Array; type: string }) {
  const form = new FormData();
  form.append("files", new Blob([file.bytes as BlobPart], { type: file.type }), file.name);
  const response = await fetch(`${url}/gradio_api/upload`, { method: "POST", body: form });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`Upload of ${file.name} answered ${response.status}: ${text}`);
  const [path] = JSON.parse(text) as string[];
  return { path, orig_name: file.name, meta: { _type: "gradio.FileData" } } as FileData;
}

/** One valid value per input, with files this caller uploaded. */
export async function validData(url: string): Promise<unknown[]> {
  const [document, photo, speech] = await Promise.all((await sampleFiles()).map((file) => upload(url, file)));
  return [
    "hello",
    3,
    5,
    true,
    ["cheese", "basil"],
    "small",
    2,
    ["en"],
    { a: [1, { b: 2 }] },
    document,
    photo,
    speech,
  ];
}

/** What the fn echoes for {@link validData}. */
export const EXPECTED_ECHO = {
  text: "hello",
  count: 3,
  level: 5,
  loud: true,
  toppings: ["cheese", "basil"],
  size: "small",
  model: 2,
  languages: ["en"],
  jsonDepth: 3,
  file: { name: "notes.txt", size: 11 },
  image: { width: 2, height: 3 },
  audio: { sampleRate: 16000, samples: 1600 },
};

/**
 * A well-behaved client on its own connection: each `check()` runs one valid call and checks
 * its result, so a suite can show the server kept serving others while it was being fuzzed.
 */
export type WellBehavedClient = Awaited<ReturnType<typeof wellBehavedClient>>;

export async function wellBehavedClient(url: string) {
  const socket = await FuzzSocket.open(url);
  const data = await validData(url);
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    /** Starts one call; await the result to check it. */
    async check(): Promise<void> {
      const id = `good-${calls++}`;
      const from = socket.messages.length;
      socket.send(JSON.stringify({ type: "predict", id, endpoint: "predict", data }));
      const end = await socket.end(id, from);
      if (end.type !== "complete")
        throw new Error(`The well-behaved client's call ${id} failed: ${JSON.stringify(end)}`);
      const [echo, copy] = end.data as [unknown, FileData];
      const expected = JSON.stringify(EXPECTED_ECHO);
      if (JSON.stringify(echo) !== expected) {
        throw new Error(`The well-behaved client got ${JSON.stringify(echo)}, expected ${expected}`);
      }
      if (!copy?.url)
        throw new Error(`The well-behaved client's file output has no URL: ${JSON.stringify(copy)}`);
    },
    close: () => socket.close(),
  };
}

/** Runs per property (`FUZZ_RUNS` to change). */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

/**
 * Starts the fuzz server and a well-behaved client before a suite and stops them after it; the
 * getters are valid inside tests.
 */
export function useFuzzServer(): { readonly fuzz: FuzzServer; readonly steady: WellBehavedClient } {
  let fuzz: FuzzServer | undefined;
  let steady: WellBehavedClient | undefined;
  beforeAll(async () => {
    fuzz = await startFuzzServer();
    steady = await wellBehavedClient(fuzz.url);
    await steady.check();
  });
  afterAll(async () => {
    await steady?.close();
    await fuzz?.close();
  });
  return {
    get fuzz() {
      if (!fuzz) throw new Error("The fuzz server is not running (use it inside a test).");
      return fuzz;
    },
    get steady() {
      if (!steady) throw new Error("The well-behaved client is not connected (use it inside a test).");
      return steady;
    },
  };
}

/**
 * Runs a property with the well-behaved client calling meanwhile and a health check after each
 * run; afterwards the server must have logged no failure and still serve the client.
 */
export async function fuzzRuns<T>(
  suite: { readonly fuzz: FuzzServer; readonly steady: WellBehavedClient },
  arbitrary: fc.Arbitrary<T>,
  run: (value: T) => Promise<void>,
  options: fc.Parameters<[NoInfer<T>]> = {},
): Promise<void> {
  const { fuzz, steady } = suite;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      const served = steady.check();
      served.catch(() => {});
      await run(value);
      await assertHealthy(fuzz.port);
      await served;
    }),
    { numRuns: RUNS, ...options },
  );
  const logged = failures(fuzz.logs);
  if (logged.length > 0) throw new Error(`The server logged failures:\n${logged.join("\n")}`);
  await steady.check();
}

/** Open file descriptors of this process (the server runs in it). */
export function openDescriptors(): number {
  return readdirSync("/proc/self/fd").length;
}

/** Files under `folder` whose names end with `.part` (uploads that were never finished). */
export function partialFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".part"));
}
