import type { ChildProcess } from "node:child_process";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI_PATH, waitForOutput } from "./cli.js";

/** A real `redis-server` (Debian's package) that a test suite starts on a free port and stops. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops it (SIGKILL: as if the machine went away); `start` brings it back on the same port. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after `kill`), empty. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `redis-server` on a free port; fails with how to install it when it is missing. */
export async function startRedis(): Promise<RedisServer> {
  const found = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (found.error) {
    throw new Error(
      "redis-server is not installed: these tests need a real Redis. Install Debian's package (apt-get install -y redis-server); .ci/run does.",
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "spacecraft-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    await waitForOutput(child, `redis-server on port ${port}`, 20_000, /Ready to accept connections/);
  };
  const kill = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start: launch,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A `spacecraft worker` child and what it printed. */
export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
}

/**
 * Runs `spacecraft worker <app> --redis <redisUrl>` (and `args`, with `env` added to this process's)
 * and resolves once it prints that it is taking jobs. `onSpawn` gets the child at once, to stop it
 * even when it never gets there.
 */
export async function startWorker(
  app: string,
  redisUrl: string,
  {
    args = [],
    env = {},
    onSpawn,
  }: { args?: readonly string[]; env?: NodeJS.ProcessEnv; onSpawn?: (child: ChildProcess) => void } = {},
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [CLI_PATH, "worker", app, "--redis", redisUrl, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  onSpawn?.(child);
  const { output } = await waitForOutput(child, "the worker", 30_000, /is taking jobs/);
  return { child, output };
}
