// Starts `serve-app.ts` in a child process, for the benches that drive a browser.
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./serve-app.ts", import.meta.url));

/** A Space served by `serve-app.ts` in a child process: its URL, and how to stop it. */
export async function spawnServer(module: string): Promise<{ url: string; close(): void }> {
  const child = spawn(process.execPath, ["--import", "tsx", script, module], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (chunk) => resolve(Number(String(chunk).trim())));
    child.once("exit", (code) => reject(new Error(`the server of ${module} exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill() };
}

const benchServer = fileURLToPath(new URL("./server.ts", import.meta.url));

/** A process of its own: one of `server.ts`'s kinds (`echo`, `post`, `spacecraft`), its port and URL. */
export async function startBenchServer(
  kind: string,
): Promise<{ port: number; url: string; process: ChildProcess }> {
  // BENCH_PROFILE=<folder>: each server writes a CPU profile there (`node --cpu-prof`).
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_PROFILE]
    : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", benchServer, kind], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (chunk) => resolve(Number(String(chunk).trim())));
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { port, url: `http://127.0.0.1:${port}`, process: child };
}
