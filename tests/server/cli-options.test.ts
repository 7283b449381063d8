import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CLI_PATH } from "./cli.js";

const app = fileURLToPath(new URL("./fixtures/slow-app.ts", import.meta.url));

/** Starts `spacecraft start` with extra arguments; resolves with its URL and a stop function. */
function start(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [CLI_PATH, "start", app, "--port", "0", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise<{ url: string; stop: () => void }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start within 30 s: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const url = /running at (http:\/\/\S+)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({ url, stop: () => child.kill("SIGKILL") });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${output}`));
    });
  });
}

describe("spacecraft start options", () => {
  it("refuses an unknown option with the one it resembles", () => {
    const result = spawnSync(process.execPath, [CLI_PATH, "start", app, "--auht", "a:b"], {
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Unknown option "--auht". Did you mean "--auth"?');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("explains a malformed --auth, --time-limit and --link-ttl", () => {
    for (const [args, text] of [
      [["--auth", "nocolon"], 'has no ":"'],
      [["--time-limit", "soon"], 'Invalid --time-limit "soon"'],
      [["--link-ttl", "0"], 'Invalid --link-ttl "0"'],
    ] as const) {
      const result = spawnSync(process.execPath, [CLI_PATH, "start", app, ...args], { encoding: "utf8" });
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr).toContain(text);
    }
  });

  it("puts the Space behind sign-in with --auth or SPACECRAFT_AUTH", async () => {
    for (const [args, env] of [
      [["--auth", "ada:lovelace", "--auth", "alan:turing"], {}],
      [[], { SPACECRAFT_AUTH: "ada:lovelace,alan:turing" }],
    ] as const) {
      const server = await start([...args], env);
      try {
        expect((await fetch(`${server.url}/config`)).status).toBe(401);
        const login = await fetch(`${server.url}/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "alan", password: "turing" }),
        });
        expect(login.status).toBe(200);
        const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
        expect((await fetch(`${server.url}/config`, { headers: { cookie } })).status).toBe(200);
      } finally {
        server.stop();
      }
    }
  });

  it("applies --time-limit to every endpoint", async () => {
    const server = await start(["--time-limit", "0.5"]);
    try {
      const response = await fetch(`${server.url}/gradio_api/run/predict`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ data: ["x", 5000] }),
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: expect.stringContaining("time limit of 0.5 s") });
    } finally {
      server.stop();
    }
  });

  it("keeps Share links for --link-ttl hours", async () => {
    const server = await start(["--link-ttl", "2"]);
    try {
      const config = (await (await fetch(`${server.url}/config`)).json()) as {
        dependencies: { inputs: number[] }[];
      };
      const text = config.dependencies[0]?.inputs[0];
      const before = Date.now();
      const response = await fetch(`${server.url}/gradio_api/deep_link`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ session: "cli-options-session-1", values: { [String(text)]: "hello" } }),
      });
      const answer = (await response.json()) as { id?: string; expires?: string; error?: string };
      expect(response.status, answer.error).toBe(201);
      const lifetime = Date.parse(answer.expires ?? "") - before;
      // Two hours, not the default week (a minute either way for a slow machine).
      expect(Math.abs(lifetime - 2 * 3_600_000), `expires ${answer.expires}`).toBeLessThan(60_000);
    } finally {
      server.stop();
    }
  });

  it("explains malformed Redis options, and a Redis that cannot be reached", () => {
    for (const [command, args, text] of [
      ["start", ["--redis", "localhost:6379"], 'Invalid --redis "localhost:6379"'],
      ["start", ["--global-concurrency", "2"], "add --redis <url>"],
      ["start", ["--web-only"], "--web-only is for processes sharing a Redis queue"],
      ["start", ["--redis", "redis://127.0.0.1:1", "--redis-lock", "0.1"], 'Invalid --redis-lock "0.1"'],
      [
        "start",
        ["--redis", "redis://127.0.0.1:1", "--global-concurrency", "0"],
        'Invalid --global-concurrency "0"',
      ],
      ["worker", [], 'use "spacecraft worker app.ts --redis redis://HOST:6379"'],
      ["worker", ["--redis", "redis://127.0.0.1:1"], "Cannot reach Redis at 127.0.0.1:1"],
      ["start", ["--redis", "redis://127.0.0.1:1", "--port", "0"], "Cannot reach Redis at 127.0.0.1:1"],
    ] as const) {
      const result = spawnSync(process.execPath, [CLI_PATH, command, app, ...args], {
        encoding: "utf8",
        env: { ...process.env, REDIS_URL: "" },
        timeout: 30_000,
      });
      expect(result.status, `${command} ${args.join(" ")}: ${result.stderr}`).toBe(1);
      expect(result.stderr).toContain(text);
    }
    // Eight CLI runs, each loading the app: on a loaded machine they outlast 30 s.
  }, 120_000);

  it("explains a malformed --root-path and --trust-proxy", () => {
    for (const [args, text] of [
      [["--root-path", "/a/../b"], '--root-path: "/a/../b" is not a root path'],
      [["--trust-proxy", "my-proxy"], 'Invalid --trust-proxy "my-proxy"'],
    ] as const) {
      const result = spawnSync(process.execPath, [CLI_PATH, "start", app, ...args], { encoding: "utf8" });
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr).toContain(text);
    }
  });

  it("serves under --root-path or SPACECRAFT_ROOT_PATH, and believes X-Forwarded-Host only with --trust-proxy", async () => {
    for (const [args, env, trusts] of [
      [["--root-path", "/demo", "--trust-proxy", "loopback"], {}, true],
      [[], { SPACECRAFT_ROOT_PATH: "/demo" }, false],
    ] as const) {
      const server = await start([...args], env);
      try {
        const bare = await fetch(`${server.url}/demo`, { redirect: "manual" });
        expect(bare.headers.get("location"), JSON.stringify(args)).toBe("/demo/");
        expect((await fetch(`${server.url}/demo/config`)).status).toBe(200);
        const forwarded = await fetch(`${server.url}/config`, {
          headers: { "x-forwarded-host": "evil.example" },
        });
        // A trusted proxy's host is checked like the Host header; anyone else's is not believed.
        expect(forwarded.status, JSON.stringify(args)).toBe(trusts ? 403 : 200);
      } finally {
        server.stop();
      }
    }
  });
});
