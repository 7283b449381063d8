import type { FileData, FileIO, Pixels } from "../components/file-data.js";
import { sniffMimeType } from "../components/file-data.js";

/**
 * Files in a Web Worker: Blobs in memory under random ids; what the function produces gets a
 * `blob:` URL the page can show. Only files handed over by the page or produced here are read.
 */
export class BrowserFileStore implements FileIO {
  readonly #files = new Map<string, { blob: Blob; mimeType: string; name: string }>();

  owns(path: string): boolean {
    return this.#files.has(path);
  }

  mimeTypeOf(path: string): string {
    return this.#files.get(path)?.mimeType ?? "application/octet-stream";
  }

  async read(file: FileData): Promise<{ bytes: Uint8Array; mimeType: string }> {
    const stored = this.#files.get(file.path);
    if (!stored) throw new Error(`unknown file "${file.path}"`);
    return { bytes: new Uint8Array(await stored.blob.arrayBuffer()), mimeType: stored.mimeType };
  }

  /** Fetches a file served beside the page (an example) and keeps it under its given path. */
  async adopt(file: FileData): Promise<void> {
    const response = await fetch(new URL(file.url ?? file.path, location.href));
    if (!response.ok) throw new Error(`Example file ${file.url} is missing (HTTP ${response.status}).`);
    const blob = await response.blob();
    this.#files.set(file.path, {
      blob,
      mimeType: file.mime_type ?? blob.type,
      name: file.orig_name ?? "file",
    });
  }

  /** Takes a file from the page; its type is sniffed from its bytes, as on a server. */
  async receive(blob: Blob, name: string): Promise<FileData> {
    const head = new Uint8Array(await blob.slice(0, 512).arrayBuffer());
    return this.#store(blob, name, sniffMimeType(head) ?? "application/octet-stream");
  }

  async write(bytes: Uint8Array, options: { name?: string; mimeType: string }): Promise<FileData> {
    const mimeType = sniffMimeType(bytes) ?? options.mimeType;
    return this.#store(new Blob([bytes as BlobPart], { type: mimeType }), options.name ?? "file", mimeType);
  }

  async writeImage(pixels: Pixels): Promise<FileData> {
    const rgba = new Uint8ClampedArray(pixels.width * pixels.height * 4);
    for (let i = 0, j = 0; i < rgba.length; i += 4, j += pixels.channels) {
      const grey = pixels.channels < 3;
      rgba[i] = pixels.data[j] ?? 0;
      rgba[i + 1] = pixels.data[grey ? j : j + 1] ?? 0;
      rgba[i + 2] = pixels.data[grey ? j : j + 2] ?? 0;
      rgba[i + 3] =
        pixels.channels === 4
          ? (pixels.data[j + 3] ?? 255)
          : pixels.channels === 2
            ? (pixels.data[j + 1] ?? 255)
            : 255;
    }
    const canvas = new OffscreenCanvas(pixels.width, pixels.height);
    const context = canvas.getContext("2d");
    if (!context) throw new Error("this browser cannot draw images in a worker");
    context.putImageData(new ImageData(rgba, pixels.width, pixels.height), 0, 0);
    const blob = await canvas.convertToBlob({ type: "image/png" });
    return this.#store(blob, "image.png", "image/png");
  }

  #store(blob: Blob, name: string, mimeType: string): FileData {
    const path = `${crypto.randomUUID()}/${name.replace(/[/\\]/g, "_")}`;
    this.#files.set(path, { blob, mimeType, name });
    return {
      path,
      url: URL.createObjectURL(blob),
      size: blob.size,
      orig_name: name,
      mime_type: mimeType,
      is_stream: false,
      meta: { _type: "gradio.FileData" },
    };
  }
}
