import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import express from "express";
import { apiInfo, callable, withStateSlots } from "../api-info.js";
import { isFileData } from "../components/file-data.js";
import type { Caller } from "../context.js";
import type { Runner } from "../engine/engine.js";
import { nestedTooDeep, TOO_DEEP } from "../limits.js";
import type { ServerMessage } from "../protocol.js";
import type { Endpoint, Space } from "../space.js";
import { publicRoot, UNBUFFERED } from "./public-url.js";

/** Options of {@link gradioApi}. */
export interface GradioApiOptions {
  /** Largest JSON body, in bytes. */
  maxBodyBytes: number;
  /** Between heartbeats on open streams, in ms (default 15 s). */
  heartbeatMs?: number;
  /** How long an idle session stream stays open before `close_stream`, in ms (default 1 s). */
  idleCloseMs?: number;
  /**
   * How long a session may go without an open `/queue/data` stream before it expires, in ms
   * (default 60 s): its jobs are cancelled, its unread results and its files dropped.
   */
  sessionIdleMs?: number;
  /** Most sessions at once (default 5,000); past it new ones get 503. */
  maxSessions?: number;
  /** Most unread results and running jobs of one session (default 256); past it joins get 429. */
  maxPendingPerSession?: number;
  /**
   * Most bytes of unread results held over all sessions (default 256 MiB); past it, joins from
   * sessions without an open stream get 503 until results are read or expire.
   */
  maxUnreadBytes?: number;
  /** How long a `/call` result waits for its reader, in ms (default 60 s), before it is cancelled. */
  callReadTimeoutMs?: number;
  /** Who sent a request (sign-in), passed to `fn` as `ctx.user`. */
  identify?: (request: Request) => Caller | undefined;
  /** Keeps a session's files while it lives, and deletes them when it expires. */
  files?: { hold(owner: string): void; release(owner: string): void; drop(owner: string): void };
  /**
   * Where session streams live when replicas share a queue (Redis): a `queue/join` on one
   * replica and its `queue/data` stream on another both work, with no sticky sessions.
   */
  relay?: SessionRelay;
}

/**
 * A session's stream kept outside this process, so any replica can serve it: lines are stored in
 * order and read (once) by whichever replica holds the session's `queue/data` stream.
 */
export interface SessionRelay {
  /** Stores a line of the session's stream. */
  push(session: string, line: string): void;
  /** Marks an event of the session as waiting for its result (or, `false`, done); resolves once stored. */
  pending(session: string, eventId: string, waiting: boolean): Promise<void>;
  /** How many events of the session wait for results, over all replicas. */
  pendingCount(session: string): Promise<number>;
  /** Whether any replica knows the session. */
  exists(session: string): Promise<boolean>;
  /** Writes the session's stored lines, and those to come, to `write`, each once; returns the function that stops. */
  follow(session: string, write: (line: string) => void): () => void;
}

type SseMessage = Record<string, unknown>;

/** One `session_hash` of a Gradio client: its pending events and its SSE stream. */
class Session {
  readonly pending = new Set<string>();
  /** When the session last had a stream open or a join (ms since the epoch). */
  lastActive = Date.now();
  /** Bytes of results held for this session while no stream is open. */
  bufferedBytes = 0;
  readonly #buffer: string[] = [];
  /** Events with messages in the buffer. */
  readonly #bufferedEvents = new Set<string>();
  readonly #lastData = new Map<string, unknown[]>();
  #stream: Response | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly id: string,
    readonly base: string,
    readonly options: Required<Pick<GradioApiOptions, "heartbeatMs" | "idleCloseMs">>,
    readonly onClosed: (session: Session) => void,
    /** Told how many bytes of unread results this session added (or, negative, gave up). */
    readonly onBuffered: (bytes: number) => void,
    readonly relay?: SessionRelay,
  ) {}

  #unfollow: (() => void) | undefined;

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

  /** Whether a `/queue/data` stream is open. */
  get streaming(): boolean {
    return this.#stream !== undefined;
  }

  /** Events waiting for the caller: running jobs plus results not yet read. */
  get backlog(): number {
    let count = this.pending.size;
    for (const id of this.#bufferedEvents) if (!this.pending.has(id)) count++;
    return count;
  }

  /** Attaches the SSE response of `GET /queue/data` and flushes what waited for it. */
  open(response: Response): void {
    this.#stream?.end();
    this.#stream = response;
    this.lastActive = Date.now();
    response.on("error", () => {});
    response.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
      ...UNBUFFERED,
    });
    response.flushHeaders();
    this.#unfollow?.();
    this.#unfollow = this.relay?.follow(this.id, (line) => {
      writeTo(response, line);
      if (line.includes('"process_completed"')) this.#scheduleIdleClose();
    });
    for (const line of this.#buffer.splice(0)) {
      writeTo(response, line);
      this.onBuffered(-line.length);
    }
    this.bufferedBytes = 0;
    this.#bufferedEvents.clear();
    clearInterval(this.#heartbeat);
    const heartbeat = setInterval(
      () => writeTo(response, `data: ${JSON.stringify({ msg: "heartbeat" })}\n\n`),
      this.options.heartbeatMs,
    );
    this.#heartbeat = heartbeat;
    response.on("close", () => {
      // Each stream's own timer goes with it, even when a newer stream replaced it.
      clearInterval(heartbeat);
      if (this.#stream !== response) return;
      this.#stream = undefined;
      this.#unfollow?.();
      this.#unfollow = undefined;
      this.lastActive = Date.now();
      clearInterval(this.#heartbeat);
      this.onClosed(this);
    });
    this.#scheduleIdleClose();
  }

  #write(message: SseMessage): void {
    const line = `data: ${JSON.stringify(message)}\n\n`;
    if (this.relay) this.relay.push(this.id, line);
    else if (this.#stream) writeTo(this.#stream, line);
    else {
      this.#buffer.push(line);
      this.bufferedBytes += line.length;
      this.onBuffered(line.length);
      if (typeof message.event_id === "string") this.#bufferedEvents.add(message.event_id);
    }
  }

  #settle(eventId: string): void {
    this.pending.delete(eventId);
    void this.relay?.pending(this.id, eventId, false).catch(() => {});
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
    this.#idleTimer = setTimeout(async () => {
      // With a relay, the session's events may wait on other replicas.
      const elsewhere = this.relay ? await this.relay.pendingCount(this.id).catch(() => 0) : 0;
      if (this.pending.size > 0 || !this.#stream) return;
      if (elsewhere > 0) return this.#scheduleIdleClose();
      const stream = this.#stream;
      writeTo(stream, CLOSE_STREAM);
      this.#stream = undefined;
      this.#unfollow?.();
      this.#unfollow = undefined;
      clearInterval(this.#heartbeat);
      stream.end();
      this.onClosed(this);
    }, this.options.idleCloseMs);
  }

  /**
   * Ends the session's stream (the server is closing or the session expired): with `close_stream`
   * when no event waits, as after an idle while, so a client takes it as the stream's end, not a
   * lost connection.
   */
  close(): void {
    this.#unfollow?.();
    this.#unfollow = undefined;
    clearTimeout(this.#idleTimer);
    clearInterval(this.#heartbeat);
    if (this.#stream && this.pending.size === 0) writeTo(this.#stream, CLOSE_STREAM);
    this.#stream?.end();
    this.#stream = undefined;
    for (const line of this.#buffer.splice(0)) this.onBuffered(-line.length);
    this.bufferedBytes = 0;
    this.#bufferedEvents.clear();
    this.#lastData.clear();
  }
}

/** Most bytes queued for a client that does not read its stream; past it the stream is cut. */
const MAX_UNSENT_BYTES = 8 * 1024 * 1024;

/** The message that ends a session's stream when no event waits. */
const CLOSE_STREAM = `data: ${JSON.stringify({ msg: "close_stream", event_id: null })}\n\n`;

/**
 * Writes to a stream that may have closed meanwhile (a write after the end must not throw). A
 * reader that lets more than {@link MAX_UNSENT_BYTES} pile up is cut off, so it cannot make the
 * server hold its results in memory.
 */
function writeTo(response: Response, text: string): void {
  if (response.writableEnded || response.destroyed) return;
  if (response.writableLength > MAX_UNSENT_BYTES) {
    response.destroy();
    return;
  }
  response.write(text);
}

/** A curl-API event (`/call/{api_name}`): the messages so far, for one reader. */
interface CallEvent {
  lines: string[];
  done: boolean;
  reader?: Response;
  /** Cancels the call when nobody came to read it in time. */
  unread?: ReturnType<typeof setTimeout>;
}

/**
 * Gradio's HTTP API on the engine, so `@gradio/client`, `gradio_client` and curl can call a
 * Space: `/info`, `/queue/join` + `/queue/data` (SSE), `/run/{api_name}`, `/call/{api_name}`,
 * `/cancel`. Uploads and `/file=` are served by the file routes.
 */
export function gradioApi(
  space: Space,
  engine: Runner,
  options: GradioApiOptions,
): {
  router: express.Router;
  /**
   * `POST /queue/join` (every Gradio client's call) on its own, body read and all: the server
   * (`serve`) takes it in front of Express, through the same checks, and hands it here.
   */
  join: express.RequestHandler;
  readonly sessions: number;
  close(): void;
} {
  const router = express.Router();
  const json = jsonBody(options.maxBodyBytes);
  const sessions = new Map<string, Session>();
  const calls = new Map<string, CallEvent>();
  const timing = { heartbeatMs: options.heartbeatMs ?? 15_000, idleCloseMs: options.idleCloseMs ?? 1000 };
  const sessionIdleMs = options.sessionIdleMs ?? 60_000;
  const maxSessions = options.maxSessions ?? 5000;
  const maxPending = options.maxPendingPerSession ?? 256;
  const callReadTimeoutMs = options.callReadTimeoutMs ?? 60_000;
  const maxUnreadBytes = options.maxUnreadBytes ?? 256 * 1024 * 1024;
  /** Bytes of results held for sessions without a stream, over all sessions. */
  let unreadBytes = 0;
  const identify = options.identify ?? (() => undefined);
  const info = apiInfo(space.endpoints);
  const endSession = (session: Session) => {
    if (sessions.get(session.id) !== session) return;
    sessions.delete(session.id);
    engine.endSession(`gradio:${session.id}`);
    session.close();
    options.files?.release(`session:gradio:${session.id}`);
    options.files?.drop(`session:gradio:${session.id}`);
  };
  /**
   * Ends the session without a stream that ranks lowest by `rank` (never `keep`, nor one ranked
   * NaN); false when there is none.
   */
  const evict = (rank: (session: Session) => number, keep?: Session): boolean => {
    let victim: Session | undefined;
    for (const candidate of sessions.values()) {
      if (alive(candidate) || candidate === keep || Number.isNaN(rank(candidate))) continue;
      if (!victim || rank(candidate) < rank(victim)) victim = candidate;
    }
    if (victim) endSession(victim);
    return victim !== undefined;
  };
  const newSession = (id: string, base: string) =>
    new Session(
      id,
      base,
      timing,
      (closed) => {
        // The stream closed: the client went away unless it comes back before the session expires.
        if (closed.pending.size > 0) endSession(closed);
      },
      (bytes) => {
        unreadBytes += bytes;
      },
      options.relay,
    );
  /** Open `/heartbeat` streams, by session: a client holding one keeps its session (and State). */
  const heartbeats = new Map<string, Set<Response>>();
  // With a relay the stream may be open on another replica: a session waiting for results lives.
  const alive = (session: Session) =>
    session.streaming ||
    heartbeats.has(session.id) ||
    (options.relay !== undefined && session.pending.size > 0);
  // Sessions whose client went away (no stream for a while) expire with their results and files.
  const sweeper = setInterval(
    () => {
      const now = Date.now();
      for (const session of sessions.values()) {
        if (!alive(session) && now - session.lastActive > sessionIdleMs) endSession(session);
      }
    },
    Math.min(sessionIdleMs, 10_000),
  );
  sweeper.unref();

  router.get("/info", (_request, response) => {
    response.json(info);
  });

  const joinQueue = async (request: Request, response: Response): Promise<void> => {
    const body = request.body as
      | { data?: unknown; fn_index?: unknown; session_hash?: unknown; event_data?: unknown }
      | undefined;
    if (!body || typeof body !== "object" || Array.isArray(body)) {
      response.status(400).json({ detail: "Send a JSON object: { data, fn_index, session_hash }." });
      return;
    }
    const sessionHash = body.session_hash;
    if (typeof sessionHash !== "string" || sessionHash === "" || sessionHash.length > 128) {
      response.status(400).json({ detail: "session_hash is required: a string of at most 128 characters." });
      return;
    }
    const key = body.fn_index;
    const target = space.endpoint(typeof key === "number" || typeof key === "string" ? key : 0);
    if (target && !callable(target)) {
      response.status(403).json({ detail: `The endpoint "${target.apiName}" is not open to the API.` });
      return;
    }
    let session = sessions.get(sessionHash);
    // A new session is kept only once its first join is accepted: refused joins take no slot.
    const fresh = !session;
    if (!session) {
      // A full table makes room by ending the longest-idle session without a stream (a client
      // that went away), so nobody can lock new clients out by opening sessions.
      if (sessions.size >= maxSessions && !evict((candidate) => candidate.lastActive)) {
        response
          .status(503)
          .json({ detail: "The server has too many open sessions. Please try again in a minute." });
        return;
      }
      session = newSession(sessionHash, baseUrl(request));
    }
    // Over the budget of unread results, the sessions holding most give way (their clients
    // stopped reading); a client that reads is never refused for someone else's backlog.
    while (
      unreadBytes >= maxUnreadBytes &&
      evict((candidate) => (candidate.bufferedBytes > 0 ? -candidate.bufferedBytes : Number.NaN), session)
    ) {}
    if (unreadBytes >= maxUnreadBytes && !session.streaming && session.bufferedBytes > 0) {
      response.status(503).json({
        detail: "The server holds too many results nobody has read yet. Read this session's results first.",
      });
      return;
    }
    session.lastActive = Date.now();
    if (session.backlog >= maxPending) {
      response.status(429).json({
        detail: `This session has ${session.backlog} results waiting to be read. Read them from /queue/data before joining again.`,
      });
      return;
    }
    const eventId = randomUUID().replace(/-/g, "");
    const joined = session;
    joined.pending.add(eventId);
    const refusal = submit(
      engine,
      `gradio:${sessionHash}`,
      eventId,
      body.fn_index,
      fullData(target, body.data),
      (message) => joined.deliver(eventId, message),
      identify(request),
      body.event_data,
    );
    if (refusal) {
      joined.pending.delete(eventId);
      if (/queue is full|shutting down/i.test(refusal)) response.status(503).json({ detail: refusal });
      else response.status(422).json({ detail: [{ is_valid: false, message: refusal }] });
      return;
    }
    if (fresh) {
      sessions.set(sessionHash, joined);
      options.files?.hold(`session:gradio:${sessionHash}`);
    }
    // Another replica may serve this session's stream: it must know the event waits before the
    // client, told the event id, opens the stream there.
    if (options.relay) {
      const stored = await options.relay.pending(sessionHash, eventId, true).then(
        () => true,
        () => false,
      );
      if (!stored) {
        engine.cancel(`gradio:${sessionHash}`, eventId);
        response
          .status(503)
          .json({ detail: "The queue (Redis) cannot be reached right now. Try again in a moment." });
        return;
      }
    }
    // Every call takes this answer: written as it is (Express's `json` also hashes it for an ETag,
    // which an answer to a POST never uses).
    response.setHeader("Content-Type", "application/json; charset=utf-8");
    response.end(`{"event_id":"${eventId}"}`);
  };
  router.post("/queue/join", json, joinQueue);

  router.get("/queue/data", async (request, response) => {
    const hash = String(request.query.session_hash ?? "");
    let session = sessions.get(hash);
    // Joined on another replica: this one serves the stream from the relay.
    if (!session && options.relay && hash.length <= 128 && (await options.relay.exists(hash))) {
      session = sessions.get(hash) ?? newSession(hash, baseUrl(request));
      sessions.set(hash, session);
    }
    if (!session) {
      response
        .status(404)
        .json({ detail: "Session not found: it expired or never joined. Join the queue first." });
      return;
    }
    session.open(response);
  });

  router.post("/cancel", json, (request, response) => {
    const { event_id: eventId, session_hash: sessionHash } = (request.body ?? {}) as Record<string, unknown>;
    if (typeof eventId !== "string" || typeof sessionHash !== "string") {
      response.status(400).json({ detail: "Send { event_id, session_hash } as strings." });
      return;
    }
    const cancelled = engine.cancel(`gradio:${sessionHash}`, eventId);
    response.json({ success: cancelled });
  });

  // `@gradio/client` holds this open while connected to a Space whose config asks for it
  // (`connect_heartbeat`): the session lives as long as its client, between calls too.
  router.get("/heartbeat/:sessionHash", (request, response) => {
    const sessionHash = String(request.params.sessionHash);
    const open = heartbeats.get(sessionHash) ?? new Set<Response>();
    if (sessionHash.length > 128 || open.size >= 4) {
      response.status(429).json({ detail: "Too many heartbeat streams for this session." });
      return;
    }
    if (open.size === 0 && heartbeats.size >= maxSessions) {
      response
        .status(503)
        .json({ detail: "The server has too many open sessions. Please try again in a minute." });
      return;
    }
    open.add(response);
    heartbeats.set(sessionHash, open);
    response.on("error", () => {});
    response.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      ...UNBUFFERED,
    });
    response.flushHeaders();
    writeTo(response, "data: ALIVE\n\n");
    const beat = setInterval(() => writeTo(response, "data: ALIVE\n\n"), timing.heartbeatMs);
    response.on("close", () => {
      clearInterval(beat);
      open.delete(response);
      if (open.size > 0) return;
      heartbeats.delete(sessionHash);
      // The client left: its session expires like one whose stream closed.
      const session = sessions.get(sessionHash);
      if (session) session.lastActive = Date.now();
    });
  });

  router.post("/reset", (_request, response) => {
    response.json({ success: true });
  });

  router.post("/run/:apiName", json, (request, response) => {
    const endpoint = space.endpoint(String(request.params.apiName));
    const { data, event_data: eventData } = (request.body ?? {}) as { data?: unknown; event_data?: unknown };
    if (!endpoint || !callable(endpoint)) {
      response
        .status(404)
        .json({ error: `No endpoint named "${request.params.apiName}". See /gradio_api/info.` });
      return;
    }
    const eventId = randomUUID();
    const session = `run:${eventId}`;
    let answered = false;
    const refusal = submit(
      engine,
      session,
      eventId,
      endpoint.index,
      fullData(endpoint, data),
      oneShot(engine, session, (message) => {
        if (answered) return;
        if (message.type === "complete") {
          answered = true;
          response.json({
            data: withAbsoluteUrls(message.data, baseUrl(request)),
            duration: message.duration,
          });
        } else if (message.type === "error" || message.type === "cancelled") {
          answered = true;
          response
            .status(message.type === "error" ? 500 : 499)
            .json({ error: message.type === "error" ? message.message : "Cancelled" });
        }
      }),
      identify(request),
      eventData,
    );
    if (refusal) {
      answered = true;
      response.status(/queue is full|shutting down/i.test(refusal) ? 503 : 422).json({ error: refusal });
      return;
    }
    // The caller hung up: stop its job and free the slot.
    response.on("close", () => {
      if (!answered) engine.cancel(session, eventId);
    });
  });

  router.post("/call/:apiName", json, (request, response) => {
    const endpoint = space.endpoint(String(request.params.apiName));
    if (!endpoint || !callable(endpoint)) {
      response
        .status(404)
        .json({ error: `No endpoint named "${request.params.apiName}". See /gradio_api/info.` });
      return;
    }
    const body = (request.body ?? {}) as { data?: unknown; event_data?: unknown };
    const eventId = randomUUID().replace(/-/g, "");
    const session = `call:${eventId}`;
    const event: CallEvent = { lines: [], done: false };
    const base = baseUrl(request);
    const push = (line: string, done = false) => {
      // A late reader needs only the latest partial result, not every one before it.
      const last = event.lines.length - 1;
      if (!done && event.lines[last]?.startsWith("event: generating")) event.lines[last] = line;
      else event.lines.push(line);
      event.done ||= done;
      if (event.reader) writeTo(event.reader, line);
      if (!done) return;
      clearTimeout(event.unread);
      if (event.reader) {
        // Read to the end: nothing more to keep.
        event.reader.end();
        calls.delete(eventId);
      } else {
        // Kept a while for a reader that has not come yet.
        event.unread = setTimeout(() => calls.delete(eventId), callReadTimeoutMs);
        event.unread.unref();
      }
    };
    const refusal = submit(
      engine,
      session,
      eventId,
      endpoint.index,
      fullData(endpoint, body.data),
      oneShot(engine, session, (message) => {
        if (message.type === "partial")
          push(`event: generating\ndata: ${JSON.stringify(withAbsoluteUrls(message.data, base))}\n\n`);
        else if (message.type === "complete")
          push(`event: complete\ndata: ${JSON.stringify(withAbsoluteUrls(message.data, base))}\n\n`, true);
        else if (message.type === "error")
          push(`event: error\ndata: ${JSON.stringify(message.message)}\n\n`, true);
        else if (message.type === "cancelled")
          push(`event: error\ndata: ${JSON.stringify("Cancelled")}\n\n`, true);
      }),
      identify(request),
      body.event_data,
    );
    if (refusal) {
      response.status(/queue is full|shutting down/i.test(refusal) ? 503 : 422).json({ error: refusal });
      return;
    }
    if (!event.done) {
      event.unread = setTimeout(() => {
        if (!event.reader) engine.cancel(session, eventId);
      }, callReadTimeoutMs);
      event.unread.unref();
    }
    remember(calls, eventId, event);
    response.json({ event_id: eventId });
  });

  router.get("/call/:apiName/:eventId", (request, response) => {
    const eventId = String(request.params.eventId);
    const event = calls.get(eventId);
    if (!event) {
      response
        .status(404)
        .json({ error: "Unknown event id: start a call with POST first (results are kept for a while)." });
      return;
    }
    response.on("error", () => {});
    response.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      ...UNBUFFERED,
    });
    response.flushHeaders();
    for (const line of event.lines) writeTo(response, line);
    if (event.done) {
      response.end();
      clearTimeout(event.unread);
      calls.delete(eventId);
      return;
    }
    clearTimeout(event.unread);
    event.reader?.end();
    event.reader = response;
    const heartbeat = setInterval(
      () => writeTo(response, "event: heartbeat\ndata: null\n\n"),
      timing.heartbeatMs,
    );
    response.on("close", () => {
      clearInterval(heartbeat);
      if (event.reader !== response) return;
      event.reader = undefined;
      // The reader hung up before the end: stop the job.
      if (!event.done) engine.cancel(`call:${eventId}`, eventId);
    });
  });

  return {
    router,
    join: (request, response, next) =>
      json(request, response, (error?: unknown) =>
        error ? next(error) : void joinQueue(request, response).catch(next),
      ),
    /** Sessions alive now. */
    get sessions() {
      return sessions.size;
    },
    /** Ends every session stream (on shutdown). */
    close() {
      clearInterval(sweeper);
      for (const open of heartbeats.values()) for (const stream of open) stream.end();
      heartbeats.clear();
      for (const session of sessions.values()) session.close();
      sessions.clear();
      for (const event of calls.values()) clearTimeout(event.unread);
    },
  };
}

/**
 * The handler of a session made for one call (`/run`, `/call`, an MCP tool call): once its job
 * settles and the engine let go of it, the session ends, with any State it made.
 */
export function oneShot(
  engine: Runner,
  session: string,
  onMessage: (message: ServerMessage) => void,
): (message: ServerMessage) => void {
  return (message) => {
    onMessage(message);
    if (message.type === "complete" || message.type === "error" || message.type === "cancelled")
      setImmediate(() => engine.endSession(session));
  };
}

/** A call's data with `null` in the State slots a caller left out (see {@link withStateSlots}). */
function fullData(endpoint: Endpoint | undefined, data: unknown): unknown {
  return endpoint && Array.isArray(data) ? withStateSlots(endpoint, data) : data;
}

/** Submits and returns the refusal message when the engine refused at once (bad input, full queue). */
function submit(
  engine: Runner,
  session: string,
  id: string,
  endpoint: unknown,
  data: unknown,
  onMessage: (message: ServerMessage) => void,
  caller: Caller | undefined,
  eventData: unknown,
): string | undefined {
  if (!Array.isArray(data)) return "`data` must be a list with one value per input.";
  const refusal = engine.submit(
    session,
    {
      id,
      endpoint: typeof endpoint === "number" || typeof endpoint === "string" ? endpoint : 0,
      data,
      eventData,
    },
    onMessage,
    caller,
  );
  return refusal?.message;
}

/**
 * `express.json` that also refuses values nested too deep (checked before anything walks them).
 * Its errors go to the server's error handler, which answers JSON without a stack.
 */
function jsonBody(limit: number): express.RequestHandler {
  const parse = express.json({ limit });
  return (request, response, next) => {
    const parsed = (error?: unknown) => {
      if (error) return next(error);
      if (nestedTooDeep(request.body)) {
        response
          .status(400)
          .json({ error: `Invalid body: ${TOO_DEEP}.`, detail: `Invalid body: ${TOO_DEEP}.` });
        return;
      }
      next();
    };
    // Every call of a client sends this kind of body: read it directly (body-parser's machinery
    // cost each call as much as the rest of the join); anything else goes through express.json.
    if (plainJson(request, limit)) readJson(request, parsed);
    else parse(request, response, parsed);
  };
}

const JSON_TYPE = /^application\/json\s*(?:;\s*charset="?utf-8"?\s*)?$/i;

/** True for the common body: unencoded UTF-8 JSON of a stated length within the limit. */
function plainJson(request: Request, limit: number): boolean {
  const { headers } = request;
  if (headers["content-encoding"] !== undefined || headers["transfer-encoding"] !== undefined) return false;
  const length = headers["content-length"];
  return (
    length !== undefined &&
    /^\d{1,10}$/.test(length) &&
    Number(length) <= limit &&
    JSON_TYPE.test(headers["content-type"] ?? "")
  );
}

/** Decodes UTF-8 as body-parser does: a leading byte order mark is dropped. */
const utf8 = new TextDecoder();

/**
 * Reads a body {@link plainJson} accepted into `request.body` as `express.json` would (strict: an
 * object or a list; an empty body is `{}`), failing with the same error types for the error
 * handler (`entity.parse.failed` with the text, `request.aborted`).
 */
function readJson(request: Request, done: (error?: unknown) => void): void {
  const chunks: Buffer[] = [];
  let settled = false;
  const settle = (error?: unknown) => {
    if (settled) return;
    settled = true;
    done(error);
  };
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("error", () =>
    settle(Object.assign(new Error("request aborted"), { status: 400, type: "request.aborted" })),
  );
  request.on("close", () => {
    if (!request.complete)
      settle(Object.assign(new Error("request aborted"), { status: 400, type: "request.aborted" }));
  });
  request.on("end", () => {
    const text = utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    if (text.length === 0) {
      request.body = {};
      return settle();
    }
    const first = /^[ \t\n\r]*(.)/.exec(text)?.[1];
    const failed = () =>
      Object.assign(new SyntaxError("The request body is not valid JSON."), {
        status: 400,
        type: "entity.parse.failed",
        body: text,
      });
    if (first !== "{" && first !== "[") return settle(failed());
    try {
      request.body = JSON.parse(text);
    } catch {
      return settle(failed());
    }
    settle();
  });
}

function remember(calls: Map<string, CallEvent>, id: string, event: CallEvent): void {
  calls.set(id, event);
  // Keep the last 2,000 results, as Gradio does.
  if (calls.size > 2000) calls.delete(calls.keys().next().value as string);
}

/**
 * Where the client reached the app (its public root, behind a proxy with its path), for absolute
 * file URLs; the host was checked before any route.
 */
function baseUrl(request: Request): string {
  return publicRoot(request);
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
