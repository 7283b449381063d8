import OpenAI, { AuthenticationError, BadRequestError, InternalServerError, RateLimitError } from "openai";
import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import tipCalculator from "../fixtures/tip-calculator.js";

/** What the chat's fn saw of its last "wait" call: set when its signal aborted. */
const seen = { aborted: false, waiting: false, failures: 0 };

/** Streams the message word by word, then the history it got (roles and contents) and the suffix. */
const chat = sc.ChatInterface({
  title: "Word Echo",
  fn: async function* (message: string, history: sc.ChatMessage[], suffix: string, ctx: sc.Context) {
    if (message === "wait") {
      seen.waiting = true;
      yield "waiting";
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
      seen.aborted = true;
      return;
    }
    if (message === "fail") {
      seen.failures++;
      throw new sc.SpaceError("The model is tired.");
    }
    let reply = "";
    for (const word of message.split(" ")) {
      reply += `${word} `;
      yield reply;
    }
    yield `${reply}[${history.length}: ${history.map((turn) => `${turn.role}=${turn.content}`).join("|")}]${suffix}`;
  },
  additionalInputs: [sc.Textbox({ label: "Suffix", value: "!" })],
});

let server: RunningServer;
let client: OpenAI;
beforeAll(async () => {
  server = await serve(chat, { port: 0, logError: () => {} });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "ignored", maxRetries: 0 });
});
afterAll(() => server.close({ timeoutMs: 100 }));

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("a chat Space through the openai package", () => {
  it("lists the Space as a model named after its title", async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => [model.id, model.object, model.owned_by])).toEqual([
      ["word-echo", "model", "spacecraft"],
    ]);
    expect((await client.models.retrieve("word-echo")).id).toBe("word-echo");
  });

  it("answers a completion with the whole reply, additional inputs at their defaults", async () => {
    const completion = await client.chat.completions.create({
      model: "word-echo",
      messages: [{ role: "user", content: "hello there" }],
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("word-echo");
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]?.message).toMatchObject({
      role: "assistant",
      content: "hello there [0: ]!",
    });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("streams deltas that join into the same reply, then a stop chunk", async () => {
    const messages = [{ role: "user" as const, content: "one two three four" }];
    const whole = await client.chat.completions.create({ model: "any", messages });
    const stream = await client.chat.completions.create({ model: "any", messages, stream: true });
    const deltas: string[] = [];
    const finishes: (string | null)[] = [];
    let role: string | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe("chat.completion.chunk");
      const choice = chunk.choices[0];
      role ??= choice?.delta.role;
      if (choice?.delta.content) deltas.push(choice.delta.content);
      finishes.push(choice?.finish_reason ?? null);
    }
    expect(role).toBe("assistant");
    expect(deltas.length).toBeGreaterThanOrEqual(4);
    expect(deltas.join("")).toBe(whole.choices[0]?.message.content);
    expect(deltas.join("")).toBe("one two three four [0: ]!");
    expect(finishes.at(-1)).toBe("stop");
    expect(finishes.slice(0, -1).every((finish) => finish === null)).toBe(true);
  });

  it("marks its event stream X-Accel-Buffering: no, so a buffering proxy passes each chunk on", async () => {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "word-echo", messages: [{ role: "user", content: "hi" }], stream: true }),
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    expect(await response.text()).toContain("[DONE]");
  });

  it("adds a usage chunk to a stream when asked", async () => {
    const stream = await client.chat.completions.create({
      model: "word-echo",
      messages: [{ role: "user", content: "count me" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.total_tokens).toBe(
      (last?.usage?.prompt_tokens ?? 0) + (last?.usage?.completion_tokens ?? 0),
    );
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("reports an error of fn once, without the client retrying it", async () => {
    seen.failures = 0;
    const retrying = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "ignored", maxRetries: 2 });
    const error = await retrying.chat.completions
      .create({ model: "word-echo", messages: [{ role: "user", content: "fail" }] })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).message).toContain("The model is tired.");
    expect(seen.failures).toBe(1);
    const stream = await client.chat.completions.create({
      model: "word-echo",
      messages: [{ role: "user", content: "fail" }],
      stream: true,
    });
    const reading = (async () => {
      for await (const _chunk of stream) {
      }
    })();
    await expect(reading).rejects.toThrow("The model is tired.");
  });

  it("passes earlier turns as the history and a system message first in it", async () => {
    const completion = await client.chat.completions.create({
      model: "word-echo",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
        { role: "user", content: [{ type: "text", text: "how are you" }] },
        { role: "assistant", content: "fine" },
        { role: "user", content: "bye" },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe(
      "bye [5: system=Be brief.|user=hi|assistant=hello|user=how are you|assistant=fine]!",
    );
  });

  it("refuses bad input with OpenAI's error shape, naming the field", async () => {
    const refusal = async (messages: unknown) => {
      const error = await client.chat.completions
        .create({ model: "word-echo", messages: messages as OpenAI.ChatCompletionMessageParam[] })
        .then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
      expect(error).toBeInstanceOf(BadRequestError);
      const { status, message, param, type } = error as BadRequestError;
      expect({ status, type }).toEqual({ status: 400, type: "invalid_request_error" });
      return { message, param };
    };
    expect(await refusal([])).toMatchObject({
      param: "messages",
      message: expect.stringContaining("non-empty"),
    });
    expect(
      await refusal([
        { role: "user", content: "hi" },
        { role: "assistant", content: "yo" },
      ]),
    ).toMatchObject({
      param: "messages[1].role",
      message: expect.stringContaining("last message must be the user's"),
    });
    expect(await refusal([{ role: "user", content: "   " }])).toMatchObject({
      param: "messages[0].content",
      message: expect.stringContaining("empty"),
    });
    expect(await refusal(["hi"])).toMatchObject({ param: "messages[0]" });
    expect(await refusal([{ role: "user" }])).toMatchObject({ param: "messages[0].content" });
    expect(await refusal([{ role: "user", content: "x".repeat(100_001) }])).toMatchObject({
      param: "messages[0].content",
      message: expect.stringContaining("longer than 100000"),
    });
  });

  it("refuses more than one choice", async () => {
    const error = await client.chat.completions
      .create({ model: "word-echo", messages: [{ role: "user", content: "hi" }], n: 2 })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe("n");
  });

  it("answers JSON it cannot parse, or nested too deep, with OpenAI's error shape", async () => {
    const post = (body: string) =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
    const broken = await post("{ not json");
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
    const deep = await post(`{"messages":${"[".repeat(100)}${"]".repeat(100)}}`);
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as { error: { message: string } }).error.message).toMatch(/nests deeper/);
  });

  it("cancels the job when the client aborts its stream", async () => {
    seen.aborted = false;
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: "word-echo", messages: [{ role: "user", content: "wait" }], stream: true },
      { signal: controller.signal },
    );
    const reading = (async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content === "waiting") controller.abort();
      }
    })();
    // The package ends the iteration quietly (or throws its abort error): either way it stopped.
    await reading.catch(() => {});
    expect(controller.signal.aborted).toBe(true);
    await until(() => seen.aborted, "the fn to see its signal abort");
    expect(seen.waiting).toBe(true);
  });
});

describe("the OpenAI API elsewhere", () => {
  it("answers 404 on a Space that is not a chat Space", async () => {
    const other = await serve(tipCalculator, { port: 0, logError: () => {} });
    try {
      const response = await fetch(`${other.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "x", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(response.status).toBe(404);
      const { error } = (await response.json()) as { error: { message: string } };
      expect(error.message).toMatch(/not a chat Space/);
      expect((await fetch(`${other.url}/v1/models`)).status).toBe(404);
    } finally {
      await other.close({ timeoutMs: 100 });
    }
  });

  it("answers 429 when the chat's queue is full, and takes requests again once it drains", async () => {
    const running = { count: 0 };
    const busy = sc.ChatInterface({
      title: "Busy",
      fn: async function* (message: string, _history: sc.ChatMessage[], ctx: sc.Context) {
        running.count++;
        yield "working";
        if (message === "wait") await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
        running.count--;
      },
      concurrencyLimit: 1,
      maxQueueSize: 1,
    });
    const full = await serve(busy, { port: 0, logError: () => {} });
    const busyClient = new OpenAI({ baseURL: `${full.url}/v1`, apiKey: "ignored", maxRetries: 0 });
    const waits = [new AbortController(), new AbortController()];
    try {
      const wait = (signal?: AbortSignal) =>
        busyClient.chat.completions.create(
          { model: "busy", messages: [{ role: "user", content: "wait" }], stream: true },
          { signal },
        );
      // A stream's headers arrive once its job is accepted: the first runs, the second waits.
      await wait(waits[0]?.signal);
      await until(() => running.count === 1, "the first request to run");
      await wait(waits[1]?.signal);
      const error = await busyClient.chat.completions
        .create({ model: "busy", messages: [{ role: "user", content: "hi" }] })
        .then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).message).toMatch(/queue is full/);
      for (const controller of waits) controller.abort();
      await until(() => running.count === 0, "the running request to stop");
      const again = await busyClient.chat.completions.create({
        model: "busy",
        messages: [{ role: "user", content: "hi" }],
      });
      expect(again.choices[0]?.message.content).toBe("working");
    } finally {
      await full.close({ timeoutMs: 100 });
    }
  });

  it("lets a named origin's page call it with an OpenAI client's headers, and refuses other sites", async () => {
    const open = await serve(chat, { port: 0, logError: () => {}, allowedOrigins: ["https://chat.example"] });
    try {
      const preflight = await fetch(`${open.url}/v1/chat/completions`, {
        method: "OPTIONS",
        headers: {
          origin: "https://chat.example",
          "access-control-request-method": "POST",
          "access-control-request-headers":
            "authorization,content-type,x-stainless-os,x-stainless-retry-count",
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("https://chat.example");
      expect(preflight.headers.get("access-control-allow-headers")).toContain("x-stainless-retry-count");
      const body = JSON.stringify({ model: "word-echo", messages: [{ role: "user", content: "hi" }] });
      const headers = { "content-type": "application/json" };
      const allowed = await fetch(`${open.url}/v1/chat/completions`, {
        method: "POST",
        headers: { ...headers, origin: "https://chat.example" },
        body,
      });
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://chat.example");
      const other = await fetch(`${open.url}/v1/chat/completions`, {
        method: "POST",
        headers: { ...headers, origin: "https://evil.example" },
        body,
      });
      expect(other.status).toBe(403);
      const { error } = (await other.json()) as { error: { message: string } };
      expect(error.message).toMatch(/allowedOrigins/);
    } finally {
      await open.close({ timeoutMs: 100 });
    }
  });

  it('takes the password as the API key "username:password" on a Space with sign-in', async () => {
    const locked = await serve(chat, { port: 0, logError: () => {}, auth: [["alice", "s3cret"]] });
    try {
      const signedIn = new OpenAI({ baseURL: `${locked.url}/v1`, apiKey: "alice:s3cret", maxRetries: 0 });
      const completion = await signedIn.chat.completions.create({
        model: "word-echo",
        messages: [{ role: "user", content: "hi" }],
      });
      expect(completion.choices[0]?.message.content).toBe("hi [0: ]!");
      const stranger = new OpenAI({
        baseURL: `${locked.url}/v1`,
        apiKey: "sk-not-a-password",
        maxRetries: 0,
      });
      const error = await stranger.models.list().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).message).toMatch(/username:password/);
    } finally {
      await locked.close({ timeoutMs: 100 });
    }
  });
});
