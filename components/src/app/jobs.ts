import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { DependencyConfig } from "spacecraft";
import type { JobHandle, JobMessage, Transport } from "spacecraft/client";
import type { JobStatus } from "./status.js";

/** A component element as the shell drives it. */
export type ValueElement = HTMLElement & {
  value: unknown;
  error: string;
  uploading?: boolean;
  uploadComplete?: Promise<void>;
};

/** What the job runner needs from its page. */
export interface JobPage extends ReactiveControllerHost {
  readonly transport: Transport | undefined;
  /** The element of a component (none for a `state` or a layout block). */
  elementFor(id: number): ValueElement | undefined;
  /** Gives an output a result value (or an update of its props). */
  setOutput(id: number, value: unknown): void;
  /** Shows a message that belongs to no output. */
  notify(message: string): void;
}

/** How a run ended, for the steps chained after it. */
type Outcome = "complete" | "error" | "cancelled";

/**
 * Runs a page's dependencies over its transport: trigger modes (`once` ignores a trigger while
 * running, `multiple` runs alongside, `always_last` runs once more with the latest values),
 * `cancels`, `.then`/`.success` chains, waiting for uploads in progress, and a status per run
 * (shown above the dependency's first output).
 */
export class JobController implements ReactiveController {
  /** The latest status of the runs whose first output is this one, by the output's id. */
  readonly #statuses = new Map<number, JobStatus>();
  /** This page's runs of each dependency (a run waiting for an upload is one too). */
  readonly #runs = new Map<number, Set<JobHandle>>();
  /**
   * `always_last` dependencies triggered while running: they run once more when done, with the
   * latest trigger's event data.
   */
  readonly #rerun = new Map<number, unknown>();

  constructor(
    private readonly page: JobPage,
    readonly dependencies: readonly DependencyConfig[],
  ) {
    page.addController(this);
    // Runs the page sent before it went live (the server page's first script, from its drawing):
    // shown, stoppable and chained as if this page had sent them.
    for (const early of page.transport?.early ?? []) {
      const dependency = dependencies.find((each) => each.id === early.endpoint);
      if (dependency) this.#start(dependency, (onMessage) => early.follow(onMessage));
    }
  }

  hostDisconnected(): void {
    for (const id of this.#runs.keys()) this.cancel(id);
  }

  /** Whether a dependency has a run in progress on this page. */
  isRunning(id: number): boolean {
    return (this.#runs.get(id)?.size ?? 0) > 0;
  }

  /**
   * A trigger of `dependency` fired: cancel what it cancels, then run it as its mode says.
   * `eventData` is what the event carries (a select's `{ index, value, selected }`).
   */
  trigger(dependency: DependencyConfig, eventData?: unknown): void {
    this.page.notify("");
    this.#trigger(dependency, eventData);
  }

  #trigger(dependency: DependencyConfig, eventData?: unknown): void {
    for (const id of dependency.cancels ?? []) this.cancel(id);
    if (!dependency.backend_fn) {
      this.#chain(dependency, "complete");
      return;
    }
    if (this.isRunning(dependency.id)) {
      if (dependency.trigger_mode === "always_last") this.#rerun.set(dependency.id, eventData);
      if (dependency.trigger_mode !== "multiple") return;
    }
    this.#submit(dependency, eventData);
  }

  /** Stops this page's runs of a dependency, and its pending re-run. */
  cancel(id: number): void {
    this.#rerun.delete(id);
    for (const run of [...(this.#runs.get(id) ?? [])]) run.cancel();
  }

  /** The status line above an output: idle until a dependency whose first output it is runs. */
  statusAt(id: number): JobStatus | undefined {
    const status = this.#statuses.get(id);
    if (status) return status;
    // Worked out once (the page's elements are all there by then), not per output and render.
    this.#statusIds ??= new Set(this.dependencies.map((dependency) => this.#statusAt(dependency)));
    return this.#statusIds.has(id) ? { stage: "idle" } : undefined;
  }

  /** The outputs that show a dependency's status line. */
  #statusIds: Set<number | undefined> | undefined;

  /** Shows the idle state above these outputs (after Clear), unless their dependency runs. */
  reset(outputIds: readonly number[]): void {
    for (const dependency of this.dependencies) {
      const at = this.#statusAt(dependency);
      if (at !== undefined && outputIds.includes(at) && !this.isRunning(dependency.id))
        this.#statuses.delete(at);
    }
    this.page.requestUpdate();
  }

  /**
   * An example with cached outputs was picked: this page's runs of the dependency stop and its
   * outputs show `pending` until {@link showCached} (or a run, when nothing was cached).
   */
  awaitCached(dependency: DependencyConfig): void {
    this.page.notify("");
    this.cancel(dependency.id);
    this.#mark(dependency, "pending", true);
  }

  /** Shows an example's cached outputs as a run's result (no job), then runs the chained steps. */
  showCached(dependency: DependencyConfig, data: unknown[]): void {
    this.#mark(dependency, "pending", false);
    this.#setOutputs(dependency, data);
    const at = this.#statusAt(dependency);
    if (at !== undefined) this.#statuses.delete(at);
    this.page.requestUpdate();
    this.#chain(dependency, "complete");
  }

  #submit(dependency: DependencyConfig, eventData?: unknown): void {
    const transport = this.page.transport;
    if (!transport) return;
    const runs = this.#runsOf(dependency.id);
    const elements = dependency.inputs.map((id) => this.page.elementFor(id));
    const uploading = elements.filter((element) => element?.uploading) as ValueElement[];
    if (uploading.length > 0) {
      // A file still uploading: send once it is there (and not at all if the upload failed).
      const waiting: JobHandle = {
        id: "",
        cancel: () => {
          runs.delete(waiting);
          this.#end(dependency, "cancelled", { stage: "cancelled" });
        },
      };
      runs.add(waiting);
      this.#setStatus(dependency, { stage: "pending" });
      void Promise.all(uploading.map((element) => element.uploadComplete)).then(() => {
        if (!runs.delete(waiting)) return;
        if (uploading.some((element) => element.error)) this.#end(dependency, "error", { stage: "idle" });
        else this.#submit(dependency, eventData);
      });
      return;
    }
    const data = elements.map((element) => {
      if (element) element.error = "";
      return element?.value ?? null;
    });
    this.#start(dependency, (onMessage) => transport.submit(dependency.id, data, onMessage, eventData));
  }

  /** Shows a run of `dependency` as pending and follows it: `send` starts it (or takes it over). */
  #start(dependency: DependencyConfig, send: (onMessage: (message: JobMessage) => void) => JobHandle): void {
    this.#mark(dependency, "pending", true);
    this.#mark(dependency, "busy", true);
    this.#setStatus(dependency, { stage: "pending" });
    const run: { handle?: JobHandle } = {};
    run.handle = send((message) => this.#onMessage(dependency, run.handle, message));
    this.#runsOf(dependency.id).add(run.handle);
  }

  #onMessage(dependency: DependencyConfig, handle: JobHandle | undefined, message: JobMessage): void {
    const at = this.#statusAt(dependency);
    const previous = at === undefined ? undefined : this.#statuses.get(at);
    const generating = previous?.stage === "generating" ? previous : undefined;
    switch (message.type) {
      case "queued":
        this.#setStatus(dependency, {
          stage: "queued",
          position: message.position,
          size: message.size,
          eta: message.eta,
        });
        return;
      case "started":
        this.#setStatus(dependency, { stage: "generating", startedAt: performance.now(), eta: message.eta });
        return;
      case "progress":
        this.#setStatus(dependency, {
          stage: "generating",
          startedAt: generating?.startedAt ?? performance.now(),
          eta: generating?.eta,
          progress: { value: message.value, total: message.total, desc: message.desc },
        });
        return;
      case "partial":
        this.#setOutputs(dependency, message.data);
        this.#mark(dependency, "pending", false);
        return;
      case "complete":
        this.#runs.get(dependency.id)?.delete(handle as JobHandle);
        this.#setOutputs(dependency, message.data);
        this.#end(dependency, "complete", { stage: "complete", duration: message.duration });
        return;
      case "cancelled":
        this.#runs.get(dependency.id)?.delete(handle as JobHandle);
        this.#end(dependency, "cancelled", { stage: "cancelled" });
        return;
      case "error": {
        this.#runs.get(dependency.id)?.delete(handle as JobHandle);
        const field = message.field === undefined ? undefined : this.page.elementFor(message.field);
        if (field) {
          field.error = message.message;
          field.focus();
        }
        this.#end(
          dependency,
          "error",
          field ? { stage: "idle" } : { stage: "error", message: message.message },
        );
        return;
      }
    }
  }

  /** A run ended: show it, run again if triggered meanwhile (`always_last`), then the chained steps. */
  #end(dependency: DependencyConfig, outcome: Outcome, status: JobStatus): void {
    const running = this.isRunning(dependency.id);
    if (!running) {
      this.#mark(dependency, "pending", false);
      this.#mark(dependency, "busy", false);
    }
    if (status.stage === "error" && this.#statusAt(dependency) === undefined)
      this.page.notify(status.message);
    this.#setStatus(dependency, status);
    if (!running && this.#rerun.has(dependency.id)) {
      const eventData = this.#rerun.get(dependency.id);
      this.#rerun.delete(dependency.id);
      this.#submit(dependency, eventData);
    }
    this.#chain(dependency, outcome);
  }

  #chain(dependency: DependencyConfig, outcome: Outcome): void {
    for (const next of this.dependencies) {
      if (next.trigger_after !== dependency.id) continue;
      if (next.trigger_only_on_success && outcome !== "complete") continue;
      this.#trigger(next);
    }
  }

  #runsOf(id: number): Set<JobHandle> {
    const runs = this.#runs.get(id) ?? new Set<JobHandle>();
    this.#runs.set(id, runs);
    return runs;
  }

  /** The output the status of a dependency shows above: its first one on the page. */
  #statusAt(dependency: DependencyConfig): number | undefined {
    return dependency.outputs.find((id) => this.page.elementFor(id));
  }

  #setStatus(dependency: DependencyConfig, status: JobStatus): void {
    const at = this.#statusAt(dependency);
    if (at === undefined || (dependency.show_progress === "hidden" && status.stage !== "error")) return;
    this.#statuses.set(at, status);
    this.page.requestUpdate();
  }

  #setOutputs(dependency: DependencyConfig, data: unknown[]): void {
    dependency.outputs.forEach((id, i) => {
      this.page.setOutput(id, data[i]);
    });
  }

  /**
   * Marks the outputs of a dependency: `pending` while its run waits for a first result, `busy`
   * until the run ends (a chat shows typing dots until the reply starts, after the question shows).
   */
  #mark(dependency: DependencyConfig, attribute: "pending" | "busy", on: boolean): void {
    for (const id of dependency.outputs) this.page.elementFor(id)?.toggleAttribute(attribute, on);
    this.page.requestUpdate();
  }
}
