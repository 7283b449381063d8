// Framework overhead over /ws: a trivial fn through Spacecraft vs a bare `ws` echo server,
// measured side by side in one run. Run by hand: `npm run bench` (about 30 s).
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";

const serverScript = fileURLToPath(new URL("./server.ts", import.meta.url));
const DURATION_MS = Number(process.env.BENCH_MS ?? 4000);
const WARMUP_MS = 1000;

interface Result {
  server: string;
  clients: number;
  p50: number;
  p99: number;
  throughput: number;
}

async function startServer(kind: string): Promise<{ port: number; process: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", serverScript, kind], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once("data", (chunk) => resolve(Number(String(chunk).trim())));
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { port, process: child };
}

/** One client: sends a request, waits for its final reply, repeats until `until`. */
async function runClient(
  port: number,
  kind: string,
  until: number,
  warmupUntil: number,
  latencies: number[],
) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  let counter = 0;
  let done: () => void = () => {};
  socket.on("message", (data) => {
    if (kind === "spacecraft" && !String(data).includes('"complete"')) return;
    done();
  });
  while (Date.now() < until) {
    const id = String(counter++);
    const message = JSON.stringify({ type: "predict", id, endpoint: 0, data: ["hello"] });
    const started = performance.now();
    await new Promise<void>((resolve) => {
      done = resolve;
      socket.send(message);
    });
    if (Date.now() > warmupUntil) latencies.push(performance.now() - started);
  }
  socket.close();
}

async function measure(kind: string, port: number, clients: number): Promise<Result> {
  const latencies: number[] = [];
  const start = Date.now();
  const warmupUntil = start + WARMUP_MS;
  const until = warmupUntil + DURATION_MS;
  await Promise.all(
    Array.from({ length: clients }, () => runClient(port, kind, until, warmupUntil, latencies)),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    server: kind,
    clients,
    p50: at(0.5),
    p99: at(0.99),
    throughput: latencies.length / (DURATION_MS / 1000),
  };
}

const results: Result[] = [];
for (const kind of ["echo", "spacecraft"]) {
  const server = await startServer(kind);
  for (const clients of [1, 32]) results.push(await measure(kind, server.port, clients));
  server.process.kill();
}

const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
console.log(row(["server", "clients", "p50 ms", "p99 ms", "req/s"]));
console.log(row(["---", "---:", "---:", "---:", "---:"]));
for (const r of results) {
  console.log(row([r.server, r.clients, r.p50.toFixed(3), r.p99.toFixed(3), Math.round(r.throughput)]));
}
const find = (server: string, clients: number) =>
  results.find((r) => r.server === server && r.clients === clients);
const echo1 = find("echo", 1);
const ours1 = find("spacecraft", 1);
const echo32 = find("echo", 32);
const ours32 = find("spacecraft", 32);
if (echo1 && ours1 && echo32 && ours32) {
  const p50Ratio = ours1.p50 / echo1.p50;
  const throughputRatio = ours32.throughput / echo32.throughput;
  console.log();
  console.log(
    `p50 at 1 client: ${p50Ratio.toFixed(2)}× bare ws (target ≤ 2×) ${p50Ratio <= 2 ? "OK" : "MISSED"}`,
  );
  console.log(
    `throughput at 32 clients: ${(throughputRatio * 100).toFixed(0)}% of bare ws (target ≥ 50%) ${throughputRatio >= 0.5 ? "OK" : "MISSED"}`,
  );
}
