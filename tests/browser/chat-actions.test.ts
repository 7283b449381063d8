import * as sc from "spacecraft";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGate } from "../fixtures/gate.js";
import type { SpacePage, SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

const gate = createGate();

/** Every call of the chat function: the message, the history, whether it saw a stop. */
const calls: { message: string; history: sc.ChatMessage[]; aborted: boolean }[] = [];
/** Every like the Space handled, with the conversation it came with. */
const likes: { like: sc.LikeData; history: sc.ChatMessage[] }[] = [];

/** Replies "<message> #<call number>", a word at a time; "slowly …" waits at the gate per word. */
const chat = sc.ChatInterface({
  title: "Chat actions",
  chatbot: sc.Chatbot({ label: "Chat", placeholder: "Nothing yet", height: 300 }),
  fn: async function* (message, history, ctx) {
    const call = { message, history, aborted: false };
    calls.push(call);
    ctx.signal.addEventListener("abort", () => {
      call.aborted = true;
    });
    if (message === "flaky" && calls.length === 1) throw new sc.SpaceError("Flaky the first time.");
    const slow = message.startsWith("slowly ");
    const words = [...(slow ? message.slice("slowly ".length) : message).split(" "), `#${calls.length}`];
    let reply = "";
    for (const word of words) {
      if (slow) await gate.next(ctx.signal);
      if (ctx.signal.aborted) return;
      reply = reply ? `${reply} ${word}` : word;
      yield reply;
    }
  },
  onLike: (like, history) => void likes.push({ like, history }),
});

/** A Chatbot in Blocks that listens only to `like`: its page shows Like and Dislike, nothing else. */
const feedback = sc.Blocks({ title: "Feedback" }, () => {
  const log = sc.Chatbot({
    label: "Chat",
    value: [
      { role: "user", content: "hi" },
      { role: "assistant", content: "hi there" },
    ],
  });
  const said = sc.Textbox({ label: "Feedback" });
  log.like({
    fn: (ctx) => `${ctx.event.liked ? "liked" : "disliked"} ${ctx.event.index}: ${ctx.event.value}`,
    outputs: [said],
  });
  return sc.Column(log, said);
});

let browser: TestBrowser;
let space: SpaceServer;
let blocks: SpaceServer;

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, chat);
  blocks = await serveSpace(browser, feedback);
});
afterAll(async () => {
  await space?.close();
  await blocks?.close();
  await browser?.close();
});
beforeEach(() => {
  gate.permits = 0;
  calls.length = 0;
  likes.length = 0;
});

/** The chat's messages as the page holds them, as "role: content" lines. */
async function shown(page: SpacePage): Promise<string[]> {
  const messages = (await page.valueOf("Chat")) as sc.ChatMessage[];
  return messages.map((message) => `${message.role}: ${message.content}`);
}

/** Sends a message and waits for its reply to complete. */
async function ask(page: SpacePage, text: string): Promise<void> {
  const box = page.component("Message").locator("input");
  await box.fill(text);
  await box.press("Enter");
  await eventually(async () => (await shown(page)).at(-1)).toMatch(/^assistant: .* #\d+$/);
  await page.waitForStage("complete");
}

/** A button inside the chat, by its accessible name. */
function chatButton(page: SpacePage, name: string) {
  return page.component("Chat").getByRole("button", { name, exact: true });
}

describe("chat actions", () => {
  it("retries the last question: its reply is replaced, and fn gets the history before it", async () => {
    const page = await space.open();
    await ask(page, "hello there");
    await ask(page, "how are you");
    expect(await shown(page)).toEqual([
      "user: hello there",
      "assistant: hello there #1",
      "user: how are you",
      "assistant: how are you #2",
    ]);
    await chatButton(page, "Retry: answer the last message again").click();
    await eventually(() => shown(page)).toEqual([
      "user: hello there",
      "assistant: hello there #1",
      "user: how are you",
      "assistant: how are you #3",
    ]);
    expect(calls[2]).toMatchObject({
      message: "how are you",
      history: [
        { role: "user", content: "hello there" },
        { role: "assistant", content: "hello there #1" },
      ],
    });
    expect(page.errors).toEqual([]);
  });

  it("offers Retry under a question whose reply failed, and answers it then", async () => {
    const page = await space.open();
    const box = page.component("Message").locator("input");
    await box.fill("flaky");
    await box.press("Enter");
    await eventually(() => page.statusText()).toContain("Flaky the first time.");
    expect(await shown(page)).toEqual(["user: flaky"]);
    await chatButton(page, "Retry: answer the last message again").click();
    await eventually(() => shown(page)).toEqual(["user: flaky", "assistant: flaky #2"]);
    expect(calls.map((call) => call.history)).toEqual([[], []]);
  });

  it("streams a retried reply, which Send's Stop (reading Stop meanwhile) stops", async () => {
    const page = await space.open();
    await page.component("Message").locator("input").fill("slowly one two");
    await page.component("Message").locator("input").press("Enter");
    gate.release(3);
    await page.waitForStage("complete");
    await eventually(async () => (await shown(page)).at(-1)).toBe("assistant: one two #1");

    await chatButton(page, "Retry: answer the last message again").click();
    // The old reply goes at once; the question waits for the new one, with typing dots.
    await eventually(() => shown(page)).toEqual(["user: slowly one two"]);
    await eventually(() => page.component("Chat").locator('[part="typing"]').count()).toBe(1);
    // Retry and Undo wait while a reply runs.
    await eventually(() => chatButton(page, "Retry: answer the last message again").count()).toBe(0);
    gate.release();
    await eventually(async () => (await shown(page)).at(-1)).toBe("assistant: one");
    await page.button("Stop").click();
    await eventually(() => calls[1]?.aborted).toBe(true);
    await eventually(() => page.button("Send").count()).toBe(1);
    await eventually(() => shown(page)).toEqual(["user: slowly one two", "assistant: one"]);
  });

  it("undoes the last exchange and puts its question back in the box", async () => {
    const page = await space.open();
    await ask(page, "first one");
    await ask(page, "second one");
    await chatButton(page, "Undo: take back the last message and its reply").click();
    await eventually(() => shown(page)).toEqual(["user: first one", "assistant: first one #1"]);
    await eventually(() => page.valueOf("Message")).toBe("second one");
    expect(calls).toHaveLength(2);
    // The next question gets the history without the exchange taken back.
    await ask(page, "third one");
    expect(calls[2]?.history.map((message) => message.content)).toEqual(["first one", "first one #1"]);
  });

  it("edits a question with the keyboard: Enter saves, what followed goes, and it is answered again", async () => {
    const page = await space.open();
    await ask(page, "first one");
    await ask(page, "second one");
    const edit = chatButton(page, "Edit this message").first();
    await edit.focus();
    await page.page.keyboard.press("Enter");
    const editor = page.component("Chat").getByRole("textbox", { name: "Edit your message" });
    await eventually(() => editor.evaluate((area) => area.matches(":focus"))).toBe(true);
    await eventually(() => editor.inputValue()).toBe("first one");
    await editor.fill("premier");
    await editor.press("Enter");
    await eventually(() => shown(page)).toEqual(["user: premier", "assistant: premier #3"]);
    expect(calls[2]).toMatchObject({ message: "premier", history: [] });
    await eventually(() => editor.count()).toBe(0);
  });

  it("cancels an edit with Escape, changing nothing and stopping nothing", async () => {
    const page = await space.open();
    await ask(page, "keep me");
    await chatButton(page, "Edit this message").click();
    const editor = page.component("Chat").getByRole("textbox", { name: "Edit your message" });
    await editor.fill("changed");
    await editor.press("Escape");
    await eventually(() => editor.count()).toBe(0);
    expect(await shown(page)).toEqual(["user: keep me", "assistant: keep me #1"]);
    expect(await page.statusText()).not.toContain("Stopped");
    expect(calls).toHaveLength(1);
  });

  it("clears the chat, and the next question starts a new conversation", async () => {
    const page = await space.open();
    await ask(page, "remember this");
    await chatButton(page, "Clear the conversation").click();
    await eventually(() => shown(page)).toEqual([]);
    await eventually(() => page.textOf("Chat")).toContain("Nothing yet");
    expect(await chatButton(page, "Clear the conversation").count()).toBe(0);
    await ask(page, "new start");
    expect(calls[1]?.history).toEqual([]);
  });

  it("hands a like or dislike of a reply to onLike, and shows which was pressed", async () => {
    const page = await space.open();
    await ask(page, "rate me");
    await ask(page, "and me");
    const like = chatButton(page, "Like this reply");
    const dislike = chatButton(page, "Dislike this reply");
    await eventually(() => like.count()).toBe(2);
    await like.first().click();
    await eventually(() => likes.map((entry) => entry.like)).toEqual([
      { index: 1, value: "rate me #1", liked: true },
    ]);
    expect(likes[0]?.history.map((message) => message.content)).toEqual([
      "rate me",
      "rate me #1",
      "and me",
      "and me #2",
    ]);
    await eventually(() => like.first().getAttribute("aria-pressed")).toBe("true");
    await dislike.last().click();
    await eventually(() => likes.map((entry) => entry.like)).toEqual([
      { index: 1, value: "rate me #1", liked: true },
      { index: 3, value: "and me #2", liked: false },
    ]);
    await eventually(() => dislike.last().getAttribute("aria-pressed")).toBe("true");
    expect(await like.last().getAttribute("aria-pressed")).toBe("false");
    // No run's status shows for a like.
    expect(await page.statusText()).not.toMatch(/queue|Stopped|error/i);
  });
});

describe("a Chatbot in Blocks", () => {
  it("shows the controls of the events the Space listens to only, and gives like's data to fn", async () => {
    const page = await blocks.open();
    await chatButton(page, "Dislike this reply").click();
    await eventually(() => page.valueOf("Feedback")).toBe("disliked 1: hi there");
    for (const absent of [
      "Retry: answer the last message again",
      "Undo: take back the last message and its reply",
      "Edit this message",
      "Clear the conversation",
    ]) {
      expect(await chatButton(page, absent).count()).toBe(0);
    }
    expect(page.errors).toEqual([]);
  });
});
