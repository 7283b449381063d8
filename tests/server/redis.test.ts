import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerMessage } from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import scale from "../fixtures/scale.js";
import type { RedisServer, WorkerProcess } from "./redis-server.js";
import { startRedis, startWorker as startWorkerProcess } from "./redis-server.js";
import type { ProtocolClient } from "./ws-client.js";
import { connect } from "./ws-client.js";

const app = fileURLToPath(new URL("../fixtures/scale.ts", import.meta.url));
const WORK = scale.endpoint("work")?.index as number;
/** Seconds a run may go silent before its job counts as stalled: short, so a killed worker's job moves on soon. */
const LOCK_S = 3;

function startWorker(redisUrl: string, marks: string): Promise<WorkerProcess> {
  return startWorkerProcess(app, redisUrl, {
    args: ["--redis-lock", String(LOCK_S)],
    env: { SCALE_MARKS: marks },
  });
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill(signal);
  return exited;
}

/** Polls `check` until it returns a value, for up to `timeoutMs`; fails saying what it waited for. */
async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The lines of the marks file: what happened (`work`, `done`, `aborted`) and in which process. */
function readMarks(file: string): string[] {
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/** The pids the marks file says did `what`. */
function marked(file: string, what: string): number[] {
  return readMarks(file)
    .filter((line) => line.startsWith(`${what} `))
    .map((line) => Number(line.split(" ")[1]));
}

/** A WebSocket client that says which session it belongs to (as a page that reconnects does). */
function connectAs(url: string, session: string): Promise<ProtocolClient> {
  return connect(url, {}, session);
}

/** The message that ends job `id`, waiting as long as a busy machine may need. */
function endOf(client: ProtocolClient, id: string, timeoutMs = 30_000): Promise<ServerMessage> {
  return client.next(
    (m) =>
      "id" in m && m.id === id && (m.type === "complete" || m.type === "error" || m.type === "cancelled"),
    timeoutMs,
  );
}

function ends(messages: ServerMessage[], id: string): ServerMessage[] {
  return messages.filter(
    (m) =>
      "id" in m && m.id === id && (m.type === "complete" || m.type === "error" || m.type === "cancelled"),
  );
}

describe("replicas sharing one queue on Redis", () => {
  let redis: RedisServer;
  let dir: string;
  let marks: string;
  let web: RunningServer;
  let other: RunningServer;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), "spacecraft-scale-"));
    marks = join(dir, "marks");
    // Two replicas that serve and queue but run nothing, and two workers that run everything.
    const options = {
      port: 0,
      logError: () => {},
      redis: { url: redis.url, work: false, lockMs: LOCK_S * 1000 },
    };
    [web, other] = await Promise.all([serve(scale, options), serve(scale, options)]);
    workers.push(...(await Promise.all([startWorker(redis.url, marks), startWorker(redis.url, marks)])));
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => stopProcess(worker.child)));
    await Promise.all([web?.close({ timeoutMs: 1000 }), other?.close({ timeoutMs: 1000 })]);
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs each request in a free worker and answers the caller on its replica, with its place in the queue", async () => {
    const client = await connect(web.url);
    try {
      for (let i = 0; i < 4; i++) client.send({ type: "predict", id: `w${i}`, endpoint: WORK, data: [1] });
      const results = await Promise.all([0, 1, 2, 3].map((i) => endOf(client, `w${i}`)));
      for (const result of results)
        expect(result, JSON.stringify(result)).toMatchObject({ type: "complete" });
      const pids = new Set(results.map((r) => (r as { data: string[] }).data[0]));
      expect(pids.size, `runs were spread over the two workers: ${[...pids].join(", ")}`).toBe(2);
      const pidsOfWorkers = workers.map((w) => `pid ${w.child.pid}`);
      for (const pid of pids) expect(pidsOfWorkers).toContain(pid);
      // Four one-at-a-time runs on two workers: two of them waited and were told where they stood.
      const queued = client.messages.filter((m) => m.type === "queued");
      expect(queued.length, JSON.stringify(client.messages)).toBeGreaterThan(0);
      expect((queued[0] as { position: number }).position).toBeGreaterThanOrEqual(1);
    } finally {
      await client.close();
    }
  });

  it("streams partial results and progress from the worker that runs the job", async () => {
    const client = await connect(other.url);
    try {
      client.send({ type: "predict", id: "s", endpoint: scale.endpoint("stream")?.index, data: [3] });
      const end = await endOf(client, "s");
      expect(end).toMatchObject({ type: "complete", data: ["step 3"] });
      const partials = client.messages.filter((m) => m.type === "partial" && m.id === "s");
      expect(partials.length, JSON.stringify(client.messages)).toBeGreaterThanOrEqual(1);
      expect(client.messages.some((m) => m.type === "progress" && m.id === "s")).toBe(true);
    } finally {
      await client.close();
    }
  });

  it("refuses bad input at once, naming the field, and keeps serving", async () => {
    const client = await connect(web.url);
    try {
      client.send({ type: "predict", id: "bad", endpoint: WORK, data: ["soon"] });
      const refusal = await endOf(client, "bad");
      expect(refusal).toMatchObject({ type: "error" });
      expect((refusal as { message: string }).message).toMatch(/Number "Seconds"/);
      client.send({ type: "predict", id: "good", endpoint: WORK, data: [0] });
      expect(await endOf(client, "good")).toMatchObject({ type: "complete" });
    } finally {
      await client.close();
    }
  });

  it("stops a run in another process when its caller cancels", async () => {
    const client = await connect(web.url);
    try {
      const before = marked(marks, "aborted").length;
      client.send({ type: "predict", id: "c", endpoint: WORK, data: [60] });
      await client.next((m) => m.type === "started" && m.id === "c", 15_000);
      client.send({ type: "cancel", id: "c" });
      expect(await endOf(client, "c")).toMatchObject({ type: "cancelled" });
      await until("the worker's fn to see its signal abort", () =>
        marked(marks, "aborted").length > before ? true : undefined,
      );
    } finally {
      await client.close();
    }
  });

  it("keeps a session's State in Redis: a page that reconnects to another replica goes on counting", async () => {
    const session = `page-${Date.now()}-abcdefgh`;
    const count = scale.endpoint("count")?.index;
    const first = await connectAs(web.url, session);
    // Sent at once, they may run in two workers: they take turns on the session's State.
    for (const id of ["a", "b"]) first.send({ type: "predict", id, endpoint: count, data: [null] });
    const counts = [await endOf(first, "a"), await endOf(first, "b")].map(
      (m) => (m as { data: number[] }).data[0],
    );
    expect(counts.sort(), JSON.stringify(first.messages)).toEqual([1, 2]);
    await first.close();
    const second = await connectAs(other.url, session);
    try {
      second.send({ type: "predict", id: "c", endpoint: count, data: [null] });
      expect(await endOf(second, "c")).toMatchObject({ type: "complete", data: [3, null] });
    } finally {
      await second.close();
    }
    // Another session starts from the State's initial value.
    const stranger = await connect(other.url);
    try {
      stranger.send({ type: "predict", id: "d", endpoint: count, data: [null] });
      expect(await endOf(stranger, "d")).toMatchObject({ type: "complete", data: [1, null] });
    } finally {
      await stranger.close();
    }
  });

  it("opens a shared link made on one replica on another", async () => {
    const count = scale.endpoint("count")?.outputIds[0] as number;
    const made = await fetch(`${web.url}/gradio_api/deep_link`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session: "shared-link-session-1", values: { [count]: 7 } }),
    });
    expect(made.status, await made.clone().text()).toBe(201);
    const { id } = (await made.json()) as { id: string };
    const opened = await fetch(`${other.url}/gradio_api/deep_link/${id}`);
    expect(opened.status, await opened.clone().text()).toBe(200);
    expect(await opened.json()).toMatchObject({ values: { [count]: 7 } });
  });

  it("serves Gradio's queue/join on one replica and its queue/data stream on another (no sticky sessions)", async () => {
    const hash = `g${Date.now()}`;
    const joined = await fetch(`${web.url}/gradio_api/queue/join`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: [0.5], fn_index: WORK, session_hash: hash }),
    });
    expect(joined.status, await joined.clone().text()).toBe(200);
    const { event_id: eventId } = (await joined.json()) as { event_id: string };
    const stream = await fetch(`${other.url}/gradio_api/queue/data?session_hash=${hash}`);
    expect(stream.status, "the other replica knows the session").toBe(200);
    const text = await stream.text();
    const messages = text
      .split("\n\n")
      .filter((chunk) => chunk.startsWith("data: "))
      .map(
        (chunk) =>
          JSON.parse(chunk.slice(6)) as { msg: string; event_id?: string; output?: { data: unknown[] } },
      );
    const done = messages.find((m) => m.msg === "process_completed");
    expect(done, text).toMatchObject({ event_id: eventId, success: true });
    expect(String(done?.output?.data[0])).toMatch(/^pid \d+$/);
    expect(messages.at(-1)?.msg, "the stream ends once nothing waits").toBe("close_stream");
  });
});

describe("faults with Redis", () => {
  let redis: RedisServer;
  let dir: string;
  let marks: string;
  let web: RunningServer;

  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), "spacecraft-faults-"));
    marks = join(dir, "marks");
    web = await serve(scale, {
      port: 0,
      logError: () => {},
      redis: { url: redis.url, work: false, lockMs: LOCK_S * 1000 },
    });
  });

  afterAll(async () => {
    await web?.close({ timeoutMs: 1000 });
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("holds every process to a global limit: with one slot in all, two workers run one job at a time", async () => {
    const limited = await serve(scale, {
      port: 0,
      logError: () => {},
      redis: { url: redis.url, work: false, lockMs: LOCK_S * 1000, globalConcurrency: 1 },
    });
    const both = await Promise.all([startWorker(redis.url, marks), startWorker(redis.url, marks)]);
    const client = await connect(limited.url);
    try {
      const before = readMarks(marks).length;
      for (const id of ["g1", "g2", "g3"]) client.send({ type: "predict", id, endpoint: WORK, data: [0.5] });
      for (const id of ["g1", "g2", "g3"])
        expect(await endOf(client, id)).toMatchObject({ type: "complete" });
      const order = readMarks(marks)
        .slice(before)
        .filter((line) => /^(work|done) /.test(line))
        .map((line) => line.split(" ")[0]);
      expect(order.join(","), "each run ended before the next began").toBe("work,done,work,done,work,done");
    } finally {
      await client.close();
      await Promise.all(both.map((worker) => stopProcess(worker.child)));
      await limited.close({ timeoutMs: 1000 });
      // The limit is the queues', kept in Redis: a server started without one takes it off.
      await (
        await serve(scale, { port: 0, logError: () => {}, redis: { url: redis.url, work: false } })
      ).close();
    }
  }, 60_000);

  it("retries a job whose worker was killed mid-run in another worker, and answers it once", async () => {
    const first = await startWorker(redis.url, marks);
    const second = await startWorker(redis.url, marks);
    const client = await connect(web.url);
    try {
      const seen = marked(marks, "work").length;
      client.send({ type: "predict", id: "k", endpoint: WORK, data: [2] });
      const runner = await until("a worker to start the run", () => marked(marks, "work").slice(seen)[0]);
      const [victim, survivor] = runner === first.child.pid ? [first, second] : [second, first];
      await stopProcess(victim.child);
      const end = await endOf(client, "k", 60_000);
      expect(end, victim.output()).toMatchObject({ type: "complete", data: [`pid ${survivor.child.pid}`] });
      // A late duplicate would come within the lock time; none may.
      await new Promise((resolve) => setTimeout(resolve, LOCK_S * 1000));
      expect(ends(client.messages, "k")).toHaveLength(1);
    } finally {
      await client.close();
      await stopProcess(first.child);
      await stopProcess(second.child);
    }
  }, 90_000);

  it("fails a job with a clear message when the worker that retried it dies too", async () => {
    const client = await connect(web.url);
    const started: WorkerProcess[] = [];
    try {
      const seen = marked(marks, "work").length;
      client.send({ type: "predict", id: "kk", endpoint: WORK, data: [30] });
      for (let run = 1; run <= 2; run++) {
        const worker = await startWorker(redis.url, marks);
        started.push(worker);
        await until(
          `run ${run} to start`,
          () => (marked(marks, "work").length >= seen + run ? true : undefined),
          60_000,
        );
        await stopProcess(worker.child);
      }
      // BullMQ marks a job stalled past its limit and fails it when a worker next takes it.
      started.push(await startWorker(redis.url, marks));
      const end = await client.next((m) => "id" in m && m.id === "kk" && m.type === "error", 60_000);
      expect(marked(marks, "work").length, "the job did not run a third time").toBe(seen + 2);
      expect((end as { message: string }).message).toMatch(/stopped before it finished.*retried/);
    } finally {
      await client.close();
      for (const worker of started) await stopProcess(worker.child);
    }
  }, 150_000);

  it("lets a worker finish its running job on SIGTERM before it exits", async () => {
    const worker = await startWorker(redis.url, marks);
    const client = await connect(web.url);
    try {
      const seen = marked(marks, "work").length;
      client.send({ type: "predict", id: "t", endpoint: WORK, data: [2] });
      await until("the run to start", () => (marked(marks, "work").length > seen ? true : undefined));
      const code = stopProcess(worker.child, "SIGTERM");
      expect(await endOf(client, "t")).toMatchObject({ type: "complete", data: [`pid ${worker.child.pid}`] });
      expect(await code, worker.output()).toBe(0);
    } finally {
      await client.close();
      await stopProcess(worker.child);
    }
  }, 60_000);

  it("tells callers when Redis is away, and carries on when it is back", async () => {
    const worker = await startWorker(redis.url, marks);
    const client = await connect(web.url);
    try {
      await redis.kill();
      const refusal = await until("a refusal while Redis is away", async () => {
        const id = `r${Date.now()}`;
        client.send({ type: "predict", id, endpoint: WORK, data: [0] });
        const end = await endOf(client, id);
        return end.type === "error" ? end : undefined;
      });
      expect((refusal as { message: string }).message).toMatch(/Redis.*cannot be reached|Redis/);
      await redis.start();
      const answer = await until(
        "a request to succeed after Redis came back",
        async () => {
          const id = `b${Date.now()}`;
          client.send({ type: "predict", id, endpoint: WORK, data: [0] });
          const end = await endOf(client, id).catch(() => undefined);
          return end?.type === "complete" ? end : undefined;
        },
        60_000,
      );
      expect(answer).toMatchObject({ type: "complete" });
    } finally {
      await client.close();
      await stopProcess(worker.child);
    }
  }, 120_000);
});
