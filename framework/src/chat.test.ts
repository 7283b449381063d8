import { describe, expect, it } from "vitest";
import { withThoughts } from "./chat.js";
import * as sc from "./index.js";
import type { ServerMessage } from "./protocol.js";

/** Streams the reply word by word, and says how much history it saw. */
const echo = sc.ChatInterface({
  fn: async function* (message, history) {
    let reply = "";
    for (const word of message.split(" ")) {
      reply += `${word} `;
      yield reply.trim();
    }
    yield `${reply.trim()} (${history.length})`;
  },
  systemPrompt: "Be brief.",
  examples: ["Hello there"],
});

/** Runs one request through the engine: its partial outputs, then its last message. */
function run(
  engine: sc.Engine,
  session: string,
  endpoint: string | number,
  data: unknown[],
  eventData?: unknown,
) {
  return new Promise<{ partials: unknown[][]; end: ServerMessage }>((resolve) => {
    const partials: unknown[][] = [];
    const id = Math.random().toString(36).slice(2);
    const refusal = engine.submit(session, { id, endpoint, data, eventData }, (message) => {
      if (message.type === "partial") partials.push(message.data);
      if (message.type === "complete" || message.type === "error" || message.type === "cancelled")
        resolve({ partials, end: message });
    });
    if (refusal) resolve({ partials, end: { type: "error", id, ...refusal } });
  });
}

describe("ChatInterface", () => {
  it("is a Blocks with a page event, a /chat API event and the endpoints named in its config", () => {
    const config = echo.toConfig();
    expect(config.mode).toBe("chat_interface");
    expect(config.spacecraft.chat).toEqual(echo.chat);
    const { endpoint, api } = echo.chat as sc.ChatEndpoints;
    const page = config.dependencies[endpoint];
    const chat = config.dependencies[api];
    const typeOf = (id: number) => config.components.find((component) => component.id === id)?.type;
    expect(page).toMatchObject({ api_visibility: "private", types: { generator: true } });
    expect(page?.targets.map(([id, event]) => `${typeOf(id as number)}.${event}`)).toEqual([
      "textbox.submit",
      "button.click",
    ]);
    expect(chat).toMatchObject({ api_name: "chat", api_visibility: "public", targets: [] });
    expect(chat?.inputs.map(typeOf)).toEqual(["textbox", "state"]);
    expect(config.connect_heartbeat).toBe(true);
  });

  it("shows the question and empties the box first, then streams the reply leaving the box alone", async () => {
    const engine = new sc.Engine(echo);
    const past = [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
    ];
    const { partials, end } = await run(engine, "s", (echo.chat as sc.ChatEndpoints).endpoint, ["a b", past]);
    const asked = [...past, { role: "user", content: "a b" }];
    const unchanged = { __type__: "update" };
    expect(partials).toEqual([
      [asked, ""],
      [[...asked, { role: "assistant", content: "a" }], unchanged],
      [[...asked, { role: "assistant", content: "a b" }], unchanged],
      [[...asked, { role: "assistant", content: "a b (3)" }], unchanged],
    ]);
    // The system prompt comes first in the history fn sees (2 messages + it).
    expect(end).toMatchObject({
      type: "complete",
      data: [[...asked, { role: "assistant", content: "a b (3)" }], unchanged],
    });
  });

  it("lets a history that starts with its own system message replace the system prompt", async () => {
    const seen: sc.ChatMessage[][] = [];
    const space = sc.ChatInterface({
      fn: (_message, history) => {
        seen.push(history);
        return "ok";
      },
      systemPrompt: "Be brief.",
    });
    const engine = new sc.Engine(space);
    const { endpoint } = space.chat as sc.ChatEndpoints;
    await run(engine, "s", endpoint, ["hi", []]);
    await run(engine, "s", endpoint, ["hi", [{ role: "system", content: "Be long." }]]);
    expect(seen.map((history) => history.map((message) => message.content))).toEqual([
      ["Be brief."],
      ["Be long."],
    ]);
  });

  it("answers /chat with the reply only, keeping the history per session", async () => {
    const engine = new sc.Engine(echo);
    expect((await run(engine, "a", "chat", ["one", null])).end).toMatchObject({ data: ["one (1)", null] });
    expect((await run(engine, "a", "chat", ["two", null])).end).toMatchObject({ data: ["two (3)", null] });
    expect((await run(engine, "b", "chat", ["three", null])).end).toMatchObject({
      data: ["three (1)", null],
    });
  });

  it("refuses an empty message, naming the message box, and a history that is not messages", async () => {
    const engine = new sc.Engine(echo);
    const { endpoint } = echo.chat as sc.ChatEndpoints;
    expect((await run(engine, "s", endpoint, ["  ", []])).end).toMatchObject({
      type: "error",
      message: 'Textbox "Message": is empty: type a message first.',
    });
    expect((await run(engine, "s", endpoint, ["hi", [{ role: "robot", content: "x" }]])).end).toMatchObject({
      type: "error",
      message: expect.stringContaining('Chatbot "Chat": `role` must be "user", "assistant" or "system"'),
    });
  });

  it("passes additional inputs after the history, and takes a function that returns", async () => {
    const space = sc.ChatInterface({
      fn: (message, _history, times) => message.repeat(times),
      additionalInputs: [sc.Slider({ label: "Times", minimum: 1, maximum: 3, step: 1, value: 2 })],
    });
    const engine = new sc.Engine(space);
    expect((await run(engine, "s", "chat", ["ab", null, 3])).end).toMatchObject({ data: ["ababab", null] });
    expect(() => sc.ChatInterface({ fn: () => "", sytemPrompt: "x" } as never)).toThrow(
      'ChatInterface: unknown option "sytemPrompt". Did you mean "systemPrompt"?',
    );
  });

  it("wires retry, edit, undo and clear on the chatbot as private page events; like only with onLike", () => {
    const config = echo.toConfig();
    const chatbot = config.components.find((component) => component.type === "chatbot")?.id;
    const byName = (name: string) => config.dependencies.find((dep) => dep.api_name === name);
    for (const event of ["retry", "edit", "undo", "clear"]) {
      expect(byName(`chat_${event}`)).toMatchObject({
        targets: [[chatbot, event]],
        api_visibility: "private",
      });
    }
    expect(byName("chat_like")).toBeUndefined();
    // One reply streams at a time: each streaming event stops the others, and Send stops them all.
    const ids = ["chat_page", "chat_retry", "chat_edit"].map((name) => byName(name)?.id as number);
    expect(byName("chat_page")?.cancels).toEqual([ids[1], ids[2]]);
    expect(byName("chat_clear")?.cancels).toEqual(ids);
    const send = config.components.find((component) => component.props.value === "Send");
    expect(send?.props).toMatchObject({ stopsWhileRunning: true, stops: [ids[1], ids[2]] });
    const liked = sc.ChatInterface({ fn: () => "ok", onLike: () => {} }).toConfig();
    expect(liked.dependencies.find((dep) => dep.api_name === "chat_like")).toMatchObject({
      targets: [[chatbot, "like"]],
      api_visibility: "private",
    });
  });

  it("retries the last question, replacing its reply, streamed from the question on", async () => {
    const engine = new sc.Engine(echo);
    const past = [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hi (1)" },
      { role: "user", content: "a b" },
      { role: "assistant", content: "old reply" },
    ];
    const { partials, end } = await run(engine, "s", "chat_retry", [past], { index: 2, value: "a b" });
    const asked = past.slice(0, 3);
    expect(partials[0]).toEqual([asked]);
    expect(end).toMatchObject({
      type: "complete",
      data: [[...asked, { role: "assistant", content: "a b (3)" }]],
    });
    // Data about a message that is not the visitor's is refused, saying so.
    expect((await run(engine, "s", "chat_retry", [past], { index: 1, value: "x" })).end).toMatchObject({
      type: "error",
      message:
        "Cannot retry message 1: it is not one of your messages in this chat. Reload the page and try again.",
    });
    expect((await run(engine, "s", "chat_retry", [past])).end).toMatchObject({
      type: "error",
      message: expect.stringContaining(
        "Event data (`event_data`) is missing: the retry event sends { index, value }",
      ),
    });
  });

  it("edits a question: what followed it goes, and the new text is answered", async () => {
    const engine = new sc.Engine(echo);
    const past = [
      { role: "user", content: "one" },
      { role: "assistant", content: "one (1)" },
      { role: "user", content: "two" },
      { role: "assistant", content: "two (3)" },
    ];
    const edit = { index: 0, previous_value: "one", value: "uno dos" };
    const { partials, end } = await run(engine, "s", "chat_edit", [past], edit);
    expect(partials[0]).toEqual([[{ role: "user", content: "uno dos" }]]);
    expect(end).toMatchObject({
      data: [
        [
          { role: "user", content: "uno dos" },
          { role: "assistant", content: "uno dos (1)" },
        ],
      ],
    });
    expect((await run(engine, "s", "chat_edit", [past], { ...edit, value: "  " })).end).toMatchObject({
      type: "error",
      message: "The edited message is empty: type a message, or press Escape to keep the old one.",
    });
  });

  it("undoes the last exchange, putting its question back in the box, and clears", async () => {
    const engine = new sc.Engine(echo);
    const past = [
      { role: "user", content: "one" },
      { role: "assistant", content: "one (1)" },
      { role: "user", content: "two" },
      { role: "assistant", content: "two (3)" },
    ];
    expect((await run(engine, "s", "chat_undo", [past], { index: 2, value: "two" })).end).toMatchObject({
      type: "complete",
      data: [past.slice(0, 2), "two"],
    });
    expect((await run(engine, "s", "chat_clear", [])).end).toMatchObject({ type: "complete", data: [[]] });
  });

  it("hands a like to onLike with the conversation", async () => {
    const likes: [sc.LikeData, sc.ChatMessage[]][] = [];
    const space = sc.ChatInterface({
      fn: () => "ok",
      systemPrompt: "Be brief.",
      onLike: (like, history) => void likes.push([like, history]),
    });
    const engine = new sc.Engine(space);
    const past = [
      { role: "user", content: "hi" },
      { role: "assistant", content: "ok" },
    ];
    const like = { index: 1, value: "ok", liked: false };
    expect((await run(engine, "s", "chat_like", [past], like)).end).toMatchObject({ type: "complete" });
    expect(likes).toEqual([[like, [{ role: "system", content: "Be brief." }, ...past]]]);
    expect((await run(engine, "s", "chat_like", [past], { index: 1, value: "ok" })).end).toMatchObject({
      type: "error",
      message: expect.stringContaining("`liked` is missing"),
    });
  });

  it("shows a reasoning model's <think> as a collapsed thought above the answer", () => {
    expect(withThoughts("Plain answer")).toBe("Plain answer");
    expect(withThoughts("<think>Let me see")).toEqual([
      { role: "assistant", content: "Let me see", metadata: { title: "Thinking", status: "pending" } },
    ]);
    expect(withThoughts("<think>Two and two</think>\n\nFour.")).toEqual([
      { role: "assistant", content: "Two and two", metadata: { title: "Thinking", status: "done" } },
      { role: "assistant", content: "Four." },
    ]);
  });
});
