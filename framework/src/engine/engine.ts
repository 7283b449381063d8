import type { AnyComponent } from "../components/component.js";
import { describeComponent, validate } from "../components/component.js";
import type { FileIO } from "../components/file-data.js";
import { findFiles, mimeAccepted, replaceFiles } from "../components/file-data.js";
import { isState } from "../components/state.js";
import type { Caller, Context } from "../context.js";
import { ModelLoadError, SpaceError } from "../errors.js";
import { CELL_SELECT, checkEventData } from "../event-data.js";
import { isUpdate } from "../events.js";
import type { PredictMessage, Send } from "../protocol.js";
import type { Endpoint, Space } from "../space.js";
import { FifoQueue, QueueFullError } from "./queue.js";

/** Options of {@link Engine}. */
export interface EngineOptions {
  /** Show the real message of unexpected errors to callers (for `spacecraft dev`). */
  exposeErrors?: boolean;
  /** Where unexpected errors are logged (default `console.error`). */
  logError?: (message: string, error: unknown) => void;
  /** Least time between queue position updates, in ms (default 100). */
  positionUpdateMs?: number;
  /** Where uploaded files are read and produced files are stored. */
  files?: FileIO;
  /**
   * Longest run of `fn` for endpoints that set no `timeLimit`, in seconds (default 900; `null`
   * for none). Past it the caller gets an error, the signal aborts and the slot is freed.
   */
  timeLimit?: number | null;
  /**
   * How long a job whose callers all left (cancel, disconnect) may keep its slot while `fn`
   * ignores the abort signal, in ms (default 5000). Then the slot is freed and a warning logged.
   */
  abandonGraceMs?: number;
  /**
   * Most jobs one session may have waiting or running (default 256); past it a request is
   * refused, so one client cannot fill the server's memory.
   */
  maxJobsPerSession?: number;
  /**
   * How long a session's State values (and props its updates changed) are kept after its last
   * request, in ms (default one hour); `endSession` frees them at once.
   */
  stateIdleMs?: number;
  /**
   * Runs `fn` for a job (the server runs it in an AsyncLocalStorage, so errors escaping the
   * function later are logged with the job they came from).
   */
  runJob?: <T>(job: JobInfo, run: () => T) => T;
}

/** Which job some work belongs to, for logs. */
export interface JobInfo {
  readonly endpoint: string;
  readonly id: string;
  readonly session: string;
}

/** Why the engine refused a request at once: the message and, when it is about one input, its component id. */
export interface Refusal {
  readonly message: string;
  readonly field?: number;
}

declare const __SPACECRAFT_SERVER__: boolean | undefined;
/**
 * False only in a static Space's worker (`spacecraft build` defines it): it serves one visitor,
 * so per-session limits and file ownership drop out of its bundle.
 */
const ON_SERVER = typeof __SPACECRAFT_SERVER__ === "undefined" || __SPACECRAFT_SERVER__;
declare const __SPACECRAFT_MODELS__: boolean | undefined;
/** False only in the worker of a static Space without a model: its model loading drops out of the bundle. */
const WITH_MODELS = typeof __SPACECRAFT_MODELS__ === "undefined" || __SPACECRAFT_MODELS__;

/**
 * What transports call to run jobs: the {@link Engine} itself, or a queue shared with other
 * processes through Redis (`server/redis.ts`).
 */
export type Runner = Pick<
  Engine,
  | "space"
  | "submit"
  | "cancel"
  | "cancelSession"
  | "endSession"
  | "updatedComponent"
  | "close"
  | "pending"
  | "sessions"
>;

/** Default of {@link EngineOptions.timeLimit}, in seconds. */
export const DEFAULT_TIME_LIMIT = 900;

/** How a transport takes a job's messages (see {@link Engine.submit}). */
export interface SubmitOptions {
  /**
   * The shortest time between two `partial` messages of the job, in ms (default 0: each one).
   * A result yielded sooner waits, and a later one replaces it unprocessed: each is the whole
   * result so far, so a page that renders once a frame misses nothing, and a generator yielding
   * a token at a time costs one message (and one postprocess) a frame instead of one a token.
   * The first goes at once; the last goes as `complete`.
   */
  partialIntervalMs?: number;
}

/** No partial result waits to be sent. */
const NOTHING_HELD: unique symbol = Symbol("nothing held");

/**
 * Two results of one job as one, for a result held back and the one that replaces it: a later
 * update's props go over an earlier's, a later value keeps an earlier update's props, and a later
 * update without a value keeps the earlier value: what the first changed and the second leaves
 * alone is not lost.
 */
function mergeResults(outputs: number, older: unknown, newer: unknown): unknown {
  if (outputs === 1) return mergeValue(older, newer);
  // A result of the wrong shape is refused when it is sent.
  if (!Array.isArray(older) || !Array.isArray(newer) || older.length !== newer.length) return newer;
  // The common case, a stream of plain values, allocates nothing.
  if (!older.some(isUpdate) && !newer.some(isUpdate)) return newer;
  return newer.map((value, i) => mergeValue(older[i], value));
}

function mergeValue(older: unknown, newer: unknown): unknown {
  if (isUpdate(older)) return isUpdate(newer) ? { ...older, ...newer } : { ...older, value: newer };
  if (!isUpdate(newer) || "value" in newer) return newer;
  return { ...newer, value: older };
}

/**
 * Keeps a job's partial result until its interval has passed, then sends it (`send`); a later
 * one replaces it, merged.
 */
function holdPartial(job: Job, item: unknown, send: (held: unknown) => void): void {
  job.held = job.held === NOTHING_HELD ? item : mergeResults(job.endpoint.outputs.length, job.held, item);
  job.heldTimer ??= setTimeout(
    () => {
      const held = takeHeld(job);
      if (held !== NOTHING_HELD && !job.settled) send(held);
    },
    Math.max(0, job.partialSentAt + job.partialIntervalMs - performance.now()),
  );
}

/** Takes a job's held partial result ({@link NOTHING_HELD} when none) and stops its timer. */
function takeHeld(job: Job): unknown {
  clearTimeout(job.heldTimer);
  job.heldTimer = undefined;
  const held = job.held;
  job.held = NOTHING_HELD;
  return held;
}

/**
 * A partial result that goes at once, with the one held back before it, if any (its timer was
 * late: a busy event loop), merged: the held one is older and must not follow it.
 */
function withHeld(job: Job, item: unknown): unknown {
  const held = takeHeld(job);
  return held === NOTHING_HELD ? item : mergeResults(job.endpoint.outputs.length, held, item);
}

/** One accepted request, from validation to its last message. */
class Job {
  /** Created on first use: most fast jobs never look at their signal. */
  controller: AbortController | undefined;
  /** Set once the caller has been told the job started. */
  announced = false;
  /** Set once the caller has been told how the job ended. */
  settled = false;
  /** Called when the job settles early (cancel, disconnect) while it runs. */
  onAbandoned: (() => void) | undefined;
  /** When the last partial result went out (`performance.now()`). */
  partialSentAt = Number.NEGATIVE_INFINITY;
  /** The latest partial result waiting for {@link SubmitOptions.partialIntervalMs} to pass. */
  held: unknown = NOTHING_HELD;
  heldTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly id: string,
    readonly session: string,
    readonly endpoint: Endpoint,
    readonly data: unknown[],
    readonly send: Send,
    readonly caller: Caller | undefined,
    /** The data of the event that triggered it (`ctx.event`). */
    readonly eventData: unknown,
    readonly partialIntervalMs: number,
  ) {}

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    return this.controller.signal;
  }

  /** Sends a final message once; later ones are dropped (e.g. a result after a cancel). */
  finish(message: Parameters<Send>[0]): void {
    if (this.settled) return;
    this.settled = true;
    this.send(message);
  }
}

const SHUTTING_DOWN = "The server is shutting down. Please try again in a moment.";

/** What a session keeps between calls: State values and components whose props an update changed. */
interface SessionData {
  readonly values: Map<number, unknown>;
  readonly components: Map<number, AnyComponent>;
  /** The props each update changed, merged per component (what {@link Engine.sessionSnapshot} carries). */
  readonly changed: Map<number, Record<string, unknown>>;
  used: number;
}

/**
 * What a session keeps, as plain data another process can restore (see
 * {@link Engine.sessionSnapshot}): State values and the props updates changed, by component id.
 */
export interface SessionSnapshot {
  readonly values: [number, unknown][];
  readonly props: [number, Record<string, unknown>][];
}

/** Props every component may take in an update, besides its own. */
const SHARED_PROPS = ["label", "info", "showLabel", "visible", "interactive", "elemId"];

/**
 * Runs predictions for a Space: validate → queue → preprocess → fn → postprocess. It knows
 * nothing of HTTP: transports call {@link Engine.submit} and {@link Engine.cancel} and
 * forward the messages it sends.
 */
export class Engine {
  readonly space: Space;
  readonly #options: EngineOptions;
  readonly #queues = new Map<Endpoint, FifoQueue<Job>>();
  /** Jobs by session, then by the caller's job id. */
  readonly #jobs = new Map<string, Map<string, Job>>();
  readonly #averageMs = new Map<Endpoint, number>();
  /** Each endpoint's trigger names, and the outcome of its check of absent event data. */
  readonly #eventPlans = new Map<
    Endpoint,
    { names: string[]; withoutData: { data: unknown } | { error: string } }
  >();
  /** Runs still going after their callers left and their slot was freed, per endpoint. */
  readonly #abandoned = new Map<Endpoint, number>();
  #accepting = true;
  readonly #files: FileIO | undefined;
  readonly #toAnnounce = new Set<Job>();
  #announceTimer: ReturnType<typeof setTimeout> | undefined;
  /** State and updated components, per session. */
  readonly #sessions = new Map<string, SessionData>();
  #sweepTimer: ReturnType<typeof setInterval> | undefined;
  /** Runs of this turn whose `fn` returned a plain value: their outputs and `complete` are due. */
  #due: Due[] = [];
  /** Sends what {@link Engine.#due} holds. */
  #completeDue: (() => void) | undefined;

  constructor(space: Space, options: EngineOptions = {}) {
    this.space = space;
    this.#options = options;
    this.#files = options.files;
    // Plain results of a turn's runs: their outputs and `complete`, then their slots freed. (Not
    // in a static Space's worker, which takes the general path.)
    if (ON_SERVER) {
      this.#completeDue = () => {
        const due = this.#due;
        this.#due = [];
        for (const { job, info, result, started, calledAt, release } of due) {
          const completed = this.#inJob(info, () =>
            this.#complete(job, () => this.#outputs(job.endpoint, result, job), started),
          );
          if (!completed) {
            this.#forget(job);
            release();
            continue;
          }
          // An output's postprocess waits (it stores a file): the slot is held as for any run.
          this.#hold(job.endpoint, [job], info, release, calledAt, (clock) => {
            this.#announceSoon(job);
            clock.arm();
            return completed;
          });
        }
      };
    }
    for (const endpoint of space.endpoints) {
      this.#queues.set(
        endpoint,
        new FifoQueue<Job>({
          run: (jobs, release) => this.#run(endpoint, jobs, release),
          batch: endpoint.batch,
          concurrencyLimit: endpoint.concurrencyLimit,
          maxSize: endpoint.maxQueueSize,
          updateIntervalMs: options.positionUpdateMs,
          onPosition: (job, position, size) =>
            job.send({ type: "queued", id: job.id, position, size, ...this.#eta(job.endpoint, position) }),
        }),
      );
    }
  }

  /** Jobs waiting or running, over all endpoints. */
  get pending(): number {
    let count = 0;
    for (const queue of this.#queues.values()) count += queue.waiting + queue.running;
    return count;
  }

  /**
   * Validates and queues a prediction for `session`, or returns why not (bad input, full
   * queue, shutting down): the transport tells its caller. Once accepted, every outcome
   * reaches `send` as messages with the request's id; `caller` is who sent it (`ctx.user`).
   */
  submit(
    session: string,
    request: Omit<PredictMessage, "type">,
    send: Send,
    caller?: Caller,
    options: SubmitOptions = {},
  ): Refusal | undefined {
    const { id } = request;
    if (!this.#accepting) return { message: SHUTTING_DOWN };
    const sessionJobs = this.#jobs.get(session) ?? new Map<string, Job>();
    if (sessionJobs.has(id)) return { message: `A job with id "${id}" is already running; use a new id.` };
    const maxJobs = this.#options.maxJobsPerSession ?? 256;
    if (ON_SERVER && sessionJobs.size >= maxJobs) {
      return {
        message: `You have ${maxJobs} requests waiting or running already. Wait for some to finish.`,
      };
    }
    const checked = this.#check(session, request, caller);
    if ("message" in checked) return checked;
    const { endpoint, values, event } = checked;
    const interval = options.partialIntervalMs ?? 0;
    const job = new Job(id, session, endpoint, values, send, caller, event.data, interval);
    const queue = this.#queues.get(endpoint) as FifoQueue<Job>;
    sessionJobs.set(id, job);
    this.#jobs.set(session, sessionJobs);
    try {
      queue.push(job);
    } catch (error) {
      this.#forget(job);
      if (error instanceof QueueFullError) return { message: error.message };
      throw error;
    }
    return undefined;
  }

  /**
   * Checks a request as {@link Engine.submit} does (endpoint, inputs, files, event data) without
   * queueing it; returns why it is refused, or nothing. A replica that hands jobs to other
   * processes checks here, so a bad request is refused at once, naming its field.
   */
  check(session: string, request: Omit<PredictMessage, "type">, caller?: Caller): Refusal | undefined {
    const checked = this.#check(session, request, caller);
    return "message" in checked ? checked : undefined;
  }

  #check(
    session: string,
    request: Omit<PredictMessage, "type">,
    caller: Caller | undefined,
  ): Refusal | { endpoint: Endpoint; values: unknown[]; event: { data: unknown } } {
    const { data } = request;
    const endpoint = this.space.endpoint(request.endpoint);
    if (!endpoint) {
      const names = this.space.endpoints.map((e) => `"${e.apiName}"`).join(", ");
      return { message: `Unknown endpoint ${JSON.stringify(request.endpoint)}. This Space has: ${names}.` };
    }
    if (!endpoint.backendFn) {
      return {
        message: `"${endpoint.apiName}" has no function to run; it only stops other events in the page.`,
      };
    }
    if (data.length !== endpoint.inputs.length) {
      return {
        message: `Expected ${endpoint.inputs.length} input value(s) for "${endpoint.apiName}" but got ${data.length}.`,
      };
    }
    const values: unknown[] = new Array(data.length);
    const kept = this.#sessions.get(session);
    for (let i = 0; i < data.length; i++) {
      const declared = endpoint.inputs[i] as AnyComponent;
      // The session keeps State: whatever a client sends in its slot (null) is not used.
      if (isState(declared)) {
        values[i] = null;
        continue;
      }
      const input = kept?.components.get(endpoint.inputIds[i] as number) ?? declared;
      const result = validate(input.inputSchema ?? input.schema, data[i]);
      if (!result.success) {
        return {
          message: `${describeComponent(input)}: ${result.error}.`,
          field: endpoint.inputIds[i],
        };
      }
      // A string, number or boolean holds no file.
      if (result.data === null || typeof result.data !== "object") {
        values[i] = result.data;
        continue;
      }
      const checked = this.#checkFiles(input, result.data, session, caller);
      if (typeof checked === "string") {
        return { message: `${describeComponent(input)}: ${checked}`, field: endpoint.inputIds[i] };
      }
      values[i] = checked.value;
    }

    const event = this.#checkEventData(endpoint, request.eventData);
    if ("error" in event) return { message: event.error };
    return { endpoint, values, event };
  }

  /** {@link checkEventData} for an endpoint's triggers; a request without event data is checked once per endpoint. */
  #checkEventData(endpoint: Endpoint, data: unknown): { data: unknown } | { error: string } {
    let plan = this.#eventPlans.get(endpoint);
    if (!plan) {
      // A Dataframe's select names a cell, `[row, column]`; other selects name an item.
      const tables = new Set(
        this.space.parts.components.filter(({ type }) => type === "dataframe").map(({ id }) => id),
      );
      const names = endpoint.targets.map(([id, name]) =>
        name === "select" && tables.has(id) ? CELL_SELECT : name,
      );
      plan = { names, withoutData: checkEventData(names, undefined) };
      this.#eventPlans.set(endpoint, plan);
    }
    return data === undefined ? plan.withoutData : checkEventData(plan.names, data);
  }

  /** Cancels a caller's job, waiting or running; false when there is no such job. */
  cancel(session: string, id: string): boolean {
    const job = this.#jobs.get(session)?.get(id);
    if (!job) return false;
    this.#cancel(job, { type: "cancelled", id });
    return true;
  }

  /** Cancels every job of a session (its connection closed). */
  cancelSession(session: string): void {
    for (const job of this.#jobs.get(session)?.values() ?? []) {
      this.#cancel(job, { type: "cancelled", id: job.id });
    }
  }

  /** The session is over (its page left, its API session expired): cancel its jobs, free its State. */
  endSession(session: string): void {
    this.cancelSession(session);
    this.#sessions.delete(session);
  }

  /** A component as a session sees it, when an `update` changed its props (new choices); else undefined. */
  updatedComponent(session: string, id: number): AnyComponent | undefined {
    return this.#sessions.get(session)?.components.get(id);
  }

  /** A session's State values and changed props as plain data, or undefined when it keeps none. */
  sessionSnapshot(session: string): SessionSnapshot | undefined {
    const data = this.#sessions.get(session);
    if (!data || (data.values.size === 0 && data.changed.size === 0)) return undefined;
    return { values: [...data.values], props: [...data.changed] };
  }

  /**
   * Replaces what a session keeps with a snapshot (from {@link Engine.sessionSnapshot}, maybe
   * taken in another process); props of components the Space does not have are skipped.
   */
  restoreSession(session: string, snapshot: SessionSnapshot): void {
    const data = this.#session(session);
    data.values.clear();
    data.components.clear();
    data.changed.clear();
    for (const [id, value] of snapshot.values) data.values.set(id, value);
    for (const [id, props] of snapshot.props) {
      const declared = this.#declared(id);
      if (!declared) continue;
      data.changed.set(id, props);
      data.components.set(
        id,
        declared.withProps
          ? declared.withProps(props)
          : { ...declared, props: { ...declared.props, ...props } },
      );
    }
  }

  /** Frees what a session keeps in this process unless it has jobs here (its State lives elsewhere). */
  forgetSession(session: string): void {
    if (!this.#jobs.has(session)) this.#sessions.delete(session);
  }

  /** The component with this id as an endpoint declares it. */
  #declared(id: number): AnyComponent | undefined {
    for (const { inputs, inputIds, outputs, outputIds } of this.space.endpoints) {
      const i = inputIds.indexOf(id);
      if (i >= 0) return inputs[i];
      const o = outputIds.indexOf(id);
      if (o >= 0) return outputs[o];
    }
    return undefined;
  }

  /** Sessions holding State or updated props. */
  get sessions(): number {
    return this.#sessions.size;
  }

  /** The session's data, made on first use; sessions idle past `stateIdleMs` are swept. */
  #session(session: string): SessionData {
    let data = this.#sessions.get(session);
    if (!data) {
      data = { values: new Map(), components: new Map(), changed: new Map(), used: 0 };
      this.#sessions.set(session, data);
      const idleMs = this.#options.stateIdleMs ?? 3_600_000;
      this.#sweepTimer ??= setInterval(
        () => {
          const cutoff = Date.now() - idleMs;
          for (const [id, each] of this.#sessions) {
            if (each.used < cutoff && !this.#jobs.has(id)) this.#sessions.delete(id);
          }
          if (this.#sessions.size === 0) {
            clearInterval(this.#sweepTimer);
            this.#sweepTimer = undefined;
          }
        },
        Math.min(idleMs, 60_000),
      );
      (this.#sweepTimer as { unref?: () => void }).unref?.();
    }
    data.used = Date.now();
    return data;
  }

  /** A State's value in a session: a deep copy of its initial value the first time. */
  #stateValue(session: string, id: number, state: AnyComponent): unknown {
    const data = this.#session(session);
    if (!data.values.has(id)) data.values.set(id, structuredClone((state as { initial?: unknown }).initial));
    return data.values.get(id);
  }

  /** The inputs a job's values go through: State read from its session, the rest preprocessed. */
  #arguments(endpoint: Endpoint, job: Job): unknown[] | Promise<unknown[]> {
    const overrides = this.#sessions.get(job.session)?.components;
    return settleAll(
      endpoint.inputs.map((declared, i) => {
        const id = endpoint.inputIds[i] as number;
        if (isState(declared)) return this.#stateValue(job.session, id, declared);
        const input = overrides?.get(id) ?? declared;
        return input.preprocess(job.data[i], this.#files);
      }),
    );
  }

  /**
   * Stops taking work, lets accepted jobs finish for up to `timeoutMs`, then cancels the rest
   * (their callers are told the server is shutting down).
   */
  async close(timeoutMs = 10_000): Promise<void> {
    this.#accepting = false;
    clearInterval(this.#sweepTimer);
    this.#sweepTimer = undefined;
    const idle = Promise.all([...this.#queues.values()].map((queue) => queue.whenIdle()));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const outcome = await Promise.race([idle, timedOut]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      for (const jobs of this.#jobs.values()) {
        for (const job of jobs.values()) {
          this.#cancel(job, { type: "error", id: job.id, message: SHUTTING_DOWN });
        }
      }
    }
  }

  #cancel(job: Job, message: Parameters<Send>[0]): void {
    const queue = this.#queues.get(job.endpoint) as FifoQueue<Job>;
    // A running job keeps its slot until fn settles (or the abandon grace ends); its caller and
    // its id are released now.
    queue.remove(job);
    this.#forget(job);
    job.controller?.abort(new SpaceError("Cancelled"));
    job.finish(message);
    job.onAbandoned?.();
  }

  #forget(job: Job): void {
    const jobs = this.#jobs.get(job.session);
    if (jobs?.get(job.id) !== job) return;
    jobs.delete(job.id);
    if (jobs.size === 0) this.#jobs.delete(job.session);
  }

  #eta(endpoint: Endpoint, position: number): { eta?: number } {
    const average = this.#averageMs.get(endpoint);
    if (average === undefined) return {};
    const limit = endpoint.concurrencyLimit ?? 1;
    return { eta: Math.round((Math.ceil(position / limit) + 1) * average) / 1000 };
  }

  /**
   * Runs one job (or a batch) and holds its slot until `fn` settles, the time limit passes (its
   * callers get an error), or every caller left and `fn` ignored the abort for the grace period.
   * One job without a model calls `fn` at once; when it returns a plain value its outputs and
   * `complete` follow a microtask later (with other such jobs of that turn), and the slot is freed
   * then: no promise, no timer. Anything that waits goes on in {@link Engine.#hold}.
   */
  #run(endpoint: Endpoint, queued: Job[], release: () => void): void {
    const jobs = queued.filter((job) => !job.settled);
    for (const job of queued) if (job.settled) this.#forget(job);
    if (jobs.length === 0) {
      release();
      return;
    }
    const first = jobs[0] as Job;
    const info: JobInfo = { endpoint: endpoint.apiName, id: first.id, session: first.session };
    const batch = new BatchContext(jobs, (job) => this.#announce(job));
    // (A static Space's worker serves one visitor: it takes the general path, and its bundle
    // leaves the rest of this method out.)
    if (!ON_SERVER || endpoint.batch || endpoint.model) {
      this.#hold(endpoint, jobs, info, release, undefined, (clock) =>
        this.#execute(endpoint, jobs, clock, batch),
      );
      return;
    }
    const started = performance.now();
    let begun: Begun;
    try {
      begun = this.#inJob(info, (): Begun => {
        const args = this.#arguments(endpoint, first);
        if (isThenable(args)) return { args };
        const calledAt = performance.now();
        return { returned: endpoint.fn(...args, batch.context(first, undefined)), calledAt };
      });
    } catch (error) {
      first.finish({ type: "error", id: first.id, message: this.#describe(error, endpoint) });
      this.#forget(first);
      release();
      return;
    }
    if ("args" in begun || waits(begun.returned)) {
      this.#hold(endpoint, jobs, info, release, begun.calledAt, (clock) =>
        this.#continue(endpoint, first, clock, started, batch, undefined, begun),
      );
      return;
    }
    this.#due.push({ job: first, info, result: begun.returned, started, calledAt: begun.calledAt, release });
    if (this.#due.length > 1) return;
    queueMicrotask(this.#completeDue as () => void);
  }

  /** Runs `work` as part of the job `info` names (see {@link EngineOptions.runJob}). */
  #inJob<T>(info: JobInfo, work: () => T): T {
    const runJob = this.#options.runJob;
    return runJob ? runJob(info, work) : work();
  }

  /**
   * Holds the slot of a run that waits for something (`work`) until it settles, its time limit
   * passes, or its callers all left and it ignored the abort for the grace period. `calledAt`:
   * when `fn` was called, if it was already.
   */
  #hold(
    endpoint: Endpoint,
    jobs: Job[],
    info: JobInfo,
    release: () => void,
    calledAt: number | undefined,
    work: (clock: Clock) => Promise<void>,
  ): void {
    const { timeLimit = DEFAULT_TIME_LIMIT, abandonGraceMs = 5000 } = this.#options;
    const limit = endpoint.timeLimit === undefined ? timeLimit : endpoint.timeLimit;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const later = (ms: number, run: () => void) => timers.push(setTimeout(run, ms));
    let armed = false;
    /** Frees the slot; with a reason, `fn` may still be running and the log says why. */
    const free = (reason?: string) => {
      for (const timer of timers) clearTimeout(timer);
      for (const job of jobs) {
        job.onAbandoned = undefined;
        this.#forget(job);
      }
      if (reason)
        this.#log(`[spacecraft] "${endpoint.apiName}" job ${info.id} ${reason}; its slot is freed.`);
      release();
    };
    // The clock starts when fn is called: waiting for the model does not count. Its timer is
    // set only once the run waits for something: a run that ends in the same turn of the event
    // loop (a plain function) cannot pass its limit, and costs no timer.
    const clock: Clock = {
      start: () => {
        calledAt = performance.now();
      },
      arm: () => {
        if (calledAt === undefined || armed || limit === null) return;
        armed = true;
        later(Math.max(0, limit * 1000 - (performance.now() - calledAt)), () => {
          for (const job of jobs) {
            job.controller?.abort(new SpaceError("Time limit reached"));
            job.finish({
              type: "error",
              id: job.id,
              message: `The demo was stopped at its time limit of ${limit} s. Try a smaller input.`,
            });
          }
          free(`passed its time limit of ${limit} s`);
        });
      },
    };
    const running = this.#inJob(info, () => work(clock));
    running.then(
      () => free(),
      () => free(),
    );
    const onAbandoned = () => {
      if (!jobs.every((job) => job.settled)) return;
      for (const job of jobs) job.onAbandoned = undefined;
      later(abandonGraceMs, () => {
        // At most `concurrencyLimit` runs go on past their callers, so cancelling again and
        // again cannot multiply the work the limit allows.
        const abandoned = this.#abandoned.get(endpoint) ?? 0;
        if (abandoned >= (endpoint.concurrencyLimit ?? Number.POSITIVE_INFINITY)) return;
        this.#abandoned.set(endpoint, abandoned + 1);
        const settled = () => this.#abandoned.set(endpoint, (this.#abandoned.get(endpoint) ?? 1) - 1);
        running.then(settled, settled);
        free(`was cancelled but ignored ctx.signal for ${abandonGraceMs} ms`);
      });
    };
    // A worker serves one visitor, who may reload; a server must not lose slots to them.
    if (!ON_SERVER) return;
    for (const job of jobs) job.onAbandoned = onAbandoned;
    onAbandoned();
  }

  #log(message: string, error?: unknown): void {
    const log = this.#options.logError;
    if (log) log(message, error);
    else if (error === undefined) console.error(message);
    else console.error(message, error);
  }

  /** Runs a batch of jobs in one call, or one job of an endpoint with a model. */
  async #execute(endpoint: Endpoint, jobs: Job[], clock: Clock, batch: BatchContext): Promise<void> {
    const started = performance.now();
    let announced = false;
    /**
     * Called before the run waits for anything: `started` is due on the next turn (unless the
     * jobs end first) and the time limit's clock runs.
     */
    const beforeWait = () => {
      if (!announced) for (const job of jobs) this.#announceSoon(job);
      announced = true;
      clock.arm();
    };
    try {
      if (endpoint.model) beforeWait();
      const model = endpoint.model ? await this.#loadModel(endpoint, batch) : undefined;
      if (!endpoint.batch) {
        return await this.#continue(endpoint, jobs[0] as Job, clock, started, batch, model, undefined);
      }
      const context = batch.context(jobs[0] as Job, model);
      beforeWait();
      const perJob = await Promise.all(jobs.map((job) => this.#arguments(endpoint, job)));
      const args = endpoint.inputs.map((_, i) => perJob.map((values) => values[i]));
      clock.start();
      beforeWait();
      const result = await endpoint.fn(...args, context);
      await this.#finishBatch(endpoint, jobs, result, started);
    } catch (error) {
      const message = this.#describe(error, endpoint);
      for (const job of jobs) job.finish({ type: "error", id: job.id, message });
    }
  }

  /**
   * One job's run from where {@link Engine.#run} left it (or, with a model, from the start):
   * arguments, `fn`, its result (awaited, or streamed as `partial`s), outputs and `complete`.
   */
  async #continue(
    endpoint: Endpoint,
    job: Job,
    clock: Clock,
    started: number,
    batch: BatchContext,
    model: unknown,
    begun: Begun | undefined,
  ): Promise<void> {
    let announced = false;
    /** Called before the run waits for anything: `started` is due on the next turn, the time limit's clock runs. */
    const beforeWait = () => {
      if (!announced) this.#announceSoon(job);
      announced = true;
      clock.arm();
    };
    try {
      let returned: unknown;
      if (begun && "returned" in begun) {
        returned = begun.returned;
      } else {
        const args = begun ? begun.args : this.#arguments(endpoint, job);
        if (isThenable(args)) beforeWait();
        const ready = isThenable(args) ? await args : args;
        clock.start();
        returned = endpoint.fn(...ready, batch.context(job, model));
      }
      if (waits(returned)) beforeWait();
      const result = waits(returned) ? await this.#call(job, returned) : await returned;
      const completed = this.#complete(job, () => this.#outputs(endpoint, result, job), started, beforeWait);
      if (completed) await completed;
    } catch (error) {
      job.finish({ type: "error", id: job.id, message: this.#describe(error, endpoint) });
    }
  }

  /** Routes a batched result (one list per output) back to each caller. */
  async #finishBatch(endpoint: Endpoint, jobs: Job[], result: unknown, started: number): Promise<void> {
    const lists = endpoint.outputs.length === 1 ? [result] : result;
    const fits =
      Array.isArray(lists) &&
      lists.length === endpoint.outputs.length &&
      lists.every((list) => Array.isArray(list) && list.length === jobs.length);
    if (!fits) {
      throw new OutputError(
        `a batched function must return ${endpoint.outputs.length === 1 ? "a list" : "one list per output"} ` +
          `with one value per request (${jobs.length} here)`,
      );
    }
    await Promise.all(
      jobs.map((job, j) => {
        const values = (lists as unknown[][]).map((list) => list[j]);
        return this.#complete(
          job,
          () => this.#outputs(endpoint, endpoint.outputs.length === 1 ? values[0] : values, job),
          started,
        );
      }),
    );
  }

  /**
   * Sends `complete`, or this caller's own error when its outputs cannot be shown; at once
   * unless an output's postprocess is asynchronous (then it returns the promise of it).
   */
  #complete(
    job: Job,
    outputs: () => unknown[] | Promise<unknown[]>,
    started: number,
    beforeWait?: () => void,
  ): Promise<void> | undefined {
    if (job.settled) return undefined;
    const fail = (error: unknown) =>
      job.finish({ type: "error", id: job.id, message: this.#describe(error, job.endpoint) });
    let wires: unknown[] | Promise<unknown[]>;
    try {
      wires = outputs();
    } catch (error) {
      fail(error);
      return undefined;
    }
    const send = (data: unknown[]) => {
      const duration = (performance.now() - started) / 1000;
      this.#record(job.endpoint, duration * 1000);
      job.finish({ type: "complete", id: job.id, data, duration });
    };
    if (!isThenable(wires)) {
      send(wires);
      return undefined;
    }
    beforeWait?.();
    return wires.then(send, fail);
  }

  /** Waits for the endpoint's model, telling the callers how loading goes. */
  async #loadModel(endpoint: Endpoint, batch: BatchContext): Promise<unknown> {
    const model = endpoint.model as NonNullable<Endpoint["model"]>;
    if (!WITH_MODELS || model.status.state === "ready") return model.load();
    const report = () => {
      const { progress, message } = model.status;
      batch.progress(progress ?? 0, message ?? `Loading ${model.model}`);
    };
    report();
    const stop = model.onStatus(report);
    try {
      return await model.load();
    } finally {
      stop();
    }
  }

  /** Awaits a result; a stream sends each item as `partial` and resolves to the last one. */
  async #call(job: Job, result: unknown): Promise<unknown> {
    if (!isStream(result)) return await result;
    let last: unknown;
    let any = false;
    try {
      for await (const item of result as AsyncIterable<unknown>) {
        if (job.settled) break;
        last = item;
        any = true;
        this.#announce(job);
        // (A static Space's worker sends each one: its page is its only caller.)
        if (ON_SERVER && performance.now() - job.partialSentAt < job.partialIntervalMs) {
          holdPartial(job, item, (held) =>
            this.#sendPartial(job, held).catch((error: unknown) =>
              job.finish({ type: "error", id: job.id, message: this.#describe(error, job.endpoint) }),
            ),
          );
        } else {
          if (ON_SERVER) last = withHeld(job, item);
          await this.#sendPartial(job, last);
        }
      }
    } finally {
      // The last result goes as `complete`, with any update it holds from results not sent.
      const held = takeHeld(job);
      if (held !== NOTHING_HELD) last = held;
    }
    if (!any && !job.settled) throw new OutputError("the function's stream ended without a value");
    return last;
  }

  async #sendPartial(job: Job, item: unknown): Promise<void> {
    job.partialSentAt = performance.now();
    const wires = this.#outputs(job.endpoint, item, job);
    const data = isThenable(wires) ? await wires : wires;
    if (!job.settled) job.send({ type: "partial", id: job.id, data });
  }

  /**
   * `started` goes out on the next turn of the event loop, and not at all for a job that
   * finished by then: a fast job costs its caller one message instead of two.
   */
  #announceSoon(job: Job): void {
    this.#toAnnounce.add(job);
    this.#announceTimer ??= setTimeout(() => {
      this.#announceTimer = undefined;
      const jobs = [...this.#toAnnounce];
      this.#toAnnounce.clear();
      for (const each of jobs) this.#announce(each);
    }, 0);
  }

  #announce(job: Job): void {
    this.#toAnnounce.delete(job);
    if (job.announced || job.settled) return;
    job.announced = true;
    job.send({ type: "started", id: job.id, ...this.#eta(job.endpoint, 0) });
  }

  /** The file store as a job's outputs see it: what they write belongs to the job's caller. */
  #filesFor(job: Job): FileIO | undefined {
    return this.#files?.scoped?.(ownerOf(job.session, job.caller)) ?? this.#files;
  }

  /**
   * Postprocesses and validates each output; synchronous unless a component stores files. A
   * State output is kept in the job's session (its wire value is null); an update changes the
   * component's props for the session and carries its postprocessed value, if any.
   */
  #outputs(endpoint: Endpoint, result: unknown, job: Job): unknown[] | Promise<unknown[]> {
    const { outputs } = endpoint;
    const files = this.#filesFor(job);
    let values: unknown[];
    if (outputs.length === 0) {
      values = [];
    } else if (outputs.length === 1) {
      values = [result];
    } else if (Array.isArray(result) && result.length === outputs.length) {
      values = result;
    } else {
      const got = Array.isArray(result) ? `${result.length} values` : "a single value";
      throw new OutputError(`the function returned ${got} but ${outputs.length} outputs are declared`);
    }
    const overrides = this.#sessions.get(job.session)?.components;
    const fail = (i: number, reason: string) =>
      new OutputError(
        `${describeComponent(outputs[i] as AnyComponent)} cannot show ${preview(values[i])}: ${reason}`,
      );
    /** The component each output's value goes through (an update may change its props). */
    const targets = outputs.map((declared, i) => {
      const id = endpoint.outputIds[i] as number;
      const value = values[i];
      const current = overrides?.get(id) ?? declared;
      if (isState(declared) || !isUpdate(value)) return current;
      const { __type__, value: _, ...props } = value;
      if (Object.keys(props).length === 0) return current;
      const allowed = [...SHARED_PROPS, ...Object.keys(current.props)];
      const unknown = Object.keys(props).find((key) => !allowed.includes(key));
      if (unknown) throw fail(i, `sc.update has no prop "${unknown}" for it (it has: ${allowed.join(", ")})`);
      let next: AnyComponent;
      try {
        next = current.withProps
          ? current.withProps(props)
          : { ...current, props: { ...current.props, ...props } };
      } catch (error) {
        throw fail(i, messageOf(error));
      }
      const session = this.#session(job.session);
      session.components.set(id, next);
      session.changed.set(id, { ...session.changed.get(id), ...props });
      return next;
    });
    const checkWires = (wires: unknown[]) =>
      wires.map((wire, i) => {
        const output = outputs[i] as AnyComponent;
        const value = values[i];
        if (isState(output)) return null;
        if (isUpdate(value)) {
          const { __type__, value: _, ...props } = value;
          if (!("value" in value)) return { __type__: "update", ...props };
          const parsed = validate((targets[i] as AnyComponent).schema, wire);
          if (!parsed.success) throw fail(i, parsed.error);
          return { __type__: "update", ...props, value: parsed.data };
        }
        const parsed = validate((targets[i] as AnyComponent).schema, wire);
        if (!parsed.success) throw fail(i, parsed.error);
        return parsed.data;
      });
    const wires = outputs.map((output, i) => {
      const value = values[i];
      if (isState(output)) {
        this.#session(job.session).values.set(endpoint.outputIds[i] as number, value);
        return null;
      }
      if (isUpdate(value) && !("value" in value)) return null;
      try {
        const target = targets[i] as AnyComponent;
        const wire = target.postprocess(isUpdate(value) ? value.value : value, files);
        return isThenable(wire)
          ? Promise.resolve(wire).catch((error: unknown) => Promise.reject(fail(i, messageOf(error))))
          : wire;
      } catch (error) {
        throw fail(i, messageOf(error));
      }
    });
    const settled = settleAll(wires);
    return isThenable(settled) ? settled.then(checkWires) : checkWires(settled);
  }

  /**
   * A file input must be one this server received for this caller (or produced for it), of a
   * type the component accepts. Its FileData is replaced by the store's record: name, type and
   * size never come from the client.
   */
  #checkFiles(
    input: AnyComponent,
    value: unknown,
    session: string,
    caller: Caller | undefined,
  ): string | { value: unknown } {
    if (findFiles(value).length === 0) return { value };
    const io = this.#files;
    if (!io) return "this engine cannot take files.";
    const accept = input.props as { accept?: readonly string[]; fileTypes?: readonly string[] };
    const rules = accept.accept ?? accept.fileTypes ?? [];
    let problem: string | undefined;
    const replaced = replaceFiles(value, (file) => {
      if (problem) return file;
      const record =
        ON_SERVER && io.claim
          ? io.claim(file.path, ownerOf(session, caller))
          : io.owns(file.path)
            ? file
            : undefined;
      if (record === "taken") {
        problem =
          "this file belongs to another session. Upload it again and send the FileData the upload returned.";
        return file;
      }
      if (!record) {
        problem = "unknown file; upload it first and send the FileData the upload returned.";
        return file;
      }
      const mimeType = record.mime_type ?? io.mimeTypeOf(file.path);
      if (!mimeAccepted(mimeType, record.orig_name ?? "", rules)) {
        problem = `a ${mimeType} file${record.orig_name ? ` ("${record.orig_name}")` : ""} is not accepted here (accepted: ${rules.join(", ")}).`;
      }
      return record;
    });
    return problem ?? { value: replaced };
  }

  #describe(error: unknown, endpoint: Endpoint): string {
    if (error instanceof SpaceError || (WITH_MODELS && error instanceof ModelLoadError)) return error.message;
    if (error instanceof Error && error.name === "SpaceError") return error.message;
    if (error instanceof OutputError) {
      this.#log(`[spacecraft] ${endpoint.apiName}: ${error.message}`, error);
      return `The demo returned a result it cannot show: ${error.message}. This is a bug in the demo's function.`;
    }
    this.#log(`[spacecraft] "${endpoint.apiName}" failed:`, error);
    if (this.#options.exposeErrors) return `Error in the demo's function: ${messageOf(error)}`;
    return "The demo's function failed. The error is logged on the server; please try again or report it to the Space's author.";
  }

  #record(endpoint: Endpoint, ms: number): void {
    const previous = this.#averageMs.get(endpoint);
    this.#averageMs.set(endpoint, previous === undefined ? ms : previous * 0.8 + ms * 0.2);
  }
}

/** What a run without a model did at once: arguments still being prepared, or `fn` called (when) and what it returned. */
type Begun = { args: Promise<unknown[]>; calledAt?: undefined } | { returned: unknown; calledAt: number };

/** A run whose `fn` returned a plain value: its outputs and `complete` are due a microtask later. */
interface Due {
  job: Job;
  info: JobInfo;
  result: unknown;
  /** When the run began and when `fn` was called (`performance.now()`). */
  started: number;
  calledAt: number;
  release: () => void;
}

/** The time limit's clock of one run: started when `fn` is called, its timer set on the first wait. */
interface Clock {
  start(): void;
  arm(): void;
}

/** What `fn` sees of the jobs it serves: one signal and progress for the whole batch. */
class BatchContext {
  readonly #jobs: Job[];
  readonly #announce: (job: Job) => void;
  #controller: AbortController | undefined;

  constructor(jobs: Job[], announce: (job: Job) => void) {
    this.#jobs = jobs;
    this.#announce = announce;
  }

  /** Aborts when every caller in the batch has cancelled (for one job: when it cancels). */
  get signal(): AbortSignal {
    if (this.#jobs.length === 1) return (this.#jobs[0] as Job).signal;
    if (!this.#controller) {
      const controller = new AbortController();
      this.#controller = controller;
      const check = () => {
        if (this.#jobs.every((job) => job.signal.aborted)) controller.abort(new SpaceError("Cancelled"));
      };
      for (const job of this.#jobs) job.signal.addEventListener("abort", check, { once: true });
    }
    return this.#controller.signal;
  }

  /** Sends progress to every caller still waiting for this batch. */
  progress(value: number | readonly [number, number], desc?: string): void {
    const [current, total] = typeof value === "number" ? [value, undefined] : value;
    for (const job of this.#jobs) {
      if (job.settled) continue;
      this.#announce(job);
      job.send({
        type: "progress",
        id: job.id,
        value: current,
        ...(total === undefined ? {} : { total }),
        ...(desc === undefined ? {} : { desc }),
      });
    }
  }

  /** The context handed to `fn`; its signal is made only if `fn` reads it. */
  context(first: Job, model: unknown): Context {
    return new RunContext(this, first, model) as Context;
  }
}

/**
 * `fn`'s context: a plain object's keys, in the same order (`signal` an enumerable getter), and
 * one hidden class for all. (An object literal with a getter gets a hidden class of its own per
 * run, and that class, never collected young, kept each run's objects alive until a full GC.)
 */
class RunContext {
  readonly #batch: BatchContext;
  static readonly #signal: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: RunContext) {
      return this.#batch.signal;
    },
  };
  declare readonly signal: AbortSignal;
  declare readonly session: string;
  declare readonly model: unknown;
  declare readonly event: unknown;
  declare readonly user?: Context["user"];
  declare readonly oauthToken?: Context["oauthToken"];
  declare readonly progress: Context["progress"];

  constructor(batch: BatchContext, first: Job, model: unknown) {
    this.#batch = batch;
    // Own properties in a plain context's order: the getter first, then the values.
    Object.defineProperty(this, "signal", RunContext.#signal);
    const self = this as { -readonly [K in keyof Context]: Context[K] };
    self.session = first.session;
    self.model = model;
    self.event = first.eventData;
    if (first.caller?.user) self.user = first.caller.user;
    if (first.caller?.oauthToken) self.oauthToken = first.caller.oauthToken;
    self.progress = (value, desc) => batch.progress(value, desc);
  }
}

/** The function's result does not fit the declared outputs. */
class OutputError extends Error {
  override name = "OutputError";
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/** Awaits the promises in a list, or returns the list as it is when there are none. */
function settleAll(values: unknown[]): unknown[] | Promise<unknown[]> {
  return values.some(isThenable) ? Promise.all(values) : values;
}

/** A result `fn` must be waited for: a promise or a stream. */
function waits(value: unknown): boolean {
  return isThenable(value) || isStream(value);
}

function isStream(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (Symbol.asyncIterator in value) return true;
  return Object.prototype.toString.call(value) === "[object Generator]";
}

/** Who owns the files a caller sends or gets: the signed-in user, else the session. */
export function ownerOf(session: string, caller: Caller | undefined): string {
  return caller?.user ? `user:${caller.user.username}` : `session:${session}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
