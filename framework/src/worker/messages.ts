import type { FileData } from "../components/file-data.js";
import type { Caller } from "../context.js";
import type { ClientMessage, PredictMessage, ServerMessage } from "../protocol.js";

/**
 * Page → worker: the protocol's messages (a prediction carries who is signed in in the page),
 * plus files handed over as Blobs.
 */
export type WorkerRequest =
  | Exclude<ClientMessage, PredictMessage>
  | (PredictMessage & { caller?: Caller })
  | { type: "upload"; id: string; file: Blob; name: string };

/** Worker → page: the protocol's messages, plus answers to uploads. */
export type WorkerReply =
  | ServerMessage
  | { type: "uploaded"; id: string; file: FileData }
  | { type: "upload-failed"; id: string; message: string };
