import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pipeline as pipe } from "node:stream/promises";
import busboy from "busboy";
import type { Request, Response } from "express";
import type { FileData, FileIO, Pixels } from "../components/file-data.js";
import { mimeAccepted, sniffMimeType } from "../components/file-data.js";
import { FILE_ROUTE } from "../components/file-shape.js";

/** Types served inline; anything else is a download (`attachment`), so an upload can never run script. */
const INLINE_TYPES = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/bmp",
  "audio/wav",
  "audio/mpeg",
  "audio/ogg",
  "audio/flac",
  "video/mp4",
  "video/webm",
  "application/pdf",
]);

interface StoredFile {
  absolute: string;
  mimeType: string;
  size: number;
  name: string;
}

/**
 * Files this server received (uploads) or produced (outputs), in a private temp folder under
 * random ids. Only files in its registry can be read or served: a client never names a path.
 */
export class NodeFileStore implements FileIO {
  readonly root: string;
  readonly #files = new Map<string, StoredFile>();

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), "spacecraft-"));
  }

  owns(path: string): boolean {
    return this.#files.has(path);
  }

  mimeTypeOf(path: string): string {
    return this.#files.get(path)?.mimeType ?? "application/octet-stream";
  }

  /** The stored file behind a path id, if this store owns it. */
  lookup(path: string): StoredFile | undefined {
    return this.#files.get(path);
  }

  async read(file: FileData): Promise<{ bytes: Uint8Array; mimeType: string }> {
    const stored = this.#files.get(file.path);
    if (!stored) throw new Error(`unknown file "${file.path}"`);
    return { bytes: await readFile(stored.absolute), mimeType: stored.mimeType };
  }

  async write(bytes: Uint8Array, options: { name?: string; mimeType: string }): Promise<FileData> {
    const mimeType = sniffMimeType(bytes) ?? options.mimeType;
    const { path, absolute, name } = await this.#place(options.name ?? "file");
    await writeFile(absolute, bytes);
    return this.#register(path, { absolute, mimeType, size: bytes.byteLength, name });
  }

  async writeImage(pixels: Pixels): Promise<FileData> {
    const { default: sharp } = await import("sharp");
    const channels = pixels.channels as 1 | 2 | 3 | 4;
    const png = await sharp(Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength), {
      raw: { width: pixels.width, height: pixels.height, channels },
    })
      .png()
      .toBuffer();
    return this.write(png, { name: "image.png", mimeType: "image/png" });
  }

  /**
   * Streams one upload to disk, refusing it past `maxBytes`; its type is sniffed from its bytes.
   * @throws UploadError with an HTTP status and a message for the user.
   */
  async receive(
    stream: NodeJS.ReadableStream & { truncated?: boolean },
    filename: string,
    maxBytes: number,
  ): Promise<FileData> {
    const { path, absolute, name } = await this.#place(filename);
    const partial = `${absolute}.part`;
    await pipe(stream, createWriteStream(partial));
    if (stream.truncated) {
      await unlink(partial);
      throw new UploadError(413, `"${name}" is larger than the ${formatBytes(maxBytes)} upload limit.`);
    }
    const head = await readHead(partial);
    const mimeType = sniffMimeType(head) ?? (looksLikeText(head) ? "text/plain" : "application/octet-stream");
    await rename(partial, absolute);
    const { size } = await stat(absolute);
    return this.#register(path, { absolute, mimeType, size, name });
  }

  /** Deletes every stored file (on shutdown). */
  clear(): void {
    this.#files.clear();
    rmSync(this.root, { recursive: true, force: true });
  }

  async #place(filename: string): Promise<{ path: string; absolute: string; name: string }> {
    const id = randomBytes(16).toString("hex");
    const name = safeName(filename);
    const folder = join(this.root, id);
    await mkdir(folder);
    return { path: `${id}/${name}`, absolute: join(folder, name), name };
  }

  #register(path: string, file: StoredFile): FileData {
    this.#files.set(path, file);
    return {
      path,
      url: `${FILE_ROUTE}${path}`,
      size: file.size,
      orig_name: file.name,
      mime_type: file.mimeType,
      is_stream: false,
      meta: { _type: "gradio.FileData" },
    };
  }
}

/** A refused upload: the HTTP status and what to tell the user. */
export class UploadError extends Error {
  override name = "UploadError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Options of {@link uploadHandler}. */
export interface UploadOptions {
  maxBytes: number;
  /** Most files in one request. */
  maxFiles?: number;
  /** Accept rules of the component the upload is for (`?component=<id>`), by component id. */
  acceptOf?: (componentId: number) => readonly string[] | undefined;
}

/**
 * `POST /gradio_api/upload` (multipart, field `files`): streams each file to the store and
 * answers with the list of their paths, as Gradio does. `?component=<id>` also checks the
 * files' types against what that component accepts.
 */
export function uploadHandler(store: NodeFileStore, options: UploadOptions) {
  return async (request: Request, response: Response) => {
    const componentId = Number(request.query.component);
    const accept = Number.isInteger(componentId) ? options.acceptOf?.(componentId) : undefined;
    try {
      const files = await parseUpload(request, store, options);
      if (files.length === 0)
        throw new UploadError(400, 'No file in the request: send multipart/form-data with a "files" field.');
      for (const file of files) {
        if (accept && !mimeAccepted(file.mime_type ?? "", file.orig_name ?? "", accept)) {
          throw new UploadError(
            415,
            `"${file.orig_name}" is ${file.mime_type}; this input accepts ${accept.join(", ")}.`,
          );
        }
      }
      response.json(files.map((file) => file.path));
    } catch (error) {
      const status = error instanceof UploadError ? error.status : 400;
      const message = error instanceof Error ? error.message : String(error);
      response.status(status).json({ error: message, detail: message });
    }
  };
}

function parseUpload(request: Request, store: NodeFileStore, options: UploadOptions): Promise<FileData[]> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: { fileSize: options.maxBytes, files: options.maxFiles ?? 100, fields: 100, parts: 200 },
      });
    } catch {
      reject(new UploadError(400, "Expected a multipart/form-data upload."));
      return;
    }
    const pending: Promise<FileData>[] = [];
    let tooMany = false;
    parser.on("file", (field, stream, info) => {
      if (field !== "files") {
        stream.resume();
        return;
      }
      pending.push(store.receive(stream, info.filename || "upload", options.maxBytes));
    });
    parser.on("filesLimit", () => {
      tooMany = true;
    });
    parser.on("error", () => reject(new UploadError(400, "The upload is not valid multipart/form-data.")));
    parser.on("close", () => {
      if (tooMany) {
        reject(
          new UploadError(413, `Too many files in one upload (the limit is ${options.maxFiles ?? 100}).`),
        );
        return;
      }
      Promise.all(pending).then(resolve, reject);
    });
    request.pipe(parser);
  });
}

/** `GET /gradio_api/file=<path>`: serves only stored files; types that could run script download instead. */
export function fileHandler(store: NodeFileStore) {
  return (request: Request, response: Response) => {
    const path = decodeURIComponent(request.path.slice(FILE_ROUTE.length));
    const file = store.lookup(path);
    if (!file) {
      response
        .status(404)
        .json({ error: "File not found. Only files uploaded to or produced by this server are served." });
      return;
    }
    const inline = INLINE_TYPES.has(file.mimeType);
    response.setHeader("Content-Type", inline ? file.mimeType : "application/octet-stream");
    response.setHeader("Content-Length", String(file.size));
    response.setHeader(
      "Content-Disposition",
      `${inline ? "inline" : "attachment"}; filename="${file.name.replace(/"/g, "")}"`,
    );
    response.setHeader("Cache-Control", "private, max-age=3600");
    createReadStream(file.absolute).pipe(response);
  };
}

/** A file name safe on any file system: no folders, no control or reserved characters. */
export function safeName(name: string): string {
  const base = basename(name.replace(/\\/g, "/"))
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
    .replace(/[\u0000-\u001f<>:"/\\|?*]/g, "_")
    .replace(/^\.+/, "")
    .slice(0, 120);
  return base || "file";
}

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const buffer = new Uint8Array(512);
    const { bytesRead } = await handle.read(buffer, 0, 512, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function looksLikeText(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    return true;
  } catch {
    return false;
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${Math.round(bytes / 1e6)} MB` : `${Math.round(bytes / 1e3)} KB`;
}
