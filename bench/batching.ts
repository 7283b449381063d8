// Dynamic batching on real (tiny, generated) text-classification models: throughput at 1, 8 and
// 32 concurrent clients with and without `batch`, side by side in one run. `npm run bench:batching`.
//
// Two models: tiny/distilbert is a whole DistilBERT (5 layers, 4 heads) only 32 wide, like the
// Hub's tiny-random test models, so a call costs what a real graph costs to run; tiny/sentiment
// is a bag of words (10 ops) where a call costs almost nothing but the framework around it.
// Server CPU per request is read from /proc, so it does not depend on the load generator, which
// shares the machine. Settings: BENCH_MS (measured time per level, default 3000), BENCH_ROUNDS
// (default 3), BENCH_MODELS (comma-separated ids), BENCH_WAIT_MS (the batch's maxWaitMs, default 0).
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { DEFAULT_OUT_DIR, makeTinyModels } from "../tests/models/make-tiny-models.js";

const serverScript = fileURLToPath(new URL("./model-server.ts", import.meta.url));
const DURATION_MS = Number(process.env.BENCH_MS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_MS = 1000;
/** Linux reports process CPU time in clock ticks of 1/100 s. */
const CLOCK_TICKS = 100;
const sentences = ["I love this", "This is terrible", "What a great day", "I hate waiting", "so so"];

async function startServer(mode: string, model: string): Promise<{ port: number; process: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", serverScript, mode, DEFAULT_OUT_DIR, model], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      const port = Number(String(chunk).trim().split("\n").at(-1));
      if (port > 0) resolve(port);
    });
    child.once("exit", (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return { port, process: child };
}

async function client(port: number, until: number, warmupUntil: number, counts: { done: number }) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  let done: (ok: boolean) => void = () => {};
  socket.on("message", (data) => {
    const text = String(data);
    if (text.includes('"complete"')) done(true);
    else if (text.includes('"error"')) done(false);
  });
  // A server that dies mid-run fails the bench instead of hanging it.
  socket.on("close", () => done(false));
  for (let i = 0; Date.now() < until; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      done = resolve;
      socket.send(
        JSON.stringify({
          type: "predict",
          id: String(i),
          endpoint: 0,
          data: [sentences[i % sentences.length]],
        }),
      );
    });
    if (!ok) throw new Error("a prediction failed");
    if (Date.now() > warmupUntil) counts.done++;
  }
  socket.close();
}

/** CPU time a process has used so far, in ms (Linux: utime + stime from /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

interface Sample {
  /** Requests per second over the measured window. */
  rate: number;
  /** Server CPU per request, in µs. */
  serverCpuUs: number;
}

async function throughput(server: { port: number; pid: number }, clients: number): Promise<Sample> {
  const counts = { done: 0 };
  const warmupUntil = Date.now() + WARMUP_MS;
  const until = warmupUntil + DURATION_MS;
  let cpuAtStart = 0;
  const timer = setTimeout(() => {
    cpuAtStart = cpuMs(server.pid);
  }, WARMUP_MS);
  await Promise.all(Array.from({ length: clients }, () => client(server.port, until, warmupUntil, counts)));
  clearTimeout(timer);
  const serverCpu = cpuMs(server.pid) - cpuAtStart;
  return { rate: counts.done / (DURATION_MS / 1000), serverCpuUs: (serverCpu * 1000) / counts.done };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

await makeTinyModels(DEFAULT_OUT_DIR);
const levels = [1, 8, 32];
const models = (process.env.BENCH_MODELS ?? "tiny/distilbert,tiny/sentiment").split(",");
const gains: Record<string, number> = {};
for (const model of models) {
  // Both servers stay up; each round measures them back to back at every level, so drift in
  // the machine's load hits both sides alike. Medians over the rounds; the gain is the median
  // of the rounds' paired ratios.
  const servers = {
    unbatched: await startServer("unbatched", model),
    batched: await startServer("batched", model),
  };
  process.once("exit", () => {
    for (const server of Object.values(servers)) server.process.kill();
  });
  const samples = levels.map(() => ({
    unbatched: [] as Sample[],
    batched: [] as Sample[],
    ratios: [] as number[],
  }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, clients] of levels.entries()) {
      const order =
        round % 2 === 0 ? (["unbatched", "batched"] as const) : (["batched", "unbatched"] as const);
      const measured: Partial<Record<"unbatched" | "batched", Sample>> = {};
      for (const mode of order) {
        const server = servers[mode];
        measured[mode] = await throughput({ port: server.port, pid: server.process.pid as number }, clients);
      }
      const level = samples[i] as (typeof samples)[number];
      level.unbatched.push(measured.unbatched as Sample);
      level.batched.push(measured.batched as Sample);
      level.ratios.push((measured.batched as Sample).rate / (measured.unbatched as Sample).rate);
    }
  }
  for (const server of Object.values(servers)) server.process.kill();

  console.log(`\n${model} (median of ${ROUNDS} rounds)\n`);
  console.log(
    "| clients | unbatched req/s | batched req/s | batched / unbatched | server CPU/req unbatched | batched |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [i, clients] of levels.entries()) {
    const level = samples[i] as (typeof samples)[number];
    const rate = (list: Sample[]) => Math.round(median(list.map((sample) => sample.rate)));
    const cpu = (list: Sample[]) => Math.round(median(list.map((sample) => sample.serverCpuUs)));
    console.log(
      `| ${clients} | ${rate(level.unbatched)} | ${rate(level.batched)} | ${median(level.ratios).toFixed(2)}× | ` +
        `${cpu(level.unbatched)} µs | ${cpu(level.batched)} µs |`,
    );
  }
  gains[model] = median((samples[2] as (typeof samples)[number]).ratios);
}
console.log("");
for (const [model, gain] of Object.entries(gains)) {
  console.log(
    `${model}: at 32 clients batching gives ${gain.toFixed(2)}× (target ≥ 3×) ${gain >= 3 ? "OK" : "MISSED"}`,
  );
}
