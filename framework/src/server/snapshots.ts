import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import express from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { AnyComponent } from "../components/component.js";
import { describeComponent } from "../components/component.js";
import type { FileData } from "../components/file-data.js";
import { findFiles, replaceFiles } from "../components/file-data.js";
import type { Caller } from "../context.js";
import type { Runner } from "../engine/engine.js";
import { ownerOf } from "../engine/engine.js";
import { DeclarationError } from "../errors.js";
import { formatBytes } from "../format.js";
import { nestedTooDeep, TOO_DEEP } from "../limits.js";
import { validate } from "../schema.js";
import type { Space } from "../space.js";
import type { NodeFileStore } from "./files.js";
import { SHARED_OWNER_PREFIX } from "./files.js";

/** Limits of the snapshots a server keeps for shared links (`serve`'s `deepLinks`). */
export interface DeepLinkOptions {
  /** How long a shared link lives, in ms (default 7 days). */
  ttlMs?: number;
  /** Most snapshots kept; past it the oldest go (default 1000). */
  maxCount?: number;
  /** Most bytes (values and files) all snapshots hold together; past it the oldest go (default 1 GB). */
  maxBytes?: number;
  /** Largest snapshot accepted, values and files together (default 20 MB). */
  maxSnapshotBytes?: number;
}

/** One kept snapshot: component values by id, and the bytes it holds. */
interface Snapshot {
  values: Record<string, unknown>;
  bytes: number;
  expires: number;
}

/** A snapshot id: 128 random bits, base64url. */
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/** Most links one address may make a minute, so nobody can push everyone's links out at once. */
const LINKS_PER_MINUTE = 60;
/** A page's session id, as the WebSocket takes it. */
const SESSION_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Where snapshots are kept for other replicas too (Redis, with `--redis`): a link made on one
 * replica opens on every other.
 */
export interface SharedSnapshots {
  /** Keeps a snapshot (JSON) under its id for `ttlMs`. */
  save(id: string, json: string, ttlMs: number): Promise<void>;
  /** The snapshot kept under an id, if any. */
  load(id: string): Promise<string | undefined>;
}

/** The routes of shared links, and what the server does with them. */
export interface DeepLinks {
  /** `POST /deep_link` and `GET /deep_link/:id`, to mount under `/gradio_api`. */
  readonly router: express.Router;
  /** Drops every snapshot and its files (on shutdown). */
  close(): void;
}

/**
 * Shared links of a server Space: `POST /gradio_api/deep_link` keeps a snapshot of the page's
 * values (`{ session, values: { [componentId]: value } }`; files are copied, so they outlive the
 * poster's session) under an unguessable id, and `GET /gradio_api/deep_link/<id>` gives it back.
 * Only the inputs and outputs of the Space's events (State aside) may be in it, each checked
 * against its component's schema (with the props the poster's `update`s gave it); files must be
 * the poster's, as the engine checks inputs. Snapshots are bounded in count and bytes (the
 * oldest go first) and expire after `ttlMs`.
 */
export function deepLinks(
  space: Space,
  engine: Runner,
  files: NodeFileStore,
  identify: (request: IncomingMessage) => Caller | undefined,
  options: DeepLinkOptions = {},
  shared?: SharedSnapshots,
): DeepLinks {
  checkDeepLinkOptions(options);
  const ttlMs = options.ttlMs ?? 7 * 24 * 60 * 60 * 1000;
  const maxCount = options.maxCount ?? 1000;
  const maxBytes = options.maxBytes ?? 1024 ** 3;
  // One snapshot never holds more than all of them may.
  const maxSnapshotBytes = Math.min(options.maxSnapshotBytes ?? 20 * 1024 ** 2, maxBytes);
  const components = shareableComponents(space);
  /** Oldest first (insertion order). */
  const snapshots = new Map<string, Snapshot>();
  let total = 0;
  let closed = false;

  const remove = (id: string) => {
    const snapshot = snapshots.get(id);
    if (!snapshot) return;
    snapshots.delete(id);
    total -= snapshot.bytes;
    const owner = `${SHARED_OWNER_PREFIX}${id}`;
    files.release(owner);
    files.drop(owner);
  };
  const sweep = (now = Date.now()) => {
    for (const [id, snapshot] of snapshots) if (snapshot.expires <= now) remove(id);
  };
  const sweeper = setInterval(sweep, Math.min(ttlMs, 60_000));
  sweeper.unref();

  const tooLarge = `A shared link holds at most ${formatBytes(maxSnapshotBytes)} (values and files together).`;
  const router = express.Router();
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: LINKS_PER_MINUTE,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    // Express's `request.ip` (so `trust proxy` applies), IPv6 by /56.
    keyGenerator: (request) => ipKeyGenerator(request.ip ?? "unknown"),
    validate: false,
    handler: (_request, response) =>
      refuse(
        response,
        429,
        `Too many shared links from your address (at most ${LINKS_PER_MINUTE} a minute). Wait a minute and share again.`,
      ),
  });
  router.post("/deep_link", limiter, express.json({ limit: maxSnapshotBytes }), async (request, response) => {
    const body = request.body as { session?: unknown; values?: unknown } | undefined;
    if (nestedTooDeep(body)) return void refuse(response, 400, `The snapshot is not valid: ${TOO_DEEP}.`);
    const values = body?.values;
    if (typeof values !== "object" || values === null || Array.isArray(values)) {
      return void refuse(
        response,
        400,
        'Send { "session": "<the page\'s session>", "values": { "<component id>": value, … } }.',
      );
    }
    const session =
      typeof body?.session === "string" && SESSION_PATTERN.test(body.session) ? body.session : "";
    const caller = identify(request);
    if (!session && !caller?.user) {
      return void refuse(response, 400, "The snapshot names no session: send the page's `session` id.");
    }
    const owner = ownerOf(session, caller);
    const checked: Record<string, unknown> = {};
    const sources: FileData[] = [];
    let bytes = 0;
    for (const [key, value] of Object.entries(values)) {
      const component = components.get(Number(key));
      if (!component || String(Number(key)) !== key) {
        return void refuse(
          response,
          400,
          `Component ${JSON.stringify(key)} is not an input or output of this demo; a snapshot holds only those.`,
        );
      }
      if (value !== null) {
        // Checked as the poster's session sees it: an `update` may have changed its choices.
        const current = (session && engine.updatedComponent(session, Number(key))) || component;
        const result = validate(current.schema, value);
        if (!result.success) {
          return void refuse(response, 400, `${describeComponent(component)}: ${result.error}.`);
        }
      }
      for (const file of findFiles(value)) {
        const record = files.claim(file.path, owner);
        if (record === undefined || record === "taken") {
          return void refuse(
            response,
            403,
            `${describeComponent(component)}: ${record === "taken" ? "this file belongs to another session" : "unknown file"}; a shared link can hold only your own uploads and results.`,
          );
        }
        sources.push(record);
        bytes += record.size ?? 0;
      }
      checked[key] = value;
    }
    bytes += Buffer.byteLength(JSON.stringify(checked));
    if (bytes > maxSnapshotBytes) {
      return void refuse(response, 413, `This snapshot is too large (${formatBytes(bytes)}). ${tooLarge}`);
    }
    const id = randomBytes(16).toString("base64url");
    const sharedOwner = `${SHARED_OWNER_PREFIX}${id}`;
    files.hold(sharedOwner);
    const copies = new Map<string, FileData>();
    try {
      for (const source of sources) {
        if (!copies.has(source.path)) copies.set(source.path, await files.copy(source.path, sharedOwner));
      }
    } catch {
      if (closed)
        return void refuse(response, 503, "The server is shutting down; share again once it is back.");
      files.release(sharedOwner);
      files.drop(sharedOwner);
      return void refuse(
        response,
        410,
        "A file of the snapshot is gone from the server; run the demo again and share.",
      );
    }
    if (closed)
      return void refuse(response, 503, "The server is shutting down; share again once it is back.");
    const kept = replaceFiles(checked, (file) => copies.get(file.path) ?? file) as Record<string, unknown>;
    sweep();
    const snapshot = { values: kept, bytes, expires: Date.now() + ttlMs };
    if (shared) {
      const stored = await shared.save(id, JSON.stringify(snapshot), ttlMs).then(
        () => true,
        () => false,
      );
      if (!stored) {
        files.release(sharedOwner);
        files.drop(sharedOwner);
        return void refuse(
          response,
          503,
          "The link could not be stored (Redis cannot be reached). Share again in a moment.",
        );
      }
    }
    snapshots.set(id, snapshot);
    total += bytes;
    for (const oldest of snapshots.keys()) {
      if (snapshots.size <= maxCount && total <= maxBytes) break;
      if (oldest !== id) remove(oldest);
    }
    response.status(201).json({ id, expires: new Date(Date.now() + ttlMs).toISOString() });
  });
  router.get("/deep_link/:id", async (request, response) => {
    const id = request.params.id;
    let snapshot = ID_PATTERN.test(id) ? snapshots.get(id) : undefined;
    // Made on another replica: kept in Redis (its files in the shared --files-dir).
    if (!snapshot && shared && ID_PATTERN.test(id)) {
      const json = await shared.load(id).catch(() => undefined);
      snapshot = json === undefined ? undefined : (JSON.parse(json) as Snapshot);
    }
    if (!snapshot || snapshot.expires <= Date.now()) {
      if (snapshot) remove(id);
      return void refuse(response, 404, "This shared link has expired or does not exist.");
    }
    response.setHeader("Cache-Control", "no-store");
    const types = Object.fromEntries(
      Object.keys(snapshot.values).map((key) => [key, components.get(Number(key))?.type]),
    );
    response.json({ values: snapshot.values, types });
  });
  // A body over the limit says which limit, rather than the server's generic "too large".
  router.use(
    (error: unknown, request: express.Request, response: express.Response, next: express.NextFunction) => {
      const { type, length } = (error ?? {}) as { type?: unknown; length?: unknown };
      if (type === "entity.too.large" && request.path === "/deep_link") {
        const size = typeof length === "number" ? ` (${formatBytes(length)})` : "";
        refuse(response, 413, `This snapshot is too large${size}. ${tooLarge}`);
      } else next(error);
    },
  );
  return {
    router,
    close() {
      closed = true;
      clearInterval(sweeper);
      for (const id of [...snapshots.keys()]) remove(id);
    },
  };
}

/** Refuses unknown `deepLinks` options and limits that are not positive numbers. */
export function checkDeepLinkOptions(options: DeepLinkOptions): void {
  for (const [name, value] of Object.entries(options)) {
    if (!["ttlMs", "maxCount", "maxBytes", "maxSnapshotBytes"].includes(name)) {
      throw new DeclarationError(
        `serve: unknown deepLinks option "${name}". Options: ttlMs, maxCount, maxBytes, maxSnapshotBytes.`,
      );
    }
    if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
      throw new DeclarationError(`serve: deepLinks.${name} must be a positive number, not ${String(value)}.`);
    }
  }
}

/** The components a snapshot may hold: every event's inputs and outputs, State aside. */
function shareableComponents(space: Space): Map<number, AnyComponent> {
  const found = new Map<number, AnyComponent>();
  for (const endpoint of space.endpoints) {
    const pairs = [
      ...endpoint.inputIds.map((id, i) => [id, endpoint.inputs[i]] as const),
      ...endpoint.outputIds.map((id, i) => [id, endpoint.outputs[i]] as const),
    ];
    for (const [id, component] of pairs) {
      if (component && component.type !== "state") found.set(id, component);
    }
  }
  return found;
}

function refuse(response: express.Response, status: number, message: string): void {
  response.status(status).json({ error: message, detail: message });
}
