import { createHash, randomBytes } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import {
  copyFile,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve as resolvePath } from "node:path";
import { pipeline as pipe } from "node:stream/promises";
import type busboy from "busboy";
import type { Request, Response } from "express";
import type { FileData, FileIO, Pixels } from "../components/file-data.js";
import { mimeAccepted, sniffMimeType } from "../components/file-data.js";
import { FILE_ROUTE } from "../components/file-shape.js";
import { DeclarationError } from "../errors.js";
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
  /** In a shared folder: when this process last wrote a use of it there. */
  touched?: number;
  /** In a shared folder: when this process last saw its record there. */
  seen?: number;
}

/** The owner of files anyone may use (example files). */
const PUBLIC = "*";

/**
 * Owners whose files anyone who knows their path may use: a shared link's (`shared:<id>`), whose
 * id is the secret. They stay while held and go when dropped, as a session's do.
 */
export const SHARED_OWNER_PREFIX = "shared:";

/** A stored file's path: its random id (32 hex digits), then its file name (never a folder). */
const STORED_PATH = /^([0-9a-f]{32})\/([^/\\]+)$/;
const FILE_ID = /^[0-9a-f]{32}$/;
/** In a shared folder: each owner's file ids (`.owners/<owner key>/<id>`), for `drop`. */
const OWNERS = ".owners";
/** In a shared folder: one marker per owner and process holding it (`.holds/<owner key>.<process>`). */
const HOLDS = ".holds";
/** In a file's folder: its record (JSON; the file's mtime is its last use), and its owner, made once. */
const RECORD = ".record";
const OWNER = ".owner";
/** How long a cached record of a shared file is trusted before checking it is still there (ms). */
const RECHECK_MS = 1000;

/** Options of {@link NodeFileStore}. */
export interface FileStoreOptions {
  /**
   * How long a file nobody holds stays after its last use, in ms (default 1 hour): uploads
   * never used, and outputs of callers that left.
   */
  idleTtlMs?: number;
  /**
   * A folder every replica of the server shares (a shared volume): files and their records live
   * there, so a file uploaded to one process is found, claimed and served by another. Created if
   * missing; never emptied on close. Default: a private temp folder, deleted on close.
   */
  dir?: string;
}

/**
 * Files this server received (uploads) or produced (outputs), under random ids, in a private temp
 * folder or a folder shared with other processes ({@link FileStoreOptions.dir}). Only files with a
 * record in the store can be read or served: a client never names a path. Each file belongs to
 * the session (or signed-in user) that uploaded or produced it; a session's files go when it ends,
 * and files nobody holds expire.
 *
 * In a shared folder, each file's folder holds its record (`.record`, whose mtime is its last use,
 * written at most every minute) and its owner (`.owner`, made once with a hard link, so of two
 * processes claiming a file at once one wins). A process holding an owner keeps a marker in
 * `.holds/` that its sweeper refreshes; any process skips a held owner's files when it sweeps and
 * when it drops, and markers of a process that died go stale after a few sweeps.
 */
export class NodeFileStore implements FileIO {
  readonly root: string;
  readonly #files = new Map<string, StoredFile>();
  /** Owners whose files stay while they are connected. */
  readonly #held = new Map<string, number>();
  readonly #idleTtlMs: number;
  readonly #sweeper: ReturnType<typeof setInterval>;
  #sweeping: Promise<void> | undefined;
  #closed = false;
  /** Set in a shared folder: this process's id in hold markers, and the public files it wrote. */
  readonly #shared: SharedState | undefined;

  constructor(options: FileStoreOptions = {}) {
    this.#idleTtlMs = options.idleTtlMs ?? 60 * 60 * 1000;
    // A shared folder is swept more often: its sweeps also keep this process's holds and public files fresh.
    const sweepEveryMs = Math.min(options.dir === undefined ? this.#idleTtlMs : this.#idleTtlMs / 4, 60_000);
    if (options.dir === undefined) this.root = mkdtempSync(join(tmpdir(), "spacecraft-"));
    else {
      this.root = prepareFilesDir(options.dir);
      this.#shared = {
        process: randomBytes(8).toString("hex"),
        publicPaths: new Set(),
        // Uses reach the disk at most once a minute per file: no write storm on a busy file.
        touchEveryMs: Math.min(60_000, this.#idleTtlMs / 4),
        // A holder refreshes its markers every sweep; one missing three sweeps (and a minute) has died.
        holdStaleMs: Math.max(3 * sweepEveryMs, 60_000),
      };
    }
    this.#sweeper = setInterval(() => {
      // A sweep of a big shared folder may outlast the interval: never two at once.
      this.#sweeping ??= this.sweep()
        .catch(() => {})
        .finally(() => {
          this.#sweeping = undefined;
        });
    }, sweepEveryMs);
    this.#sweeper.unref();
  }

  owns(path: string): boolean {
    return this.#get(path) !== undefined;
  }

  mimeTypeOf(path: string): string {
    return this.#get(path)?.mimeType ?? "application/octet-stream";
  }

  /** The stored file behind a path id, if this store owns it. */
  lookup(path: string): StoredFile | undefined {
    const file = this.#get(path);
    if (file) this.#used(file);
    return file;
  }

  claim(path: string, owner: string): FileData | "taken" | undefined {
    const file = this.#get(path);
    if (!file) return undefined;
    if (file.owner === undefined) {
      if (!this.#shared) file.owner = owner;
      else if (!this.#claimShared(path, file, owner)) return undefined;
    }
    if (file.owner !== owner && file.owner !== PUBLIC && !(file.owner ?? "").startsWith(SHARED_OWNER_PREFIX))
      return "taken";
    this.#used(file);
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
    const count = this.#held.get(owner) ?? 0;
    this.#held.set(owner, count + 1);
    if (count === 0 && this.#shared) this.#mark(owner);
  }

  /** One connection of an owner closed; its files stay until dropped or expired. */
  release(owner: string): void {
    const count = (this.#held.get(owner) ?? 0) - 1;
    if (count > 0) this.#held.set(owner, count);
    else {
      this.#held.delete(owner);
      if (this.#shared) rmSync(this.#marker(owner), { force: true });
    }
  }

  /**
   * The owner left: its files are deleted now, unless a connection still holds them (in a shared
   * folder, a connection to any process). Resolves once they are gone from the folder's records.
   */
  async drop(owner: string): Promise<void> {
    if (this.#held.has(owner)) return;
    if (this.#shared) return this.#dropShared(owner).catch(() => {});
    for (const [path, file] of this.#files) {
      if (file.owner === owner) this.#delete(path, file);
    }
  }

  /**
   * Deletes files nobody holds that were not used for the idle time (run every minute). In a
   * shared folder it first refreshes what this process keeps (its hold markers and public files),
   * then looks at every file there.
   */
  async sweep(now = Date.now()): Promise<void> {
    for (const [path, file] of this.#files) {
      // A shared folder's files are judged from the disk below; the cache only forgets them.
      if (this.#shared) {
        if (now - file.lastUsed > this.#idleTtlMs) this.#files.delete(path);
        continue;
      }
      if (file.owner === PUBLIC || (file.owner !== undefined && this.#held.has(file.owner))) continue;
      if (now - file.lastUsed > this.#idleTtlMs) this.#delete(path, file);
    }
    if (this.#shared) await this.#sweepShared(this.#shared, now);
  }

  async read(file: FileData): Promise<{ bytes: Uint8Array; mimeType: string }> {
    const stored = this.#get(file.path);
    if (!stored) throw new Error(`unknown file "${file.path}"`);
    this.#used(stored);
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
    const file = this.#get(path);
    if (!file) throw new Error(`unknown file "${path}"`);
    const placed = await this.#place(file.name);
    await copyFile(file.absolute, placed.absolute);
    const { mimeType, size, name } = file;
    return this.#register(placed.path, { absolute: placed.absolute, mimeType, size, name, owner });
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
      return await this.#register(`${id}/${name}`, {
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
    const file = this.#get(path);
    if (file) this.#delete(path, file);
  }

  /**
   * Stops the sweeper and forgets every file (on shutdown). A private folder is deleted with its
   * files; a shared one keeps them for the other processes, which may now drop or expire what
   * this one held.
   */
  clear(): void {
    this.#closed = true;
    clearInterval(this.#sweeper);
    if (this.#shared) for (const owner of this.#held.keys()) rmSync(this.#marker(owner), { force: true });
    else rmSync(this.root, { recursive: true, force: true });
    this.#files.clear();
    this.#held.clear();
  }

  /** The record of a path: cached, or (in a shared folder) read from it. */
  #get(path: string): StoredFile | undefined {
    const file = this.#files.get(path);
    if (!this.#shared) return file;
    const now = Date.now();
    if (!file) return this.#readRecord(path, now);
    if (now - (file.seen ?? 0) < RECHECK_MS) return file;
    // Another process may have dropped or expired it.
    if (!existsSync(join(dirname(file.absolute), RECORD))) {
      this.#files.delete(path);
      return undefined;
    }
    file.seen = now;
    return file;
  }

  /** A shared folder's record of `path`, read only for a well-formed id and kept in the cache. */
  #readRecord(path: string, now: number): StoredFile | undefined {
    const match = STORED_PATH.exec(path);
    if (!match) return undefined;
    const [, id = "", name = ""] = match;
    const folder = join(this.root, id);
    let record: unknown;
    let mtime: number;
    try {
      record = JSON.parse(readFileSync(join(folder, RECORD), "utf8"));
      mtime = statSync(join(folder, RECORD)).mtimeMs;
    } catch {
      return undefined;
    }
    // The file's name on disk comes from the record this store wrote, never from the request.
    if (!isRecord(record) || record.file !== name) return undefined;
    let owner: string | undefined;
    try {
      owner = readFileSync(join(folder, OWNER), "utf8");
    } catch {
      owner = undefined;
    }
    const file: StoredFile = {
      absolute: join(folder, record.file),
      mimeType: record.mimeType,
      size: record.size,
      name: record.name,
      owner,
      lastUsed: now,
      touched: mtime,
      seen: now,
    };
    this.#files.set(path, file);
    return file;
  }

  /** Notes a use; in a shared folder it reaches the disk at most every `touchEveryMs`. */
  #used(file: StoredFile): void {
    const now = Date.now();
    file.lastUsed = now;
    if (!this.#shared || now - (file.touched ?? 0) < this.#shared.touchEveryMs) return;
    file.touched = now;
    const time = new Date(now);
    utimes(join(dirname(file.absolute), RECORD), time, time).catch(() => {});
  }

  /** Makes an unowned shared file `owner`'s unless another process did first; false if it is gone. */
  #claimShared(path: string, file: StoredFile, owner: string): boolean {
    const folder = dirname(file.absolute);
    const draft = join(folder, `${OWNER}.${randomBytes(8).toString("hex")}`);
    let won = false;
    try {
      writeFileSync(draft, owner, { flag: "wx" });
      try {
        // A hard link is made whole or not at all: of two processes claiming at once, one wins.
        linkSync(draft, join(folder, OWNER));
        won = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      } finally {
        rmSync(draft, { force: true });
      }
      file.owner = won ? owner : readFileSync(join(folder, OWNER), "utf8");
    } catch {
      // Dropped or expired by another process meanwhile.
      this.#files.delete(path);
      return false;
    }
    if (won) this.#indexOwner(owner, basename(folder));
    return true;
  }

  /** Lists a file under its owner, for `drop`; one without (a failed write) still expires when idle. */
  #indexOwner(owner: string, id: string): void {
    const index = join(this.root, OWNERS, ownerKey(owner));
    // Twice: another process may remove the owner's empty index folder between the two calls.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        mkdirSync(index, { recursive: true });
        writeFileSync(join(index, id), "");
        return;
      } catch {}
    }
  }

  #marker(owner: string): string {
    return join(this.root, HOLDS, `${ownerKey(owner)}.${this.#shared?.process}`);
  }

  #mark(owner: string): void {
    if (this.#closed) return;
    try {
      writeFileSync(this.#marker(owner), "");
    } catch {
      // Without its marker the owner is held here only: other processes expire its idle files.
    }
  }

  /** Keys of the owners some process holds; markers of processes that died are removed. */
  async #heldOwners(holdStaleMs: number, now: number): Promise<Set<string>> {
    const held = new Set<string>();
    const folder = join(this.root, HOLDS);
    for (const marker of await readdir(folder).catch(() => [] as string[])) {
      const changed = await stat(join(folder, marker)).then(
        (stats) => stats.mtimeMs,
        () => undefined,
      );
      if (changed === undefined) continue;
      if (now - changed <= holdStaleMs) held.add(marker.slice(0, marker.indexOf(".")));
      else await rm(join(folder, marker), { force: true });
    }
    return held;
  }

  async #dropShared(owner: string): Promise<void> {
    const shared = this.#shared;
    if (!shared) return;
    const key = ownerKey(owner);
    if ((await this.#heldOwners(shared.holdStaleMs, Date.now())).has(key)) return;
    const index = join(this.root, OWNERS, key);
    for (const id of await readdir(index).catch(() => [] as string[])) {
      const recorded = await readFile(join(this.root, id, OWNER), "utf8").catch(() => undefined);
      if (FILE_ID.test(id) && recorded === owner) this.#removeShared(id, owner);
      else await rm(join(index, id), { force: true });
    }
    for (const [path, file] of this.#files) if (file.owner === owner) this.#files.delete(path);
  }

  async #sweepShared(shared: SharedState, now: number): Promise<void> {
    // What this process keeps stays fresh for the others: its hold markers and its public files.
    const time = new Date();
    for (const owner of this.#held.keys()) {
      await utimes(this.#marker(owner), time, time).catch(() => this.#mark(owner));
    }
    for (const path of shared.publicPaths) {
      const id = path.slice(0, path.indexOf("/"));
      await utimes(join(this.root, id, RECORD), time, time).catch(() => shared.publicPaths.delete(path));
    }
    const held = await this.#heldOwners(shared.holdStaleMs, now);
    const removed = new Set<string>();
    for (const id of await readdir(this.root)) {
      if (!FILE_ID.test(id)) continue;
      const folder = join(this.root, id);
      // A folder without a record is an upload that never finished: it is judged by its own age.
      const lastUsed = await stat(join(folder, RECORD))
        .catch(() => stat(folder))
        .then(
          (stats) => stats.mtimeMs,
          () => undefined,
        );
      if (lastUsed === undefined || now - lastUsed <= this.#idleTtlMs) continue;
      const owner = await readFile(join(folder, OWNER), "utf8").catch(() => undefined);
      if (owner !== undefined && (this.#held.has(owner) || held.has(ownerKey(owner)))) continue;
      this.#removeShared(id, owner);
      removed.add(id);
    }
    for (const path of this.#files.keys())
      if (removed.has(path.slice(0, path.indexOf("/")))) this.#files.delete(path);
  }

  #delete(path: string, file: StoredFile): void {
    this.#files.delete(path);
    if (this.#shared) this.#removeShared(basename(dirname(file.absolute)), file.owner);
    else rm(dirname(file.absolute), { recursive: true, force: true }).catch(() => {});
  }

  /** Removes a shared file: its record at once (no process finds it after), the rest in the background. */
  #removeShared(id: string, owner: string | undefined): void {
    const folder = join(this.root, id);
    rmSync(join(folder, RECORD), { force: true });
    rm(folder, { recursive: true, force: true }).catch(() => {});
    if (owner === undefined || owner === PUBLIC) return;
    const index = join(this.root, OWNERS, ownerKey(owner));
    rm(join(index, id), { force: true })
      // The last file of an owner takes its index folder with it.
      .then(() => rmdir(index))
      .catch(() => {});
  }

  async #place(filename: string): Promise<{ path: string; absolute: string; name: string }> {
    const id = randomBytes(16).toString("hex");
    const name = safeName(filename);
    const folder = join(this.root, id);
    await mkdir(folder);
    return { path: `${id}/${name}`, absolute: join(folder, name), name };
  }

  /** Adds a placed file to the store; in a shared folder its owner and record are written there first. */
  async #register(path: string, file: Omit<StoredFile, "lastUsed">): Promise<FileData> {
    const now = Date.now();
    const stored: StoredFile = { ...file, lastUsed: now };
    if (this.#shared) {
      const folder = dirname(file.absolute);
      const id = basename(folder);
      if (file.owner !== undefined) {
        await writeFile(join(folder, OWNER), file.owner);
        if (file.owner === PUBLIC) this.#shared.publicPaths.add(path);
        else this.#indexOwner(file.owner, id);
      }
      const record: SharedRecord = {
        file: basename(file.absolute),
        name: file.name,
        mimeType: file.mimeType,
        size: file.size,
      };
      // Written whole, then renamed: another process sees no record or all of it.
      await writeFile(join(folder, `${RECORD}.part`), JSON.stringify(record));
      await rename(join(folder, `${RECORD}.part`), join(folder, RECORD));
      stored.touched = now;
      stored.seen = now;
    }
    this.#files.set(path, stored);
    return toFileData(path, stored);
  }
}

/** What a store over a shared folder keeps beside its cache. */
interface SharedState {
  /** This process's id in its hold markers. */
  process: string;
  /** The public files (examples) it wrote: it keeps them fresh while it runs. */
  publicPaths: Set<string>;
  /** How often a file's use is written to the folder, at most. */
  touchEveryMs: number;
  /** How old a hold marker is when its process is taken to have died. */
  holdStaleMs: number;
}

/** A file's record in a shared folder. */
interface SharedRecord {
  /** Its name on disk (a {@link safeName}), the last segment of its path. */
  file: string;
  /** The name people gave it (an {@link originalName}). */
  name: string;
  mimeType: string;
  size: number;
}

function isRecord(value: unknown): value is SharedRecord {
  if (!value || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.file === "string" &&
    safeName(record.file) === record.file &&
    typeof record.name === "string" &&
    typeof record.mimeType === "string" &&
    typeof record.size === "number"
  );
}

/** An owner as a file name: owners are sessions, user names and link ids, none of them safe paths. */
function ownerKey(owner: string): string {
  return createHash("sha256").update(owner).digest("hex").slice(0, 32);
}

/**
 * Creates a folder for files shared by several server processes if it is missing, and checks this
 * process can write there; returns its absolute path.
 * @throws DeclarationError saying which folder and what to do.
 */
export function prepareFilesDir(dir: string): string {
  if (typeof dir !== "string" || dir.trim() === "") {
    throw new DeclarationError(
      `The files folder must be a path, such as "/data/files"; got ${JSON.stringify(dir)}.`,
    );
  }
  const root = resolvePath(dir);
  try {
    mkdirSync(join(root, OWNERS), { recursive: true });
    mkdirSync(join(root, HOLDS), { recursive: true });
    const probe = join(root, `.probe-${randomBytes(8).toString("hex")}`);
    writeFileSync(probe, "");
    rmSync(probe);
  } catch (error) {
    throw new DeclarationError(
      `Cannot use "${root}" as the files folder: ${(error as Error).message}. Give a folder this process can create and write to, on a volume every replica shares.`,
    );
  }
  return root;
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
