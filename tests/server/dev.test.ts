import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "framework/bin/spacecraft.js");

let child: ChildProcess | undefined;
let dir: string | undefined;
afterEach(() => {
  child?.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function poll<T>(read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("spacecraft dev", () => {
  it("restarts with the new code when the app changes, and marks the config as dev", async () => {
    // The app lives inside the repo so it resolves "spacecraft" from the workspace.
    dir = mkdtempSync(join(root, "tests/server/fixtures/.dev-"));
    const app = join(dir, "app.ts");
    const source = readFileSync(join(root, "templates/hello/app.ts"), "utf8");
    writeFileSync(app, source);
    child = spawn(process.execPath, [cli, "dev", app, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    const urlOf = () => [...output.matchAll(/running at (http:\/\/\S+)/g)].map((m) => m[1] as string);
    const first = await poll(async () => urlOf()[0]);
    const config = (await (await fetch(`${first}/config`)).json()) as {
      title: string;
      spacecraft: { dev: boolean };
    };
    expect(config).toMatchObject({ title: "Repeat", spacecraft: { dev: true } });

    writeFileSync(app, source.replace('title: "Repeat"', 'title: "Repeat, changed"'));
    const title = await poll(async () => {
      const url = urlOf()[1];
      if (!url) return undefined;
      const changed = (await (await fetch(`${url}/config`)).json()) as { title: string };
      return changed.title;
    });
    expect(title).toBe("Repeat, changed");
    expect(output).toContain("app.ts changed, restarting.");
  });
});
