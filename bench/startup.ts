// Start-up, in one run: `npm run bench:startup` (about two minutes; `BENCH_ROUNDS=15` for more).
// Each round starts a bare Express + ws server (`startup-bare.mjs`) and `spacecraft start` of a
// three-input, two-output Space (`startup-app.ts`), then the same two with a model: the bare
// server loading a tiny generated text classifier with transformers.js once it listens, and a
// Space declaring it (`startup-model-app.ts`). Each is `node <file>` in a fresh process; the bench
// measures the time from spawning to the first 200 from `/config`, the CPU time the process used
// until then (Linux /proc, 10 ms ticks), then the idle RSS two seconds later. The rounds
// alternate, so all see the same machine; the table gives medians, min–max and the ratio to the
// bare server (with a model: to the bare server loading it, since its weights and onnxruntime are
// in both). The first start of an app compiles it (esbuild); the warm-up round does that, so the
// rounds measure starts from the compile cache, as every start after the first is.
// `BENCH_APP=path/to/app.ts` adds any Space as a row of its own.
//
// Measured 2026-11-30, night, on the shared 2-core machine, quiet, 15 rounds (Node 20):
// | server | start to /config | ratio | CPU until then | ratio | idle RSS | ratio |
// | --- | --- | --- | --- | --- | --- | --- |
// | bare | 173 ms | 1.00× | 200 ms | 1.00× | 60.5 MB | 1.00× |
// | spacecraft | 225 ms | 1.30× | 250 ms | 1.25× | 68.0 MB | 1.12× |
// | bare + model | 176 ms | 1.00× | 200 ms | 1.00× | 116.2 MB | 1.00× |
// | spacecraft + model | 224 ms | 1.27× | 260 ms | 1.30× | 117.4 MB | 1.01× |
// Before the Node bundle (`dist/node/`), the same day: spacecraft 1.40×. Before transformers.js
// was set up after listening: a Space with a model answered /config at ~2.3× the bare server.
// Node 22 (7 rounds): 1.37× and, with a model, 1.15×; there importing transformers.js (~115 ms,
// half of it `sharp`) holds the first answer for the bare server and for a Space alike. Node's
// compile cache (`module.enableCompileCache`) made starts slower there: it is written at exit,
// and a Space's container starts with an empty temporary folder each time.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_OUT_DIR, makeTinyModels } from "../tests/models/make-tiny-models.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const IDLE_MS = 2_000;
const bare = fileURLToPath(new URL("./startup-bare.mjs", import.meta.url));
const cli = fileURLToPath(new URL("../framework/bin/spacecraft.js", import.meta.url));
const app = fileURLToPath(new URL("./startup-app.ts", import.meta.url));
const modelApp = fileURLToPath(new URL("./startup-model-app.ts", import.meta.url));

interface Start {
  ms: number;
  /** CPU time the server used until it served /config (user + system): steadier than `ms` on a busy machine. */
  cpuMs: number;
  rssMb: number;
}

/** CPU time a process has used so far, in ms (Linux: /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuTimeMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8")
    .replace(/^.*\) /, "")
    .split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Spawns `node ...args` (with `env` added), waits for its URL and the first 200 from /config, then its idle RSS. */
async function start(args: string[], env: Record<string, string> = {}): Promise<Start> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  try {
    let output = "";
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 60 s: ${output}`)), 60_000);
      const read = (chunk: Buffer) => {
        output += chunk;
        const found = /running at (http:\/\/\S+)/.exec(output)?.[1];
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      };
      child.stdout.on("data", read);
      child.stderr.on("data", read);
      child.once("exit", (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    for (;;) {
      const response = await fetch(`${url}/config`).catch(() => undefined);
      if (response?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ms = performance.now() - started;
    const cpuMs = cpuTimeMs(child.pid as number);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return { ms, cpuMs, rssMb: rssKb / 1024 };
  } finally {
    child.kill("SIGKILL");
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** A server: its command, its environment, and the server its ratios are to. */
interface Server {
  args: string[];
  env?: Record<string, string>;
  baseline: string;
}
await makeTinyModels(DEFAULT_OUT_DIR);
const modelEnv = { SPACECRAFT_MODELS: DEFAULT_OUT_DIR, HF_HUB_OFFLINE: "1" };
const servers: Record<string, Server> = {
  bare: { args: [bare], baseline: "bare" },
  spacecraft: { args: [cli, "start", app, "--port", "0"], baseline: "bare" },
  // A Space with a model, beside the bare server loading the same pipeline once it listens: the
  // model's weights and onnxruntime are in both RSS figures.
  "bare + model": {
    args: [bare],
    env: { BENCH_MODEL: `${DEFAULT_OUT_DIR}|tiny/sentiment` },
    baseline: "bare + model",
  },
  "spacecraft + model": {
    args: [cli, "start", modelApp, "--port", "0"],
    env: modelEnv,
    baseline: "bare + model",
  },
};
/** `BENCH_APP=path/to/app.ts` adds that Space, named by its file (environment as given). */
if (process.env.BENCH_APP) {
  servers[basename(process.env.BENCH_APP, ".ts")] = {
    args: [cli, "start", process.env.BENCH_APP, "--port", "0"],
    baseline: "bare",
  };
}
const runs: Record<string, Start[]> = Object.fromEntries(Object.keys(servers).map((name) => [name, []]));
// Warms the disk cache for each, and compiles each app once.
for (const { args, env } of Object.values(servers)) await start(args, env);
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, { args, env }] of Object.entries(servers)) runs[name]?.push(await start(args, env));
}
const spread = (values: number[], digits: number) =>
  `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
const medians = (name: string) => {
  const list = runs[name] ?? [];
  return {
    ms: median(list.map((run) => run.ms)),
    cpuMs: median(list.map((run) => run.cpuMs)),
    rssMb: median(list.map((run) => run.rssMb)),
  };
};
console.log(
  `Start-up, ${ROUNDS} alternating rounds, medians (min–max); load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
);
console.log(
  "Goal: ≤ 1.5× the bare server's time to /config, ≤ 1.2× its idle RSS (with a model: the bare server loading the same model).\n",
);
console.log(
  "| server | start to /config (ms) | ratio | CPU until then (ms) | ratio | idle RSS (MB) | ratio |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const [name, list] of Object.entries(runs)) {
  const base = medians(servers[name]?.baseline ?? "bare");
  const column = (key: keyof Start, digits: number) => {
    const values = list.map((run) => run[key]);
    return `${spread(values, digits)} | ${(median(values) / base[key]).toFixed(2)}×`;
  };
  console.log(`| ${name} | ${column("ms", 0)} | ${column("cpuMs", 0)} | ${column("rssMb", 1)} |`);
}
