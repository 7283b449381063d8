import type { FileData } from "../components/file-data.js";
import type { ClientMessage, ServerMessage } from "../protocol.js";

/** Page → worker: the protocol's messages, plus files handed over as Blobs. */
export type WorkerRequest = ClientMessage | { type: "upload"; id: string; file: Blob; name: string };

/** Worker → page: the protocol's messages, plus answers to uploads. */
export type WorkerReply =
  | ServerMessage
  | { type: "uploaded"; id: string; file: FileData }
  | { type: "upload-failed"; id: string; message: string };
