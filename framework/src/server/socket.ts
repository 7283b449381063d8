import { validate } from "../components/component.js";
import type { Caller } from "../context.js";
import type { Runner } from "../engine/engine.js";
import { nestedTooDeep, TOO_DEEP } from "../limits.js";
import type { PredictMessage, Send } from "../protocol.js";
import { clientMessageSchema, PARTIAL_INTERVAL_MS, wellFormedMessage } from "../protocol.js";

/** One decoder for every frame (non-streaming, so sharing it is safe). */
const utf8 = new TextDecoder();

/** A page renders once a frame: partial results go at most that often. */
const SUBMIT_OPTIONS = { partialIntervalMs: PARTIAL_INTERVAL_MS };

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
  /** The Send each predict gets, from the one the connection has (flagging keeps what a run took and gave). */
  watch?: (request: PredictMessage, send: Send) => Send;
}

/**
 * The native protocol over one connection: validates each message, then hands it to the engine.
 * A bad message gets an `error` naming the problem; the connection stays usable.
 */
export function socketHooks(
  engine: Runner,
  session: string,
  send: Send,
  options: SocketOptions,
): SocketHooks {
  const { maxMessageBytes, caller } = options;
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
      parsed = JSON.parse(utf8.decode(data));
    } catch {
      return fail("Malformed message: it is not valid JSON.");
    }
    const id = (parsed as { id?: unknown } | null)?.id;
    const shownId = typeof id === "string" && id.length <= 128 ? id : null;
    if (nestedTooDeep(parsed)) return fail(`Invalid message: ${TOO_DEEP}.`, shownId);
    let message = wellFormedMessage(parsed);
    if (!message) {
      const result = validate(clientMessageSchema, parsed);
      if (!result.success) return fail(`Invalid message: ${result.error}.`, shownId);
      message = result.data;
    }
    if (message.type === "predict") {
      const sendTo = options.watch ? options.watch(message, send) : send;
      const refusal = engine.submit(session, message, sendTo, caller, SUBMIT_OPTIONS);
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
