// The scale-out example (examples/scale-out/) run without Docker: a real redis-server, the
// compose file's two web replicas and two workers as `spacecraft` children with the compose
// file's own commands, and real nginx with the example's nginx.conf; only addresses change (and
// nginx's temp folders, which default to root's). Then calls through nginx, where nothing is sticky.
import type { ChildProcess } from "node:child_process";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@gradio/client";
import { connect as connectClient } from "spacecraft/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { parse } from "yaml";
import { CLI_PATH } from "./cli.js";
import { nginxBinary } from "./nginx.js";
import type { RedisServer } from "./redis-server.js";
import { startRedis } from "./redis-server.js";

const example = fileURLToPath(new URL("../../examples/scale-out/", import.meta.url));
/** The number of primes below n, for the n the calls use (from tables of π(n), not from the app). */
const PRIMES_BELOW = new Map([
  [100_000, 9592],
  [1_000_000, 78_498],
  [2_000_000, 148_933],
  [3_000_000, 216_816],
  [5_000_000, 348_513],
]);
const SAMPLE = [...PRIMES_BELOW.keys()];

interface Service {
  command: string[];
  deploy?: { replicas?: number };
}
const compose = parse(readFileSync(join(example, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<string, Service>;
};

/** A `spacecraft` child started with a compose service's command, and what it printed. */
interface Child {
  name: string;
  process: ChildProcess;
  output(): string;
}

let redis: RedisServer;
let dir: string;
const children: Child[] = [];
let nginx: ChildProcess | undefined;
let nginxOutput = "";
let base = "";
const workerPids = new Set<number>();

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

/**
 * A compose service's command with this machine's addresses: the test's Redis, loopback, a free
 * port, and a temporary folder for the shared files volume.
 */
function localCommand(service: Service): string[] {
  return service.command.map((arg, i, all) => {
    if (arg === "redis://redis:6379") return redis.url;
    if (all[i - 1] === "--host") return "127.0.0.1";
    if (all[i - 1] === "--port") return "0";
    if (all[i - 1] === "--files-dir") return join(dir, "files");
    return arg;
  });
}

/** Starts `spacecraft <command>` in the example's folder; resolves once its output matches `ready`. */
function startChild(name: string, service: Service, ready: RegExp): Promise<RegExpExecArray> {
  const child = spawn(process.execPath, [CLI_PATH, ...localCommand(service)], {
    cwd: example,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  children.push({ name, process: child, output: () => output });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within 90 s; it printed: ${output}`)),
      90_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve(match);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready: ${output}`));
    });
  });
}

/** What every child and nginx printed, for an assertion's message. */
function logs(): string {
  const parts = children.map((child) => `--- ${child.name}:\n${child.output().slice(-2000)}`);
  return `${parts.join("\n")}\n--- nginx:\n${nginxOutput.slice(-2000)}`;
}

/** Polls `check` until it returns true, for up to `ms`; fails with `what` and the processes' output. */
async function waitFor(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} (waited ${ms / 1000} s).\n${logs()}`);
}

/** The worker pid an answer names ("host (pid 123)"), checked to be one of the workers'. */
function workerOf(ranOn: unknown): number {
  const pid = Number(/\(pid (\d+)\)$/.exec(String(ranOn))?.[1]);
  expect(workerPids, `"${String(ranOn)}" names none of the workers ${[...workerPids].join(", ")}`).toContain(
    pid,
  );
  return pid;
}

beforeAll(async () => {
  // Fails, saying how to install it, without nginx.
  const nginxPath = nginxBinary();
  dir = mkdtempSync(join(tmpdir(), "spacecraft-scale-out-"));
  redis = await startRedis();
  const { web1, web2, worker } = compose.services;
  if (!web1 || !web2 || !worker) {
    throw new Error(`docker-compose.yml lacks web1, web2 or worker: it has ${Object.keys(compose.services)}`);
  }
  const workers = worker.deploy?.replicas ?? 1;
  expect(workers, "the compose file runs two workers").toBe(2);
  const started = await Promise.all([
    startChild("web1", web1, /running at http:\/\/127\.0\.0\.1:(\d+)/),
    startChild("web2", web2, /running at http:\/\/127\.0\.0\.1:(\d+)/),
    ...Array.from({ length: workers }, (_, i) =>
      startChild(`worker ${i + 1}`, worker, /taking jobs from Redis/),
    ),
  ]);
  for (const child of children.slice(2)) workerPids.add(child.process.pid as number);
  const [port1, port2] = started.map((match) => match[1]);
  const nginxPort = await freePort();
  const conf = readFileSync(join(example, "nginx.conf"), "utf8");
  const local = conf
    .replace("server web1:7860;", `server 127.0.0.1:${port1};`)
    .replace("server web2:7860;", `server 127.0.0.1:${port2};`)
    .replace("listen 80;", `listen 127.0.0.1:${nginxPort};`)
    .replace(
      "http {",
      `http {\n${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) => `  ${kind}_temp_path ${join(dir, kind)};`).join("\n")}`,
    );
  expect(local, "nginx.conf still names web1, web2 and port 80 where the test expects them").not.toMatch(
    /web[12]:7860|listen 80;/,
  );
  const confPath = join(dir, "nginx.conf");
  writeFileSync(confPath, local);
  const nginxArgs = [
    "-c",
    confPath,
    "-p",
    dir,
    "-e",
    "stderr",
    "-g",
    `daemon off; pid ${join(dir, "nginx.pid")};`,
  ];
  const tested = spawnSync(nginxPath, ["-t", ...nginxArgs], { encoding: "utf8" });
  expect(tested.status, `nginx -t refused the example's nginx.conf:\n${tested.stderr}`).toBe(0);
  nginx = spawn(nginxPath, nginxArgs, { stdio: ["ignore", "pipe", "pipe"] });
  nginx.stdout?.on("data", (chunk) => (nginxOutput += chunk));
  nginx.stderr?.on("data", (chunk) => (nginxOutput += chunk));
  base = `http://127.0.0.1:${nginxPort}`;
  await waitFor(`nginx on ${base} did not answer /config from a replica`, async () => {
    const response = await fetch(`${base}/config`);
    return response.ok;
  });
}, 180_000);

afterAll(async () => {
  const exits = [...children.map((child) => child.process), ...(nginx ? [nginx] : [])]
    .filter((child) => child.exitCode === null && child.signalCode === null)
    .map((child) => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      // A child that does not stop in 15 s is killed outright.
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      return exited.then(() => clearTimeout(timer));
    });
  await Promise.all(exits);
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("the scale-out example behind nginx", () => {
  it("answers 20 predictions over WebSocket, run by both workers", async () => {
    const options = { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket };
    // Four clients: nginx's round robin puts their sockets on both replicas.
    const clients = await Promise.all(Array.from({ length: 4 }, () => connectClient(base, options)));
    try {
      // Rounds of 20 until both workers have run jobs (at most five): on a busy machine one worker
      // may be descheduled long enough for the other to take a whole round.
      const ran = new Set<number>();
      for (let round = 0; round < 5 && ran.size < workerPids.size; round++) {
        const answers = await Promise.all(
          Array.from({ length: 20 }, async (_, i) => {
            const n = SAMPLE[i % SAMPLE.length] as number;
            const client = clients[i % clients.length] as (typeof clients)[number];
            const [count, ranOn] = (await client.predict("/predict", [n])) as [number, string];
            expect(count, `primes below ${n}`).toBe(PRIMES_BELOW.get(n));
            return workerOf(ranOn);
          }),
        );
        for (const pid of answers) ran.add(pid);
      }
      expect(ran, `jobs ran on ${[...ran]}, not on both workers`).toEqual(workerPids);
    } finally {
      for (const client of clients) client.close();
    }
  }, 240_000);

  it("answers 20 predictions from @gradio/client through round robin, with no sticky sessions", async () => {
    const clients = await Promise.all([Client.connect(base), Client.connect(base)]);
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const n = SAMPLE[i % SAMPLE.length] as number;
          const client = clients[i % clients.length] as Client;
          const { data } = await client.predict("/predict", [n]);
          const [count, ranOn] = data as [number, string];
          expect(count, `primes below ${n}`).toBe(PRIMES_BELOW.get(n));
          return workerOf(ranOn);
        }),
      );
      expect(answers).toHaveLength(20);
    } finally {
      for (const client of clients) client.close();
    }
  }, 90_000);
});
