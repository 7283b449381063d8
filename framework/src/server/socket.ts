import { validate } from "../components/component.js";
import type { Caller } from "../context.js";
import type { Engine } from "../engine/engine.js";
import { nestedTooDeep, TOO_DEEP } from "../limits.js";
import type { Send, ServerMessage } from "../protocol.js";
import { clientMessageSchema } from "../protocol.js";

/** Hooks for one WebSocket connection, testable without a socket. */
export interface SocketHooks {
  /** A text or binary frame arrived from the client. */
  onMessage(data: Uint8Array, isBinary: boolean): void;
  /** The connection closed: its jobs are cancelled. */
  onClose(): void;
}

/** Options of {@link socketHooks}. */
export interface SocketOptions {
  maxMessageBytes: number;
  /** Who is connected (sign-in), passed to `fn` as `ctx.user`. */
  caller?: Caller;
  /** Logs a failure of our own code, so one bad message never ends the process. */
  logError?: (message: string, error: unknown) => void;
}

/** The shortest time between two partial results of a job over a WebSocket: a frame. */
export const PARTIAL_INTERVAL_MS = 16;

/**
 * Sends a job's partial results at most once per {@link PARTIAL_INTERVAL_MS}: one that comes
 * sooner waits, and a later one replaces it. Each partial is the whole result so far, so the
 * client misses nothing it could have shown: a page renders once a frame anyway, and a
 * generator yielding a token at a time costs a message a frame rather than one a token. The
 * first partial goes at once. Any other message of the job (progress, completion, error) sends
 * its waiting partial first, so the order stays.
 */
export function coalescePartials(send: Send, intervalMs = PARTIAL_INTERVAL_MS): Send {
  const jobs = new Map<
    string,
    { sentAt: number; waiting?: ServerMessage; timer?: ReturnType<typeof setTimeout> }
  >();
  const flush = (id: string) => {
    const job = jobs.get(id);
    if (!job?.waiting) return;
    clearTimeout(job.timer);
    const message = job.waiting;
    job.waiting = job.timer = undefined;
    job.sentAt = performance.now();
    send(message);
  };
  return (message) => {
    const id = "id" in message ? message.id : null;
    if (id === null) return send(message);
    if (message.type !== "partial") {
      flush(id);
      if (message.type === "complete" || message.type === "error" || message.type === "cancelled")
        jobs.delete(id);
      return send(message);
    }
    const job = jobs.get(id);
    const now = performance.now();
    if (!job || (!job.waiting && now - job.sentAt >= intervalMs)) {
      jobs.set(id, { sentAt: now });
      return send(message);
    }
    job.waiting = message;
    job.timer ??= setTimeout(() => flush(id), Math.max(0, job.sentAt + intervalMs - now));
  };
}

/**
 * The native protocol over one connection: validates each message, then hands it to the engine.
 * A bad message gets an `error` naming the problem; the connection stays usable.
 */
export function socketHooks(
  engine: Engine,
  session: string,
  send: Send,
  options: SocketOptions,
): SocketHooks {
  const { maxMessageBytes, caller } = options;
  const sendResults = coalescePartials(send);
  const fail = (message: string, id: string | null = null, field?: number) =>
    send({ type: "error", id, message, ...(field === undefined ? {} : { field }) });
  const handle = (data: Uint8Array, isBinary: boolean) => {
    const size = data.byteLength;
    if (size > maxMessageBytes) {
      return fail(
        `Message too large: ${size} bytes, the limit is ${maxMessageBytes}. Send files through the upload endpoint.`,
      );
    }
    if (isBinary) return fail("Expected a JSON text message, got binary data.");
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(data));
    } catch {
      return fail("Malformed message: it is not valid JSON.");
    }
    const id = (parsed as { id?: unknown } | null)?.id;
    const shownId = typeof id === "string" && id.length <= 128 ? id : null;
    if (nestedTooDeep(parsed)) return fail(`Invalid message: ${TOO_DEEP}.`, shownId);
    const result = validate(clientMessageSchema, parsed);
    if (!result.success) return fail(`Invalid message: ${result.error}.`, shownId);
    const message = result.data;
    if (message.type === "predict") {
      const refusal = engine.submit(session, message, sendResults, caller);
      if (refusal) fail(refusal.message, message.id, refusal.field);
    } else if (!engine.cancel(session, message.id)) {
      fail(`Nothing to cancel: job "${message.id}" is not queued or running.`, message.id);
    }
  };
  return {
    onMessage(data, isBinary) {
      try {
        handle(data, isBinary);
      } catch (error) {
        (options.logError ?? console.error)("[spacecraft] a WebSocket message could not be handled:", error);
        fail("The server could not handle this message. It is logged; please try again.");
      }
    },
    onClose() {
      engine.cancelSession(session);
    },
  };
}
