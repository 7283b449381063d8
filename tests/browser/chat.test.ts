import * as sc from "spacecraft";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGate } from "../fixtures/gate.js";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, SpacePage, serveSpace } from "./harness.js";

const gate = createGate();

/** Every call of the chat function: what it got, and whether it saw the caller stop. */
const calls: { message: string; history: sc.ChatMessage[]; aborted: boolean }[] = [];

const thought: sc.ChatMessage[] = [
  {
    role: "assistant",
    content: "Counting the words.",
    metadata: { title: "Thinking", status: "done", duration: 0.4 },
  },
  { role: "assistant", content: "**Three** words." },
];

/**
 * "slowly a b c" streams a word per gate step, "lines N" a paragraph per step, "think" answers
 * with a thought above the answer, "search" shows a tool step that runs until the gate opens,
 * and anything else streams its words without waiting.
 */
const chat = sc.ChatInterface({
  title: "Gated chat",
  chatbot: sc.Chatbot({ label: "Chat", placeholder: "Ask **anything**", height: 240 }),
  fn: async function* (message, history, ctx) {
    const call = { message, history, aborted: false };
    calls.push(call);
    ctx.signal.addEventListener("abort", () => {
      call.aborted = true;
    });
    if (message === "think") {
      yield thought;
      return;
    }
    if (message === "search") {
      yield {
        role: "assistant",
        content: "Looking it up.",
        metadata: { title: "Searching", status: "pending" },
      };
      await gate.next(ctx.signal);
      yield [
        {
          role: "assistant",
          content: "Looked it up.",
          metadata: { title: "Searching", status: "done", duration: 1.2 },
        },
        { role: "assistant", content: "Found it." },
      ];
      return;
    }
    const [mode = "", ...rest] = message.split(" ");
    const steps =
      mode === "lines"
        ? Array.from({ length: Number(rest[0]) }, (_, i) => `Line ${i + 1}.`)
        : mode === "slowly"
          ? rest
          : [mode, ...rest];
    let reply = "";
    for (const step of steps) {
      if (mode === "slowly" || mode === "lines") await gate.next(ctx.signal);
      if (ctx.signal.aborted) return;
      reply = reply ? `${reply}${mode === "lines" ? "\n\n" : " "}${step}` : step;
      yield reply;
    }
  },
});

let browser: TestBrowser;
let space: SpaceServer;

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, chat);
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});
beforeEach(() => {
  gate.permits = 0;
  calls.length = 0;
});

/** The chat's messages as the page holds them. */
function messages(page: SpacePage): Promise<sc.ChatMessage[]> {
  return page.valueOf("Chat") as Promise<sc.ChatMessage[]>;
}

/** The text of the last message shown in the log (its buttons left out). */
function lastShown(page: SpacePage): Promise<string> {
  return page
    .component("Chat")
    .locator('[part~="message"]')
    .last()
    .evaluate((message) => {
      const walk = (node: Node): string =>
        node.nodeType === Node.TEXT_NODE
          ? (node.textContent ?? "")
          : [...((node as Element).shadowRoot ?? node).childNodes]
              .filter((child) => !(child instanceof HTMLStyleElement || child instanceof HTMLButtonElement))
              .map(walk)
              .join(" ");
      return walk(message).replace(/\s+/g, " ").trim();
    });
}

/** Opens the Space's page in another browser. */
async function openIn(other: TestBrowser, served: SpaceServer): Promise<SpacePage> {
  const page = await other.context.newPage();
  page.setDefaultTimeout(30_000);
  const errors: Error[] = [];
  page.on("pageerror", (error) => errors.push(error));
  await page.goto(served.server.url);
  await page.waitForSelector("sc-app[loaded]");
  await page.evaluate(() => (document.querySelector("sc-app") as { ready?: Promise<void> } | null)?.ready);
  return new SpacePage(page, errors);
}

/** Types a message into the box and presses Enter. */
async function send(page: SpacePage, text: string): Promise<void> {
  const box = page.component("Message").locator("input");
  await box.fill(text);
  await box.press("Enter");
}

/** The element in focus, through shadow roots: its tag and its host's. */
function focused(page: SpacePage): Promise<string> {
  return page.page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    const host = element?.getRootNode() as ShadowRoot | Document | undefined as ShadowRoot | undefined;
    return `${element?.tagName} in ${host?.host?.tagName}`;
  });
}

describe("chat", () => {
  it("sends with Enter: the question shows and the box empties at once, then the reply streams in steps", async () => {
    const page = await space.open();
    expect(await page.textOf("Chat")).toContain("Ask anything");

    await send(page, "slowly one two three");
    // Before fn writes anything (the gate is shut): the question, an empty box, typing dots.
    await eventually(() => messages(page)).toEqual([{ role: "user", content: "slowly one two three" }]);
    await eventually(() => lastShown(page)).toBe("slowly one two three");
    expect(await page.valueOf("Message")).toBe("");
    expect(await page.component("Chat").getAttribute("busy")).toBe("");
    await eventually(() => page.component("Chat").locator('[part="typing"]').count()).toBe(1);
    expect(calls.map((call) => call.message)).toEqual(["slowly one two three"]);

    const steps = ["one", "one two", "one two three"];
    for (const step of steps) {
      gate.release();
      await eventually(async () => (await messages(page)).at(-1)?.content).toBe(step);
      await eventually(() => lastShown(page)).toContain(step);
    }
    await page.waitForStage("complete");
    expect(await messages(page)).toEqual([
      { role: "user", content: "slowly one two three" },
      { role: "assistant", content: "one two three" },
    ]);
    expect(await page.component("Chat").getAttribute("busy")).toBeNull();
    expect(await page.component("Chat").locator('[part="typing"]').count()).toBe(0);
    expect(await page.textOf("Chat")).not.toContain("Ask anything");
    expect(await page.valueOf("Message")).toBe("");
    expect(await focused(page)).toBe("INPUT in SC-TEXTBOX");
    expect(page.errors).toEqual([]);
  });

  it("keeps what the visitor types while a reply streams", async () => {
    const page = await space.open();
    await send(page, "slowly one two three");
    await eventually(() => messages(page)).toEqual([{ role: "user", content: "slowly one two three" }]);
    const box = page.component("Message").locator("input");
    await box.pressSequentially("and then");
    for (const step of ["one", "one two", "one two three"]) {
      gate.release();
      await eventually(async () => (await messages(page)).at(-1)?.content).toBe(step);
      expect(await page.valueOf("Message")).toBe("and then");
    }
    await page.waitForStage("complete");
    expect(await page.valueOf("Message")).toBe("and then");
    expect(await box.inputValue()).toBe("and then");
  });

  it("takes away the typing dots when Stop is clicked before the reply starts, keeping the question", async () => {
    const page = await space.open();
    await send(page, "slowly one");
    // The question is in the chat (the server's first step) and the reply has not started.
    await eventually(() => messages(page)).toEqual([{ role: "user", content: "slowly one" }]);
    await eventually(() => page.component("Chat").locator('[part="typing"]').count()).toBe(1);
    await page.button("Stop").click();
    await eventually(() => page.statusText()).toBe("Stopped.");
    await eventually(() => page.component("Chat").locator('[part="typing"]').count()).toBe(0);
    expect(await messages(page)).toEqual([{ role: "user", content: "slowly one" }]);
    await eventually(() => calls[0]?.aborted).toBe(true);
  });

  it("keeps the message in the box when Stop is clicked while it waits in the queue", async () => {
    const first = await space.open();
    await send(first, "slowly one");
    await eventually(() => messages(first)).toEqual([{ role: "user", content: "slowly one" }]);
    // One run at a time: the second page's message waits behind the first's reply.
    const second = await space.open();
    await send(second, "waiting here");
    await eventually(() => second.statusText()).toMatch(/queue/i);
    await second.button("Stop").click();
    await eventually(() => second.statusText()).toBe("Stopped.");
    expect(await messages(second), "nothing was sent").toEqual([]);
    expect(
      await second.component("Message").locator("input").inputValue(),
      "the message stays in its box, to send again",
    ).toBe("waiting here");
    gate.release(1);
    await eventually(async () => (await messages(first)).at(-1)?.content).toBe("one");
    expect(
      calls.map((call) => call.message),
      "fn never ran the stopped message",
    ).toEqual(["slowly one"]);
  });

  it("keeps the partial reply when Stop is clicked mid-reply, and fn sees the stop", async () => {
    const page = await space.open();
    await send(page, "slowly one two three four");
    gate.release(2);
    await eventually(async () => (await messages(page)).at(-1)?.content).toBe("one two");

    await page.button("Stop").click();
    await eventually(() => page.statusText()).toBe("Stopped.");
    await eventually(() => calls[0]?.aborted).toBe(true);
    expect(await messages(page)).toEqual([
      { role: "user", content: "slowly one two three four" },
      { role: "assistant", content: "one two" },
    ]);
    expect(await lastShown(page)).toContain("one two");
    expect(await page.button("Send").count()).toBe(1);
  });

  it("stops the reply with Escape in the message box or in the chat, keeping the partial reply", async () => {
    const page = await space.open();
    await send(page, "slowly one two three");
    gate.release();
    await eventually(async () => (await messages(page)).at(-1)?.content).toBe("one");
    await page.component("Message").locator("input").press("Escape");
    await eventually(() => page.statusText()).toBe("Stopped.");
    await eventually(() => calls[0]?.aborted).toBe(true);
    expect((await messages(page)).at(-1)).toEqual({ role: "assistant", content: "one" });
    expect(await page.button("Send").count()).toBe(1);

    await send(page, "slowly four five");
    gate.release();
    await eventually(async () => (await messages(page)).at(-1)?.content).toBe("four");
    await page.component("Chat").locator('[part="log"]').press("Escape");
    await eventually(() => page.statusText()).toBe("Stopped.");
    await eventually(() => calls[1]?.aborted).toBe(true);
    expect((await messages(page)).map((message) => message.content)).toEqual([
      "slowly one two three",
      "one",
      "slowly four five",
      "four",
    ]);
  });

  it("gives fn the history on the second turn, and renders earlier messages only once", async () => {
    const page = await space.open();
    await send(page, "hello there");
    await page.waitForStage("complete");
    expect(calls[0]?.history).toEqual([]);

    // Watch the first turn's DOM (and its Markdown) for any change while the next reply streams.
    const chatbot = await page.component("Chat").elementHandle();
    const watch = await page.page.evaluateHandle((element) => {
      const seen = { mutations: 0, nodes: [] as Element[] };
      const observer = new MutationObserver((records) => {
        seen.mutations += records.length;
      });
      const options = { subtree: true, childList: true, characterData: true, attributes: true };
      for (const message of element?.shadowRoot?.querySelectorAll('[part~="message"]') ?? []) {
        seen.nodes.push(message);
        observer.observe(message, options);
        for (const markdown of message.querySelectorAll("sc-markdown"))
          if (markdown.shadowRoot) observer.observe(markdown.shadowRoot, options);
      }
      return seen;
    }, chatbot);

    await send(page, "slowly how are you");
    for (const step of ["how", "how are", "how are you"]) {
      gate.release();
      await eventually(() => lastShown(page)).toContain(step);
    }
    await page.waitForStage("complete");
    expect(calls[1]?.history).toEqual([
      { role: "user", content: "hello there" },
      { role: "assistant", content: "hello there" },
    ]);
    const untouched = await watch.evaluate((seen, element) => {
      const now = [...(element?.shadowRoot?.querySelectorAll('[part~="message"]') ?? [])];
      return {
        watched: seen.nodes.length,
        mutations: seen.mutations,
        same: seen.nodes.every((node, i) => now[i] === node),
      };
    }, chatbot);
    expect(untouched).toEqual({ watched: 2, mutations: 0, same: true });
    expect((await messages(page)).map((message) => message.content)).toEqual([
      "hello there",
      "hello there",
      "slowly how are you",
      "how are you",
    ]);
  });

  it("does not send an empty message, and says why on the message box", async () => {
    const page = await space.open();
    await send(page, "   ");
    await eventually(() => page.errorOf("Message")).toMatch(/empty/i);
    expect(calls).toEqual([]);
    expect(await messages(page)).toEqual([]);
    expect(await page.textOf("Chat")).toContain("Ask anything");
  });

  it("shows a message with metadata.title as a collapsed thought above the answer", async () => {
    const page = await space.open();
    await send(page, "think");
    await page.waitForStage("complete");
    const details = page.component("Chat").locator('[part="thought"]');
    expect(await details.count()).toBe(1);
    expect(await details.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(false);
    expect(await details.locator("summary").textContent()).toContain("Thinking");
    expect(await details.locator("summary").textContent()).toContain("0.4 s");
    await eventually(() => lastShown(page)).toBe("Three words.");
    expect(await page.component("Chat").locator('[part="bubble"] strong').textContent()).toBe("Three");

    await details.locator("summary").click();
    expect(await details.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(true);
    await eventually(() =>
      details.locator("sc-markdown").evaluate((element) => element.shadowRoot?.textContent ?? ""),
    ).toContain("Counting the words.");
  });

  it("keeps a tool step open while it is pending and folds it when done", async () => {
    const page = await space.open();
    await send(page, "search");
    const details = page.component("Chat").locator('[part="thought"]');
    const isOpen = () => details.evaluate((element) => (element as HTMLDetailsElement).open);
    await details.waitFor();
    expect(await isOpen()).toBe(true);
    expect(await details.locator("summary").textContent()).toContain("Searching");

    gate.release();
    await page.waitForStage("complete");
    await eventually(isOpen).toBe(false);
    expect(await details.locator("summary").textContent()).toContain("1.2 s");
    await eventually(() => lastShown(page)).toBe("Found it.");
  });

  it("copies a reply's Markdown with its copy button", async () => {
    const page = await space.open();
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: space.server.url,
    });
    await send(page, "think");
    await page.waitForStage("complete");
    await page.button("Copy message").click();
    await eventually(() => page.page.evaluate(() => navigator.clipboard.readText())).toBe("**Three** words.");
    // This Space has no onLike: no like buttons, while Retry (always wired) shows.
    expect(await page.page.getByRole("button", { name: "Like this reply" }).count()).toBe(0);
    expect(
      await page.page.getByRole("button", { name: "Retry: answer the last message again" }).count(),
    ).toBe(1);
  });

  it("follows the reply down the log until the visitor scrolls up", async () => {
    const page = await space.open();
    const log = page.component("Chat").locator('[part="log"]');
    const position = () =>
      log.evaluate((element) => ({
        top: Math.round(element.scrollTop),
        fromEnd: Math.round(element.scrollHeight - element.scrollTop - element.clientHeight),
        overflows: element.scrollHeight > element.clientHeight,
      }));
    await send(page, "lines 30");
    gate.release(12);
    await eventually(() => lastShown(page)).toContain("Line 12.");
    await eventually(position).toMatchObject({ fromEnd: 0, overflows: true });

    await log.hover();
    await page.page.mouse.wheel(0, -2000);
    await eventually(async () => (await position()).top).toBe(0);

    gate.release(6);
    await eventually(() => lastShown(page)).toContain("Line 18.");
    expect((await position()).top).toBe(0);

    // Back at the end, it follows again.
    await page.page.mouse.wheel(0, 20_000);
    await eventually(async () => (await position()).fromEnd).toBe(0);
    gate.release(12);
    await eventually(() => lastShown(page)).toContain("Line 30.");
    await eventually(async () => (await position()).fromEnd).toBe(0);
    await page.waitForStage("complete");
  });

  it("keeps the chats of two browsers apart", async () => {
    const other = await launchBrowser();
    try {
      const first = await space.open();
      const second = await openIn(other, space);
      await send(first, "from the first");
      await first.waitForStage("complete");
      await send(second, "from the second");
      await second.waitForStage("complete");
      expect((await messages(first)).map((message) => message.content)).toEqual([
        "from the first",
        "from the first",
      ]);
      expect((await messages(second)).map((message) => message.content)).toEqual([
        "from the second",
        "from the second",
      ]);
      expect(calls.map((call) => call.history)).toEqual([[], []]);
    } finally {
      await other.close();
    }
  });
});
