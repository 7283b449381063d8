import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { connect } from "./ws-client.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "framework/bin/spacecraft.js");

let child: ChildProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  child?.kill("SIGTERM");
  child = undefined;
  if (dir) {
    // Whatever a failed test left running in this app's folder goes too.
    for (const pid of processesMentioning(dir)) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  }
});

/** Calls `read` until it returns a value; past the deadline, fails saying what it waited for. */
async function poll<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}${lastError ? ` (last error: ${lastError})` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An app folder inside the repo (so it resolves "spacecraft"): app.ts imports its title from title.ts. */
function makeApp(): { app: string; title: string; notes: string } {
  dir = mkdtempSync(join(root, "tests/server/fixtures/.dev-"));
  const app = join(dir, "app.ts");
  const title = join(dir, "title.ts");
  const notes = join(dir, "notes.txt");
  writeFileSync(title, 'export const title = "First";\n');
  writeFileSync(notes, "an example file\n");
  writeFileSync(
    app,
    `import * as sc from "spacecraft";
import { title } from "./title.js";

export default sc.Interface({
  title,
  fn: (file) => file.orig_name ?? "",
  inputs: [sc.File({ label: "Notes" })],
  outputs: [sc.Textbox({ label: "Name" })],
  examples: [["./notes.txt"]],
});
`,
  );
  return { app, title, notes };
}

/** Runs `spacecraft dev`; its output goes to `logFile` if given (as `> dev.log` would), else is collected. */
function startDev(app: string, options: { logFile?: string } = {}): { output: () => string } {
  const args = [cli, "dev", app, "--port", "0"];
  if (options.logFile) {
    const fd = openSync(options.logFile, "a");
    child = spawn(process.execPath, args, { stdio: ["ignore", fd, fd] });
    closeSync(fd);
    const logFile = options.logFile;
    return { output: () => readFileSync(logFile, "utf8") };
  }
  let output = "";
  child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  return { output: () => output };
}

function urlsIn(output: string): string[] {
  return [...output.matchAll(/running at (http:\/\/\S+)/g)].map((match) => match[1] as string);
}

function restartsIn(output: string): string[] {
  return [...output.matchAll(/Spacecraft: (\S+) changed, restarting\./g)].map((match) => match[1] as string);
}

/** Waits for the `n`th server (1-based) to print its URL and answer `/config`; returns its title. */
async function nthServerTitle(output: () => string, n: number): Promise<string> {
  return poll(`server #${n} to answer /config; output so far:\n${output()}`, async () => {
    const url = urlsIn(output())[n - 1];
    if (!url) return undefined;
    const config = (await (await fetch(`${url}/config`)).json()) as { title: string };
    return config.title;
  });
}

/** Process ids whose command line mentions `text` (Linux: read from /proc). */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Resolves when `port` can be listened on, i.e. nothing holds it any more. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Resolves when `process` has exited; rejects saying `why` if it is still running after `timeoutMs`. */
function exited(process: ChildProcess, why: () => string, timeoutMs = 30_000): Promise<void> {
  if (process.exitCode !== null || process.signalCode !== null) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Still running after ${timeoutMs} ms: ${why()}`)),
      timeoutMs,
    );
    process.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Checks that dev and every server it started are gone and that their ports are free again. */
async function expectAllGone(app: string, urls: string[]): Promise<void> {
  await poll(`every process of ${app} to exit (left: ${processesMentioning(app).join(", ")})`, async () =>
    processesMentioning(app).length === 0 ? true : undefined,
  );
  // A process leaves /proc's cmdline before the kernel closes its sockets: poll for the port too.
  for (const url of urls) {
    const port = Number(new URL(url).port);
    await poll(`port ${port} to be free after dev and its servers exited`, async () =>
      (await canListen(port)) ? true : undefined,
    );
  }
}

describe("spacecraft dev", () => {
  it("restarts with the new code when the app changes, and marks the config as dev", async () => {
    const { app } = makeApp();
    const { output } = startDev(app);
    const first = await poll("the first server", async () => urlsIn(output())[0]);
    const config = (await (await fetch(`${first}/config`)).json()) as {
      title: string;
      spacecraft: { dev: boolean };
    };
    expect(config).toMatchObject({ title: "First", spacecraft: { dev: true } });

    writeFileSync(app, readFileSync(app, "utf8").replace("  title,", '  title: "Changed in app.ts",'));
    expect(await nthServerTitle(output, 2)).toBe("Changed in app.ts");
    expect(restartsIn(output())).toEqual([expect.stringMatching(/app\.ts$/)]);
  }, 90_000);

  it("restarts for an imported module and an example file, never for a log file in the app's folder", async () => {
    const { app, title, notes } = makeApp();
    // `spacecraft dev app.ts > dev.log` in the app's folder: every line it prints changes a file there.
    const logFile = join(dir as string, "dev.log");
    const { output } = startDev(app, { logFile });
    expect(await nthServerTitle(output, 1)).toBe("First");
    appendFileSync(logFile, "a line another tool wrote\n");
    writeFileSync(join(dir as string, "scratch.txt"), "not part of the app\n");

    // The edit is also the barrier: its restart comes after the watcher has seen the log writes.
    writeFileSync(title, 'export const title = "Second";\n');
    expect(await nthServerTitle(output, 2)).toBe("Second");
    writeFileSync(notes, "the example file, edited\n");
    expect(await nthServerTitle(output, 3)).toBe("Second");

    const restarts = restartsIn(output());
    expect(restarts, `restarts: ${restarts.join(", ")}; output:\n${output()}`).toHaveLength(2);
    expect(restarts[0]).toMatch(/title\.ts$/);
    expect(restarts[1]).toMatch(/notes\.txt$/);
  }, 120_000);

  it("leaves no server running when stopped after quick saves during a long job", async () => {
    const { app } = makeApp();
    // A job that outlasts the 1 s a dev server gives running jobs, so each restart takes a while.
    writeFileSync(
      app,
      `import * as sc from "spacecraft";

export default sc.Interface({
  title: "Slow",
  fn: (text) => new Promise<string>((resolve) => setTimeout(() => resolve(text), 60_000)),
  inputs: [sc.Textbox({ label: "Text" })],
  outputs: [sc.Textbox({ label: "Result" })],
});
`,
    );
    const { output } = startDev(app);
    await nthServerTitle(output, 1);
    const client = await connect(urlsIn(output())[0] as string);
    client.send({ type: "predict", id: "slow", endpoint: 0, data: ["hi"] });
    await client.next((message) => message.type === "started" && message.id === "slow", 30_000);
    const dev = child as ChildProcess;

    // A second save while the first server is still finishing its job.
    writeFileSync(app, `${readFileSync(app, "utf8")}// edit 1\n`);
    await poll(`restart #1; output so far:\n${output()}`, async () =>
      restartsIn(output()).length >= 1 ? true : undefined,
    );
    writeFileSync(app, `${readFileSync(app, "utf8")}// edit 2\n`);
    await poll(`restart #2; output so far:\n${output()}`, async () =>
      restartsIn(output()).length >= 2 ? true : undefined,
    );
    await nthServerTitle(output, 2);
    await client.close();

    dev.kill("SIGTERM");
    await exited(dev, () => `dev, after SIGTERM; output:\n${output()}`);
    await expectAllGone(app, urlsIn(output()));
  }, 120_000);

  it("takes its server down with it when dev is killed outright", async () => {
    const { app } = makeApp();
    const { output } = startDev(app);
    await nthServerTitle(output, 1);
    const dev = child as ChildProcess;
    dev.kill("SIGKILL");
    await exited(dev, () => "dev, after SIGKILL");
    await expectAllGone(app, urlsIn(output()));
  }, 60_000);
});
