import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, cleanEnv, frontMatterOf, readProjectFile, root, tempDir } from "./helpers.js";

const temp = tempDir("create-space-pty-");
beforeAll(() => {
  execFileSync("npx", ["tsc", "-b", "create-space"], { cwd: root, stdio: "ignore" });
});
afterAll(() => temp.remove());

const ENTER = "\r";
const DOWN = "\x1b[B";

/** create-space in a pseudo-terminal (util-linux `script`), answered key by key. */
class Terminal {
  private readonly child: ChildProcessWithoutNullStreams;
  private raw = "";
  readonly exited: Promise<number>;

  constructor(args: string[], cwd: string) {
    // A pseudo-terminal made without a terminal has no size: give it one, or clack wraps every character.
    const command = `stty cols 200 rows 50; ${["node", bin, ...args].map((word) => `'${word}'`).join(" ")}`;
    this.child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd,
      env: cleanEnv({ HF_HUB_OFFLINE: "1", TERM: "xterm-256color" }),
    });
    this.child.stdout.on("data", (chunk) => {
      this.raw += chunk;
    });
    this.child.stderr.on("data", (chunk) => {
      this.raw += chunk;
    });
    this.exited = new Promise((resolve) => this.child.on("close", (code) => resolve(code ?? 1)));
  }

  /** What the terminal showed, without colours and cursor moves. */
  get text(): string {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what is removed.
    return this.raw.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g, "");
  }

  /** Waits until the terminal shows `text` (10 s deadline). */
  async waitFor(text: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!this.text.includes(text)) {
      if (Date.now() > deadline)
        throw new Error(`The terminal never showed "${text}". It showed:\n${this.text}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Types keys, then waits until the prompt has redrawn. */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) {
      const before = this.raw.length;
      this.child.stdin.write(key);
      const deadline = Date.now() + 5_000;
      while (this.raw.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    }
  }
}

describe("in a terminal", () => {
  it("asks what to build, which model, where it runs, the title and the emoji", async () => {
    const terminal = new Terminal(["--no-install", "--no-git"], temp.dir);
    await terminal.waitFor("Project folder");
    await terminal.press(..."pty-demo", ENTER);
    await terminal.waitFor("What do you want to build?");
    expect(terminal.text).toContain("Text classification (sentiment)");
    expect(terminal.text).not.toContain("chatbot");
    await terminal.press(DOWN, ENTER);
    await terminal.waitFor("Which model?");
    expect(terminal.text).toContain("Xenova/bert-base-multilingual-uncased-sentiment");
    expect(terminal.text).toMatch(/English, positive or negative · ≈ \d+ MB \/ \d+ MB · apache-2\.0/);
    expect(terminal.text).toContain("Another model on the Hub…");
    await terminal.press(ENTER);
    await terminal.waitFor("Where should it run?");
    expect(terminal.text).toContain("In the visitor's browser (free static Space)");
    expect(terminal.text).toContain("On a server (Docker Space)");
    await terminal.press(DOWN, ENTER);
    await terminal.waitFor("Title of the Space:");
    expect(terminal.text).toContain("not checked (HF_HUB_OFFLINE is set)");
    await terminal.press(..."PTY Demo", ENTER);
    await terminal.waitFor("Emoji for its card:");
    await terminal.press(ENTER);
    expect(await terminal.exited).toBe(0);

    const project = join(temp.dir, "pty-demo");
    expect(frontMatterOf(project)).toMatchObject({
      title: "PTY Demo",
      emoji: "😊",
      sdk: "docker",
      app_port: 7860,
      models: ["Xenova/distilbert-base-uncased-finetuned-sst-2-english"],
    });
    expect(readProjectFile(project, "app.ts")).toContain('title: "PTY Demo",');
    expect(existsSync(join(project, "Dockerfile"))).toBe(true);
    expect(terminal.text).toContain("cd pty-demo");
    expect(terminal.text).toContain(
      "npx create-space@0.1.0 pty-demo --template sentiment --sdk docker --title 'PTY Demo' --license apache-2.0 --no-install --no-git --no-interactive",
    );
  }, 30_000);

  it("writes nothing and exits 1 when a prompt is cancelled", async () => {
    const before = readdirSync(temp.dir);
    const terminal = new Terminal(["cancelled", "--no-install", "--no-git"], temp.dir);
    await terminal.waitFor("What do you want to build?");
    await terminal.press("\x03");
    expect(await terminal.exited).toBe(1);
    expect(terminal.text).toContain("Cancelled: nothing was written.");
    expect(readdirSync(temp.dir)).toEqual(before);
  });

  it.each([
    ["--no-interactive", "quiet"],
    ["-y", "quiet-y"],
  ])("asks nothing with %s", async (flag, name) => {
    const terminal = new Terminal([name, flag, "--no-install", "--no-git"], temp.dir);
    expect(await terminal.exited).toBe(0);
    expect(terminal.text).not.toContain("What do you want to build?");
    expect(terminal.text).toContain(`Created ${name}: the hello template as a static Space`);
  });
});
