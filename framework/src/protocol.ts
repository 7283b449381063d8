import { v } from "./schema.js";

/** Longest job id a client may choose. */
const jobId = v.pipe(v.string("`id` must be a string"), v.minLength(1), v.maxLength(64));

/** Client → server: run an endpoint. `endpoint` is its index or `api_name`. */
const predictMessage = v.object({
  type: v.literal("predict"),
  id: jobId,
  endpoint: v.optional(v.union([v.pipe(v.number(), v.safeInteger(), v.minValue(0)), v.string()]), 0),
  data: v.array(v.unknown(), "`data` must be a list with one value per input"),
  /** What the event that triggered it carries (a select's `{ index, value, selected }`), checked by the engine. */
  eventData: v.optional(v.unknown()),
});

/** Client → server: cancel a job (queued or running). */
const cancelMessage = v.object({ type: v.literal("cancel"), id: jobId });

/** Validates every message a client sends. */
export const clientMessageSchema = v.variant("type", [predictMessage, cancelMessage], (issue) =>
  issue.path && issue.input !== undefined
    ? `unknown message type ${JSON.stringify(issue.input)}: expected "predict" or "cancel"`
    : "a message must be a JSON object with a `type`",
);

/**
 * The message as `clientMessageSchema` outputs it, when `parsed` is a well-formed predict or
 * cancel (what the page and the typed client send); else undefined, and the schema judges it
 * (and words the error). Checked by hand: a message costs no schema run, and a static Space's
 * worker, whose messages come only from its page, needs no schema code. Only the schema's own
 * keys are kept, as its output does.
 */
export function wellFormedMessage(parsed: unknown): ClientMessage | undefined {
  const message = parsed as Record<string, unknown> | null;
  if (typeof message !== "object" || message === null) return undefined;
  const { type, id, endpoint = 0, data, eventData } = message;
  if (typeof id !== "string" || id.length < 1 || id.length > 64) return undefined;
  if (type === "cancel") return { type, id };
  if (type !== "predict" || !Array.isArray(data)) return undefined;
  if (typeof endpoint !== "string" && !(Number.isSafeInteger(endpoint) && (endpoint as number) >= 0))
    return undefined;
  return eventData === undefined
    ? { type, id, endpoint: endpoint as string | number, data }
    : { type, id, endpoint: endpoint as string | number, data, eventData };
}

/** A message from a client (page, typed client) to the engine. */
export type ClientMessage = v.InferOutput<typeof clientMessageSchema>;
/** Asks the engine to run an endpoint. */
export type PredictMessage = v.InferOutput<typeof predictMessage>;

/** The shortest time between two partial results of a job sent over a WebSocket: a frame. */
export const PARTIAL_INTERVAL_MS = 16;

/** Loading state of the Space's models, for the page's progress indicator. */
export type ModelState = "idle" | "loading" | "ready" | "error";

/**
 * A message from the engine to a client. Status messages are throttled: `queued` arrives
 * within ~100 ms of waiting and then on position changes; `started` is skipped for a job that
 * completes before the next turn of the event loop; over a WebSocket, `partial` comes at
 * most once per {@link PARTIAL_INTERVAL_MS} (the latest: each is the whole result so
 * far). Each job ends with exactly one of
 * `complete`, `error` or `cancelled`.
 */
export type ServerMessage =
  | { type: "queued"; id: string; position: number; size: number; eta?: number }
  | { type: "started"; id: string; eta?: number }
  | { type: "progress"; id: string; value: number; total?: number; desc?: string }
  | { type: "partial"; id: string; data: unknown[] }
  | { type: "complete"; id: string; data: unknown[]; duration: number }
  | { type: "cancelled"; id: string }
  | {
      type: "error";
      id: string | null;
      message: string;
      /** The component id of the input the error is about. */
      field?: number;
    }
  | {
      type: "model";
      /** The model id, as declared in `pipeline(task, id)`. */
      model: string;
      state: ModelState;
      /** Fraction of bytes loaded, 0–1. */
      progress?: number;
      message?: string;
      info?: ModelInfo;
    };

/** What the Hub says of a model, shown under the demo. */
export interface ModelInfo {
  /** The model's page. */
  url: string;
  license?: string;
  /** Bytes of the files this Space downloads for it. */
  sizeBytes?: number;
  gated?: boolean;
}

/** Receives the engine's messages for one client. */
export type Send = (message: ServerMessage) => void;
