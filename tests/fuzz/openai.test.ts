// Property-based fuzzing of the OpenAI-compatible API: any body gets a completion or a 4xx in
// OpenAI's error shape (never a 5xx, a stack or a path), and the server keeps answering.
import fc from "fast-check";
import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertNoInternals, FUZZ_TIMEOUT_MS, MAX_MESSAGE_BYTES, preview, RUNS } from "./harness.js";

const chat = sc.ChatInterface({
  title: "Fuzz chat",
  fn: async function* (message: string, history: sc.ChatMessage[]) {
    yield `${message.slice(0, 20)} `;
    yield `${message.slice(0, 20)} (${history.length})`;
  },
  additionalInputs: [sc.Slider({ label: "Temperature", minimum: 0, maximum: 2, value: 1 })],
});

const logs: string[] = [];
let answered = 0;
let server: RunningServer;
beforeAll(async () => {
  server = await serve(chat, {
    port: 0,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    logError: (message, error) => logs.push(`${message} ${error instanceof Error ? error.stack : ""}`),
  });
});
afterAll(() => server.close({ timeoutMs: 100 }));

const anyJson = fc.jsonValue({ maxDepth: 4 });
const role = fc.oneof(
  fc.constantFrom("system", "developer", "user", "assistant", "tool", "function"),
  anyJson,
);
const content = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.array(fc.oneof(fc.record({ type: fc.constantFrom("text", "image_url"), text: anyJson }), anyJson), {
    maxLength: 3,
  }),
  anyJson,
);
const message = fc.oneof(fc.record({ role, content }, { requiredKeys: [] }), anyJson);
const conversation = fc
  .tuple(
    fc.array(
      fc.record({
        role: fc.constantFrom("system", "user", "assistant"),
        content: fc.string({ maxLength: 30 }),
      }),
      {
        maxLength: 5,
      },
    ),
    fc.string({ minLength: 1, maxLength: 30 }).filter((text) => text.trim() !== ""),
  )
  .map(([history, last]) => [...history, { role: "user", content: last }]);
const body = fc.oneof(
  fc.record({ model: fc.string(), messages: conversation, stream: fc.boolean() }),
  fc.record(
    {
      model: anyJson,
      messages: fc.oneof(fc.array(message, { maxLength: 6 }), anyJson),
      stream: fc.oneof(fc.boolean(), anyJson),
      n: fc.oneof(fc.constant(1), anyJson),
      stream_options: anyJson,
    },
    { requiredKeys: [] },
  ),
  anyJson,
);

describe("fuzz: POST /v1/chat/completions", { timeout: FUZZ_TIMEOUT_MS }, () => {
  it("answers any JSON body with a completion, a stream or a 4xx in OpenAI's error shape", async () => {
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const json = JSON.stringify(value);
        const what = `POST /v1/chat/completions ${preview(json)}`;
        const response = await fetch(`${server.url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: json,
        });
        const text = await response.text();
        assertNoInternals(text, what);
        if (response.status === 200) {
          answered++;
          if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
            expect(text, what).toMatch(/data: \[DONE\]\n\n$/);
          } else expect((JSON.parse(text) as { object: string }).object, what).toBe("chat.completion");
          return;
        }
        expect(response.status, what).toBeGreaterThanOrEqual(400);
        expect(response.status, what).toBeLessThan(500);
        const { error } = JSON.parse(text) as { error: { message: unknown; type: unknown } };
        expect(typeof error.message, what).toBe("string");
        expect(error.type, what).toBe("invalid_request_error");
      }),
      { numRuns: RUNS },
    );
    expect(answered).toBeGreaterThan(0);
    expect(logs.filter((line) => /escaped|failed:/.test(line))).toEqual([]);
    expect((await fetch(`${server.url}/v1/models`)).status).toBe(200);
  });
});
