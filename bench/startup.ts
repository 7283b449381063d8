// Start-up, in one run: `npm run bench:startup` (about a minute; `BENCH_ROUNDS=15` for more).
// Each round starts a bare Express + ws server (`startup-bare.mjs`) and `spacecraft start` of a
// three-input, two-output Space (`startup-app.ts`), each as `node <file>` in a fresh process, and
// measures the time from spawning to the first 200 from `/config`, the CPU time the process used
// until then (Linux /proc, 10 ms ticks), then the idle RSS two seconds later. The rounds
// alternate, so both see the same machine; the table gives medians, min–max and the ratio to the
// bare server. The first start of an app compiles it (esbuild); the warm-up round does that, so
// the rounds measure starts from the compile cache, as every start after the first is.
//
// Measured 2026-11-29 on the shared 2-core machine (load average 7–9 from other benches, so wall
// times are noisy; CPU time is the steadier figure), 15 rounds:
// | server | start to /config | ratio | CPU until then | ratio | idle RSS | ratio |
// | --- | --- | --- | --- | --- | --- | --- |
// | bare | 1262 ms (516–2195) | 1.00× | 450 ms | 1.00× | 60.5 MB | 1.00× |
// | spacecraft | 1330 ms (797–2295) | 1.05× | 560 ms | 1.24× | 68.3 MB | 1.13× |
// Before (tsx's loader hooks, everything loaded at start), same run as the steps: 2.09× the
// time, 2.74× the CPU, 1.55× the RSS.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const IDLE_MS = 2_000;
const bare = fileURLToPath(new URL("./startup-bare.mjs", import.meta.url));
const cli = fileURLToPath(new URL("../framework/bin/spacecraft.js", import.meta.url));
const app = fileURLToPath(new URL("./startup-app.ts", import.meta.url));

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

/** Spawns `node ...args`, waits for its URL and the first 200 from /config, then its idle RSS. */
async function start(args: string[]): Promise<Start> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
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

const runs: { bare: Start[]; spacecraft: Start[] } = { bare: [], spacecraft: [] };
await start([bare]); // warm the disk cache for both
await start([cli, "start", app, "--port", "0"]);
for (let round = 0; round < ROUNDS; round++) {
  runs.bare.push(await start([bare]));
  runs.spacecraft.push(await start([cli, "start", app, "--port", "0"]));
}
const spread = (values: number[], digits: number) =>
  `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
const base = {
  ms: median(runs.bare.map((run) => run.ms)),
  cpuMs: median(runs.bare.map((run) => run.cpuMs)),
  rssMb: median(runs.bare.map((run) => run.rssMb)),
};
console.log(
  `Start-up, ${ROUNDS} alternating rounds, medians (min–max); load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
);
console.log("Goal: ≤ 1.5× the bare server's time to /config, ≤ 1.2× its idle RSS.\n");
console.log(
  "| server | start to /config (ms) | ratio | CPU until then (ms) | ratio | idle RSS (MB) | ratio |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const [name, list] of Object.entries(runs)) {
  const column = (key: keyof Start, digits: number) => {
    const values = list.map((run) => run[key]);
    return `${spread(values, digits)} | ${(median(values) / base[key]).toFixed(2)}×`;
  };
  console.log(`| ${name} | ${column("ms", 0)} | ${column("cpuMs", 0)} | ${column("rssMb", 1)} |`);
}
