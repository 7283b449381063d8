import { createHash, randomBytes } from "node:crypto";
import { deserialize, serialize } from "node:v8";
import type { Queue, Job as QueuedJob, Worker } from "bullmq";
import type { RedisOptions as ConnectionOptions, Redis } from "ioredis";
import { isState } from "../components/state.js";
import type { Caller } from "../context.js";
import type { Engine, Refusal, Runner, SessionSnapshot, SubmitOptions } from "../engine/engine.js";
import type { PredictMessage, Send, ServerMessage } from "../protocol.js";
import type { Endpoint, Space } from "../space.js";
import type { SharedExamples } from "./example-cache.js";
import type { FlaggableRun, FlagRuns } from "./flagging.js";
import type { SessionRelay } from "./gradio.js";
import type { SharedSnapshots } from "./snapshots.js";

/** Options of a Space that shares its queue through Redis (`--redis`). */
export interface RedisOptions {
  /** Where Redis is, e.g. `redis://127.0.0.1:6379` (`rediss://` for TLS). */
  url: string;
  /**
   * What this app's keys start with. Default: `sc:` and a hash of its endpoints, so processes of
   * the same app share a queue and another app on the same Redis never takes its jobs.
   */
  prefix?: string;
  /**
   * Most runs of each endpoint at once over every process (BullMQ's global concurrency); default
   * none. Kept in Redis: the serving processes set it when they start (and take it off without
   * it), so give them all the same; workers leave it alone.
   */
  globalConcurrency?: number;
  /**
   * How long a job's run may go without its process renewing its lock before the job counts as
   * stalled and goes back to the queue once (then fails), in ms (default 30 s).
   */
  lockMs?: number;
  /** How long a session's State and changed props stay in Redis after its last run, in ms (default 1 hour). */
  stateIdleMs?: number;
  /** Run jobs in this process too (default true); false for a replica that only serves and queues. */
  work?: boolean;
  /** Least time between queue position updates, in ms (default 1 s). */
  positionUpdateMs?: number;
  /** Where connection failures are logged (default `console.error`). */
  logError?: (message: string, error: unknown) => void;
}

/** What a job carries through Redis: everything a worker needs to run it for its caller. */
interface JobData {
  session: string;
  endpoint: number;
  data: unknown[];
  eventData?: unknown;
  caller?: Caller;
  partialIntervalMs?: number;
  /** The replica whose caller waits for the answer: its reply channel. */
  replyTo: string;
}

/** A message on a reply channel: a job's message and, with its answer, the session's State and props. */
interface Reply {
  k: string;
  m: ServerMessage;
  s?: SessionSnapshot | null;
}

/** A job this replica accepted: who waits for it. */
interface Pending {
  readonly key: string;
  readonly id: string;
  readonly session: string;
  readonly endpoint: Endpoint;
  readonly send: Send;
  /** Still in the queue (no worker has said it started). */
  waiting: boolean;
  /** Last time its state in Redis was checked (ms since the epoch). */
  checkedAt: number;
}

const FINAL = new Set(["complete", "error", "cancelled"]);
const SHUTTING_DOWN = "The server is shutting down. Please try again in a moment.";

/** The default key prefix: the same for every process of one app, different for another app. */
export function appPrefix(space: Space): string {
  const shape = space.endpoints.map((e) => [
    e.apiName,
    e.inputs.map((c) => c.type),
    e.outputs.map((c) => c.type),
  ]);
  return `sc:${createHash("sha256").update(JSON.stringify(shape)).digest("hex").slice(0, 12)}`;
}

/** Where Redis is, for messages: the URL without its password. */
export function redisWhere(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 6379}`;
  } catch {
    return "(an unreadable --redis URL)";
  }
}

/**
 * The connections and queues one process shares with the others of its app: a BullMQ queue per
 * endpoint, a command connection, and a subscriber for replies and cancels.
 */
class Shared {
  readonly prefix: string;
  readonly where: string;
  readonly queues = new Map<Endpoint, Queue>();
  readonly lockMs: number;
  #log: (message: string, error: unknown) => void;
  #down = false;

  /** For commands: fails at once while Redis is away rather than queueing them. */
  readonly commands: Redis;
  /** For reply and cancel channels. */
  readonly subscriber: Redis;

  /** Every connection this process made: BullMQ leaves the connections it is given open. */
  readonly #connections: Redis[] = [];

  private constructor(
    readonly options: RedisOptions,
    readonly make: (extra: ConnectionOptions) => Redis,
    prefix: string,
  ) {
    this.prefix = prefix;
    this.#log = options.logError ?? ((message, error) => console.error(message, error));
    this.commands = this.connect({ enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.subscriber = this.connect({});
    this.where = redisWhere(options.url);
    this.lockMs = options.lockMs ?? 30_000;
  }

  static async open(space: Space, options: RedisOptions): Promise<Shared> {
    const [{ Redis }, { Queue }] = await Promise.all([import("ioredis"), import("bullmq")]);
    const shared: Shared = new Shared(
      options,
      (extra) => new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: null, ...extra }),
      options.prefix ?? appPrefix(space),
    );
    const { commands, subscriber } = shared;
    try {
      await Promise.all([commands.connect(), subscriber.connect()]);
    } catch (error) {
      await shared.close();
      throw new Error(
        `Cannot reach Redis at ${shared.where} (${error instanceof Error ? error.message : String(error)}). Start Redis there, or fix --redis / REDIS_URL.`,
      );
    }
    for (const endpoint of space.endpoints) {
      if (!endpoint.backendFn) continue;
      const queue = new Queue(`e${endpoint.index}`, {
        connection: shared.connect({ enableOfflineQueue: false }),
        prefix: shared.prefix,
        defaultJobOptions: { removeOnComplete: true, removeOnFail: { age: 3600, count: 1000 } },
      });
      queue.on("error", (error) => shared.failed(error));
      shared.queues.set(endpoint, queue);
    }
    return shared;
  }

  /** A new connection, watched (an unwatched one's error would end the process) and closed with the rest. */
  connect(extra: ConnectionOptions): Redis {
    const connection = this.make(extra);
    this.watch(connection);
    this.#connections.push(connection);
    return connection;
  }

  /** Whether commands can reach Redis now. */
  get ready(): boolean {
    return this.commands.status === "ready";
  }

  /** Logs a connection's failure once per outage (ioredis retries by itself), and its return. */
  watch(connection: Redis): void {
    connection.on("error", (error) => this.failed(error));
    connection.on("ready", () => {
      if (!this.#down) return;
      this.#down = false;
      this.#log(`[spacecraft] Redis at ${this.where} is back; the queue carries on.`, undefined);
    });
  }

  failed(error: unknown): void {
    if (this.#down) return;
    this.#down = true;
    this.#log(
      `[spacecraft] lost Redis at ${this.where}; requests are refused until it is back (retrying):`,
      error instanceof Error ? error.message : error,
    );
  }

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(":");
  }

  /** How long a job is remembered as answered: a second answer can only come from a run that stalled, within a few lock times. */
  get doneMs(): number {
    return Math.max(600_000, this.lockMs * 4);
  }

  /** Marks a job answered; false when it already was (a stalled job's first run finished late). */
  async answerOnce(key: string): Promise<boolean> {
    return (await this.commands.set(this.key("done", key), "1", "PX", this.doneMs, "NX")) === "OK";
  }

  /** The endpoints by index. */
  get queuesByIndex(): Map<number, Endpoint> {
    return new Map([...this.queues.keys()].map((endpoint) => [endpoint.index, endpoint]));
  }

  /**
   * Takes a session's lock (waiting while another run holds it), keeps it while the run goes on,
   * and returns the function that gives it back. A lock whose process died lapses after `lockMs`.
   */
  async lockSession(session: string, owner: string): Promise<() => Promise<void>> {
    const key = this.key("lock", session);
    for (;;) {
      const release = await this.tryLock(key, owner);
      if (release) return release;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Takes the lock `key` for `owner` unless another holds it, and keeps it while held: the
   * function that gives it back, or undefined. A lock whose process died lapses after `lockMs`.
   */
  async tryLock(
    key: string,
    owner = randomBytes(8).toString("hex"),
  ): Promise<(() => Promise<void>) | undefined> {
    const ttl = this.lockMs;
    if ((await this.commands.set(key, owner, "PX", ttl, "NX")) !== "OK") return undefined;
    const renew = setInterval(() => void this.commands.pexpire(key, ttl).catch(() => {}), ttl / 3);
    return async () => {
      clearInterval(renew);
      await this.commands
        .eval(
          'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0',
          1,
          key,
          owner,
        )
        .catch((error: unknown) => this.failed(error));
    };
  }

  async loadSession(session: string): Promise<SessionSnapshot | undefined> {
    const bytes = await this.commands.getBuffer(this.key("session", session));
    return bytes ? (deserialize(bytes) as SessionSnapshot) : undefined;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close().catch(() => {})));
    for (const connection of this.#connections) connection.disconnect();
  }
}

/**
 * Runs jobs from the shared queues in this process: each goes through the local engine (its
 * concurrency per endpoint is the endpoint's `concurrencyLimit`), with its session's State read
 * from Redis first and written back after; every message goes to the reply channel of the
 * replica whose caller waits. A job killed with its process is retried once by another worker
 * (BullMQ's stalled-job check), and answered at most once.
 */
class JobWorker {
  readonly #workers: Worker[] = [];
  readonly #running = new Map<string, Promise<void>>();
  /** Cancels that came for jobs this process took but has not handed to its engine yet. */
  readonly #cancelled = new Set<string>();
  #closing: Promise<void> | undefined;

  private constructor(
    readonly shared: Shared,
    readonly local: Engine,
  ) {}

  /**
   * Starts taking jobs; with `run` false it takes none and only watches for stalled ones (a
   * web-only replica: should every worker die, their jobs still fail with a clear message).
   */
  static async start(shared: Shared, local: Engine, run = true): Promise<JobWorker> {
    const { Worker } = await import("bullmq");
    const self = new JobWorker(shared, local);
    if (!run) {
      for (const queue of shared.queues.values()) {
        const watcher = new Worker(queue.name, null, {
          connection: shared.connect({}),
          prefix: shared.prefix,
          autorun: false,
          lockDuration: shared.lockMs,
          stalledInterval: shared.lockMs,
          maxStalledCount: 1,
        });
        watcher.on("error", (error) => shared.failed(error));
        self.#workers.push(watcher);
        await watcher.startStalledCheckTimer();
      }
      return self;
    }
    await shared.subscriber.subscribe(shared.key("cancel"));
    shared.subscriber.on("message", (channel, text) => {
      if (channel !== shared.key("cancel")) return;
      const { k, s } = parseMessage<{ k: string; s: string }>(text) ?? {};
      if (typeof k !== "string" || typeof s !== "string") return;
      if (local.cancel(s, k) || !self.#running.has(k)) return;
      self.#cancelled.add(k);
      setTimeout(() => self.#cancelled.delete(k), 60_000).unref();
    });
    for (const [endpoint, queue] of shared.queues) {
      const limit = endpoint.concurrencyLimit ?? 1000;
      // A batch endpoint needs its batch's jobs running here at once, so the engine can group them.
      const concurrency = endpoint.batch ? limit * endpoint.batch.maxSize : limit;
      const worker = new Worker(queue.name, (job: QueuedJob<JobData>) => self.#process(job), {
        connection: shared.connect({}),
        prefix: shared.prefix,
        concurrency,
        lockDuration: shared.lockMs,
        stalledInterval: shared.lockMs,
        maxStalledCount: 1,
      });
      worker.on("error", (error) => shared.failed(error));
      self.#workers.push(worker);
    }
    await Promise.all(self.#workers.map((worker) => worker.waitUntilReady()));
    return self;
  }

  #process(job: QueuedJob<JobData>): Promise<void> {
    const key = job.id as string;
    // The lock lapsed while this process still runs it (a blocked event loop): one run is enough.
    const running = this.#running.get(key);
    if (running) return running;
    const run = this.#run(key, job.data).finally(() => this.#running.delete(key));
    this.#running.set(key, run);
    return run;
  }

  async #run(key: string, job: JobData): Promise<void> {
    const { shared } = this;
    const endpoint = shared.queuesByIndex.get(job.endpoint);
    // Runs that read and write a session's State take turns, wherever they run: two at once
    // would both start from the same value, and one's change would be lost.
    if (!endpoint || ![...endpoint.inputs, ...endpoint.outputs].some(isState)) return this.#runJob(key, job);
    const release = await shared.lockSession(job.session, key);
    try {
      await this.#runJob(key, job);
    } finally {
      await release();
    }
  }

  async #runJob(key: string, job: JobData): Promise<void> {
    const { shared, local } = this;
    const channel = shared.key("reply", job.replyTo);
    const publish = (reply: Reply) => shared.commands.publish(channel, JSON.stringify(reply));
    // One round trip: the caller hears the job started, and its session's State comes back.
    const results = await shared.commands
      .pipeline()
      .publish(channel, JSON.stringify({ k: key, m: { type: "started", id: key } } satisfies Reply))
      .getBuffer(shared.key("session", job.session))
      .exec();
    const [failure, stored] = (results?.[1] ?? [null, null]) as [Error | null, Buffer | null];
    if (failure) throw failure;
    const before = stored ? (deserialize(stored) as SessionSnapshot) : undefined;
    if (before) local.restoreSession(job.session, before);
    else local.forgetSession(job.session);
    const beforeBytes = before ? serialize(before) : undefined;
    await new Promise<void>((resolve) => {
      const send: Send = (message) => {
        // Position in this process's own queue means nothing to the caller; it started already.
        if (message.type === "queued" || message.type === "started") return;
        if (!FINAL.has(message.type)) {
          void publish({ k: key, m: message }).catch(() => {});
          return;
        }
        void this.#finish(key, job, message, beforeBytes, channel).finally(() => {
          // The session's State is in Redis; this process keeps none of it between runs.
          local.forgetSession(job.session);
          resolve();
        });
      };
      if (this.#cancelled.delete(key)) {
        send({ type: "cancelled", id: key });
        return;
      }
      const refusal = local.submit(
        job.session,
        { id: key, endpoint: job.endpoint, data: job.data, eventData: job.eventData },
        send,
        job.caller,
        job.partialIntervalMs === undefined ? {} : { partialIntervalMs: job.partialIntervalMs },
      );
      if (refusal) send(refusalMessage(key, refusal));
    });
  }

  /** Saves the session if the run changed it, then sends the job's one answer (unless it was sent). */
  async #finish(
    key: string,
    job: JobData,
    message: ServerMessage,
    beforeBytes: Buffer | undefined,
    channel: string,
  ): Promise<void> {
    const { shared, local } = this;
    try {
      // The caller's replica gets the session's State and props with the answer, so it checks
      // the session's next inputs against what its page shows.
      const after = local.sessionSnapshot(job.session);
      const bytes = after && serialize(after);
      const changed = bytes && (!beforeBytes || !bytes.equals(beforeBytes));
      // One round trip: answered once (a stalled job's late first run is dropped), the session
      // saved if the run changed it, and the answer sent.
      await shared.commands.eval(
        ANSWER_ONCE,
        2,
        shared.key("done", key),
        shared.key("session", job.session),
        shared.doneMs,
        channel,
        JSON.stringify({ k: key, m: message, ...(after ? { s: after } : {}) }),
        changed ? bytes : "",
        shared.options.stateIdleMs ?? 3_600_000,
      );
    } catch (error) {
      shared.failed(error);
    }
  }

  /** Stops taking jobs and waits for the running ones for up to `timeoutMs`; the rest go back to the queue. */
  close(timeoutMs: number): Promise<void> {
    this.#closing ??= (async () => {
      const graceful = Promise.all(this.#workers.map((worker) => worker.close()));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), timeoutMs);
      });
      const outcome = await Promise.race([graceful, late]);
      clearTimeout(timer);
      // Still running: their locks lapse and another worker takes them (a stalled job runs once more).
      if (outcome === "late") await Promise.all(this.#workers.map((worker) => worker.close(true)));
    })();
    return this.#closing;
  }
}

/**
 * Gradio session streams in Redis (see {@link SessionRelay}): each session's lines in a Redis
 * stream, its waiting events in a set, both expiring when idle; a line stored is announced on one
 * channel, and the replica holding that session's `queue/data` stream reads it, writes it, and
 * deletes it.
 */
class RedisSessionRelay implements SessionRelay {
  readonly #followers = new Map<
    string,
    { write: (line: string) => void; lastId: string; busy: boolean; again: boolean }
  >();
  readonly #idleMs = 10 * 60_000;

  constructor(readonly shared: Shared) {}

  async listen(): Promise<void> {
    const channel = this.shared.key("gs");
    await this.shared.subscriber.subscribe(channel);
    this.shared.subscriber.on("message", (from, session) => {
      if (from === channel) void this.#drain(session);
    });
  }

  push(session: string, line: string): void {
    const { commands } = this.shared;
    const key = this.shared.key("gs", session);
    commands
      .multi()
      .xadd(key, "MAXLEN", "~", "10000", "*", "l", line)
      .pexpire(key, this.#idleMs)
      .publish(this.shared.key("gs"), session)
      .exec()
      .catch((error: unknown) => this.shared.failed(error));
  }

  async pending(session: string, eventId: string, waiting: boolean): Promise<void> {
    const key = this.shared.key("gs", session, "pending");
    if (waiting) await this.shared.commands.multi().sadd(key, eventId).pexpire(key, this.#idleMs).exec();
    else await this.shared.commands.srem(key, eventId);
  }

  pendingCount(session: string): Promise<number> {
    return this.shared.commands.scard(this.shared.key("gs", session, "pending"));
  }

  async exists(session: string): Promise<boolean> {
    const key = this.shared.key("gs", session);
    return (await this.shared.commands.exists(key, `${key}:pending`)) > 0;
  }

  follow(session: string, write: (line: string) => void): () => void {
    const follower = { write, lastId: "-", busy: false, again: false };
    this.#followers.set(session, follower);
    void this.#drain(session);
    return () => {
      if (this.#followers.get(session) === follower) this.#followers.delete(session);
    };
  }

  /** Writes what the session's stream holds past what was written, then deletes it. */
  async #drain(session: string): Promise<void> {
    const follower = this.#followers.get(session);
    if (!follower) return;
    if (follower.busy) {
      follower.again = true;
      return;
    }
    follower.busy = true;
    const key = this.shared.key("gs", session);
    try {
      do {
        follower.again = false;
        const start = follower.lastId === "-" ? "-" : `(${follower.lastId}`;
        const entries = await this.shared.commands.xrange(key, start, "+");
        if (entries.length === 0) continue;
        const ids: string[] = [];
        for (const [id, fields] of entries) {
          follower.lastId = id;
          ids.push(id);
          if (this.#followers.get(session) === follower) follower.write(fields[1] as string);
        }
        await this.shared.commands.xdel(key, ...ids);
      } while (follower.again);
    } catch (error) {
      this.shared.failed(error);
    } finally {
      follower.busy = false;
    }
  }
}

/**
 * A job's answer, sent once: marks the job done (KEYS[1], for ARGV[1] ms) unless it already was,
 * saves the session (KEYS[2]) when ARGV[4] holds its new bytes (kept ARGV[5] ms), and publishes
 * ARGV[3] on ARGV[2]. Returns 1, or 0 when the job had been answered.
 */
const ANSWER_ONCE = `
if not redis.call("SET", KEYS[1], "1", "PX", ARGV[1], "NX") then return 0 end
if ARGV[4] ~= "" then redis.call("SET", KEYS[2], ARGV[4], "PX", ARGV[5]) end
redis.call("PUBLISH", ARGV[2], ARGV[3])
return 1`;

/** Counts one more in KEYS[1], which lasts a minute from its first: gives the count. */
const COUNT_IN_MINUTE = `
local count = redis.call("INCR", KEYS[1])
if count == 1 then redis.call("PEXPIRE", KEYS[1], 60000) end
return count`;

/** A message from a channel, or undefined when it is not JSON (nobody else should publish there). */
function parseMessage<T>(text: string): Partial<T> | undefined {
  try {
    return JSON.parse(text) as Partial<T>;
  } catch {
    return undefined;
  }
}

function refusalMessage(id: string, refusal: Refusal): ServerMessage {
  return {
    type: "error",
    id,
    message: refusal.message,
    ...(refusal.field === undefined ? {} : { field: refusal.field }),
  };
}

/**
 * The engine's face for a replica of an app that shares its queue through Redis: requests are
 * checked here (a bad one is refused at once, naming its field), then queued in Redis as BullMQ
 * jobs that any process of the app may run; their messages come back on this replica's reply
 * channel. Position, progress, partial results, cancel and errors reach the caller whichever
 * process runs the job.
 */
export class RedisRunner implements Runner {
  readonly space: Space;
  /** This replica's name on the reply channel. */
  readonly replica = randomBytes(6).toString("hex");
  readonly #pending = new Map<string, Pending>();
  readonly #bySession = new Map<string, Map<string, Pending>>();
  readonly #waitingCount = new Map<Endpoint, number>();
  readonly #averageMs = new Map<Endpoint, number>();
  #counter = 0;
  #accepting = true;
  /** Gradio session streams shared by the replicas. */
  readonly relay: RedisSessionRelay;
  /** Shared links' snapshots, so a link made on one replica opens on every other. */
  readonly links: SharedSnapshots = {
    save: async (id, json, ttlMs) => {
      await this.shared.commands.set(this.shared.key("link", id), json, "PX", ttlMs);
    },
    load: async (id) => (await this.shared.commands.get(this.shared.key("link", id))) ?? undefined,
  };
  /** Cached examples' outputs, computed by one replica for all (see `ExampleCache`). */
  readonly examples: SharedExamples = {
    read: async (key, ttlMs) =>
      (await this.shared.commands.getex(this.shared.key("example", key), "PX", ttlMs)) ?? undefined,
    lock: (key) => this.shared.tryLock(this.shared.key("example", key, "lock")),
    write: async (key, json, ttlMs) => {
      await this.shared.commands.set(this.shared.key("example", key), json, "PX", ttlMs);
    },
  };
  #poll: ReturnType<typeof setInterval> | undefined;
  #polling = false;

  private constructor(
    readonly shared: Shared,
    readonly local: Engine,
    readonly worker: JobWorker | undefined,
  ) {
    this.space = local.space;
    this.relay = new RedisSessionRelay(shared);
  }

  /**
   * Connects to Redis and, unless `options.work` is false, runs jobs here too. Fails with a clear message
   * when Redis cannot be reached.
   */
  static async start(local: Engine, options: RedisOptions): Promise<RedisRunner> {
    const shared = await Shared.open(local.space, options);
    try {
      // The limit lives with the queues in Redis; the serving processes set it (or take it off).
      const limit = options.globalConcurrency;
      await Promise.all(
        [...shared.queues.values()].map((queue) =>
          limit === undefined ? queue.removeGlobalConcurrency() : queue.setGlobalConcurrency(limit),
        ),
      );
      const worker = await JobWorker.start(shared, local, options.work !== false);
      const runner = new RedisRunner(shared, local, worker);
      await runner.#listen(options.positionUpdateMs ?? 1000);
      return runner;
    } catch (error) {
      await shared.close();
      throw error;
    }
  }

  async #listen(positionUpdateMs: number): Promise<void> {
    const { shared } = this;
    const channel = shared.key("reply", this.replica);
    await shared.subscriber.subscribe(channel);
    shared.subscriber.on("message", (from, text) => {
      const reply = from === channel ? parseMessage<Reply>(text) : undefined;
      if (typeof reply?.k === "string" && reply.m) this.#reply(reply as Reply);
    });
    // The connection that brings answers broke: callers waiting here would wait forever.
    shared.subscriber.on("close", () => {
      for (const pending of [...this.#pending.values()]) {
        this.#settle(pending, {
          type: "error",
          id: pending.id,
          message: `Lost the connection to the queue (Redis at ${shared.where}) while this request was waiting, so its answer cannot reach you. Try again in a moment.`,
        });
      }
    });
    // A cancel sent to another replica than the one holding the job (Gradio's `/cancel`).
    const cancels = shared.key("cancel-caller");
    await shared.subscriber.subscribe(cancels);
    shared.subscriber.on("message", (from, text) => {
      if (from !== cancels) return;
      const { s, i } = parseMessage<{ s: string; i: string }>(text) ?? {};
      if (typeof s !== "string" || typeof i !== "string") return;
      const pending = this.#bySession.get(s)?.get(i);
      if (pending) void this.#cancel(pending);
    });
    await this.relay.listen();
    this.#poll = setInterval(() => void this.#track(), positionUpdateMs);
    this.#poll.unref();
  }

  /**
   * Each page's last run for flagging, and its flag count, in Redis: a flag sent to any replica
   * finds the run, the limit holds over all, and flags are written to a folder one at a time. A
   * run is kept for `stateIdleMs` after the page's last one; one whose values (files are kept by
   * path) pass `maxBytes` is kept as too large, so a flag of it is refused as on one process.
   */
  flagRuns(maxBytes: number): FlagRuns {
    const { shared } = this;
    const idleMs = shared.options.stateIdleMs ?? 3_600_000;
    return {
      async save(session, run) {
        const json = JSON.stringify(run);
        const bytes = Buffer.byteLength(json);
        const kept = bytes > maxBytes ? JSON.stringify({ tooLarge: bytes, most: maxBytes }) : json;
        await shared.commands.set(shared.key("flag-run", session), kept, "PX", idleMs);
      },
      async load(session) {
        const json = await shared.commands.get(shared.key("flag-run", session));
        return json === null
          ? undefined
          : (JSON.parse(json) as FlaggableRun | { tooLarge: number; most: number });
      },
      async count(session) {
        return (await shared.commands.eval(COUNT_IN_MINUTE, 1, shared.key("flag-count", session))) as number;
      },
      // The page may have reconnected to another replica: its run stays until it expires.
      forget() {},
      async exclusive(dir, write) {
        const name = createHash("sha256").update(dir).digest("hex").slice(0, 16);
        const release = await shared.lockSession(`flags:${name}`, randomBytes(8).toString("hex"));
        try {
          return await write();
        } finally {
          await release();
        }
      },
    };
  }

  /** Jobs this replica's callers wait for. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Sessions holding State or updated props in this process. */
  get sessions(): number {
    return this.local.sessions;
  }

  submit(
    session: string,
    request: Omit<PredictMessage, "type">,
    send: Send,
    caller?: Caller,
    options: SubmitOptions = {},
  ): Refusal | undefined {
    if (!this.#accepting) return { message: SHUTTING_DOWN };
    if (!this.shared.ready) {
      return {
        message: `The queue (Redis at ${this.shared.where}) cannot be reached right now, so this request was not queued. Try again in a moment.`,
      };
    }
    const jobs = this.#bySession.get(session);
    if (jobs?.has(request.id))
      return { message: `A job with id "${request.id}" is already running; use a new id.` };
    if (jobs && jobs.size >= 256) {
      return { message: "You have 256 requests waiting or running already. Wait for some to finish." };
    }
    const refusal = this.local.check(session, request, caller);
    if (refusal) return refusal;
    const endpoint = this.space.endpoint(request.endpoint) as Endpoint;
    const max = endpoint.maxQueueSize;
    if (max !== null && (this.#waitingCount.get(endpoint) ?? 0) >= max) {
      return { message: `The queue is full (${max} waiting). Please try again in a moment.` };
    }
    const key = `${this.replica}-${++this.#counter}`;
    const pending: Pending = {
      key,
      id: request.id,
      session,
      endpoint,
      send,
      waiting: true,
      checkedAt: Date.now(),
    };
    this.#pending.set(key, pending);
    const byId = jobs ?? new Map<string, Pending>();
    byId.set(request.id, pending);
    this.#bySession.set(session, byId);
    const data: JobData = {
      session,
      endpoint: endpoint.index,
      data: request.data as unknown[],
      replyTo: this.replica,
      ...(request.eventData === undefined ? {} : { eventData: request.eventData }),
      ...(caller ? { caller } : {}),
      ...(options.partialIntervalMs === undefined ? {} : { partialIntervalMs: options.partialIntervalMs }),
    };
    const queue = this.shared.queues.get(endpoint) as Queue;
    queue.add(endpoint.apiName, data, { jobId: key }).then(
      () => void this.#track(),
      (error: unknown) =>
        this.#settle(pending, {
          type: "error",
          id: request.id,
          message: `The queue (Redis at ${this.shared.where}) did not take this request (${error instanceof Error ? error.message : String(error)}). Try again in a moment.`,
        }),
    );
    return undefined;
  }

  /** A worker's message for one of this replica's jobs. */
  #reply({ k, m, s }: Reply): void {
    const pending = this.#pending.get(k);
    if (!pending) return;
    if (s) this.local.restoreSession(pending.session, s);
    const message = { ...m, id: pending.id } as ServerMessage;
    if (m.type === "complete") {
      // Run times, for the wait a queued caller is told (the same smoothing as the engine's).
      const previous = this.#averageMs.get(pending.endpoint);
      const ms = m.duration * 1000;
      this.#averageMs.set(pending.endpoint, previous === undefined ? ms : previous * 0.8 + ms * 0.2);
    }
    if (FINAL.has(m.type)) this.#settle(pending, message);
    else {
      pending.waiting = false;
      pending.send(message);
    }
  }

  #settle(pending: Pending, message: ServerMessage): void {
    if (this.#pending.get(pending.key) !== pending) return;
    this.#pending.delete(pending.key);
    const jobs = this.#bySession.get(pending.session);
    jobs?.delete(pending.id);
    if (jobs?.size === 0) this.#bySession.delete(pending.session);
    pending.send(message);
  }

  /**
   * Tells waiting callers their place in the queue, and checks on jobs nobody has answered for a
   * while: one that failed in Redis (stalled twice: its worker died) or vanished (Redis lost its
   * data) is answered with what happened.
   */
  async #track(): Promise<void> {
    if (this.#polling || this.#pending.size === 0 || !this.shared.ready) return;
    this.#polling = true;
    try {
      const waitingBy = new Map<Endpoint, Pending[]>();
      const stale: Pending[] = [];
      const now = Date.now();
      for (const pending of this.#pending.values()) {
        if (pending.waiting) {
          const list = waitingBy.get(pending.endpoint) ?? [];
          list.push(pending);
          waitingBy.set(pending.endpoint, list);
        }
        if (now - pending.checkedAt > Math.max(2000, this.shared.lockMs / 2)) stale.push(pending);
      }
      for (const [endpoint, list] of waitingBy) {
        const queue = this.shared.queues.get(endpoint) as Queue;
        const [ids, running] = await Promise.all([
          queue.getRanges(["waiting", "prioritized"], 0, -1, true),
          queue.getActiveCount(),
        ]);
        this.#waitingCount.set(endpoint, ids.length);
        const rank = new Map(ids.map((id, i) => [id, i]));
        const average = this.#averageMs.get(endpoint);
        for (const pending of list) {
          const at = rank.get(pending.key);
          if (at === undefined || !this.#pending.has(pending.key)) continue;
          // The jobs running now free a slot each as they end: ahead of this one are `at` more.
          const eta =
            average === undefined
              ? {}
              : { eta: Math.round((Math.ceil((at + 1) / Math.max(1, running)) + 1) * average) / 1000 };
          pending.send({ type: "queued", id: pending.id, position: at + 1, size: ids.length, ...eta });
        }
      }
      for (const pending of stale) {
        pending.checkedAt = now;
        const queue = this.shared.queues.get(pending.endpoint) as Queue;
        const state = await queue.getJobState(pending.key);
        // Back in the queue after its worker died: its caller hears its place again.
        if (state === "waiting" || state === "prioritized") pending.waiting = true;
        if (state === "failed" || state === "unknown") {
          const job = state === "failed" ? await queue.getJob(pending.key) : undefined;
          if (!(await this.shared.answerOnce(pending.key))) continue;
          this.#settle(pending, {
            type: "error",
            id: pending.id,
            message:
              state === "failed"
                ? `The worker running this request stopped before it finished (${job?.failedReason ?? "no reason given"}), and so did the one that retried it. Try again; if it keeps happening, check the workers' logs.`
                : "This request was lost from the queue (Redis restarted without its data). Try again.",
          });
        }
      }
    } catch (error) {
      this.shared.failed(error);
    } finally {
      this.#polling = false;
    }
  }

  /**
   * Cancels a caller's job. A job this replica does not hold may be held by another (a Gradio
   * client whose `/cancel` landed elsewhere): the cancel goes to every replica, and true is returned.
   */
  cancel(session: string, id: string): boolean {
    const pending = this.#bySession.get(session)?.get(id);
    if (pending) {
      void this.#cancel(pending);
      return true;
    }
    if (!this.shared.ready) return false;
    void this.shared.commands
      .publish(this.shared.key("cancel-caller"), JSON.stringify({ s: session, i: id }))
      .catch((error: unknown) => this.shared.failed(error));
    return true;
  }

  async #cancel(pending: Pending): Promise<void> {
    const { shared } = this;
    const queue = shared.queues.get(pending.endpoint) as Queue;
    try {
      // Still waiting: take it out of the queue, and nobody runs it.
      if ((await queue.remove(pending.key)) === 1 && (await shared.answerOnce(pending.key))) {
        this.#settle(pending, { type: "cancelled", id: pending.id });
        return;
      }
      // Running somewhere: its worker stops it and sends `cancelled`.
      await shared.commands.publish(
        shared.key("cancel"),
        JSON.stringify({ k: pending.key, s: pending.session }),
      );
    } catch (error) {
      shared.failed(error);
      this.#settle(pending, { type: "cancelled", id: pending.id });
    }
  }

  cancelSession(session: string): void {
    for (const pending of this.#bySession.get(session)?.values() ?? []) void this.#cancel(pending);
  }

  /**
   * The session left this replica: its jobs are cancelled. Its State stays in Redis until it has
   * been idle for `stateIdleMs`: the same page may have reconnected to another replica.
   */
  endSession(session: string): void {
    this.cancelSession(session);
    this.local.endSession(session);
  }

  updatedComponent(session: string, id: number): ReturnType<Engine["updatedComponent"]> {
    return this.local.updatedComponent(session, id);
  }

  /**
   * A page or client came back with this session (maybe to another replica): its changed props
   * are read from Redis, so its inputs are checked against what its page shows.
   */
  async resume(session: string): Promise<void> {
    try {
      const snapshot = await this.shared.loadSession(session);
      if (snapshot) this.local.restoreSession(session, snapshot);
    } catch (error) {
      this.shared.failed(error);
    }
  }

  /**
   * Stops taking requests, waits up to `timeoutMs` for the jobs of this replica's callers and
   * for the runs in this process (unfinished ones go back to the queue for another worker), then
   * disconnects.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    this.#accepting = false;
    const deadline = Date.now() + timeoutMs;
    while (this.#pending.size > 0 && Date.now() < deadline && this.shared.ready) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.worker?.close(Math.max(0, deadline - Date.now()));
    for (const pending of [...this.#pending.values()]) {
      this.#settle(pending, { type: "error", id: pending.id, message: SHUTTING_DOWN });
    }
    clearInterval(this.#poll);
    await this.local.close(0);
    await this.shared.close();
  }
}

/** Runs jobs without serving anything (`spacecraft worker`): a {@link RedisRunner} that accepts no requests. */
export async function startWorker(
  local: Engine,
  options: RedisOptions,
): Promise<{ close(timeoutMs?: number): Promise<void> }> {
  const shared = await Shared.open(local.space, options);
  const worker = await JobWorker.start(shared, local).catch(async (error: unknown) => {
    await shared.close();
    throw error;
  });
  return {
    async close(timeoutMs = 10_000) {
      await worker.close(timeoutMs);
      await local.close(0);
      await shared.close();
    },
  };
}
