// Scale-out through Redis, in one run: `npm run bench:redis` (about two minutes).
// A real redis-server (Debian's) and `spacecraft` processes started as a user would (the CLI, each
// in its own process) on `redis-app.ts`:
// - Throughput: BENCH_CLIENTS (default 64) `spacecraft/client`s each looping `/busy` (a fixed
//   amount of CPU work, about BENCH_WORK_MS = 6 ms) against one `spacecraft start --web-only`
//   replica with 1 and with 2 `spacecraft worker`s behind it, beside a plain `spacecraft start`
//   (the in-process queue). The second worker starts before its measurement and stops after it,
//   each round. 2 workers on 2 cores should come near 2× one worker, when nothing else runs: the
//   table also gives the cores the workers got (their CPU time, from /proc), their CPU per request
//   and the machine's busy cores, and the scaling per core the workers got, which the machine's
//   other load does not move.
// - Latency Redis adds: one client's sequential `/echo` (a trivial fn) through the in-process
//   queue, through Redis with one server that also works (`start --redis`, its own Redis
//   database), and through a web-only replica and one worker; the paths take turns of BENCH_BLOCK
//   calls within each round. p50 and p95, and their ratios to the in-process queue; and, for
//   reference, a bare BullMQ round trip (a job added, a Worker in this process, the answer by
//   pub/sub), the floor under any BullMQ queue.
// The table gives medians over BENCH_ROUNDS (default 3) rounds and their spread, each ratio taken
// within its round. Settings: BENCH_ROUNDS, BENCH_MS per throughput measurement (default 5000,
// after 1 s of warm-up), BENCH_CLIENTS, BENCH_WORK_MS, BENCH_CALLS per latency path and round
// (default 300), BENCH_BLOCK (default 20).
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { connect } from "spacecraft/client";
import { WebSocket } from "ws";
import { startRedis } from "../tests/server/redis-server.js";
import { spin } from "./redis-app.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_MS = Number(process.env.BENCH_MS ?? 5000);
const WARMUP_MS = 1000;
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);
const WORK_MS = Number(process.env.BENCH_WORK_MS ?? 6);
const CALLS = Number(process.env.BENCH_CALLS ?? 300);
const BLOCK = Number(process.env.BENCH_BLOCK ?? 20);

const cli = fileURLToPath(new URL("../framework/bin/spacecraft.js", import.meta.url));
const app = fileURLToPath(new URL("./redis-app.ts", import.meta.url));
const options = { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket };

/** A `spacecraft` process of the bench, and how to stop it. */
interface Proc {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Every process the bench started, stopped at the end even when a measurement fails. */
const started: Proc[] = [];

/** Runs `spacecraft <args>` and resolves once it says it serves (its URL) or takes jobs. */
function run(name: string, args: string[]): Promise<Proc> {
  const child: ChildProcess = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 60 s: ${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const ready = /running at (http:\/\/\S+)|taking jobs from Redis/.exec(output);
      if (!ready) return;
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      // Errors still show: a failing job or a lost connection is worth seeing during a bench.
      child.stderr?.off("data", onData);
      child.stderr?.on("data", (text) => process.stderr.write(`[${name}] ${text}`));
      const proc = { url: ready[1] ?? "", pid: child.pid as number, stop };
      started.push(proc);
      resolve(proc);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${output}`));
    });
  });
}

/**
 * The `/busy` rounds that take about WORK_MS of CPU here: the median of a few runs timed by this
 * process's CPU time, which other processes taking the cores do not stretch.
 */
function calibrate(): number {
  const probe = 20_000_000;
  spin(probe);
  const times = Array.from({ length: 5 }, () => {
    const started = process.cpuUsage();
    spin(probe);
    const { user, system } = process.cpuUsage(started);
    return (user + system) / 1000;
  }).sort((a, b) => a - b);
  return Math.round((probe * WORK_MS) / (times[2] as number));
}

/** CPU seconds a process has used so far (Linux's /proc, in USER_HZ ticks of 1/100 s); NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds every core of the machine has been busy so far (Linux's /proc/stat); NaN elsewhere. */
function machineBusySeconds(): number {
  try {
    const [, ...ticks] = (readFileSync("/proc/stat", "utf8").split("\n")[0] as string).trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number) as number[];
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * A throughput measurement: requests per second, the cores the workers used meanwhile, and the
 * cores busy on the whole machine (the bench's other processes, and whatever else runs here).
 */
interface Throughput {
  perSecond: number;
  workerCores: number;
  machineCores: number;
}

/**
 * Requests per second of CLIENTS clients looping `/busy`, counted after the warm-up, and the cores
 * the `workers` processes used over the same time (what the shared machine gave them).
 */
async function throughput(url: string, rounds: number, workers: number[]): Promise<Throughput> {
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connect(url, options)));
  const expected = spin(rounds);
  let done = 0;
  const warmupUntil = performance.now() + WARMUP_MS;
  const until = warmupUntil + DURATION_MS;
  /** CPU counters at a moment: the workers', the machine's, and when. */
  const sample = () => ({
    workers: workers.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    machine: machineBusySeconds(),
    at: performance.now(),
  });
  // Sampled when counting starts and stops: the last calls finish later, with the queue draining.
  let before: ReturnType<typeof sample> | undefined;
  let after: ReturnType<typeof sample> | undefined;
  const timers = [
    setTimeout(() => (before = sample()), WARMUP_MS),
    setTimeout(() => (after = sample()), WARMUP_MS + DURATION_MS),
  ];
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < until) {
        const [result] = await client.predict("/busy", [rounds]);
        if (result !== expected) throw new Error(`/busy answered ${result}, not ${expected}`);
        const now = performance.now();
        if (now >= warmupUntil && now < until) done++;
      }
    }),
  );
  for (const timer of timers) clearTimeout(timer);
  for (const client of clients) client.close();
  if (!before || !after) throw new Error("The CPU counters were not sampled: the measurement ended early.");
  const sampled = (after.at - before.at) / 1000;
  const seconds = DURATION_MS / 1000;
  return {
    perSecond: done / seconds,
    workerCores: (after.workers - before.workers) / sampled,
    machineCores: (after.machine - before.machine) / sampled,
  };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
const median = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
const spread = (values: number[], digits: number) =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;

/** One path of the latency part: `call(text)` resolves with the echoed text. */
interface Echo {
  call(text: string): Promise<unknown>;
  close(): Promise<void>;
}

/** `/echo` through a Spacecraft server, by `spacecraft/client`. */
async function spacecraftEcho(url: string): Promise<Echo> {
  const client = await connect(url, options);
  return {
    call: async (text) => (await client.predict("/echo", [text]))[0],
    close: async () => client.close(),
  };
}

/**
 * The floor under any BullMQ queue, for reference: a job added, run by a Worker (in this process)
 * that publishes its answer, which this process awaits on a subscription. Redis database 2.
 */
async function bareBullmq(url: string): Promise<Echo> {
  // BullMQ leaves the connections it is given open: they are closed here, with the rest.
  const connections: Redis[] = [];
  const connection = () => {
    const made = new Redis(`${url}/2`, { maxRetriesPerRequest: null });
    connections.push(made);
    return made;
  };
  const [commands, subscriber] = [connection(), connection()];
  const queue = new Queue("echo", {
    connection: connection(),
    defaultJobOptions: { removeOnComplete: true },
  });
  const worker = new Worker(
    "echo",
    async (job) => {
      await commands.publish("answers", JSON.stringify({ id: job.id, text: job.data.text }));
    },
    { connection: connection(), concurrency: 1 },
  );
  await worker.waitUntilReady();
  await subscriber.subscribe("answers");
  const waiting = new Map<string, (text: string) => void>();
  subscriber.on("message", (_channel, message: string) => {
    const { id, text } = JSON.parse(message) as { id: string; text: string };
    waiting.get(id)?.(text);
    waiting.delete(id);
  });
  let next = 0;
  return {
    call: (text) =>
      new Promise((resolve, reject) => {
        const id = `j${++next}`;
        waiting.set(id, resolve);
        queue.add("echo", { text }, { jobId: id }).catch(reject);
      }),
    async close() {
      await worker.close();
      await queue.close();
      for (const made of connections) made.disconnect();
    },
  };
}

const redis = await startRedis();
const rounds = calibrate();
console.error(`/busy: ${rounds} rounds ≈ ${WORK_MS} ms here`);
const tput = { inProcess: [] as Throughput[], one: [] as Throughput[], two: [] as Throughput[] };
const latencyNames = [
  "in-process queue (`spacecraft start`)",
  "Redis, one server that also works (`start --redis`)",
  "Redis, web-only replica + 1 worker",
  "bare BullMQ round trip, no Spacecraft (for reference)",
];
const latencies = latencyNames.map(() => ({ p50: [] as number[], p95: [] as number[] }));
try {
  const inProcess = await run("in-process", ["start", app, "--port", "0"]);
  // Database 1: its queue is not the web-only replica's, so it never takes that replica's jobs.
  const solo = await run("solo", ["start", app, "--port", "0", "--redis", `${redis.url}/1`]);
  const web = await run("web-only", ["start", app, "--port", "0", "--redis", redis.url, "--web-only"]);
  const firstWorker = await run("worker 1", ["worker", app, "--redis", redis.url]);

  // In the order of latencyNames.
  const openers = [
    () => spacecraftEcho(inProcess.url),
    () => spacecraftEcho(solo.url),
    () => spacecraftEcho(web.url),
    () => bareBullmq(redis.url),
  ];
  for (let round = 1; round <= ROUNDS; round++) {
    // The in-process server runs jobs in its own process: its CPU is the "worker's".
    tput.inProcess.push(await throughput(inProcess.url, rounds, [inProcess.pid]));
    tput.one.push(await throughput(web.url, rounds, [firstWorker.pid]));
    const secondWorker = await run("worker 2", ["worker", app, "--redis", redis.url]);
    tput.two.push(await throughput(web.url, rounds, [firstWorker.pid, secondWorker.pid]));
    await secondWorker.stop();
    const shown = (list: Throughput[]) => {
      const last = list.at(-1) as Throughput;
      return `${last.perSecond.toFixed(0)} req/s (workers ${last.workerCores.toFixed(2)} cores, machine ${last.machineCores.toFixed(2)})`;
    };
    console.error(
      `round ${round}: /busy at ${CLIENTS} clients: in-process ${shown(tput.inProcess)}, 1 worker ${shown(tput.one)}, 2 workers ${shown(tput.two)}`,
    );

    const paths = await Promise.all(openers.map((open) => open()));
    const times = openers.map(() => [] as number[]);
    for (const path of paths) for (let i = 0; i < BLOCK; i++) await path.call("warm");
    for (let start = 0; start < CALLS; start += BLOCK) {
      for (const [i, path] of paths.entries()) {
        for (let call = start; call < Math.min(CALLS, start + BLOCK); call++) {
          const started = performance.now();
          const said = await path.call(`call ${call}`);
          times[i]?.push(performance.now() - started);
          if (said !== `call ${call}`) throw new Error(`${latencyNames[i]} answered ${JSON.stringify(said)}`);
        }
      }
    }
    await Promise.all(paths.map((path) => path.close()));
    for (const [i, list] of times.entries()) {
      list.sort((a, b) => a - b);
      latencies[i]?.p50.push(quantile(list, 0.5));
      latencies[i]?.p95.push(quantile(list, 0.95));
    }
    console.error(
      `round ${round}: /echo p50 ${latencyNames.map((name, i) => `${name} ${latencies[i]?.p50.at(-1)?.toFixed(3)} ms`).join(", ")}`,
    );
  }
} finally {
  await Promise.all(started.map((proc) => proc.stop()));
  await redis.stop();
}

const perRound = (ours: number[], base: number[]) => ours.map((value, i) => value / (base[i] as number));
const perSecond = (list: Throughput[]) => list.map((t) => t.perSecond);
console.log(
  `\n/busy (≈${WORK_MS} ms of CPU a call) at ${CLIENTS} clients: medians over ${ROUNDS} rounds of ${DURATION_MS / 1000} s (spread: lowest–highest round)\n`,
);
console.log(
  row([
    "path",
    "req/s",
    "req/s spread",
    "÷ in-process",
    "cores the workers got",
    "worker CPU ms a request",
    "machine's busy cores",
  ]),
);
console.log(row(["---", "---:", "---:", "---:", "---:", "---:", "---:"]));
for (const [name, list] of [
  ["in-process queue (`spacecraft start`)", tput.inProcess],
  ["web-only replica + 1 worker", tput.one],
  ["web-only replica + 2 workers", tput.two],
] as const) {
  console.log(
    row([
      name,
      Math.round(median(perSecond(list))),
      spread(perSecond(list), 0),
      `${median(perRound(perSecond(list), perSecond(tput.inProcess))).toFixed(2)}×`,
      median(list.map((t) => t.workerCores)).toFixed(2),
      median(list.map((t) => (t.workerCores / t.perSecond) * 1000)).toFixed(2),
      median(list.map((t) => t.machineCores)).toFixed(2),
    ]),
  );
}
const scaling = perRound(perSecond(tput.two), perSecond(tput.one));
console.log(
  `\n2 workers ÷ 1 worker: ${median(scaling).toFixed(2)}× (rounds ${spread(scaling, 2)}; 2 cores here, so at most 2×, less when other processes hold a core)`,
);
// What the workers did with the CPU they got: 1.00 means twice the cores would give twice the requests.
const perCore = (list: Throughput[]) => list.map((t) => t.perSecond / t.workerCores);
const perCoreScaling = perRound(perCore(tput.two), perCore(tput.one));
console.log(
  `requests per worker core, 2 workers ÷ 1 worker: ${median(perCoreScaling).toFixed(2)} (rounds ${spread(perCoreScaling, 2)}; 1.00 is linear scaling, whatever the machine's load)`,
);

console.log(
  `\n/echo (a trivial fn), one client's sequential calls: medians over ${ROUNDS} rounds of ${CALLS} calls a path\n`,
);
console.log(row(["path", "p50 ms", "p95 ms", "p50 ÷ in-process", "p95 ÷ in-process"]));
console.log(row(["---", "---:", "---:", "---:", "---:"]));
const [base] = latencies;
for (const [i, name] of latencyNames.entries()) {
  const { p50, p95 } = latencies[i] as { p50: number[]; p95: number[] };
  const p50Ratio = perRound(p50, base?.p50 ?? []);
  const p95Ratio = perRound(p95, base?.p95 ?? []);
  console.log(
    row([
      name,
      median(p50).toFixed(3),
      median(p95).toFixed(3),
      `${median(p50Ratio).toFixed(2)}× (${spread(p50Ratio, 2)})`,
      `${median(p95Ratio).toFixed(2)}× (${spread(p95Ratio, 2)})`,
    ]),
  );
}
console.log(
  `\nRedis adds ${(median(latencies[2]?.p50 ?? []) - median(base?.p50 ?? [])).toFixed(2)} ms at p50 to a job on a web-only replica and a worker (bare BullMQ: ${median(latencies[3]?.p50 ?? []).toFixed(2)} ms).`,
);
