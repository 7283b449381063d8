// Dynamic batching on real (tiny, generated) text-classification models: throughput at 1, 8 and
// 32 concurrent clients with and without `batch`, side by side in one run. `npm run bench:batching`.
//
// Two models: tiny/distilbert is a whole DistilBERT (5 layers, 4 heads) only 32 wide, like the
// Hub's tiny-random test models, so a call costs what a real graph costs to run; tiny/sentiment
// is a bag of words (10 ops) where a call costs almost nothing but the framework around it.
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { DEFAULT_OUT_DIR, makeTinyModels } from "../tests/models/make-tiny-models.js";

const serverScript = fileURLToPath(new URL("./model-server.ts", import.meta.url));
const DURATION_MS = Number(process.env.BENCH_MS ?? 4000);
const WARMUP_MS = 1000;
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

async function throughput(port: number, clients: number): Promise<number> {
  const counts = { done: 0 };
  const warmupUntil = Date.now() + WARMUP_MS;
  const until = warmupUntil + DURATION_MS;
  await Promise.all(Array.from({ length: clients }, () => client(port, until, warmupUntil, counts)));
  return counts.done / (DURATION_MS / 1000);
}

await makeTinyModels(DEFAULT_OUT_DIR);
const levels = [1, 8, 32];
const models = (process.env.BENCH_MODELS ?? "tiny/distilbert,tiny/sentiment").split(",");
const gains: Record<string, number> = {};
for (const model of models) {
  const results: Record<string, number[]> = {};
  for (const mode of ["unbatched", "batched"]) {
    const server = await startServer(mode, model);
    results[mode] = [];
    for (const clients of levels) results[mode].push(await throughput(server.port, clients));
    server.process.kill();
  }
  console.log(`\n${model}\n`);
  console.log("| clients | unbatched req/s | batched req/s | batched / unbatched |");
  console.log("| ---: | ---: | ---: | ---: |");
  levels.forEach((clients, i) => {
    const plain = results.unbatched?.[i] ?? 0;
    const batched = results.batched?.[i] ?? 0;
    console.log(
      `| ${clients} | ${Math.round(plain)} | ${Math.round(batched)} | ${(batched / plain).toFixed(2)}× |`,
    );
  });
  gains[model] = (results.batched?.[2] ?? 0) / (results.unbatched?.[2] ?? 1);
}
console.log("");
for (const [model, gain] of Object.entries(gains)) {
  console.log(
    `${model}: at 32 clients batching gives ${gain.toFixed(2)}× (target ≥ 3×) ${gain >= 3 ? "OK" : "MISSED"}`,
  );
}
