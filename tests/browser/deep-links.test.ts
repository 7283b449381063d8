import * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpacePage, SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, openSpacePage, serveSpace } from "./harness.js";

/** How often each demo's function ran: a restored link must not run anything. */
const calls = { interface: 0, live: 0, blocks: 0, chat: 0 };

const shout = sc.Interface({
  title: "Shout",
  fn: (text) => {
    calls.interface++;
    return [text.toUpperCase(), { bytes: new TextEncoder().encode(text.toUpperCase()), name: "shout.txt" }];
  },
  inputs: [sc.Textbox({ label: "Text" })],
  outputs: [sc.Textbox({ label: "Result" }), sc.File({ label: "Download" })],
});

/** Runs whenever its input changes. */
const live = sc.Interface({
  title: "Live",
  live: true,
  fn: (count) => {
    calls.live++;
    return count * 2;
  },
  inputs: [sc.Number({ label: "Count" })],
  outputs: [sc.Number({ label: "Double" })],
});

/** Runs on every change of its input. */
const mirror = sc.Blocks({ title: "Mirror" }, () => {
  const word = sc.Textbox({ label: "Word" });
  const reversed = sc.Textbox({ label: "Reversed" });
  word.change({
    fn: (text: string) => {
      calls.blocks++;
      return [...text].reverse().join("");
    },
    inputs: [word],
    outputs: [reversed],
  });
  return sc.Column(word, reversed);
});

const chat = sc.ChatInterface({
  title: "Parrot",
  chatbot: sc.Chatbot({ label: "Chat" }),
  fn: (message) => {
    calls.chat++;
    return `You said: ${message}`;
  },
});

let sharer: TestBrowser;
let visitor: TestBrowser;
const servers: SpaceServer[] = [];

beforeAll(async () => {
  [sharer, visitor] = await Promise.all([launchBrowser(), launchBrowser()]);
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await Promise.all([sharer?.close(), visitor?.close()]);
});

async function serveIt(
  space: sc.Space,
  options: Parameters<typeof serveSpace>[2] = {},
): Promise<SpaceServer> {
  const served = await serveSpace(sharer, space, options);
  servers.push(served);
  await sharer.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: served.server.url });
  return served;
}

/** Opens `url` in the visitor's browser: another person, with their own session. */
async function visit(url: string): Promise<SpacePage> {
  return openSpacePage(visitor.context, url);
}

/** What the Share bar's live region says. */
function shareMessage(view: SpacePage): Promise<string> {
  return view.page
    .locator("sc-app .share [role=status]")
    .textContent()
    .then((text) => (text ?? "").trim());
}

/** Clicks Share, waits for "Link copied." and reads the link from the clipboard. */
async function shareLink(view: SpacePage): Promise<string> {
  await view.button("Share").click();
  await eventually(() => shareMessage(view)).toBe("Link copied.");
  return view.page.evaluate(() => navigator.clipboard.readText());
}

describe("deep links", { timeout: 60_000 }, () => {
  it("reopens an Interface with its inputs, outputs and files, without running it", async () => {
    const served = await serveIt(shout);
    const view = await served.open();
    await view.component("Text").locator("input, textarea").first().fill("hello");
    await view.button("Submit").click();
    await view.waitForStage("complete");
    await eventually(() => view.valueOf("Result")).toBe("HELLO");
    expect(calls.interface).toBe(1);
    // The Share button ends the outputs' column.
    const outputs = view.page
      .locator("sc-app .column", { has: view.page.locator(`[label="Result"]`) })
      .last();
    expect(await outputs.getByRole("button", { name: "Share" }).count(), "Share by the outputs").toBe(1);

    const link = await shareLink(view);
    expect(link, "a link to this page with the snapshot's id").toMatch(
      new RegExp(`^${served.server.url}/\\?deep_link=[A-Za-z0-9_-]{22}$`),
    );
    // The sharer's page goes away; the link still works for someone else.
    await view.page.close();
    const opened = await visit(link);
    expect(await opened.valueOf("Text")).toBe("hello");
    expect(await opened.valueOf("Result")).toBe("HELLO");
    const file = (await opened.valueOf("Download")) as sc.FileData;
    expect(file, "the file output is restored").toMatchObject({ orig_name: "shout.txt" });
    const text = await opened.page.evaluate(async (url) => (await fetch(url)).text(), file.url as string);
    expect(text, "the visitor can read the shared file").toBe("HELLO");
    expect(calls.interface, "opening the link ran nothing").toBe(1);
    expect(await opened.status().getAttribute("stage"), "no run: the status line is idle").toBe("idle");
    expect(await opened.pageText()).not.toContain("expired");

    // The restored inputs run as the visitor's own.
    await opened.button("Submit").click();
    await opened.waitForStage("complete");
    expect(calls.interface).toBe(2);
    expect(opened.errors).toEqual([]);
    await opened.page.close();
  });

  it("restores a Blocks page without firing its change listeners", async () => {
    const served = await serveIt(mirror);
    const view = await served.open();
    await view.component("Word").locator("input, textarea").first().fill("stressed");
    await eventually(() => view.valueOf("Reversed")).toBe("desserts");
    const before = calls.blocks;
    expect(before).toBeGreaterThan(0);
    const link = await shareLink(view);
    const opened = await visit(link);
    expect(await opened.valueOf("Word")).toBe("stressed");
    expect(await opened.valueOf("Reversed")).toBe("desserts");
    expect(calls.blocks, "the restored Word fired no change").toBe(before);
    // The visitor's own edit runs as usual.
    await opened.component("Word").locator("input, textarea").first().fill("drawer");
    await eventually(() => opened.valueOf("Reversed")).toBe("reward");
    expect(opened.errors).toEqual([]);
    await Promise.all([view.page.close(), opened.page.close()]);
  });

  it("restores a live Interface without running it", async () => {
    const served = await serveIt(live);
    const view = await served.open();
    await view.component("Count").locator("input").first().fill("21");
    await eventually(() => view.valueOf("Double")).toBe(42);
    const before = calls.live;
    const link = await shareLink(view);
    const opened = await visit(link);
    expect(await opened.valueOf("Count")).toBe(21);
    expect(await opened.valueOf("Double")).toBe(42);
    expect(calls.live, "the restored Count fired no change").toBe(before);
    expect(opened.errors).toEqual([]);
    await Promise.all([view.page.close(), opened.page.close()]);
  });

  it("restores a chat's conversation", async () => {
    const served = await serveIt(chat);
    const view = await served.open();
    const box = view.component("Message").locator("input, textarea").first();
    await box.fill("hello");
    await box.press("Enter");
    await eventually(async () => ((await view.valueOf("Chat")) as sc.ChatMessage[]).length).toBe(2);
    await box.fill("and bye");
    await box.press("Enter");
    await eventually(async () => ((await view.valueOf("Chat")) as sc.ChatMessage[]).length).toBe(4);
    const conversation = await view.valueOf("Chat");
    expect(calls.chat).toBe(2);
    const link = await shareLink(view);
    const opened = await visit(link);
    expect(await opened.valueOf("Chat")).toEqual(conversation);
    await eventually(() => opened.textOf("Chat")).toContain("You said: and bye");
    expect(calls.chat, "nothing ran").toBe(2);
    expect(opened.errors).toEqual([]);
    await Promise.all([view.page.close(), opened.page.close()]);
  });

  it("shows the demo with a notice for an unknown or expired link", async () => {
    const served = servers[0] ?? (await serveIt(shout));
    const opened = await visit(`${served.server.url}/?deep_link=AAAAAAAAAAAAAAAAAAAAAA`);
    expect((await opened.page.locator("sc-app [data-banner=link]").textContent())?.trim()).toBe(
      "This shared link has expired or does not exist; here is the demo.",
    );
    expect(await opened.valueOf("Text"), "the demo is there, as new").toBe("");
    await opened.component("Text").locator("input, textarea").first().fill("still works");
    await opened.button("Submit").click();
    await eventually(() => opened.valueOf("Result")).toBe("STILL WORKS");
    await opened.page.close();
  });

  it("shows the link in a selected field when the clipboard refuses it", async () => {
    const served = servers[0] ?? (await serveIt(shout));
    const view = await served.open();
    // The browser's clipboard refuses (as on a page served over plain HTTP to another machine).
    await view.page.evaluate(() => {
      navigator.clipboard.writeText = () =>
        Promise.reject(new DOMException("Write permission denied.", "NotAllowedError"));
    });
    await view.button("Share").click();
    await eventually(() => shareMessage(view)).toBe("Copy this link (the clipboard is not available here).");
    const field = view.page.getByRole("textbox", { name: "Link to this result" });
    const url = await field.inputValue();
    expect(url).toMatch(/\?deep_link=[A-Za-z0-9_-]{22}$/);
    const selected = await field.evaluate((input: HTMLInputElement) => [
      input.selectionStart,
      input.selectionEnd,
    ]);
    expect(selected, "the whole link is selected, ready to copy").toEqual([0, url.length]);
    await view.page.close();
  });

  it("says so when the snapshot is over the server's limit", async () => {
    const served = await serveIt(shout, { deepLinks: { maxSnapshotBytes: 1024 } });
    const view = await served.open();
    await view.component("Text").locator("input, textarea").first().fill("x".repeat(2000));
    await view.button("Share").click();
    await eventually(() => shareMessage(view)).toMatch(
      /^Could not make a link: This snapshot is too large \(2 KB\)\. A shared link holds at most 1 KB/,
    );
    await view.page.close();
  });
});
