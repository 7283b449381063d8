import type { FileData } from "../components/file-data.js";
import type { Caller } from "../context.js";
import type { ServerMessage } from "../protocol.js";

/** A message about one job. */
export type JobMessage = Extract<ServerMessage, { id: string | null }>;

/** A running request: its id and a way to cancel it. */
export interface JobHandle {
  readonly id: string;
  cancel(): void;
}

/** A run sent before the page's transport existed (by the server page's first script). */
export interface EarlyRun {
  readonly endpoint: number;
  /** Takes the run over: `onMessage` gets all its messages, from the first (soon after, not during, this call). */
  follow(onMessage: (message: JobMessage) => void): JobHandle;
}

/** Connection state, for a status line. */
export type ConnectionState = "connecting" | "open" | "closed";

/** Carries protocol messages between a page and an engine: over a WebSocket, or to a Web Worker. */
export interface Transport {
  /**
   * Hands a file to the engine and gives its FileData. Transports without it (WebSocket)
   * upload over HTTP instead.
   */
  upload?(file: Blob, name: string): Promise<FileData>;
  /**
   * Runs an endpoint; `onMessage` receives every message about this job until it ends.
   * `eventData` is what the triggering event carries (`ctx.event`), when it carries anything.
   */
  submit(
    endpoint: number | string,
    data: unknown[],
    onMessage: (message: JobMessage) => void,
    eventData?: unknown,
  ): JobHandle;
  /**
   * Who is signed in, sent with every later request (`ctx.user`, `ctx.oauthToken`). Only the
   * worker needs it; a server knows its visitor from the session cookie.
   */
  setCaller?(caller: Caller): void;
  /** Runs the page sent before this transport took its connection over, for the page to follow. */
  readonly early?: readonly EarlyRun[];
  /** Messages not tied to a job (model loading, protocol errors). */
  onMessage(listener: (message: ServerMessage) => void): void;
  /** Connection changes; `reopened` is true when a lost connection came back. */
  onState(listener: (state: ConnectionState, reopened: boolean) => void): void;
  close(): void;
}

/** Messages that end a job. */
export const JOB_ENDINGS: ReadonlySet<string> = new Set(["complete", "error", "cancelled"]);

/**
 * Hands a message to the job it is about (forgetting the job when the message ends it), or to
 * the listeners of messages not tied to a job.
 */
export function routeMessage(
  message: ServerMessage,
  jobs: Map<string, (message: JobMessage) => void>,
  listeners: readonly ((message: ServerMessage) => void)[],
): void {
  const id = "id" in message ? message.id : null;
  const listener = id === null ? undefined : jobs.get(id);
  if (listener && id !== null) {
    if (JOB_ENDINGS.has(message.type)) jobs.delete(id);
    listener(message as JobMessage);
    return;
  }
  for (const each of listeners) each(message);
}
