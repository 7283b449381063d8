import { randomUUID } from "node:crypto";
import { appendFile, copyFile, mkdir, rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { join, resolve } from "node:path";
import express from "express";
import type { AnyComponent } from "../components/component.js";
import type { FileData } from "../components/file-data.js";
import { findFiles, replaceFiles } from "../components/file-data.js";
import type { Caller } from "../context.js";
import { ownerOf } from "../engine/engine.js";
import { isUpdate } from "../events.js";
import { formatBytes } from "../format.js";
import { nestedTooDeep, TOO_DEEP } from "../limits.js";
import type { PredictMessage, Send } from "../protocol.js";
import type { FlaggingParts, Space } from "../space.js";
import type { NodeFileStore } from "./files.js";
import { safeName } from "./files.js";

/** Options of {@link flagging}. */
export interface FlaggingOptions {
  /** The app's folder: `flaggingDir` is relative to it. */
  root: string;
  /** Who sent a request (sign-in), for `username`. */
  identify: (request: IncomingMessage) => Caller | undefined;
  /** Where a failed automatic flag is logged. */
  logError: (message: string, error: unknown) => void;
  /** Largest flagged run, values and files together (default 100 MB). */
  maxFlagBytes?: number;
  /**
   * Where flags are written instead of the Space's `flaggingDir` (relative to the working folder):
   * a folder every replica shares (`--flagging-dir`).
   */
  dir?: string;
  /** Where each page's last run and flag count are kept (default: this process's memory; Redis for replicas). */
  runs?: FlagRuns;
}

/** What a page's last run took and gave, as the server ran it (files by their file-store path). */
export interface FlaggableRun {
  inputs: readonly unknown[];
  outputs: readonly unknown[];
  /** The signed-in visitor who ran it. */
  username?: string;
}

/**
 * Where flagging keeps each page's last run and counts its flags: this process's memory, or Redis
 * (`--redis`), so a flag sent to any replica finds the run and the limit holds over all of them.
 */
export interface FlagRuns {
  /** Keeps the session's last run, replacing the one before (resolves once any replica can read it). */
  save(session: string, run: FlaggableRun): void | Promise<void>;
  /** The session's last run; `{ tooLarge, most }` (its values' size, the most kept, in bytes) when it was too large to keep. */
  load(session: string): Promise<FlaggableRun | { tooLarge: number; most: number } | undefined>;
  /** Counts one flag of the session: how many it sent in this minute, this one included. */
  count(session: string): Promise<number>;
  /** The page left this process. */
  forget(session: string): void;
  /** Runs `write` while no other process writes to the flags folder `dir`. */
  exclusive<T>(dir: string, write: () => Promise<T>): Promise<T>;
}

/** What a server does for flagging: remembers each page's last run and writes flags. */
export interface Flagging {
  /** The Send a page's predict gets: the flagged endpoint's `complete` is remembered (and with `auto` flagged). */
  watch(session: string, caller: Caller | undefined, request: PredictMessage, send: Send): Send;
  /** `POST /flag`, to mount under `/gradio_api`: flags the session's last run. */
  readonly router: express.Router;
  /** The page's session is over: its last run is forgotten. */
  forget(session: string): void;
  /** Resolves once every flag accepted so far is on disk. */
  close(): Promise<void>;
}

/** One line of `<dir>/<endpoint>.jsonl`. */
export interface FlaggedLine {
  flagged_at: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  reason: string | null;
  username?: string;
}

/** Most pages whose last run is kept; past it the oldest is forgotten. */
const MAX_SESSIONS = 10_000;
/** Most flags one page may send a minute. */
const FLAGS_PER_MINUTE = 20;
/** A flag request is a session id and a reason. */
const MAX_BODY_BYTES = 4096;
/** Most bytes of a run's values (files by path) kept in Redis for flagging by any replica. */
export const MAX_SHARED_RUN_BYTES = 16 * 1024 ** 2;
const SESSION_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Flagging for a Space whose Interface sets `flagging`: the WebSocket transport passes each
 * predict through {@link Flagging.watch}, which keeps the session's last completed run of the
 * flagged endpoint (the inputs the engine accepted, the outputs it sent: nothing the page says
 * afterwards). `POST /gradio_api/flag` `{ session, reason? }` writes that run as one JSON line,
 * copying its files under `files/<uuid>/`; with `auto` every completed run is written. Writes go
 * one after another, one append per line, so lines never interleave. With {@link FlaggingOptions.runs}
 * from Redis, the runs and counts are shared by the replicas and their writes take turns too.
 */
export function flagging(space: Space, files: NodeFileStore, options: FlaggingOptions): Flagging {
  const parts = space.flagging as FlaggingParts;
  const endpoint = space.endpoint(parts.endpoint);
  if (!endpoint) throw new Error(`flagging: the Space has no endpoint "${parts.endpoint}".`);
  const dir = options.dir === undefined ? resolve(options.root, parts.dir) : resolve(options.dir);
  const jsonl = join(dir, `${safeName(endpoint.apiName)}.jsonl`);
  const maxFlagBytes = options.maxFlagBytes ?? 100 * 1024 ** 2;
  const names = (components: readonly AnyComponent[]) => uniqueNames(components);
  const inputNames = names(endpoint.inputs);
  const outputNames = names(endpoint.outputs);
  const runs = options.runs ?? memoryRuns();
  let writing: Promise<unknown> = Promise.resolve();

  /** Writes one run: its files copied first, then its line appended (in turn with every other flag). */
  const write = (run: FlaggableRun, owner: string, reason: string | null, username: string | undefined) => {
    const done = writing.then(() =>
      runs.exclusive(dir, async () => {
        const inputs = record(inputNames, endpoint.inputs, run.inputs);
        const outputs = record(outputNames, endpoint.outputs, run.outputs.map(unwrapUpdate));
        const sources: { file: FileData; absolute: string }[] = [];
        let bytes = 0;
        for (const file of findFiles([inputs, outputs])) {
          const claimed = files.claim(file.path, owner);
          const stored = claimed && claimed !== "taken" ? files.lookup(file.path) : undefined;
          if (!stored || claimed === undefined || claimed === "taken") throw new FlagError(410, GONE);
          sources.push({ file: claimed, absolute: stored.absolute });
          bytes += stored.size;
        }
        bytes += Buffer.byteLength(JSON.stringify([inputs, outputs]));
        if (bytes > maxFlagBytes) {
          throw new FlagError(413, tooLarge(bytes, maxFlagBytes));
        }
        const copies = new Map<string, Record<string, unknown>>();
        const made: string[] = [];
        try {
          for (const { file, absolute } of sources) {
            if (copies.has(file.path)) continue;
            const folder = randomUUID();
            const name = safeName(file.orig_name ?? "file");
            await mkdir(join(dir, "files", folder), { recursive: true });
            made.push(join(dir, "files", folder));
            await copyFile(absolute, join(dir, "files", folder, name));
            copies.set(file.path, {
              path: `files/${folder}/${name}`,
              orig_name: file.orig_name ?? name,
              mime_type: file.mime_type ?? null,
              size: file.size ?? null,
            });
          }
          const line: FlaggedLine = {
            flagged_at: new Date().toISOString(),
            inputs: replaceFiles(inputs, (file) => copies.get(file.path) as never) as Record<string, unknown>,
            outputs: replaceFiles(outputs, (file) => copies.get(file.path) as never) as Record<
              string,
              unknown
            >,
            reason,
            ...(username ? { username } : {}),
          };
          await mkdir(dir, { recursive: true });
          await appendFile(jsonl, `${JSON.stringify(line)}\n`);
        } catch (error) {
          for (const folder of made) await rm(folder, { recursive: true, force: true });
          throw error;
        }
      }),
    );
    writing = done.catch(() => {});
    return done;
  };

  const router = express.Router();
  router.post("/flag", express.json({ limit: MAX_BODY_BYTES }), async (request, response) => {
    const body = request.body as { session?: unknown; reason?: unknown } | undefined;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return void refuse(
        response,
        400,
        'Send { "session": "<the page\'s session>", "reason": "<a reason>" }.',
      );
    }
    if (nestedTooDeep(body)) return void refuse(response, 400, `The flag request is not valid: ${TOO_DEEP}.`);
    for (const key of Object.keys(body)) {
      if (key !== "session" && key !== "reason") {
        return void refuse(
          response,
          400,
          `${key}: a flag takes only "session" and "reason"; the server flags the result it sent that session.`,
        );
      }
    }
    if (typeof body.session !== "string" || !SESSION_PATTERN.test(body.session)) {
      return void refuse(
        response,
        400,
        "session: send the page's session id (16 to 64 letters, digits, - or _).",
      );
    }
    const session = body.session;
    const reason = body.reason ?? null;
    if (parts.options.length === 0 && reason !== null) {
      return void refuse(response, 400, "reason: this demo offers no reasons; flag without one.");
    }
    if (parts.options.length > 0 && (typeof reason !== "string" || !parts.options.includes(reason))) {
      return void refuse(
        response,
        400,
        `reason: pick one of ${parts.options.map((option) => JSON.stringify(option)).join(", ")}, not ${JSON.stringify(reason)}.`,
      );
    }
    let run: FlaggableRun | { tooLarge: number; most: number } | undefined;
    try {
      if ((await runs.count(session)) > FLAGS_PER_MINUTE) {
        return void refuse(
          response,
          429,
          `Too many flags from this page (at most ${FLAGS_PER_MINUTE} a minute). Wait a minute and flag again.`,
        );
      }
      run = await runs.load(session);
    } catch (error) {
      options.logError("[spacecraft] the last run could not be read for a flag:", error);
      return void refuse(
        response,
        503,
        "The server could not read this page's last run just now; flag again in a moment.",
      );
    }
    if (!run) {
      return void refuse(response, 409, "Nothing to flag yet: run the demo, then flag its result.");
    }
    if ("tooLarge" in run) return void refuse(response, 413, tooLarge(run.tooLarge, run.most));
    const username = options.identify(request)?.user?.username ?? run.username;
    try {
      await write(run, runOwner(session, run), reason as string | null, username);
    } catch (error) {
      if (error instanceof FlagError) return void refuse(response, error.status, error.message);
      throw error;
    }
    response.status(201).json({ flagged: true });
  });
  router.use(
    (error: unknown, request: express.Request, response: express.Response, next: express.NextFunction) => {
      const { type } = (error ?? {}) as { type?: unknown };
      if (type === "entity.too.large" && request.path === "/flag") {
        refuse(
          response,
          413,
          `The flag request is too large (over ${formatBytes(MAX_BODY_BYTES)}): send only "session" and "reason".`,
        );
      } else next(error);
    },
  );

  return {
    watch(session, caller, request, send) {
      if (space.endpoint(request.endpoint) !== endpoint) return send;
      return (message) => {
        if (message.type !== "complete" || message.id !== request.id) return send(message);
        const username = caller?.user?.username;
        const run: FlaggableRun = {
          inputs: request.data,
          outputs: message.data,
          ...(username === undefined ? {} : { username }),
        };
        if (parts.mode === "auto") {
          write(run, ownerOf(session, caller), null, username).catch((error: unknown) =>
            options.logError("[spacecraft] a run could not be flagged:", error),
          );
        }
        // Kept before the page hears of it: a flag it sends next (to any replica) finds it.
        const saved = runs.save(session, run);
        if (!saved) return send(message);
        saved.then(
          () => send(message),
          (error: unknown) => {
            options.logError("[spacecraft] the last run could not be kept for flagging:", error);
            send(message);
          },
        );
      };
    },
    router,
    forget(session) {
      runs.forget(session);
    },
    async close() {
      await writing;
    },
  };
}

/** The owner of a run's files: its signed-in visitor, else its page. */
function runOwner(session: string, run: FlaggableRun): string {
  return ownerOf(session, run.username === undefined ? undefined : { user: { username: run.username } });
}

function tooLarge(bytes: number, maxFlagBytes: number): string {
  return `This result is too large to flag (${formatBytes(bytes)}); a flag holds at most ${formatBytes(maxFlagBytes)}.`;
}

/** Each page's last run and flag count in this process's memory, for the last {@link MAX_SESSIONS} pages. */
function memoryRuns(): FlagRuns {
  const runs = new Map<string, FlaggableRun>();
  const counts = new Map<string, { count: number; since: number }>();
  return {
    save(session, run) {
      runs.delete(session);
      runs.set(session, run);
      if (runs.size > MAX_SESSIONS) runs.delete(runs.keys().next().value as string);
    },
    async load(session) {
      return runs.get(session);
    },
    async count(session) {
      const now = Date.now();
      const count = counts.get(session);
      if (count && now - count.since < 60_000) return ++count.count;
      counts.delete(session);
      counts.set(session, { count: 1, since: now });
      if (counts.size > MAX_SESSIONS) counts.delete(counts.keys().next().value as string);
      return 1;
    },
    forget(session) {
      runs.delete(session);
      counts.delete(session);
    },
    exclusive: (_dir, write) => write(),
  };
}

const GONE = "A file of this result is gone from the server; run the demo again and flag it.";

class FlagError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Values by component name; State (whose value never leaves the engine) left out. */
function record(names: readonly string[], components: readonly AnyComponent[], values: readonly unknown[]) {
  const result: Record<string, unknown> = {};
  components.forEach((component, i) => {
    if (component.type !== "state") result[names[i] as string] = values[i] ?? null;
  });
  return result;
}

/** An output given as an update counts by its value. */
function unwrapUpdate(value: unknown): unknown {
  return isUpdate(value) ? ((value as { value?: unknown }).value ?? null) : value;
}

/** Each component's label, else its type and position; a repeated name gets " (2)", " (3)" … */
function uniqueNames(components: readonly AnyComponent[]): string[] {
  const seen = new Map<string, number>();
  return components.map((component, i) => {
    const label = component.props.label;
    const base = typeof label === "string" && label ? label : `${component.type} ${i + 1}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base} (${count})`;
  });
}

function refuse(response: express.Response, status: number, message: string): void {
  response.status(status).json({ error: message, detail: message });
}
