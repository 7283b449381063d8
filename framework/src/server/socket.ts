import { validate } from "../components/component.js";
import type { Engine } from "../engine/engine.js";
import type { Send } from "../protocol.js";
import { clientMessageSchema } from "../protocol.js";

/** Hooks for one WebSocket connection, testable without a socket. */
export interface SocketHooks {
  /** A text or binary frame arrived from the client. */
  onMessage(data: Uint8Array, isBinary: boolean): void;
  /** The connection closed: its jobs are cancelled. */
  onClose(): void;
}

/**
 * The native protocol over one connection: validates each message, then hands it to the engine.
 * A bad message gets an `error` naming the problem; the connection stays usable.
 */
export function socketHooks(
  engine: Engine,
  session: string,
  send: Send,
  maxMessageBytes: number,
): SocketHooks {
  const fail = (message: string, id: string | null = null) => send({ type: "error", id, message });
  return {
    onMessage(data, isBinary) {
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
      const result = validate(clientMessageSchema, parsed);
      if (!result.success) {
        const id = (parsed as { id?: unknown } | null)?.id;
        return fail(`Invalid message: ${result.error}.`, typeof id === "string" ? id : null);
      }
      const message = result.data;
      if (message.type === "predict") {
        engine.submit(session, message, send);
      } else if (!engine.cancel(session, message.id)) {
        fail(`Nothing to cancel: job "${message.id}" is not queued or running.`, message.id);
      }
    },
    onClose() {
      engine.cancelSession(session);
    },
  };
}
