import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { copyFile, mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pipeline as pipe } from "node:stream/promises";
import type busboy from "busboy";
import type { Request, Response } from "express";
import type { FileData, FileIO, Pixels } from "../components/file-data.js";
import { mimeAccepted, sniffMimeType } from "../components/file-data.js";
import { FILE_ROUTE } from "../components/file-shape.js";
import { formatBytes } from "../format.js";

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
  /** Who may send it as an input: a session or user, `PUBLIC` for examples, unset until first use. */
  owner: string | undefined;
  /** When it was last stored, claimed or served (ms since the epoch), for expiry. */
  lastUsed: number;
}

/** The owner of files anyone may use (example files). */
const PUBLIC = "*";

/**
 * Owners whose files anyone who knows their path may use: a shared link's (`shared:<id>`), whose
 * id is the secret. They stay while held and go when dropped, as a session's do.
 */
export const SHARED_OWNER_PREFIX = "shared:";

/** Options of {@link NodeFileStore}. */
export interface FileStoreOptions {
  /**
   * How long a file nobody holds stays after its last use, in ms (default 1 hour): uploads
   * never used, and outputs of callers that left.
   */
  idleTtlMs?: number;
}

/**
 * Files this server received (uploads) or produced (outputs), in a private temp folder under
 * random ids. Only files in its registry can be read or served: a client never names a path.
 * Each file belongs to the session (or signed-in user) that uploaded or produced it; a session's
 * files go when it ends, and files nobody holds expire.
 */
export class NodeFileStore implements FileIO {
  readonly root: string;
  readonly #files = new Map<string, StoredFile>();
  /** Owners whose files stay while they are connected. */
  readonly #held = new Map<string, number>();
  readonly #idleTtlMs: number;
  readonly #sweeper: ReturnType<typeof setInterval>;

  constructor(options: FileStoreOptions = {}) {
    this.root = mkdtempSync(join(tmpdir(), "spacecraft-"));
    this.#idleTtlMs = options.idleTtlMs ?? 60 * 60 * 1000;
    this.#sweeper = setInterval(() => this.sweep(), Math.min(this.#idleTtlMs, 60_000));
    this.#sweeper.unref();
  }

  owns(path: string): boolean {
    return this.#files.has(path);
  }

  mimeTypeOf(path: string): string {
    return this.#files.get(path)?.mimeType ?? "application/octet-stream";
  }

  /** The stored file behind a path id, if this store owns it. */
  lookup(path: string): StoredFile | undefined {
    const file = this.#files.get(path);
    if (file) file.lastUsed = Date.now();
    return file;
  }

  claim(path: string, owner: string): FileData | "taken" | undefined {
    const file = this.#files.get(path);
    if (!file) return undefined;
    if (file.owner === undefined) file.owner = owner;
    else if (file.owner !== owner && file.owner !== PUBLIC && !file.owner.startsWith(SHARED_OWNER_PREFIX))
      return "taken";
    file.lastUsed = Date.now();
    return toFileData(path, file);
  }

  scoped(owner: string): FileIO {
    return {
      owns: (path) => this.owns(path),
      mimeTypeOf: (path) => this.mimeTypeOf(path),
      read: (file) => this.read(file),
      write: (bytes, options) => this.write(bytes, { ...options, owner }),
      writeImage: (pixels) => this.writeImage(pixels, owner),
    };
  }

  /** Keeps an owner's files while it is connected (a WebSocket or a Gradio session). */
  hold(owner: string): void {
    this.#held.set(owner, (this.#held.get(owner) ?? 0) + 1);
  }

  /** One connection of an owner closed; its files stay until dropped or expired. */
  release(owner: string): void {
    const count = (this.#held.get(owner) ?? 0) - 1;
    if (count > 0) this.#held.set(owner, count);
    else this.#held.delete(owner);
  }

  /** The owner left: its files are deleted now, unless another connection still holds them. */
  drop(owner: string): void {
    if (this.#held.has(owner)) return;
    for (const [path, file] of this.#files) {
      if (file.owner === owner) this.#delete(path, file);
    }
  }

  /** Deletes files nobody holds that were not used for the idle time (run every minute). */
  sweep(now = Date.now()): void {
    for (const [path, file] of this.#files) {
      if (file.owner === PUBLIC || (file.owner !== undefined && this.#held.has(file.owner))) continue;
      if (now - file.lastUsed > this.#idleTtlMs) this.#delete(path, file);
    }
  }

  async read(file: FileData): Promise<{ bytes: Uint8Array; mimeType: string }> {
    const stored = this.#files.get(file.path);
    if (!stored) throw new Error(`unknown file "${file.path}"`);
    stored.lastUsed = Date.now();
    return { bytes: await readFile(stored.absolute), mimeType: stored.mimeType };
  }

  async write(
    bytes: Uint8Array,
    options: { name?: string; mimeType: string; owner?: string },
  ): Promise<FileData> {
    const mimeType = sniffMimeType(bytes) ?? options.mimeType;
    const { path, absolute } = await this.#place(options.name ?? "file");
    await writeFile(absolute, bytes);
    return this.#register(path, {
      absolute,
      mimeType,
      size: bytes.byteLength,
      name: originalName(options.name ?? "file"),
      owner: options.owner,
    });
  }

  /** A copy of a stored file under a new path, owned by `owner` (a shared link keeps its own). */
  async copy(path: string, owner: string): Promise<FileData> {
    const file = this.#files.get(path);
    if (!file) throw new Error(`unknown file "${path}"`);
    const placed = await this.#place(file.name);
    await copyFile(file.absolute, placed.absolute);
    return this.#register(placed.path, { ...file, absolute: placed.absolute, owner });
  }

  /** Stores a file anyone may send as an input (an example's). */
  writePublic(bytes: Uint8Array, options: { name?: string; mimeType: string }): Promise<FileData> {
    return this.write(bytes, { ...options, owner: PUBLIC });
  }

  async writeImage(pixels: Pixels, owner?: string): Promise<FileData> {
    const { default: sharp } = await import("sharp");
    const channels = pixels.channels as 1 | 2 | 3 | 4;
    const png = await sharp(Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength), {
      raw: { width: pixels.width, height: pixels.height, channels },
    })
      .png()
      .toBuffer();
    return this.write(png, { name: "image.png", mimeType: "image/png", ...(owner ? { owner } : {}) });
  }

  /**
   * Streams one upload to disk, refusing it past `maxBytes`; its type is sniffed from its bytes.
   * On any failure (too large, aborted, a broken stream) the partial file is removed.
   * @throws UploadError with an HTTP status and a message for the user.
   */
  async receive(
    stream: NodeJS.ReadableStream & { truncated?: boolean },
    filename: string,
    maxBytes: number,
    owner?: string,
  ): Promise<FileData> {
    const id = randomBytes(16).toString("hex");
    const name = safeName(filename);
    const folder = join(this.root, id);
    const absolute = join(folder, name);
    const partial = `${absolute}.part`;
    try {
      mkdirSync(folder);
      await pipe(stream, createWriteStream(partial));
      if (stream.truncated) {
        throw new UploadError(413, `"${name}" is larger than the ${formatBytes(maxBytes)} upload limit.`);
      }
      const head = await readHead(partial);
      const mimeType =
        sniffMimeType(head) ?? (looksLikeText(head) ? "text/plain" : "application/octet-stream");
      await rename(partial, absolute);
      const { size } = await stat(absolute);
      return this.#register(`${id}/${name}`, {
        absolute,
        mimeType,
        size,
        // Browsers send a `"` in a file name as %22 (the HTML form-data encoding).
        name: originalName(filename.replace(/%22/g, '"')),
        owner,
      });
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      if (error instanceof UploadError) throw error;
      throw new UploadError(400, `The upload of "${name}" did not complete. Please try again.`);
    }
  }

  /** Deletes one file (an upload whose request failed). */
  forget(path: string): void {
    const file = this.#files.get(path);
    if (file) this.#delete(path, file);
  }

  /** Deletes every stored file (on shutdown). */
  clear(): void {
    clearInterval(this.#sweeper);
    this.#files.clear();
    this.#held.clear();
    rmSync(this.root, { recursive: true, force: true });
  }

  #delete(path: string, file: StoredFile): void {
    this.#files.delete(path);
    rm(dirname(file.absolute), { recursive: true, force: true }).catch(() => {});
  }

  async #place(filename: string): Promise<{ path: string; absolute: string; name: string }> {
    const id = randomBytes(16).toString("hex");
    const name = safeName(filename);
    const folder = join(this.root, id);
    await mkdir(folder);
    return { path: `${id}/${name}`, absolute: join(folder, name), name };
  }

  #register(path: string, file: Omit<StoredFile, "lastUsed">): FileData {
    const stored = { ...file, lastUsed: Date.now() };
    this.#files.set(path, stored);
    return toFileData(path, stored);
  }
}

function toFileData(path: string, file: StoredFile): FileData {
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
  /** The owner of the request's files, when the request says who it is (a signed-in user). */
  ownerOf?: (request: Request) => string | undefined;
}

/**
 * `POST /gradio_api/upload` (multipart, field `files`): streams each file to the store and
 * answers with the list of their paths, as Gradio does. `?component=<id>` also checks the
 * files' types against what that component accepts. Nothing a client sends can end the
 * process: every stream error becomes a 4xx, and partial files are removed.
 */
export function uploadHandler(store: NodeFileStore, options: UploadOptions) {
  return async (request: Request, response: Response) => {
    const componentId = Number(request.query.component);
    const accept = Number.isInteger(componentId) ? options.acceptOf?.(componentId) : undefined;
    let files: FileData[] = [];
    try {
      files = await parseUpload(request, store, options, options.ownerOf?.(request));
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
      for (const file of files) store.forget(file.path);
      const status = error instanceof UploadError ? error.status : 400;
      const message = error instanceof UploadError ? error.message : "The upload failed. Please try again.";
      if (!response.headersSent) response.status(status).json({ error: message, detail: message });
      // The rest of a refused body is not read: close the connection instead.
      if (!request.complete) response.once("finish", () => request.destroy());
    }
  };
}

async function parseUpload(
  request: Request,
  store: NodeFileStore,
  options: UploadOptions,
  owner: string | undefined,
): Promise<FileData[]> {
  // The multipart parser loads with the first upload; most starts never see one.
  const { default: busboy } = await import("busboy");
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        // Browsers and @gradio/client send UTF-8 names; busboy's default would garble them.
        defParamCharset: "utf8",
        // busboy marks a file truncated once it reaches `fileSize`: one byte more, so a file of
        // exactly maxBytes passes and only a larger one is refused.
        limits: { fileSize: options.maxBytes + 1, files: options.maxFiles ?? 100, fields: 100, parts: 200 },
      });
    } catch {
      reject(new UploadError(400, "Expected a multipart/form-data upload with a boundary."));
      return;
    }
    const pending: Promise<FileData>[] = [];
    const streams = new Set<NodeJS.ReadableStream & { destroy(error?: Error): void }>();
    let failed = false;
    const fail = (error: UploadError) => {
      if (failed) return;
      failed = true;
      request.unpipe(parser);
      // Open file streams end with an error, so their partial files are removed and closed.
      for (const stream of streams) stream.destroy(error);
      Promise.allSettled(pending).then((results) => {
        for (const result of results) if (result.status === "fulfilled") store.forget(result.value.path);
        reject(error);
      });
    };
    parser.on("file", (field, stream, info) => {
      // An error listener at once: a broken part must never reach a stream nobody listens to.
      stream.on("error", () => {});
      if (field !== "files" || failed) {
        stream.resume();
        return;
      }
      streams.add(stream);
      stream.once("close", () => streams.delete(stream));
      const received = store.receive(stream, info.filename || "upload", options.maxBytes, owner);
      received.catch(() => {});
      pending.push(received);
    });
    parser.on("filesLimit", () =>
      fail(new UploadError(413, `Too many files in one upload (the limit is ${options.maxFiles ?? 100}).`)),
    );
    parser.on("partsLimit", () => fail(new UploadError(413, "Too many parts in one upload.")));
    parser.on("fieldsLimit", () => fail(new UploadError(413, "Too many fields in one upload.")));
    parser.on("error", () => fail(new UploadError(400, "The upload is not valid multipart/form-data.")));
    parser.on("close", () => {
      if (failed) return;
      Promise.all(pending).then(resolve, (error: unknown) =>
        fail(error instanceof UploadError ? error : new UploadError(400, "The upload failed.")),
      );
    });
    // A client that goes away mid-upload: close and remove what was being written.
    request.on("close", () => {
      if (!request.complete) fail(new UploadError(400, "The upload was interrupted."));
    });
    // It may have closed while the parser loaded.
    if (request.destroyed && !request.complete) fail(new UploadError(400, "The upload was interrupted."));
    request.on("error", () => fail(new UploadError(400, "The upload was interrupted.")));
    request.pipe(parser);
  });
}

/** `GET /gradio_api/file=<path>`: serves only stored files; types that could run script download instead. */
export function fileHandler(store: NodeFileStore) {
  return (request: Request, response: Response) => {
    let path: string;
    try {
      path = decodeURIComponent(request.path.slice(FILE_ROUTE.length));
    } catch {
      path = "";
    }
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
      contentDisposition(inline ? "inline" : "attachment", file.name),
    );
    response.setHeader("Cache-Control", "private, max-age=3600");
    const stream = createReadStream(file.absolute);
    stream.on("error", () => {
      if (!response.headersSent) {
        response.removeHeader("Content-Length");
        response.removeHeader("Content-Disposition");
        response.status(404).json({ error: "File not found: it expired or was removed." });
      } else response.destroy();
    });
    response.on("close", () => stream.destroy());
    stream.pipe(response);
  };
}

/**
 * A `Content-Disposition` value for any file name (RFC 6266 / RFC 5987): an ASCII fallback in
 * `filename`, and the exact UTF-8 name in `filename*`.
 */
export function contentDisposition(type: "inline" | "attachment", name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  if (fallback === name) return `${type}; filename="${name}"`;
  const encoded = encodeURIComponent(wellFormed(name)).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * The name a person gave a file, as shown and downloaded: its last path segment, without
 * control or bidi-override characters, at most 255 characters. The file on disk has {@link safeName}.
 */
export function originalName(name: string): string {
  const base = name
    .replace(/\\/g, "/")
    .split("/")
    .pop()
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
    ?.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, "")
    .trim();
  // Whole characters, never half an emoji.
  return [...wellFormed(base ?? "")].slice(0, 255).join("") || "file";
}

/** The text with each lone surrogate (half an emoji) replaced by U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** A file name safe on any file system: no folders, no control or reserved characters. */
export function safeName(name: string): string {
  const base = basename(name.replace(/\\/g, "/"))
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
    .replace(/[\u0000-\u001f<>:"/\\|?*]/g, "_")
    .replace(/^\.+/, "");
  // At most 200 bytes of UTF-8 (file systems allow 255, and ".part" is added while uploading).
  let kept = "";
  let bytes = 0;
  for (const character of wellFormed(base)) {
    bytes += Buffer.byteLength(character);
    if (bytes > 200) break;
    kept += character;
  }
  return kept || "file";
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
