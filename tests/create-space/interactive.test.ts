import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frontMatterOf, readProjectFile, root, Terminal, tempDir } from "./helpers.js";

const temp = tempDir("create-space-pty-");
beforeAll(() => {
  execFileSync("npx", ["tsc", "-b", "create-space"], { cwd: root, stdio: "ignore" });
});
afterAll(() => temp.remove());

const ENTER = "\r";
const DOWN = "\x1b[B";

describe("in a terminal", () => {
  it("asks what to build, which model, where it runs, the title and the emoji", async () => {
    const terminal = new Terminal(["--no-install", "--no-git"], temp.dir);
    await terminal.waitFor("Project folder");
    await terminal.press(..."pty-demo", ENTER);
    // A prompt may reach the terminal in pieces: wait for each part that is checked.
    await terminal.waitFor("What do you want to build?");
    await terminal.waitFor("Text classification (sentiment)");
    await terminal.waitFor("Chatbot (small chat model)");
    await terminal.waitFor("Speech recognition");
    await terminal.press(DOWN, ENTER);
    await terminal.waitFor("Which model?");
    await terminal.waitFor("Xenova/bert-base-multilingual-uncased-sentiment");
    await terminal.waitFor(/English, positive or negative · ≈ [\d.]+ MB \/ [\d.]+ MB · apache-2\.0/);
    await terminal.waitFor("Another model on the Hub…");
    await terminal.press(ENTER);
    await terminal.waitFor("Where should it run?");
    await terminal.waitFor("In the visitor's browser (free static Space)");
    await terminal.waitFor("On a server (Docker Space)");
    await terminal.press(DOWN, ENTER);
    await terminal.waitFor("Title of the Space:");
    await terminal.waitFor("not checked (HF_HUB_OFFLINE is set)");
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
  }, 90_000);

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
