import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../protocol.js";
import { coalescePartials } from "./socket.js";

/** A coalescing sender and what it has sent. */
function sender(intervalMs: number) {
  const sent: ServerMessage[] = [];
  return { sent, send: coalescePartials((message) => sent.push(message), intervalMs) };
}

const partial = (id: string, text: string): ServerMessage => ({ type: "partial", id, data: [text] });

describe("coalescePartials", () => {
  it("sends a job's first partial at once, and of those that follow within the interval only the last", async () => {
    const { sent, send } = sender(1000);
    send(partial("1", "a"));
    expect(sent).toEqual([partial("1", "a")]);
    send(partial("1", "ab"));
    send(partial("1", "abc"));
    await expect.poll(() => sent, { timeout: 10_000 }).toEqual([partial("1", "a"), partial("1", "abc")]);
  });

  it("sends a waiting partial before the job's next other message, and keeps jobs apart", () => {
    // An interval no test outlives: only the next message sends what waits.
    const { sent, send } = sender(3_600_000);
    send(partial("1", "a"));
    send(partial("2", "x"));
    send(partial("1", "ab"));
    send(partial("1", "abc"));
    send(partial("2", "xy"));
    send({ type: "progress", id: "2", value: 1 });
    send({ type: "complete", id: "1", data: ["abcd"], duration: 1 });
    send({ type: "error", id: null, message: "Malformed message: it is not valid JSON." });
    expect(sent).toEqual([
      partial("1", "a"),
      partial("2", "x"),
      partial("2", "xy"),
      { type: "progress", id: "2", value: 1 },
      partial("1", "abc"),
      { type: "complete", id: "1", data: ["abcd"], duration: 1 },
      { type: "error", id: null, message: "Malformed message: it is not valid JSON." },
    ]);
    // A finished job's id starts afresh: its first partial goes at once.
    send(partial("1", "again"));
    expect(sent.at(-1)).toEqual(partial("1", "again"));
  });
});
