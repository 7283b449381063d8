import { describe, expect, it } from "vitest";
import { Engine } from "../engine/engine.js";
import * as sc from "../index.js";
import type { ServerMessage } from "../protocol.js";
import { clientMessageSchema } from "../protocol.js";
import { validate } from "../schema.js";
import { socketHooks } from "./socket.js";

/** A socket's hooks on a real engine, and what it sent back. */
function connection() {
  const space = sc.Interface({
    fn: (text: string) => text.toUpperCase(),
    inputs: [sc.Textbox()],
    outputs: [sc.Textbox()],
  });
  const messages: ServerMessage[] = [];
  const hooks = socketHooks(new Engine(space), "session-0123456789", (m) => messages.push(m), {
    maxMessageBytes: 1 << 20,
  });
  const say = (message: unknown) => hooks.onMessage(Buffer.from(JSON.stringify(message)), false);
  return { messages, say };
}

describe("socketHooks", () => {
  // Well-formed predicts skip the schema; anything else must get the schema's own words.
  it.each([
    { type: "predict", id: "a".repeat(65), data: ["x"] },
    { type: "predict", id: "", data: ["x"] },
    { type: "predict", id: 7, data: ["x"] },
    { type: "predict", id: "x", data: "no" },
    { type: "predict", id: "x", endpoint: -1, data: ["x"] },
    { type: "predict", id: "x", endpoint: 1.5, data: ["x"] },
    { type: "predict", id: "x", endpoint: null, data: ["x"] },
    { type: "predict", data: ["x"] },
    { type: "predict", id: "x" },
    { type: "nope", id: "x" },
    [],
    "predict",
  ])("answers the invalid message %j as the schema words it", (message) => {
    const { messages, say } = connection();
    say(message);
    const verdict = validate(clientMessageSchema, message);
    expect(verdict.success, "the case must be invalid").toBe(false);
    expect(messages[0]).toMatchObject({
      type: "error",
      message: `Invalid message: ${verdict.success ? "" : verdict.error}.`,
    });
  });

  it("runs well-formed predicts, by index or name, with extra keys ignored", async () => {
    const { messages, say } = connection();
    say({ type: "predict", id: "a", data: ["hi"] });
    say({ type: "predict", id: "b", endpoint: 0, data: ["ho"], extra: true });
    say({ type: "predict", id: "c", endpoint: "predict", data: ["hu"] });
    const deadline = Date.now() + 15_000;
    while (messages.filter((m) => m.type === "complete").length < 3 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const results = messages.map((m) => (m.type === "complete" ? [m.id, m.data] : [m.type, m]));
    expect(results, "each call completes with its own result").toEqual([
      ["a", ["HI"]],
      ["b", ["HO"]],
      ["c", ["HU"]],
    ]);
  });
});
