import * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpacePage, SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

/** Every call of the chat function: its message and the history it got. */
const calls: { message: string; history: sc.ChatMessage[] }[] = [];

/** Opens the gate that "wait" waits at. */
let release: () => void = () => {};

/** Echoes the message; "wait" answers once the test releases it. */
const chat = sc.ChatInterface({
  title: "Saved chat",
  saveHistory: true,
  fn: async (message, history) => {
    calls.push({ message, history });
    if (message === "wait") await new Promise<void>((resolve) => (release = resolve));
    return `Echo: ${message}`;
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

/** The localStorage key of this Space's chats (the title, then the page's path). */
const KEY = "spacecraft-chats:Saved chat:/";

/** A page of the Space with its console warnings kept; the list of chats is `panel`. */
async function open(): Promise<{ view: SpacePage; warnings: string[] }> {
  const view = await space.open();
  const warnings: string[] = [];
  view.page.on("console", (message) => {
    if (message.type() === "warning") warnings.push(message.text());
  });
  return { view, warnings };
}

async function reload(view: SpacePage): Promise<void> {
  await view.page.reload();
  await view.page.waitForSelector("sc-app[loaded]");
  await view.page.evaluate(
    () => (document.querySelector("sc-app") as { ready?: Promise<void> } | null)?.ready,
  );
}

function messages(view: SpacePage): Promise<sc.ChatMessage[]> {
  return view.valueOf("Chat") as Promise<sc.ChatMessage[]>;
}

/** Sends a message and waits for its echo. */
async function send(view: SpacePage, text: string): Promise<void> {
  const box = view.component("Message").locator("input");
  await box.fill(text);
  await box.press("Enter");
  await eventually(async () => (await messages(view)).at(-1)?.content).toBe(`Echo: ${text}`);
}

/** The titles in the list of saved chats, newest first, the one on show marked with a star. */
function titles(view: SpacePage): Promise<string[]> {
  return view.page
    .getByRole("list", { name: "Saved chats" })
    .getByRole("listitem")
    .evaluateAll((items) =>
      items.map((item) => {
        const open = item.querySelector('[part="open"]');
        return `${open?.textContent?.trim()}${open?.getAttribute("aria-current") === "true" ? " *" : ""}`;
      }),
    );
}

function chatButton(view: SpacePage, title: string) {
  return view.page
    .getByRole("list", { name: "Saved chats" })
    .getByRole("button", { name: title, exact: true });
}

describe("ChatInterface saveHistory", { timeout: 60_000 }, () => {
  it("keeps two conversations across a reload, switches between them, and continues the one on show", async () => {
    const { view } = await open();
    await view.page.evaluate((key) => localStorage.removeItem(key), KEY);
    await reload(view);
    expect(await view.pageText()).toContain("Your conversations are kept in this browser");

    await send(view, "First topic");
    await send(view, "More on the first");
    await eventually(() => titles(view)).toEqual(["First topic *"]);
    await view.button("New chat").click();
    await eventually(() => messages(view)).toEqual([]);
    await send(view, "Second topic");
    await eventually(() => titles(view)).toEqual(["Second topic *", "First topic"]);

    await reload(view);
    // A reload starts a new chat, with both saved ones listed.
    expect(await messages(view)).toEqual([]);
    expect(await titles(view)).toEqual(["Second topic", "First topic"]);

    await chatButton(view, "First topic").click();
    await eventually(() => messages(view)).toEqual([
      { role: "user", content: "First topic" },
      { role: "assistant", content: "Echo: First topic" },
      { role: "user", content: "More on the first" },
      { role: "assistant", content: "Echo: More on the first" },
    ]);
    expect(await titles(view)).toEqual(["Second topic", "First topic *"]);

    // The next message continues that conversation: fn gets its history, and it moves to the top.
    calls.length = 0;
    await send(view, "Back to the first");
    expect(calls).toEqual([
      {
        message: "Back to the first",
        history: [
          { role: "user", content: "First topic" },
          { role: "assistant", content: "Echo: First topic" },
          { role: "user", content: "More on the first" },
          { role: "assistant", content: "Echo: More on the first" },
        ],
      },
    ]);
    await eventually(() => titles(view)).toEqual(["First topic *", "Second topic"]);

    await chatButton(view, "Second topic").click();
    await eventually(() => messages(view)).toEqual([
      { role: "user", content: "Second topic" },
      { role: "assistant", content: "Echo: Second topic" },
    ]);
    await reload(view);
    await chatButton(view, "First topic").click();
    await eventually(async () => (await messages(view)).length).toBe(6);
    expect(view.errors).toEqual([]);
  });

  it("deletes a chat from the keyboard, with Undo, and the deletion outlives a reload", async () => {
    const { view } = await open();
    await view.page.evaluate((key) => localStorage.removeItem(key), KEY);
    await reload(view);
    await send(view, "Keep me");
    await view.button("New chat").click();
    await send(view, "Delete me");
    await eventually(() => titles(view)).toEqual(["Delete me *", "Keep me"]);

    const remove = view.page.getByRole("button", { name: "Delete chat “Delete me”" });
    await remove.focus();
    await view.page.keyboard.press("Enter");
    await eventually(() => titles(view)).toEqual(["Keep me"]);
    // The chat on show was the deleted one: the chat starts afresh.
    expect(await messages(view)).toEqual([]);
    expect(await view.pageText()).toContain("Deleted “Delete me”.");
    // The focus went to Undo: Enter brings the chat back, on show again.
    await view.page.keyboard.press("Enter");
    await eventually(() => titles(view)).toEqual(["Delete me *", "Keep me"]);
    await eventually(() =>
      view.page.evaluate(() => {
        let element = document.activeElement;
        while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
        return `${element?.getAttribute("part")}: ${element?.textContent}`;
      }),
    ).toBe("open: Delete me");
    expect(await messages(view)).toEqual([
      { role: "user", content: "Delete me" },
      { role: "assistant", content: "Echo: Delete me" },
    ]);

    await remove.click();
    await eventually(() => titles(view)).toEqual(["Keep me"]);
    await reload(view);
    expect(await titles(view)).toEqual(["Keep me"]);
    expect(view.errors).toEqual([]);
  });

  it("ignores saved chats it cannot read, with a console warning, and saves over them", async () => {
    const { view, warnings } = await open();
    await view.page.evaluate((key) => localStorage.setItem(key, "{not json"), KEY);
    await reload(view);
    expect(await view.pageText()).toContain("Your conversations are kept in this browser");
    await eventually(() => warnings.join("\n")).toContain(
      `Spacecraft: ignored the saved chats in localStorage "${KEY}": not valid JSON.`,
    );
    await send(view, "Fresh start");
    await eventually(() => titles(view)).toEqual(["Fresh start *"]);

    // One entry that is not a conversation is left out; the others stay.
    await view.page.evaluate((key) => {
      const saved = JSON.parse(localStorage.getItem(key) ?? "{}");
      saved.chats.push({ id: "x", title: 3, messages: "no" });
      localStorage.setItem(key, JSON.stringify(saved));
    }, KEY);
    await reload(view);
    expect(await titles(view)).toEqual(["Fresh start"]);
    await eventually(() => warnings.join("\n")).toContain("ignored 1 saved chat(s)");
    expect(view.errors).toEqual([]);
  });

  it("says so when the browser's storage is full, and keeps chatting", async () => {
    const { view, warnings } = await open();
    await view.page.evaluate((key) => localStorage.removeItem(key), KEY);
    await reload(view);
    // Storage full: filling Chromium's real quota takes about a minute on a busy machine, so
    // setItem answers as a full storage does until the test lets it go.
    await view.page.evaluate(() => {
      const setItem = Storage.prototype.setItem;
      Object.assign(globalThis, { realSetItem: setItem });
      Storage.prototype.setItem = () => {
        throw new DOMException("Setting the value exceeded the quota.", "QuotaExceededError");
      };
    });
    try {
      await send(view, "Nowhere to go");
      await eventually(() => view.pageText()).toContain(
        "Could not save this chat: the browser's storage for this site is full or off. It stays on this page until you leave it.",
      );
      expect(warnings.join("\n")).toContain(`Spacecraft: cannot save chats in localStorage "${KEY}"`);
      expect(await titles(view)).toEqual(["Nowhere to go *"]);
      await send(view, "Still here");
    } finally {
      await view.page.evaluate(() => {
        Storage.prototype.setItem = (
          globalThis as unknown as { realSetItem: Storage["setItem"] }
        ).realSetItem;
      });
    }
    await send(view, "Room again");
    await eventually(async () =>
      view.page.evaluate(
        (key) => JSON.parse(localStorage.getItem(key) ?? "{}").chats?.[0]?.messages.length,
        KEY,
      ),
    ).toBe(6);
    expect(view.errors).toEqual([]);
  });

  it("keeps the newest 50 conversations, saying when it dropped the oldest", async () => {
    const { view } = await open();
    await view.page.evaluate((key) => {
      const chats = Array.from({ length: 50 }, (_, i) => ({
        id: `old-${i}`,
        title: `Old ${i}`,
        updatedAt: 1000 + i,
        messages: [{ role: "user", content: `Old ${i}` }],
      }));
      localStorage.setItem(key, JSON.stringify({ version: 1, chats }));
    }, KEY);
    await reload(view);
    expect((await titles(view)).length).toBe(50);
    await send(view, "Number 51");
    await eventually(async () => (await titles(view)).slice(0, 2)).toEqual(["Number 51 *", "Old 49"]);
    expect((await titles(view)).length).toBe(50);
    expect(await titles(view)).not.toContain("Old 0");
    expect(await view.pageText()).toContain(
      "Removed the oldest saved chat to make room: this browser keeps at most 50",
    );
    const stored = await view.page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "{}"), KEY);
    expect(stored.chats).toHaveLength(50);
  });

  it("does not switch while a reply is being written, and says why", async () => {
    const { view } = await open();
    await view.page.evaluate((key) => localStorage.removeItem(key), KEY);
    await reload(view);
    await send(view, "Earlier");
    await view.button("New chat").click();
    const box = view.component("Message").locator("input");
    await box.fill("wait");
    await box.press("Enter");
    await eventually(() => calls.at(-1)?.message).toBe("wait");
    await chatButton(view, "Earlier").click();
    await eventually(() => view.pageText()).toContain(
      "A reply is still being written: wait for it or stop it, then switch chats.",
    );
    expect((await messages(view)).map((message) => message.content)).not.toContain("Earlier");
    release();
    await eventually(async () => (await messages(view)).at(-1)?.content).toBe("Echo: wait");
    await chatButton(view, "Earlier").click();
    await eventually(async () => (await messages(view))[0]?.content).toBe("Earlier");
    await eventually(() => titles(view)).toEqual(["wait", "Earlier *"]);
  });

  it("shows what another tab of the Space saved, and keeps both tabs' chats", async () => {
    const { view: first } = await open();
    await first.page.evaluate((key) => localStorage.removeItem(key), KEY);
    await reload(first);
    const { view: second } = await open();
    await send(first, "From the first tab");
    await eventually(() => titles(second)).toEqual(["From the first tab"]);
    await send(second, "From the second tab");
    await eventually(() => titles(first)).toEqual(["From the second tab", "From the first tab *"]);
    expect(await titles(second)).toEqual(["From the second tab *", "From the first tab"]);
  });

  it("folds the list above the chat on a narrow screen", async () => {
    const { view } = await open();
    await view.page.setViewportSize({ width: 420, height: 800 });
    await reload(view);
    const newChat = view.button("New chat");
    expect(await newChat.isVisible()).toBe(false);
    await view.page.locator("sc-chathistory summary").click();
    await eventually(() => newChat.isVisible()).toBe(true);
  });

  it("has no list without saveHistory", async () => {
    expect(
      sc
        .ChatInterface({ fn: () => "" })
        .toConfig()
        .components.map((c) => c.type),
    ).not.toContain("chathistory");
    const config = chat.toConfig();
    const history = config.components.find((component) => component.type === "chathistory");
    const chatbot = config.components.find((component) => component.type === "chatbot");
    expect(history?.props).toMatchObject({ chatbot: chatbot?.id, storageKey: "spacecraft-chats:Saved chat" });
  });
});
