import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

const root = mkdtempSync(join(tmpdir(), "sc-flag-page-"));
const jsonl = join(root, "flags", "shout.jsonl");

const flagged = sc.Interface({
  fn: (text) => text.toUpperCase(),
  inputs: [sc.Textbox({ label: "Text" })],
  outputs: [sc.Textbox({ label: "Loud" })],
  apiName: "shout",
  flagging: "manual",
  flaggingOptions: ["Wrong", "Offensive"],
  flaggingDir: "flags",
});
const plain = sc.Interface({
  fn: (text) => text.toUpperCase(),
  inputs: [sc.Textbox({ label: "Text" })],
  outputs: [sc.Textbox({ label: "Loud" })],
});

const chat = sc.ChatInterface({
  fn: (message) => `You said: ${message}`,
  flagging: "manual",
  flaggingDir: "chat-flags",
});

let browser: TestBrowser;
const servers: SpaceServer[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("the Flag button", () => {
  it("flags the shown result with the picked reason, says so, and the line is on disk", async () => {
    const server = await serveSpace(browser, flagged, { root });
    servers.push(server);
    const page = await server.open();
    const flag = page.button("Flag");
    const status = page.page.locator("sc-flag-bar [role=status]");
    await flag.click();
    await eventually(() => status.textContent()).toBe(
      "Nothing to flag yet: run the demo, then flag its result.",
    );
    expect(existsSync(jsonl), "nothing was written").toBe(false);

    await page.page.getByLabel("Text", { exact: true }).fill("hello there");
    await page.button("Submit").click();
    await eventually(() => page.valueOf("Loud")).toBe("HELLO THERE");
    await page.page.getByLabel("Reason to flag").selectOption("Offensive");
    await flag.click();
    await eventually(() => status.textContent()).toBe("Flagged as Offensive. Thank you.");
    const lines = readFileSync(jsonl, "utf8").trim().split("\n");
    expect(lines, "one flag, one line").toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      inputs: { Text: "hello there" },
      outputs: { Loud: "HELLO THERE" },
      reason: "Offensive",
    });
    expect(page.errors).toEqual([]);
  });

  it("is not on a page that does not flag, nor is its code loaded", async () => {
    const server = await serveSpace(browser, plain, { root });
    servers.push(server);
    const page = await server.open();
    await page.page.getByLabel("Text", { exact: true }).fill("quiet");
    await page.button("Submit").click();
    await eventually(() => page.valueOf("Loud")).toBe("QUIET");
    expect(await page.button("Flag").count()).toBe(0);
    expect((await page.loadedAssets()).filter((path) => path.includes("flag"))).toEqual([]);
  });

  it("flags a chat's conversation", async () => {
    const server = await serveSpace(browser, chat, { root });
    servers.push(server);
    const page = await server.open();
    const box = page.component("Message").locator("input");
    await box.fill("is this right?");
    await box.press("Enter");
    await eventually(() => page.textOf("Chat")).toContain("You said: is this right?");
    await page.button("Flag").click();
    await eventually(() => page.page.locator("sc-flag-bar [role=status]").textContent()).toBe(
      "Flagged. Thank you.",
    );
    const line = readFileSync(join(root, "chat-flags", "chat_page.jsonl"), "utf8");
    expect(line).toContain("You said: is this right?");
    expect(page.errors).toEqual([]);
  });
});
