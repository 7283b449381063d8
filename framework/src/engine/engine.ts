import { describeComponent, issueText } from "../components/component.js";
import type { Context } from "../context.js";
import { SpaceError } from "../errors.js";
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
}

/** One accepted request, from validation to its last message. */
class Job {
  /** Created on first use: most fast jobs never look at their signal. */
  controller: AbortController | undefined;
  /** Set once the caller has been told the job started. */
  announced = false;
  /** Set once the caller has been told how the job ended. */
  settled = false;

  constructor(
    readonly id: string,
    readonly session: string,
    readonly endpoint: Endpoint,
    readonly data: unknown[],
    readonly send: Send,
    readonly run: () => Promise<void>,
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
  #accepting = true;
  readonly #toAnnounce = new Set<Job>();
  #announceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(space: Space, options: EngineOptions = {}) {
    this.space = space;
    this.#options = options;
    for (const endpoint of space.endpoints) {
      this.#queues.set(
        endpoint,
        new FifoQueue<Job>({
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
   * Validates and queues a prediction for `session`. Every outcome, including a refusal,
   * reaches `send` as messages with the request's id.
   */
  submit(session: string, request: Omit<PredictMessage, "type">, send: Send): void {
    const refusal = this.#accept(session, request, send);
    if (refusal) send({ type: "error", id: request.id, ...refusal });
  }

  /** Queues the request, or says why not (with the input's component id when it is about one). */
  #accept(
    session: string,
    request: Omit<PredictMessage, "type">,
    send: Send,
  ): { message: string; field?: number } | undefined {
    const { id, data } = request;
    if (!this.#accepting) return { message: SHUTTING_DOWN };
    const endpoint = this.space.endpoint(request.endpoint);
    if (!endpoint) {
      const names = this.space.endpoints.map((e) => `"${e.apiName}"`).join(", ");
      return { message: `Unknown endpoint ${JSON.stringify(request.endpoint)}. This Space has: ${names}.` };
    }
    const sessionJobs = this.#jobs.get(session) ?? new Map<string, Job>();
    if (sessionJobs.has(id)) return { message: `A job with id "${id}" is already running; use a new id.` };
    if (data.length !== endpoint.inputs.length) {
      return {
        message: `Expected ${endpoint.inputs.length} input value(s) for "${endpoint.apiName}" but got ${data.length}.`,
      };
    }
    const values: unknown[] = [];
    for (const [i, input] of endpoint.inputs.entries()) {
      const result = input.schema.safeParse(data[i]);
      if (!result.success) {
        return {
          message: `${describeComponent(input)}: ${issueText(result.error)}.`,
          field: endpoint.inputIds[i],
        };
      }
      values.push(result.data);
    }

    const job: Job = new Job(id, session, endpoint, values, send, () => this.#run(job));
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

  /**
   * Stops taking work, lets accepted jobs finish for up to `timeoutMs`, then cancels the rest
   * (their callers are told the server is shutting down).
   */
  async close(timeoutMs = 10_000): Promise<void> {
    this.#accepting = false;
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
    // A running job keeps its slot until fn settles; only its caller is released now.
    if (queue.remove(job)) this.#forget(job);
    job.controller?.abort(new SpaceError("Cancelled"));
    job.finish(message);
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

  async #run(job: Job): Promise<void> {
    const { endpoint, id, send } = job;
    if (job.settled) {
      this.#forget(job);
      return;
    }
    const started = performance.now();
    this.#announceSoon(job);
    const context: Context = {
      get signal() {
        return job.signal;
      },
      session: job.session,
      progress: (value, desc) => {
        if (job.settled) return;
        this.#announce(job);
        const [current, total] = typeof value === "number" ? [value, undefined] : value;
        send({
          type: "progress",
          id,
          value: current,
          ...(total === undefined ? {} : { total }),
          ...(desc === undefined ? {} : { desc }),
        });
      },
    };
    try {
      const args = endpoint.inputs.map((input, i) => input.preprocess(job.data[i]));
      const result = await this.#call(job, endpoint.fn(...args, context));
      if (job.settled) return;
      const duration = (performance.now() - started) / 1000;
      this.#record(endpoint, duration * 1000);
      job.finish({ type: "complete", id, data: this.#outputs(endpoint, result), duration });
    } catch (error) {
      job.finish({ type: "error", id, message: this.#describe(error, endpoint) });
    } finally {
      this.#forget(job);
    }
  }

  /** Awaits a result; a stream sends each item as `partial` and resolves to the last one. */
  async #call(job: Job, result: unknown): Promise<unknown> {
    if (!isStream(result)) return await result;
    let last: unknown;
    let any = false;
    for await (const item of result as AsyncIterable<unknown>) {
      if (job.settled) break;
      last = item;
      any = true;
      this.#announce(job);
      job.send({ type: "partial", id: job.id, data: this.#outputs(job.endpoint, item) });
    }
    if (!any && !job.settled) throw new OutputError("the function's stream ended without a value");
    return last;
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

  #outputs(endpoint: Endpoint, result: unknown): unknown[] {
    const { outputs } = endpoint;
    let values: unknown[];
    if (outputs.length === 1) {
      values = [result];
    } else if (Array.isArray(result) && result.length === outputs.length) {
      values = result;
    } else {
      const got = Array.isArray(result) ? `${result.length} values` : "a single value";
      throw new OutputError(`the function returned ${got} but ${outputs.length} outputs are declared`);
    }
    return outputs.map((output, i) => {
      const value = values[i];
      let wire: unknown;
      try {
        wire = output.postprocess(value);
      } catch (error) {
        throw new OutputError(
          `${describeComponent(output)} cannot show ${preview(value)}: ${messageOf(error)}`,
        );
      }
      const parsed = output.schema.safeParse(wire);
      if (!parsed.success) {
        throw new OutputError(
          `${describeComponent(output)} cannot show ${preview(value)}: ${issueText(parsed.error)}`,
        );
      }
      return parsed.data;
    });
  }

  #describe(error: unknown, endpoint: Endpoint): string {
    if (error instanceof SpaceError) return error.message;
    const log = this.#options.logError ?? ((message, cause) => console.error(message, cause));
    if (error instanceof OutputError) {
      log(`[spacecraft] ${endpoint.apiName}: ${error.message}`, error);
      return `The demo returned a result it cannot show: ${error.message}. This is a bug in the demo's function.`;
    }
    log(`[spacecraft] "${endpoint.apiName}" failed:`, error);
    if (this.#options.exposeErrors) return `Error in the demo's function: ${messageOf(error)}`;
    return "The demo's function failed. The error is logged on the server; please try again or report it to the Space's author.";
  }

  #record(endpoint: Endpoint, ms: number): void {
    const previous = this.#averageMs.get(endpoint);
    this.#averageMs.set(endpoint, previous === undefined ? ms : previous * 0.8 + ms * 0.2);
  }
}

/** The function's result does not fit the declared outputs. */
class OutputError extends Error {
  override name = "OutputError";
}

function isStream(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (Symbol.asyncIterator in value) return true;
  return Object.prototype.toString.call(value) === "[object Generator]";
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
