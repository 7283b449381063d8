// Type tests for ChatInterface: checked by `tsc -b`.
import { expectTypeOf } from "vitest";
import * as sc from "./index.js";

// fn gets the message, the history, then each additional input's value, then the context.
sc.ChatInterface({
  fn: (message, history, temperature, ctx) => {
    expectTypeOf(message).toEqualTypeOf<string>();
    expectTypeOf(history).toEqualTypeOf<sc.ChatMessage[]>();
    expectTypeOf(temperature).toEqualTypeOf<number>();
    expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
    return `${message} at ${temperature}`;
  },
  additionalInputs: [sc.Slider({ label: "Temperature", minimum: 0, maximum: 2 })],
});

// It may yield the reply so far, or messages with a collapsed thought above the answer.
sc.ChatInterface({
  fn: async function* (message) {
    yield { role: "assistant", content: "Thinking…", metadata: { title: "Plan", status: "pending" } };
    yield [
      { role: "assistant", content: "Looked it up", metadata: { title: "Plan", status: "done" } },
      { role: "assistant", content: message },
    ];
  },
});

// @ts-expect-error a reply must be text or messages
sc.ChatInterface({ fn: () => 42 });

// saveHistory is on or off.
sc.ChatInterface({ fn: (message) => message, saveHistory: true });
// @ts-expect-error saveHistory is a boolean, not where to save
sc.ChatInterface({ fn: (message) => message, saveHistory: "localStorage" });
