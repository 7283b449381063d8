import { Client, handle_file } from "@gradio/client";
import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import echoChat from "../fixtures/echo-chat.js";
import type { InferenceStandIn } from "../fixtures/inference-stand-in.js";
import { chatReplyTo, RED_PIXEL_PNG, startInferenceStandIn } from "../fixtures/inference-stand-in.js";
import { connect } from "./ws-client.js";

/** The server's token: the stand-in refuses any other, and it must never reach a client. */
const TOKEN = "hf_standInSecretToken1234567890";

let standIn: InferenceStandIn;
const servers: RunningServer[] = [];
const previousToken = process.env.HF_TOKEN;

beforeAll(async () => {
  process.env.HF_TOKEN = TOKEN;
  standIn = await startInferenceStandIn({ token: TOKEN });
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close({ timeoutMs: 100 })));
  await standIn.close();
  if (previousToken === undefined) delete process.env.HF_TOKEN;
  else process.env.HF_TOKEN = previousToken;
});

async function start(space: sc.Space): Promise<RunningServer> {
  const server = await serve(space, { port: 0, logError: () => {} });
  servers.push(server);
  return server;
}

/** The model at the stand-in, as hf-inference's router addresses it. */
const at = (task: string) => ({ endpointUrl: `${standIn.url}/models/test/${task}` });
const lastRequest = (path: string) => standIn.requests.filter((request) => request.path === path).at(-1);

/** Runs `/predict` and gives its outputs; failures surface as the message the page would show. */
async function predict(server: RunningServer, inputs: unknown[]): Promise<unknown[]> {
  const client = await Client.connect(server.url);
  return (await client.predict("/predict", inputs)).data as unknown[];
}

describe("sc.fromInference: each task's components, the provider's answer", () => {
  it("text-classification: a Label from the nested [[{ label, score }]]", async () => {
    const server = await start(
      sc.fromInference("text-classification", "test/text-classification", {
        inference: at("text-classification"),
      }),
    );
    const [label] = await predict(server, ["I love it"]);
    expect(label).toMatchObject({
      label: "POSITIVE",
      confidences: [{ label: "POSITIVE", confidence: 0.97 }, {}],
    });
    const request = lastRequest("/models/test/text-classification");
    expect(JSON.parse(String(request?.body))).toEqual({ inputs: "I love it" });
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("token-classification: highlighted entities at their offsets", async () => {
    const server = await start(
      sc.fromInference("token-classification", "test/token-classification", {
        inference: at("token-classification"),
      }),
    );
    const [spans] = await predict(server, ["Ask Ada and Bob"]);
    expect(spans).toEqual([
      { token: "Ask", class_or_confidence: "PER" },
      { token: " ", class_or_confidence: null },
      { token: "Ada", class_or_confidence: "PER" },
      { token: " and ", class_or_confidence: null },
      { token: "Bob", class_or_confidence: "PER" },
    ]);
  });

  it("summarization, translation and feature-extraction: text and JSON", async () => {
    const summary = await start(
      sc.fromInference("summarization", "test/summarization", { inference: at("summarization") }),
    );
    expect(await predict(summary, ["First point. Second point."])).toEqual(["First point."]);
    const translation = await start(
      sc.fromInference("translation", "test/translation", { inference: at("translation") }),
    );
    expect(await predict(translation, ["hello"])).toEqual(["HELLO"]);
    const embedding = await start(
      sc.fromInference("feature-extraction", "test/feature-extraction", {
        inference: at("feature-extraction"),
      }),
    );
    expect(await predict(embedding, ["two words"])).toEqual([[9, 2]]);
  });

  it("text-to-image: the provider's image bytes become the Image output", async () => {
    const server = await start(
      sc.fromInference("text-to-image", "test/text-to-image", { inference: at("text-to-image") }),
    );
    const [image] = (await predict(server, ["a red pixel"])) as [{ url: string }];
    const served = await fetch(image.url);
    expect(served.status, `GET ${image.url}`).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(RED_PIXEL_PNG)).toBe(true);
    expect(JSON.parse(String(lastRequest("/models/test/text-to-image")?.body))).toEqual({
      inputs: "a red pixel",
    });
  });

  it("automatic-speech-recognition: the recording goes as WAV bytes, the transcript comes back", async () => {
    const server = await start(
      sc.fromInference("automatic-speech-recognition", "test/automatic-speech-recognition", {
        inference: at("automatic-speech-recognition"),
      }),
    );
    const wav = new File([new Uint8Array(silentWav(16_000, 1600))], "speech.wav", { type: "audio/wav" });
    expect(await predict(server, [handle_file(wav)])).toEqual(["heard 1600 samples at 16000 Hz"]);
  });

  it("image-classification: the image's bytes go as the body", async () => {
    const server = await start(
      sc.fromInference("image-classification", "test/image-classification", {
        inference: at("image-classification"),
      }),
    );
    const png = new File([new Uint8Array(RED_PIXEL_PNG)], "red.png", { type: "image/png" });
    const [label] = await predict(server, [handle_file(png)]);
    expect(label).toMatchObject({ label: "png 1x1" });
  });

  it("gives a custom fn ctx.model: the client and the model's arguments", async () => {
    const server = await start(
      sc.Interface({
        fn: async (text, { model }) =>
          (await model.client.summarization({ ...model.args, inputs: `${text}. More.` })).summary_text,
        inputs: [sc.Textbox()],
        outputs: [sc.Textbox()],
        model: sc.inference("summarization", "test/summarization", at("summarization")),
      }),
    );
    expect(await predict(server, ["Mine"])).toEqual(["Mine."]);
  });
});

describe("chat-completion streamed into ChatInterface", () => {
  it("streams the deltas, sends the conversation, the token and billTo", async () => {
    const server = await start(
      sc.ChatInterface({
        model: sc.inference("chat-completion", "test/held-chat", {
          endpointUrl: `${standIn.url}/v1`,
          billTo: "acme",
        }),
        systemPrompt: "Be brief.",
      }),
    );
    const client = await Client.connect(server.url);
    const seen: string[] = [];
    for await (const event of client.submit("/chat", { message: "hello there friend" })) {
      if (event.type === "data") {
        seen.push(String((event.data as unknown[])[0]));
        // The stand-in streamed the first word and holds the rest until the caller has seen it.
        if (seen.length === 1) standIn.release();
      }
      if (event.type === "status" && event.stage === "complete") break;
    }
    expect(seen[0], "the first word arrives alone, before the rest is sent").toBe("You ");
    expect(seen.at(-1)).toBe(chatReplyTo("hello there friend"));
    const request = lastRequest("/v1/chat/completions");
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers["x-hf-bill-to"]).toBe("acme");
    expect(JSON.parse(String(request?.body))).toMatchObject({
      model: "test/held-chat",
      stream: true,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hello there friend" },
      ],
    });
    // The history kept per client goes with the next message.
    const asked = standIn.requests.length;
    const again = client.predict("/chat", { message: "again" });
    await expect.poll(() => standIn.requests.length, { timeout: 15_000 }).toBe(asked + 1);
    standIn.release();
    await again;
    expect(JSON.parse(String(lastRequest("/v1/chat/completions")?.body)).messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "hello there friend" },
      { role: "assistant", content: chatReplyTo("hello there friend") },
      { role: "user", content: "again" },
    ]);
  });
});

describe("stopping a reply", () => {
  it("hangs up on the provider when the visitor stops the reply", async () => {
    const chat = sc.ChatInterface({
      model: sc.inference("chat-completion", "test/held-chat", { endpointUrl: `${standIn.url}/v1` }),
    });
    const server = await start(chat);
    const endpoint = chat.chat?.endpoint;
    const client = await connect(server.url);
    try {
      const before = standIn.hungUp;
      client.send({ type: "predict", id: "stop", endpoint, data: ["please stop me", []] });
      // The first word arrived (the provider holds the rest): the reply is streaming.
      await client.next(
        (m) => m.type === "partial" && JSON.stringify(m).includes('"content":"You "'),
        15_000,
      );
      client.send({ type: "cancel", id: "stop" });
      expect(await client.end("stop")).toEqual({ type: "cancelled", id: "stop" });
      await expect.poll(() => standIn.hungUp, { timeout: 15_000 }).toBe(before + 1);
    } finally {
      await client.close();
    }
  });
});

describe("ChatInterface.fromOpenAI", () => {
  it("chats with an OpenAI-compatible server, its apiKey sent and kept from clients", async () => {
    const openAi = await startInferenceStandIn({ token: "sk-local-key" });
    try {
      const server = await start(
        sc.ChatInterface.fromOpenAI({
          baseURL: `${openAi.url}/v1`,
          model: "local-llm",
          apiKey: "sk-local-key",
        }),
      );
      const client = await Client.connect(server.url);
      expect((await client.predict("/chat", { message: "ping" })).data).toEqual([chatReplyTo("ping")]);
      expect(openAi.requests.at(-1)?.headers.authorization).toBe("Bearer sk-local-key");
      for (const path of ["/", "/config", "/gradio_api/info"]) {
        expect(await (await fetch(`${server.url}${path}`)).text(), path).not.toContain("sk-local-key");
      }
    } finally {
      await openAi.close();
    }
  });

  it("chats with another Spacecraft chat Space through its /v1 API, its reply streamed across", async () => {
    const echo = await start(echoChat);
    const server = await start(sc.ChatInterface.fromOpenAI({ baseURL: `${echo.url}/v1`, model: "echo" }));
    const client = await Client.connect(server.url);
    expect((await client.predict("/chat", { message: "over the wire" })).data).toEqual(["over the wire (0)"]);
  });

  it("explains a refused key in the error, naming the apiKey", async () => {
    const server = await start(
      sc.ChatInterface.fromOpenAI({ baseURL: `${standIn.url}/v1`, model: "local-llm", apiKey: "sk-wrong" }),
    );
    const client = await Client.connect(server.url);
    await expect(client.predict("/chat", { message: "ping" })).rejects.toMatchObject({
      message: expect.stringMatching(/HTTP 401.*check the apiKey/),
    });
  });
});

describe("failures explained, the token kept on the server", () => {
  const chatWith = (model: string) =>
    sc.ChatInterface({ model: sc.inference("chat-completion", model, { endpointUrl: `${standIn.url}/v1` }) });
  const failure = async (space: sc.Space, message = "hi"): Promise<string> => {
    const server = await start(space);
    const client = await Client.connect(server.url);
    try {
      await client.predict("/chat", { message });
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("the call succeeded; it should have failed");
  };

  it.each([
    ["status/401", /refused HF_TOKEN \(HTTP 401\).*set it as the HF_TOKEN secret/],
    ["status/402", /credits are used up \(HTTP 402\).*Add credits.*set `billTo`/],
    ["status/429", /Too many requests.*\(HTTP 429\).*Wait 7 s and retry/],
    ["status/503", /"status\/503" is loading.*\(HTTP 503\), about 20 s more\. Wait a moment and retry/],
  ])("%s becomes what happened and what to do", async (model, expected) => {
    const message = await failure(chatWith(model));
    expect(message).toMatch(expected);
    expect(message).not.toContain(TOKEN);
  });

  it("a 503 is not retried: one request, then the explanation", async () => {
    const before = standIn.requests.length;
    await failure(chatWith("status/503"));
    expect(standIn.requests.length - before).toBe(1);
  });

  it("takes the token out of a server's error that echoes it", async () => {
    const message = await failure(chatWith("status/500-echo"));
    expect(message).toMatch(/HTTP 500.*Internal error while serving token \[token\]/);
    expect(message).not.toContain(TOKEN);
  });

  it("explains a reply that breaks off mid-stream, the echoed token masked", async () => {
    const message = await failure(chatWith("status/stream-error-echo"));
    expect(message).toBe(
      'The remote model "status/stream-error-echo" failed: the reply broke off: upstream reset for [token]. ' +
        "Try again; if it keeps failing, check the model id, the task and the provider.",
    );
  });

  it("explains an answer of the wrong shape, naming the model", async () => {
    const server = await start(
      sc.fromInference("summarization", "test/bad-output", { inference: at("bad-output") }),
    );
    const message = await predict(server, ["Some text."]).then(
      () => "the call succeeded",
      (error: Error) => error.message,
    );
    expect(message).toMatch(
      /^The remote model "test\/bad-output" failed: Received malformed response from HF-Inference summarization API.*Try again/,
    );
  });

  it("says HF_TOKEN is missing before calling the router without one", async () => {
    const space = sc.ChatInterface({
      model: sc.inference("chat-completion", "meta-llama/Llama-3.1-8B-Instruct"),
    });
    delete process.env.HF_TOKEN;
    try {
      expect(await failure(space)).toMatch(/HF_TOKEN is not set on the server.*secret of the Space/);
    } finally {
      process.env.HF_TOKEN = TOKEN;
    }
  });

  it("says which server it cannot reach", async () => {
    const gone = await startInferenceStandIn();
    await gone.close();
    const server = await start(
      sc.fromInference("summarization", "test/summarization", {
        inference: { endpointUrl: `${gone.url}/models/test/summarization` },
      }),
    );
    const message = await predict(server, ["x"]).then(
      () => "the call succeeded",
      (error: Error) => error.message,
    );
    expect(message).toContain(`Cannot reach the inference server at ${new URL(gone.url).host}`);
  });

  it("never puts the token in the page, the config or /gradio_api/info, and keeps serving after errors", async () => {
    const server = await start(chatWith("test/chat"));
    for (const path of ["/", "/config", "/gradio_api/info"]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).not.toContain(TOKEN);
    }
    const client = await Client.connect(server.url);
    expect((await client.predict("/chat", { message: "still here" })).data).toEqual([
      chatReplyTo("still here"),
    ]);
  });
});

/** A WAV file of `samples` silent 16-bit samples. */
function silentWav(sampleRate: number, samples: number): Buffer {
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write("RIFF", 0, "latin1");
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write("WAVEfmt ", 8, "latin1");
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write("data", 36, "latin1");
  wav.writeUInt32LE(samples * 2, 40);
  return wav;
}
