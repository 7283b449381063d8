import type { FileData } from "spacecraft";

/** Hands a file to an engine and gives its FileData. */
export type Uploader = (file: Blob, name: string) => Promise<FileData>;

let uploader: Uploader | undefined;

/**
 * Sends uploads somewhere other than the server's upload endpoint: a static Space hands files
 * to the engine in its Web Worker (`<sc-app>` sets this from its transport). Kept apart from
 * `upload.ts` so the page's entry does not carry the upload code.
 */
export function setUploader(next: Uploader | undefined): void {
  uploader = next;
}

/** The uploader set by {@link setUploader}, if any. */
export function currentUploader(): Uploader | undefined {
  return uploader;
}
