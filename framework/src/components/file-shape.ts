// What page, worker and server agree on about files, without the schema library: the page
// imports this through spacecraft/client.
import type { FileData } from "./file-data.js";

/** Where a server serves stored files (Gradio's route); FileData `url`s start with it. */
export const FILE_ROUTE = "/gradio_api/file=";

/** True for a value shaped like FileData. */
export function isFileData(value: unknown): value is FileData {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as FileData).path === "string" &&
    (value as FileData).meta?._type === "gradio.FileData"
  );
}
