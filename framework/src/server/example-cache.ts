import type { SpaceConfig } from "../config.js";
import type { Engine } from "../engine/engine.js";
import { ownerOf } from "../engine/engine.js";
import type { ServerMessage } from "../protocol.js";

/** The session the cache's runs belong to. */
const CACHE_SESSION = "cached-examples";

/** A dataset whose rows' outputs are cached: its rows, how, and the event that computes them. */
interface CachedDataset {
  /** Each row as the event's inputs: the table's columns, and the other inputs' initial values. */
  samples: unknown[][];
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
 */
export class ExampleCache {
  readonly #engine: Engine;
  readonly #datasets = new Map<number, CachedDataset>();
  /** Each row's run (its outputs, undefined when it failed) and whether it is done, by `dataset:row`. */
  readonly #results = new Map<string, { outputs: Promise<unknown[] | undefined>; done: boolean }>();
  readonly #logError: (message: string, error: unknown) => void;
  #jobs = 0;
  #closed = false;
  /** Who owns the files of the cached outputs: the server holds them while it runs. */
  readonly owner = ownerOf(CACHE_SESSION, undefined);

  constructor(config: SpaceConfig, engine: Engine, logError: (message: string, error: unknown) => void) {
    this.#engine = engine;
    this.#logError = logError;
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
      this.#datasets.set(component.id, {
        samples: (samples as unknown[][]).map(asInputs),
        mode: cache,
        dependency: dependency as number,
        label: String(label ?? "Examples"),
      });
    }
  }

  /** Starts computing the eager datasets' rows in the background; resolves when all are done. */
  async fillEager(): Promise<void> {
    for (const [id, dataset] of this.#datasets) {
      if (dataset.mode !== "eager") continue;
      for (const index of dataset.samples.keys()) {
        if (this.#closed) return;
        await this.#compute(id, index, dataset);
      }
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
    if (dataset.mode === "eager") return known?.done ? known.outputs : undefined;
    return this.#compute(datasetId, index, dataset);
  }

  /**
   * Computes every row, lazy or not (a static build's, which no later visitor can share), and
   * gives the outputs of those that succeeded.
   */
  async computeAll(): Promise<{ dataset: number; index: number; outputs: unknown[] }[]> {
    const done: { dataset: number; index: number; outputs: unknown[] }[] = [];
    for (const [id, dataset] of this.#datasets) {
      for (const index of dataset.samples.keys()) {
        const outputs = await this.#compute(id, index, dataset);
        if (outputs) done.push({ dataset: id, index, outputs });
      }
    }
    return done;
  }

  /** Stops starting new runs (the server is closing). */
  close(): void {
    this.#closed = true;
  }

  #compute(datasetId: number, index: number, dataset: CachedDataset): Promise<unknown[] | undefined> {
    const key = `${datasetId}:${index}`;
    const running = this.#results.get(key);
    if (running) return running.outputs;
    const outputs = this.#run(dataset, index).catch((error: unknown) => {
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
    void outputs.then(() => {
      entry.done = true;
    });
    return outputs;
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
