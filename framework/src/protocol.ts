import { z } from "./schema.js";

/** Longest job id a client may choose. */
const jobId = z.string({ error: "`id` must be a string" }).check(z.minLength(1), z.maxLength(64));

/** Client → server: run an endpoint. `endpoint` is its index or `api_name`. */
const predictMessage = z.object({
  type: z.literal("predict"),
  id: jobId,
  endpoint: z._default(z.union([z.int().check(z.gte(0)), z.string()]), 0),
  data: z.array(z.unknown(), { error: "`data` must be a list with one value per input" }),
});

/** Client → server: cancel a job (queued or running). */
const cancelMessage = z.object({ type: z.literal("cancel"), id: jobId });

/** Validates every message a client sends. */
export const clientMessageSchema = z.discriminatedUnion("type", [predictMessage, cancelMessage], {
  error: (issue) =>
    issue.code === "invalid_union"
      ? 'unknown message type: expected "predict" or "cancel"'
      : "a message must be a JSON object with a `type`",
});

/** A message from a client (page, typed client) to the engine. */
export type ClientMessage = z.infer<typeof clientMessageSchema>;
/** Asks the engine to run an endpoint. */
export type PredictMessage = z.infer<typeof predictMessage>;

/** Loading state of the Space's models, for the page's progress indicator. */
export type ModelState = "idle" | "loading" | "ready" | "error";

/**
 * A message from the engine to a client. Status messages are throttled: `queued` arrives
 * within ~100 ms of waiting and then on position changes; `started` is skipped for a job that
 * completes before the next turn of the event loop. Each job ends with exactly one of
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
