import { createHash } from "node:crypto";
import { findFiles } from "../components/file-data.js";
import type { SpaceConfig } from "../config.js";
import type { Runner } from "../engine/engine.js";
import { ownerOf } from "../engine/engine.js";
import type { ServerMessage } from "../protocol.js";

/** The session the cache's runs belong to. */
const CACHE_SESSION = "cached-examples";
/** How long a row's outputs stay in Redis after a replica last read them (a day). */
const SHARED_RESULT_MS = 24 * 3_600_000;
/** How long a failed row is remembered in Redis: the replicas waiting for it give up, a later one retries. */
const SHARED_FAILURE_MS = 60_000;
/** How often a replica waiting for another's run of a row looks again. */
const SHARED_POLL_MS = 200;

/**
 * The cached examples' outputs shared by the replicas of an app (`--redis`): each row is computed
 * by the one replica holding its lock, and kept for the others and for those started later.
 */
export interface SharedExamples {
  /** What is kept for a row (JSON), keeping it `ttlMs` longer; undefined when nothing is. */
  read(key: string, ttlMs: number): Promise<string | undefined>;
  /** Takes the row's lock (renewed while held) unless another process holds it: its release, or undefined. */
  lock(key: string): Promise<(() => Promise<void>) | undefined>;
  /** Keeps what a row gave (JSON) for `ttlMs`. */
  write(key: string, json: string, ttlMs: number): Promise<void>;
}

/** Options of {@link ExampleCache} for replicas sharing Redis. */
export interface ExampleCacheOptions {
  /** Where rows are locked and kept for every replica. */
  shared: SharedExamples;
  /** Whether the file store has this file (a kept row whose files expired is computed again). */
  owns: (path: string) => boolean;
}

/** A dataset whose rows' outputs are cached: its rows, how, and the event that computes them. */
interface CachedDataset {
  /** Each row as the event's inputs: the table's columns, and the other inputs' initial values. */
  samples: unknown[][];
  /** Each row's key in Redis: its event and inputs, so a changed example is never served old outputs. */
  keys: string[];
  mode: "eager" | "lazy";
  dependency: number;
  label: string;
}

/**
 * The outputs of examples declared with `cacheExamples`, computed once through the engine (so
 * queues, limits, pre/postprocessing and files are a visitor's run's) and shared by everyone.
 * `true` ("eager"): every row runs in the background after start-up, one at a time, so visitors'
 * runs take turns with them; `"lazy"`: a row runs on its first request, once however many ask.
 * A row that fails is logged with its index and left uncached: its click runs `fn` as usual.
 *
 * With {@link ExampleCacheOptions} (replicas sharing Redis), runs go through the shared queue (a
 * web-only replica leaves them to the workers), and each row runs once for all replicas: the one
 * that takes the row's lock runs it and keeps its outputs in Redis (files in the shared files
 * folder); the others wait for them, and a replica started later reads them.
 */
export class ExampleCache {
  readonly #engine: Pick<Runner, "submit">;
  readonly #shared: ExampleCacheOptions | undefined;
  readonly #datasets = new Map<number, CachedDataset>();
  /** Each row's run (its outputs, undefined when it failed) and whether it is done, by `dataset:row`. */
  readonly #results = new Map<
    string,
    { outputs: Promise<unknown[] | undefined | typeof BUSY>; done: boolean }
  >();
  readonly #logError: (message: string, error: unknown) => void;
  #jobs = 0;
  #closed = false;
  /** Who owns the files of the cached outputs: the server holds them while it runs. */
  readonly owner = ownerOf(CACHE_SESSION, undefined);

  constructor(
    config: SpaceConfig,
    engine: Pick<Runner, "submit">,
    logError: (message: string, error: unknown) => void,
    shared?: ExampleCacheOptions,
  ) {
    this.#engine = engine;
    this.#logError = logError;
    this.#shared = shared;
    const initial = new Map(config.components.map((component) => [component.id, component.props.value]));
    for (const component of config.components) {
      const { cache, dependency, samples, label, components } = component.props;
      if (component.type !== "dataset" || (cache !== "eager" && cache !== "lazy")) continue;
      const columns = components as number[];
      const inputs = config.dependencies.find((dep) => dep.id === dependency)?.inputs ?? [];
      // A chat's event also takes the conversation (empty) and its additional inputs.
      const asInputs = (row: unknown[]) =>
        inputs.map((id) => {
          const column = columns.indexOf(id);
          return column >= 0 ? row[column] : structuredClone(initial.get(id) ?? null);
        });
      const rows = (samples as unknown[][]).map(asInputs);
      this.#datasets.set(component.id, {
        samples: rows,
        keys: rows.map((row) =>
          createHash("sha256")
            .update(JSON.stringify([dependency, row]))
            .digest("hex")
            .slice(0, 32),
        ),
        mode: cache,
        dependency: dependency as number,
        label: String(label ?? "Examples"),
      });
    }
  }

  /**
   * Starts computing the eager datasets' rows in the background; resolves when all are done.
   * Shared, rows another replica is running are passed over first, then waited for.
   */
  async fillEager(): Promise<void> {
    const later: [number, number, CachedDataset][] = [];
    for (const [id, dataset] of this.#datasets) {
      if (dataset.mode !== "eager") continue;
      for (const index of dataset.samples.keys()) {
        if (this.#closed) return;
        if ((await this.#compute(id, index, dataset, false)) === BUSY) later.push([id, index, dataset]);
      }
    }
    for (const [id, index, dataset] of later) {
      if (this.#closed) return;
      await this.#compute(id, index, dataset);
    }
  }

  /**
   * A row's cached outputs; a lazy row's first request computes them. Undefined when the row is
   * not cached (no such row, an eager row not done yet, or one that failed).
   */
  async get(datasetId: number, index: number): Promise<unknown[] | undefined> {
    const dataset = this.#datasets.get(datasetId);
    if (!dataset || !Number.isSafeInteger(index) || index < 0 || index >= dataset.samples.length)
      return undefined;
    const known = this.#results.get(`${datasetId}:${index}`);
    // An eager row still running is not waited for: the page runs it as usual meanwhile.
    if (dataset.mode === "eager") {
      if (known?.done) return ready(await known.outputs);
      // Another replica may have kept it already.
      const kept = this.#shared ? await this.#kept(dataset, index).catch(() => undefined) : undefined;
      return Array.isArray(kept) ? kept : undefined;
    }
    return ready(await this.#compute(datasetId, index, dataset));
  }

  /**
   * Computes every row, lazy or not (a static build's, which no later visitor can share), and
   * gives the outputs of those that succeeded.
   */
  async computeAll(): Promise<{ dataset: number; index: number; outputs: unknown[] }[]> {
    const done: { dataset: number; index: number; outputs: unknown[] }[] = [];
    for (const [id, dataset] of this.#datasets) {
      for (const index of dataset.samples.keys()) {
        const outputs = ready(await this.#compute(id, index, dataset));
        if (outputs) done.push({ dataset: id, index, outputs });
      }
    }
    return done;
  }

  /** Stops starting new runs (the server is closing). */
  close(): void {
    this.#closed = true;
  }

  /**
   * A row's outputs, run once in this process (shared: once over every replica); with `wait`
   * false a row another replica is running gives {@link BUSY} and is not remembered.
   */
  #compute(
    datasetId: number,
    index: number,
    dataset: CachedDataset,
    wait = true,
  ): Promise<unknown[] | undefined | typeof BUSY> {
    const key = `${datasetId}:${index}`;
    const running = this.#results.get(key);
    if (running) return running.outputs;
    const computed = this.#shared ? this.#fromShared(dataset, index, wait) : this.#run(dataset, index);
    const outputs = computed.catch((error: unknown) => {
      // A run cut short by the server closing is no fault of the example.
      if (this.#closed) return undefined;
      this.#logError(
        `Example ${index + 1} of "${dataset.label}" could not be cached (${messageOf(error)}); ` +
          "clicking it runs the function as usual. Fix the example or the function to cache it.",
        error,
      );
      return undefined;
    });
    const entry = { outputs, done: false };
    this.#results.set(key, entry);
    void outputs.then((value) => {
      if (value !== BUSY) entry.done = true;
      else if (this.#results.get(key) === entry) this.#results.delete(key);
    });
    return outputs;
  }

  /**
   * A row's outputs through Redis: kept ones if their files are still there; else run here under
   * the row's lock and kept for the others. Another replica running it is waited for (`wait`), or
   * gives {@link BUSY}. Undefined when the row failed (here or on another replica, within a minute).
   */
  async #fromShared(
    dataset: CachedDataset,
    index: number,
    wait: boolean,
  ): Promise<unknown[] | undefined | typeof BUSY> {
    const { shared } = this.#shared as ExampleCacheOptions;
    const key = dataset.keys[index] as string;
    for (;;) {
      const kept = await this.#kept(dataset, index);
      if (kept !== undefined) return kept === FAILED ? undefined : kept;
      const release = await shared.lock(key);
      if (release) {
        try {
          // Another replica may have finished it between the look and the lock.
          const again = await this.#kept(dataset, index);
          if (again !== undefined) return again === FAILED ? undefined : again;
          let outputs: unknown[];
          try {
            outputs = await this.#run(dataset, index);
          } catch (error) {
            // The replicas waiting for it stop waiting (unless Redis is away: they wait for the lock to lapse).
            if (!this.#closed) {
              await shared.write(key, JSON.stringify({ failed: true }), SHARED_FAILURE_MS).catch(() => {});
            }
            throw error;
          }
          await shared.write(key, JSON.stringify({ outputs }), SHARED_RESULT_MS);
          return outputs;
        } finally {
          await release();
        }
      }
      if (!wait || this.#closed) return BUSY;
      await new Promise((resolve) => setTimeout(resolve, SHARED_POLL_MS));
    }
  }

  /** What Redis keeps for a row: its outputs (when their files are all still there), or {@link FAILED}. */
  async #kept(dataset: CachedDataset, index: number): Promise<unknown[] | typeof FAILED | undefined> {
    const { shared, owns } = this.#shared as ExampleCacheOptions;
    const json = await shared.read(dataset.keys[index] as string, SHARED_RESULT_MS);
    if (json === undefined) return undefined;
    const kept = JSON.parse(json) as { outputs?: unknown[]; failed?: boolean };
    if (kept.failed) return FAILED;
    if (!Array.isArray(kept.outputs)) return undefined;
    return findFiles(kept.outputs).every((file) => owns(file.path)) ? kept.outputs : undefined;
  }

  #run(dataset: CachedDataset, index: number): Promise<unknown[]> {
    const id = `example-${++this.#jobs}`;
    return new Promise((resolve, reject) => {
      const send = (message: ServerMessage): void => {
        if (!("id" in message) || message.id !== id) return;
        if (message.type === "complete") resolve(message.data as unknown[]);
        else if (message.type === "error" || message.type === "cancelled")
          reject(new Error(message.type === "error" ? message.message : "the run was cancelled"));
      };
      const refusal = this.#engine.submit(
        CACHE_SESSION,
        { id, endpoint: dataset.dependency, data: structuredClone(dataset.samples[index] as unknown[]) },
        send,
      );
      if (refusal) reject(new Error(refusal.message));
    });
  }
}

/** A row another replica is running. */
const BUSY = Symbol("busy");
/** A row that failed on another replica within the last minute. */
const FAILED = Symbol("failed");

/** Outputs, or undefined for a row not cached (failed, or run by another replica still). */
function ready(outputs: unknown[] | undefined | typeof BUSY): unknown[] | undefined {
  return outputs === BUSY ? undefined : outputs;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
