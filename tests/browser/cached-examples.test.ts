import type { Page } from "playwright-core";
import * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpacePage, SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, openSpacePage, serveSpace } from "./harness.js";

const words = [
  "alpha",
  "bravo",
  "charlie",
  "delta",
  "echo",
  "foxtrot",
  "golf",
  "hotel",
  "india",
  "juliet",
  "kilo",
  "lima",
];

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens the Space's page, recording what it sends over its WebSocket. */
async function openRecording(server: SpaceServer): Promise<{ page: SpacePage; sent: string[] }> {
  const sent: string[] = [];
  const page = await openSpacePage(browser.context, server.server.url, {
    prepare: (page: Page) =>
      page.on("websocket", (socket) => socket.on("framesent", (frame) => sent.push(String(frame.payload)))),
  });
  return { page, sent };
}

/** The predict messages among those sent. */
const predicts = (sent: string[]) => sent.filter((frame) => frame.includes('"predict"'));

/** The status line's stage ("idle" when none is shown yet). */
const stageOf = (page: SpacePage) => page.status().getAttribute("stage");

describe("cacheExamples: true, with labels and pages", () => {
  let calls: string[];
  let server: SpaceServer;
  beforeAll(async () => {
    calls = [];
    server = await serveSpace(
      browser,
      sc.Interface({
        fn: (text: string) => {
          calls.push(text);
          return text.toUpperCase();
        },
        inputs: [sc.Textbox({ label: "Word" })],
        outputs: [sc.Textbox({ label: "Shout" })],
        examples: words.map((word) => [word] as const),
        exampleLabels: words.map((_, i) => `Label ${String.fromCharCode(65 + i)}`),
        cacheExamples: true,
      }),
    );
    const config = (await (await fetch(`${server.server.url}/config`)).json()) as sc.SpaceConfig;
    const table = config.components.find((component) => component.type === "dataset")?.id;
    const last = `${server.server.url}/gradio_api/cached_examples/${table}/${words.length - 1}.json`;
    const deadline = Date.now() + 30_000;
    while ((await fetch(last)).status !== 200) {
      if (Date.now() > deadline) throw new Error("the examples were not cached within 30 s of start-up");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it("fills the inputs and the outputs at once, with no job", async () => {
    const { page, sent } = await openRecording(server);
    expect(calls, "fn ran once per example at start-up").toEqual(words);
    const rows = page.page.locator("sc-examples tbody tr");
    expect(await rows.count(), "ten rows on the first page").toBe(10);
    const table = (await page.page.locator("sc-examples table").textContent()) ?? "";
    expect(table, "labels are shown").toContain("Label B");
    expect(table, "instead of the values").not.toContain("bravo");
    await page.pickExample("Label B");
    await eventually(() => page.valueOf("Word")).toBe("bravo");
    await eventually(() => page.valueOf("Shout")).toBe("BRAVO");
    expect(predicts(sent), "no predict went to the server").toEqual([]);
    expect(await stageOf(page), "no queued or started status").toBe("idle");
    expect(calls.length, "fn did not run again").toBe(words.length);
    expect(page.errors).toEqual([]);
  });

  it("pages the examples with the mouse and the keyboard", async () => {
    const { page, sent } = await openRecording(server);
    const examples = page.page.locator("sc-examples");
    await examples.getByRole("button", { name: "Page 2" }).click();
    await eventually(async () => (await examples.locator("tbody").textContent()) ?? "").toContain("Label K");
    expect(await examples.locator("tbody tr").count(), "the second page holds the last two").toBe(2);
    expect(await examples.getByRole("button", { name: "Page 2" }).getAttribute("aria-current")).toBe("page");
    expect(await examples.getByRole("button", { name: "Next" }).isDisabled(), "no page after the last").toBe(
      true,
    );
    // The keyboard: Previous, then back with Tab to Page 2 and Enter.
    await examples.getByRole("button", { name: "Previous" }).focus();
    await page.page.keyboard.press("Enter");
    await eventually(async () => (await examples.locator("tbody").textContent()) ?? "").toContain("Label A");
    await examples.getByRole("button", { name: "Page 1" }).focus();
    await page.page.keyboard.press("Tab");
    await page.page.keyboard.press("Enter");
    await eventually(async () => (await examples.locator("tbody").textContent()) ?? "").toContain("Label L");
    // A row of the second page, picked with the keyboard, is its own example (the 12th).
    await examples.getByRole("button", { name: "Example 12: Label L" }).focus();
    await page.page.keyboard.press("Enter");
    await eventually(() => page.valueOf("Shout")).toBe("LIMA");
    expect(await page.valueOf("Word")).toBe("lima");
    expect(predicts(sent), "no predict went to the server").toEqual([]);
  });
});

describe('cacheExamples: "lazy"', () => {
  it("runs an example on its first click only, for every visitor", async () => {
    let calls = 0;
    const server = await serveSpace(
      browser,
      sc.Interface({
        fn: (text: string) => {
          calls += 1;
          return `${text} (${text.length})`;
        },
        inputs: [sc.Textbox({ label: "Word" })],
        outputs: [sc.Textbox({ label: "Counted" })],
        examples: [["papa"], ["quebec"]],
        cacheExamples: "lazy",
      }),
    );
    try {
      for (const visitor of ["first", "second"]) {
        const { page, sent } = await openRecording(server);
        await page.pickExample("quebec");
        await eventually(() => page.valueOf("Counted")).toBe("quebec (6)");
        expect(predicts(sent), `the ${visitor} visitor sent no predict`).toEqual([]);
        expect(calls, `fn ran once, for the first visitor (seen by the ${visitor})`).toBe(1);
        expect(page.errors).toEqual([]);
      }
    } finally {
      await server.close();
    }
  });
});

describe("an example clicked before its outputs are cached", () => {
  it("runs as a click of Submit would", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = await serveSpace(
      browser,
      sc.Interface({
        fn: async (text: string) => {
          await gate;
          return `${text}!`;
        },
        inputs: [sc.Textbox({ label: "Word" })],
        outputs: [sc.Textbox({ label: "Loud" })],
        examples: [["romeo"], ["sierra"]],
        cacheExamples: true,
        concurrencyLimit: null,
      }),
    );
    try {
      const { page, sent } = await openRecording(server);
      await page.pickExample("sierra");
      await eventually(() => predicts(sent).length).toBe(1);
      expect(await page.valueOf("Word")).toBe("sierra");
      release();
      await eventually(() => page.valueOf("Loud")).toBe("sierra!");
    } finally {
      release();
      await server.close();
    }
  });
});

describe("ChatInterface with cached examples", () => {
  it("shows an example's conversation at once, with no job", async () => {
    let calls = 0;
    const server = await serveSpace(
      browser,
      sc.ChatInterface({
        fn: (message: string) => {
          calls += 1;
          return `Echo: ${message}`;
        },
        chatbot: sc.Chatbot({ label: "Chat" }),
        examples: ["tango", "uniform"],
        exampleLabels: ["Say tango", "Say uniform"],
        cacheExamples: true,
      }),
    );
    try {
      // The last example's cached answer is served once it is stored (fn having run is not enough:
      // a page that loaded before the write would ask the server).
      const config = (await (await fetch(`${server.server.url}/config`)).json()) as sc.SpaceConfig;
      const table = config.components.find((component) => component.type === "dataset")?.id;
      const last = `${server.server.url}/gradio_api/cached_examples/${table}/1.json`;
      const deadline = Date.now() + 30_000;
      while (calls < 2 || (await fetch(last)).status !== 200) {
        if (Date.now() > deadline) throw new Error("the chat examples were not cached within 30 s");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const { page, sent } = await openRecording(server);
      await page.pickExample("Say uniform");
      await eventually(async () =>
        ((await page.valueOf("Chat")) as sc.ChatMessage[]).map(({ role, content }) => `${role}: ${content}`),
      ).toEqual(["user: uniform", "assistant: Echo: uniform"]);
      expect(predicts(sent), "no predict went to the server").toEqual([]);
      expect(calls, "fn did not run again").toBe(2);
      expect(page.errors).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
