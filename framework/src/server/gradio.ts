import { randomUUID } from "node:crypto";
import { toJsonSchema } from "@valibot/to-json-schema";
import type { Request, Response } from "express";
import express from "express";
import { parameterNames } from "../api-names.js";
import type { AnyComponent } from "../components/component.js";
import { displayName } from "../components/component.js";
import { isFileData } from "../components/file-data.js";
import type { Engine } from "../engine/engine.js";
import { isFileInput } from "../interface.js";
import type { ServerMessage } from "../protocol.js";
import type { Endpoint, Space } from "../space.js";

/** Options of {@link gradioApi}. */
export interface GradioApiOptions {
  /** Largest JSON body, in bytes. */
  maxBodyBytes: number;
  /** Between heartbeats on open streams, in ms (default 15 s). */
  heartbeatMs?: number;
  /** How long an idle session stream stays open before `close_stream`, in ms (default 1 s). */
  idleCloseMs?: number;
}

type SseMessage = Record<string, unknown>;

/** One `session_hash` of a Gradio client: its pending events and its SSE stream. */
class Session {
  readonly pending = new Set<string>();
  readonly #buffer: string[] = [];
  readonly #lastData = new Map<string, unknown[]>();
  #stream: Response | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly id: string,
    readonly base: string,
    readonly options: Required<Pick<GradioApiOptions, "heartbeatMs" | "idleCloseMs">>,
    readonly onClosed: (session: Session) => void,
  ) {}

  /** Turns an engine message into Gradio's SSE message for this event. */
  deliver(eventId: string, message: ServerMessage): void {
    const absolute = (data: unknown[]) => withAbsoluteUrls(data, this.base);
    switch (message.type) {
      case "queued":
        this.#write({
          msg: "estimation",
          event_id: eventId,
          rank: message.position - 1,
          queue_size: message.size,
          rank_eta: message.eta ?? null,
        });
        return;
      case "started":
        this.#write({ msg: "process_starts", event_id: eventId, eta: message.eta ?? null });
        return;
      case "progress":
        this.#write({
          msg: "progress",
          event_id: eventId,
          progress_data: [
            {
              index: message.total === undefined ? null : message.value,
              length: message.total ?? null,
              unit: "steps",
              progress: message.total === undefined ? message.value : null,
              desc: message.desc ?? null,
            },
          ],
        });
        return;
      case "partial": {
        const data = absolute(message.data);
        const previous = this.#lastData.get(eventId);
        this.#lastData.set(eventId, data);
        this.#write({
          msg: "process_generating",
          event_id: eventId,
          success: true,
          output: {
            data: previous ? data.map((value, i) => diff(previous[i], value)) : data,
            is_generating: true,
          },
        });
        return;
      }
      case "complete":
        this.#write({
          msg: "process_completed",
          event_id: eventId,
          success: true,
          output: {
            data: absolute(message.data),
            is_generating: false,
            duration: message.duration,
            average_duration: message.duration,
          },
        });
        this.#settle(eventId);
        return;
      case "error":
      case "cancelled":
        this.#write({
          msg: "process_completed",
          event_id: eventId,
          success: false,
          output:
            message.type === "error"
              ? { error: message.message, title: "Error", visible: true, duration: 10 }
              : { error: "Cancelled", title: "Cancelled", visible: false, duration: 0 },
        });
        this.#settle(eventId);
        return;
      default:
        return;
    }
  }

  /** Attaches the SSE response of `GET /queue/data` and flushes what waited for it. */
  open(response: Response): void {
    this.#stream?.end();
    this.#stream = response;
    response.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
    });
    for (const line of this.#buffer.splice(0)) response.write(line);
    this.#heartbeat = setInterval(
      () => response.write(`data: ${JSON.stringify({ msg: "heartbeat" })}\n\n`),
      this.options.heartbeatMs,
    );
    response.on("close", () => {
      if (this.#stream !== response) return;
      this.#stream = undefined;
      clearInterval(this.#heartbeat);
      this.onClosed(this);
    });
    this.#scheduleIdleClose();
  }

  #write(message: SseMessage): void {
    const line = `data: ${JSON.stringify(message)}\n\n`;
    if (this.#stream) this.#stream.write(line);
    else this.#buffer.push(line);
  }

  #settle(eventId: string): void {
    this.pending.delete(eventId);
    this.#lastData.delete(eventId);
    this.#scheduleIdleClose();
  }

  /**
   * Closes the stream only after it has stayed idle for a while: closing the instant the last
   * event ends races a `submit()` whose join answer arrives first (the client would think the
   * stream is open and wait forever).
   */
  #scheduleIdleClose(): void {
    clearTimeout(this.#idleTimer);
    if (this.pending.size > 0 || !this.#stream) return;
    this.#idleTimer = setTimeout(() => {
      if (this.pending.size > 0 || !this.#stream) return;
      const stream = this.#stream;
      this.#write({ msg: "close_stream", event_id: null });
      this.#stream = undefined;
      clearInterval(this.#heartbeat);
      stream.end();
      this.onClosed(this);
    }, this.options.idleCloseMs);
  }

  close(): void {
    clearTimeout(this.#idleTimer);
    clearInterval(this.#heartbeat);
    this.#stream?.end();
    this.#stream = undefined;
  }
}

/** A curl-API event (`/call/{api_name}`): the messages so far, for one reader. */
interface CallEvent {
  lines: string[];
  done: boolean;
  reader?: Response;
}

/**
 * Gradio's HTTP API on the engine, so `@gradio/client`, `gradio_client` and curl can call a
 * Space: `/info`, `/queue/join` + `/queue/data` (SSE), `/run/{api_name}`, `/call/{api_name}`,
 * `/cancel`. Uploads and `/file=` are served by the file routes.
 */
export function gradioApi(
  space: Space,
  engine: Engine,
  options: GradioApiOptions,
): { router: express.Router; close(): void } {
  const router = express.Router();
  const json = express.json({ limit: options.maxBodyBytes });
  const sessions = new Map<string, Session>();
  const calls = new Map<string, CallEvent>();
  const timing = { heartbeatMs: options.heartbeatMs ?? 15_000, idleCloseMs: options.idleCloseMs ?? 1000 };
  const info = apiInfo(space);

  router.get("/info", (_request, response) => {
    response.json(info);
  });

  router.post("/queue/join", json, (request, response) => {
    const body = (request.body ?? {}) as { data?: unknown; fn_index?: unknown; session_hash?: unknown };
    if (typeof body.session_hash !== "string" || body.session_hash === "") {
      response.status(400).json({ detail: "session_hash is required" });
      return;
    }
    const sessionHash = body.session_hash;
    const session =
      sessions.get(sessionHash) ??
      new Session(sessionHash, baseUrl(request), timing, (closed) => {
        if (closed.pending.size > 0) engine.cancelSession(`gradio:${closed.id}`);
        sessions.delete(closed.id);
        closed.close();
      });
    sessions.set(sessionHash, session);
    const eventId = randomUUID().replace(/-/g, "");
    const target = space.endpoint(typeof body.fn_index === "number" ? body.fn_index : 0);
    if (target?.visibility === "private") {
      response.status(403).json({ detail: `The endpoint "${target.apiName}" is not open to the API.` });
      return;
    }
    const refusal = submit(engine, `gradio:${sessionHash}`, eventId, body.fn_index, body.data, (message) =>
      session.deliver(eventId, message),
    );
    if (refusal) {
      if (/queue is full/i.test(refusal)) response.status(503).json({ detail: refusal });
      else response.status(422).json({ detail: [{ is_valid: false, message: refusal }] });
      return;
    }
    session.pending.add(eventId);
    response.json({ event_id: eventId });
  });

  router.get("/queue/data", (request, response) => {
    const session = sessions.get(String(request.query.session_hash ?? ""));
    if (!session) {
      response.status(404).json({ detail: "Session not found." });
      return;
    }
    session.open(response);
  });

  router.post("/cancel", json, (request, response) => {
    const { event_id: eventId, session_hash: sessionHash } = (request.body ?? {}) as Record<string, unknown>;
    const cancelled = engine.cancel(`gradio:${String(sessionHash)}`, String(eventId));
    response.json({ success: cancelled });
  });

  router.post("/reset", (_request, response) => {
    response.json({ success: true });
  });

  router.post("/run/:apiName", json, (request, response) => {
    const endpoint = space.endpoint(String(request.params.apiName));
    const data = (request.body as { data?: unknown } | undefined)?.data;
    if (!endpoint || endpoint.visibility === "private") {
      response.status(404).json({ error: `No endpoint named "${request.params.apiName}".` });
      return;
    }
    const eventId = randomUUID();
    const refusal = submit(engine, `run:${eventId}`, eventId, endpoint.index, data, (message) => {
      if (message.type === "complete") {
        response.json({ data: withAbsoluteUrls(message.data, baseUrl(request)), duration: message.duration });
      } else if (message.type === "error" || message.type === "cancelled") {
        response
          .status(message.type === "error" ? 500 : 499)
          .json({ error: message.type === "error" ? message.message : "Cancelled" });
      }
    });
    if (refusal) response.status(/queue is full/i.test(refusal) ? 503 : 422).json({ error: refusal });
  });

  router.post("/call/:apiName", json, (request, response) => {
    const endpoint = space.endpoint(String(request.params.apiName));
    if (!endpoint || endpoint.visibility === "private") {
      response.status(404).json({ error: `No endpoint named "${request.params.apiName}".` });
      return;
    }
    const eventId = randomUUID().replace(/-/g, "");
    const event: CallEvent = { lines: [], done: false };
    const base = baseUrl(request);
    const push = (line: string, done = false) => {
      event.lines.push(line);
      event.done ||= done;
      event.reader?.write(line);
      if (done) event.reader?.end();
    };
    const refusal = submit(
      engine,
      `call:${eventId}`,
      eventId,
      endpoint.index,
      (request.body as { data?: unknown })?.data,
      (message) => {
        if (message.type === "partial")
          push(`event: generating\ndata: ${JSON.stringify(withAbsoluteUrls(message.data, base))}\n\n`);
        else if (message.type === "complete")
          push(`event: complete\ndata: ${JSON.stringify(withAbsoluteUrls(message.data, base))}\n\n`, true);
        else if (message.type === "error")
          push(`event: error\ndata: ${JSON.stringify(message.message)}\n\n`, true);
        else if (message.type === "cancelled")
          push(`event: error\ndata: ${JSON.stringify("Cancelled")}\n\n`, true);
      },
    );
    if (refusal) {
      response.status(/queue is full/i.test(refusal) ? 503 : 422).json({ error: refusal });
      return;
    }
    remember(calls, eventId, event);
    response.json({ event_id: eventId });
  });

  router.get("/call/:apiName/:eventId", (request, response) => {
    const event = calls.get(String(request.params.eventId));
    if (!event) {
      response.status(404).json({ error: "Unknown event id: start a call with POST first." });
      return;
    }
    response.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
    for (const line of event.lines) response.write(line);
    if (event.done) {
      response.end();
      return;
    }
    event.reader = response;
    const heartbeat = setInterval(
      () => response.write("event: heartbeat\ndata: null\n\n"),
      timing.heartbeatMs,
    );
    response.on("close", () => clearInterval(heartbeat));
  });

  return {
    router,
    /** Ends every session stream (on shutdown). */
    close() {
      for (const session of sessions.values()) session.close();
      sessions.clear();
    },
  };
}

/** Submits and returns the refusal message when the engine refused at once (bad input, full queue). */
function submit(
  engine: Engine,
  session: string,
  id: string,
  endpoint: unknown,
  data: unknown,
  onMessage: (message: ServerMessage) => void,
): string | undefined {
  if (!Array.isArray(data)) return "`data` must be a list with one value per input.";
  let refusal: string | undefined;
  let synchronous = true;
  engine.submit(
    session,
    { id, endpoint: typeof endpoint === "number" || typeof endpoint === "string" ? endpoint : 0, data },
    (message) => {
      if (synchronous && message.type === "error") refusal = message.message;
      else onMessage(message);
    },
  );
  synchronous = false;
  return refusal;
}

function remember(calls: Map<string, CallEvent>, id: string, event: CallEvent): void {
  calls.set(id, event);
  // Keep the last 2,000 results, as Gradio does.
  if (calls.size > 2000) calls.delete(calls.keys().next().value as string);
}

function baseUrl(request: Request): string {
  return `${request.protocol}://${request.get("host") ?? "localhost"}`;
}

/** Gradio clients expect absolute file URLs. */
function withAbsoluteUrls(data: unknown[], base: string): unknown[] {
  const visit = (value: unknown): unknown => {
    if (isFileData(value))
      return value.url?.startsWith("/") ? { ...value, url: `${base}${value.url}` } : value;
    if (Array.isArray(value)) return value.map(visit);
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v)]));
    return value;
  };
  return data.map(visit);
}

/** A Gradio streaming diff of one output: append to a string when it grew, else replace. */
function diff(previous: unknown, next: unknown): unknown[] {
  if (typeof previous === "string" && typeof next === "string" && next.startsWith(previous)) {
    return next.length === previous.length ? [] : [["append", [], next.slice(previous.length)]];
  }
  return [["replace", [], next]];
}

/** The `/info` of a Space: each public endpoint's parameters and returns, with JSON Schemas. */
export function apiInfo(space: Space) {
  const named: Record<string, unknown> = {};
  for (const endpoint of space.endpoints) {
    if (endpoint.visibility === "public") named[`/${endpoint.apiName}`] = endpointInfo(endpoint);
  }
  return { named_endpoints: named, unnamed_endpoints: {} };
}

function endpointInfo(endpoint: Endpoint) {
  const names = parameterNames(endpoint.inputs.map((input) => input.props.label));
  return {
    parameters: endpoint.inputs.map((input, i) => {
      const value = (input.props as { value?: unknown }).value;
      // The first example row shows a realistic value; a file example is a path, not a FileData.
      const example = isFileInput(input) ? undefined : endpoint.examples?.[0]?.[i];
      return {
        label: input.props.label ?? `Input ${i + 1}`,
        parameter_name: names[i],
        parameter_has_default: value !== undefined,
        parameter_default: value ?? null,
        type: jsonSchema(input),
        python_type: pythonType(input),
        component: displayName(input.type),
        example_input: example ?? value ?? null,
      };
    }),
    returns: endpoint.outputs.map((output, i) => ({
      label: output.props.label ?? `Output ${i + 1}`,
      type: jsonSchema(output),
      python_type: pythonType(output),
      component: displayName(output.type),
    })),
    api_visibility: endpoint.visibility,
    description: "",
  };
}

/** The JSON Schema of a component's wire value (checks it cannot express, like uniqueness, are left out). */
export function jsonSchema(component: AnyComponent): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = toJsonSchema(component.schema, { errorMode: "ignore" });
  return schema as Record<string, unknown>;
}

function pythonType(component: AnyComponent): { type: string; description: string } {
  const types: Record<string, string> = {
    textbox: "str",
    markdown: "str",
    number: "float",
    slider: "float",
    checkbox: "bool",
    checkboxgroup: "list[str]",
    radio: "str",
    dropdown: "str",
    label: "dict",
    json: "dict | list | str | float | bool | None",
    highlightedtext: "list[dict]",
    image: "filepath",
    audio: "filepath",
    file: "filepath",
    annotatedimage: "dict",
    gallery: "list[dict]",
  };
  return { type: types[component.type] ?? "Any", description: "" };
}
