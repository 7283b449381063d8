import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { CLI_PATH as cli, startCli } from "./cli.js";
import { connect } from "./ws-client.js";

const app = fileURLToPath(new URL("./fixtures/slow-app.ts", import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill("SIGKILL");
});

describe("spacecraft start", () => {
  it("finishes running jobs on SIGTERM, refuses new ones, then exits 0", async () => {
    const started = await startCli(app);
    child = started.child;
    const { url, output } = started;
    const client = await connect(url);
    // 6 s: still running when the late request arrives on a busy machine, and within the 10 s the
    // server gives running jobs (their clocks start before the signal's).
    client.send({ type: "predict", id: "long", endpoint: 0, data: ["done", 6000] });
    await client.next((m) => m.type === "started");
    const exited = new Promise<number | null>((resolve) => child?.once("exit", (code) => resolve(code)));
    child?.kill("SIGTERM");
    // A request that arrives while draining is refused with a clear message. The server says it
    // drains before it refuses anything: wait for that, not for a fixed time.
    const deadline = Date.now() + 20_000;
    while (!output().includes("SIGTERM: finishing running jobs")) {
      if (Date.now() > deadline) throw new Error(`The server never said it was draining: ${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    client.send({ type: "predict", id: "late", endpoint: 0, data: ["late", 0] });
    expect(await client.end("late")).toMatchObject({
      type: "error",
      message: expect.stringContaining("shutting down"),
    });
    expect(await client.end("long")).toMatchObject({ type: "complete", data: ["done"] });
    expect(await exited).toBe(0);
    expect(output()).toContain("SIGTERM: finishing running jobs");
  });

  it("explains a busy port", async () => {
    const { url, child: first } = await startCli(app);
    child = first;
    const port = new URL(url).port;
    const second = spawn(process.execPath, [cli, "start", app, "--port", port], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    second.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => second.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(
      `Port ${port} is already in use. Stop the other server, or pass --port ${Number(port) + 1}.`,
    );
    first?.kill("SIGKILL");
  });

  it("says what is wrong with an app that does not export a Space", async () => {
    const proc = spawn(
      process.execPath,
      [cli, "start", fileURLToPath(new URL("./ws-client.ts", import.meta.url))],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    proc.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    expect(await new Promise((resolve) => proc.once("exit", resolve))).toBe(1);
    expect(stderr).toContain(
      'must export a Space as its default export: "export default Interface({ ... })" or "export default Blocks(',
    );
  });

  it("refuses a Blocks declaration mistake at start-up, naming the component by its label", async () => {
    const app = fileURLToPath(new URL("./fixtures/unplaced-output.ts", import.meta.url));
    const proc = spawn(process.execPath, [cli, "start", app, "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    proc.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    expect(await new Promise((resolve) => proc.once("exit", resolve))).toBe(1);
    expect(stderr).toContain(
      'Textbox "Greeting" is an output of the submit event of Textbox "Name" but is not in the layout. ' +
        "Place it in the layout build returns, or remove it from the event.",
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
