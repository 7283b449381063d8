import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as sc from "spacecraft";
import type { ServerMessage } from "spacecraft/protocol";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_OUT_DIR, makeTinyModels } from "../models/make-tiny-models.js";
import { GPT2_STORY } from "../models/specs/gpt2.js";
import type { HubStandIn } from "./hub-stand-in.js";
import { startHubStandIn } from "./hub-stand-in.js";
import { connect } from "./ws-client.js";

let hub: HubStandIn;
const cache = mkdtempSync(join(tmpdir(), "spacecraft-hf-home-"));
const servers: RunningServer[] = [];
/** Lets the Hub stand-in serve tiny/slow; until then its model stays loading. */
let releaseSlow: () => void = () => {};

beforeAll(async () => {
  await makeTinyModels(DEFAULT_OUT_DIR);
  hub = await startHubStandIn(join(DEFAULT_OUT_DIR), {
    "gated/model": { status: 401 },
    "tiny/slow": {
      delayMs: 150,
      from: "tiny/sentiment",
      hold: new Promise<void>((resolve) => {
        releaseSlow = resolve;
      }),
    },
    "tiny/licensed": { from: "tiny/sentiment", license: "apache-2.0" },
    "tiny/retried": { from: "tiny/sentiment" },
    // main is one model and licence, the tag v1 another (as a repo's history may hold).
    "tiny/pinned": {
      from: "tiny/sentiment",
      license: "apache-2.0",
      revisions: { v1: { from: "tiny/distilbert", license: "mit" } },
    },
  });
  // The tiny models play the Hub: served over HTTP by the stand-in, cached in a fresh HF_HOME.
  process.env.HF_ENDPOINT = hub.url;
  process.env.HF_HOME = cache;
});

afterAll(async () => {
  releaseSlow();
  await Promise.all(servers.map((server) => server.close({ timeoutMs: 100 })));
  await hub.close();
  rmSync(cache, { recursive: true, force: true });
});

async function start(space: sc.Space): Promise<RunningServer> {
  const server = await serve(space, { port: 0, logError: () => {} });
  servers.push(server);
  return server;
}

async function predict(server: RunningServer, data: unknown[]) {
  const client = await connect(server.url);
  client.send({ type: "predict", id: "p", endpoint: 0, data });
  const result = await client.end("p");
  await client.close();
  return { result, messages: client.messages };
}

/** Runs a Space's first endpoint in an engine of its own, which sends every partial result. */
async function everyPartial(space: sc.Space, data: unknown[]): Promise<unknown[][]> {
  const partials: unknown[][] = [];
  const done = await new Promise<ServerMessage>((resolve) => {
    const refusal = new sc.Engine(space).submit("s", { id: "1", endpoint: 0, data }, (message) => {
      if (message.type === "partial") partials.push(message.data);
      if (message.type === "complete" || message.type === "error") resolve(message);
    });
    if (refusal) resolve({ type: "error", id: "1", ...refusal });
  });
  expect(done.type, JSON.stringify(done)).toBe("complete");
  return partials;
}

describe("models through transformers.js", () => {
  it("builds a demo from a task and a model, and runs it", async () => {
    const space = sc.Interface.fromPipeline("text-classification", "tiny/sentiment");
    const config = space.toConfig();
    expect(config.models).toEqual([{ task: "text-classification", model: "tiny/sentiment" }]);
    const types = config.dependencies[0]?.inputs.map(
      (id) => config.components.find((c) => c.id === id)?.type,
    );
    expect(types).toEqual(["textbox"]);
    const server = await start(space);
    const { result } = await predict(server, ["I love this"]);
    expect(result).toMatchObject({ type: "complete", data: [{ label: "POSITIVE" }] });
    const label = (result as unknown as { data: [sc.LabelData] }).data[0];
    expect(label.confidences?.map((c) => c.label)).toEqual(["POSITIVE", "NEGATIVE"]);
    expect(label.confidences?.[0]?.confidence).toBeGreaterThan(0.9);
  });

  it("batches concurrent requests into one model call and gives each caller its own scores", async () => {
    const model = sc.pipeline("text-classification", "tiny/distilbert");
    // Count the rows of each forward pass of the real model.
    const loaded = (await model.load()) as unknown as { model: (inputs: unknown) => Promise<unknown> };
    const rows: number[] = [];
    loaded.model = new Proxy(loaded.model, {
      apply(target, self, args: [{ input_ids: { dims: number[] } }]) {
        rows.push(args[0].input_ids.dims[0] ?? 0);
        return Reflect.apply(target, self, args);
      },
    });
    const io = { inputs: [sc.Textbox()], outputs: [sc.Label()] };
    // A full batch of three starts at once; the wait is long so that a busy machine's third request,
    // on a socket of its own, still joins the other two (it could miss a 1 s wait).
    const batched = await start(sc.Interface({ model, ...io, batch: { maxSize: 3, maxWaitMs: 20_000 } }));
    const plain = await start(sc.Interface({ model, ...io }));
    const texts = ["I love this", "what a great day for a film", "so so"];
    type Labelled = { type: string; data: [sc.LabelData] };
    const labelled = async (server: RunningServer, text: string) =>
      (await predict(server, [text])).result as unknown as Labelled;
    const together = await Promise.all(texts.map((text) => labelled(batched, text)));
    expect(rows).toEqual([3]);
    for (const [i, text] of texts.entries()) {
      const alone = (await labelled(plain, text)).data[0];
      const mine = together[i] as Labelled;
      expect(mine.type).toBe("complete");
      expect(mine.data[0].label).toBe(alone.label);
      for (const [j, entry] of (alone.confidences ?? []).entries()) {
        expect(mine.data[0].confidences?.[j]?.confidence).toBeCloseTo(entry.confidence, 5);
      }
    }
    const scores = together.map((result) => result.data[0].confidences?.[0]?.confidence);
    expect(new Set(scores).size).toBe(3);
  });

  it("hands the loaded pipeline to fn as ctx.model", async () => {
    const space = sc.Interface({
      model: sc.pipeline("text-classification", "tiny/sentiment"),
      fn: async (text, { model }) => {
        const [best] = (await model(text)) as { label: string; score: number }[];
        return `${best?.label}`;
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    const { result } = await predict(await start(space), ["This is terrible"]);
    expect(result).toMatchObject({ type: "complete", data: ["NEGATIVE"] });
  });

  it("streams generated text from a text-generation model", async () => {
    const space = sc.Interface.fromModel("tiny/gpt2", { task: "text-generation" });
    const { result, messages } = await predict(await start(space), ["Hello world"]);
    expect(result).toMatchObject({ type: "complete", data: [expect.stringContaining("Once upon a time")] });
    // Over the WebSocket partials come at most once a frame; the engine gives every step.
    expect(messages.filter((m) => m.type === "partial").length).toBeGreaterThan(0);
    expect((await everyPartial(space, ["Hello world"])).length).toBeGreaterThan(1);
  });

  it("chats with a text-generation model: its chat template, streamed tokens, the reply in the history", async () => {
    const space = sc.ChatInterface({
      model: sc.pipeline("text-generation", "tiny/gpt2"),
      generation: { max_new_tokens: 40 },
    });
    expect(space.chat?.endpoint).toBe(0);
    const { result, messages } = await predict(await start(space), ["Tell me a story", []]);
    expect(result).toMatchObject({
      type: "complete",
      data: [
        [
          { role: "user", content: "Tell me a story" },
          { role: "assistant", content: GPT2_STORY.trim() },
        ],
        // The box was emptied by the first partial (the question alone); later ones leave it alone.
        { __type__: "update" },
      ],
    });
    // Over the WebSocket partials come at most once a frame: at least the question's.
    const partials = messages.filter((m) => m.type === "partial");
    expect(partials[0]).toMatchObject({ data: [[{ role: "user", content: "Tell me a story" }], ""] });
    // Token by token, as the engine gives every step to a caller that takes them all.
    const steps = (await everyPartial(space, ["Tell me a story", []]))
      .map((data) => (data[0] as sc.ChatMessage[])[1]?.content)
      .filter((reply) => reply !== undefined);
    expect(steps.length).toBeGreaterThan(2);
    expect(steps.at(-1)).toBe(GPT2_STORY.trim());
    for (const [i, step] of steps.entries())
      if (i > 0) expect(step.startsWith(steps[i - 1] as string)).toBe(true);
  });

  it("stops generating when the caller stops: no tokens are computed for nobody", async () => {
    // Its own handle (other options), so the forward passes counted are this test's only.
    const model = sc.pipeline("text-generation", "tiny/gpt2", { dtype: "fp32" });
    type Generating = {
      model: {
        forward: (...args: unknown[]) => Promise<unknown>;
        generate: (...args: unknown[]) => Promise<unknown>;
      };
    };
    // Serving maps HF_ENDPOINT onto transformers.js and starts loading the model.
    const server = await start(sc.ChatInterface({ model, generation: { max_new_tokens: 40 } }));
    const loaded = (await model.load()) as unknown as Generating;
    let passes = 0;
    let open: () => void = () => {};
    let gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const forward = loaded.model.forward.bind(loaded.model);
    loaded.model.forward = async (...args) => {
      passes++;
      await gate;
      return forward(...args);
    };
    let generating = false;
    const generate = loaded.model.generate.bind(loaded.model);
    loaded.model.generate = async (...args) => {
      generating = true;
      try {
        return await generate(...args);
      } finally {
        generating = false;
      }
    };
    const client = await connect(server.url);
    client.send({ type: "predict", id: "c", endpoint: 0, data: ["Tell me a story", []] });
    await expect.poll(() => passes, { timeout: 30_000 }).toBe(1);
    client.send({ type: "cancel", id: "c" });
    expect(await client.end("c")).toMatchObject({ type: "cancelled" });
    gate = Promise.resolve();
    open();
    await expect.poll(() => generating, { timeout: 30_000 }).toBe(false);
    // The story is 12 tokens and EOS; an interrupted generation stops after the pass in flight.
    expect(passes).toBeLessThanOrEqual(2);
    await client.close();
  });

  it("makes a request that arrives while the model loads wait, and says so", async () => {
    // The stand-in serves "tiny/slow" slowly, from the sentiment model's files, and holds them
    // until the request has been seen waiting: it arrives while the model loads however slow we are.
    const space = sc.Interface.fromPipeline("text-classification", "tiny/slow");
    const server = await start(space);
    const client = await connect(server.url);
    client.send({ type: "predict", id: "p", endpoint: 0, data: ["I love this"] });
    const waiting = await client.next((m) => m.type === "progress" && "id" in m && m.id === "p");
    releaseSlow();
    const result = await client.end("p");
    await client.close();
    expect(waiting).toMatchObject({ desc: expect.stringMatching(/^Loading tiny\/slow/) });
    expect(
      client.messages.some((m) => m.type === "progress" && m.desc?.startsWith("Loading tiny/slow")),
    ).toBe(true);
    expect(result).toMatchObject({ type: "complete", data: [{ label: "POSITIVE" }] });
  });

  it("loads a model for the next server when its first could not listen (the port was taken)", async () => {
    const holder = await start(
      sc.Interface({ fn: (text) => text, inputs: [sc.Textbox()], outputs: [sc.Textbox()] }),
    );
    const space = sc.Interface.fromPipeline("text-classification", "tiny/retried");
    await expect(
      serve(space, { port: holder.port, logError: () => {} }),
      "a second server on a port in use",
    ).rejects.toThrow();
    // The model's handle is shared: its load, begun by the first server, must not wait forever.
    const server = await start(space);
    const { result } = await predict(server, ["I love this"]);
    expect(result).toMatchObject({ type: "complete", data: [{ label: "POSITIVE" }] });
  });

  it("loads a model from a local folder given as ./path", async () => {
    const folder = `./${join("tests/models/.generated", "tiny/sentiment")}`;
    const server = await start(sc.Interface.fromPipeline("text-classification", folder));
    const before = hub.requests.length;
    const { result } = await predict(server, ["This is terrible"]);
    expect(result).toMatchObject({ type: "complete", data: [{ label: "NEGATIVE" }] });
    expect(hub.requests.length).toBe(before);
  });

  it("tells each new connection how its models stand", async () => {
    const server = await start(sc.Interface.fromPipeline("text-classification", "tiny/sentiment"));
    const client = await connect(server.url);
    expect(await client.next((m) => m.type === "model" && m.state === "ready")).toMatchObject({
      model: "tiny/sentiment",
      state: "ready",
    });
    await client.close();
  });

  it("shows the model's page, licence and download size from the Hub, after start-up", async () => {
    const server = await start(sc.Interface.fromPipeline("text-classification", "tiny/licensed"));
    const client = await connect(server.url);
    const message = await client.next((m) => m.type === "model" && m.info !== undefined);
    const files = ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"];
    const { statSync } = await import("node:fs");
    const expected = files.reduce(
      (sum, file) => sum + statSync(join(DEFAULT_OUT_DIR, "tiny/sentiment", file)).size,
      0,
    );
    expect(message).toMatchObject({
      model: "tiny/licensed",
      info: { url: `${hub.url}/tiny/licensed`, license: "apache-2.0", sizeBytes: expected },
    });
    await client.close();
  });

  it("shows the licence and size of a pinned revision, not of main", async () => {
    const space = sc.Interface.fromPipeline("text-classification", "tiny/pinned", {
      pipeline: { revision: "v1" },
    });
    const server = await start(space);
    const client = await connect(server.url);
    const message = await client.next((m) => m.type === "model" && m.info !== undefined, 30_000);
    await client.close();
    const files = ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"];
    const { statSync } = await import("node:fs");
    const sizeOf = (folder: string) =>
      files.reduce((sum, file) => sum + statSync(join(DEFAULT_OUT_DIR, folder, file)).size, 0);
    expect(sizeOf("tiny/distilbert")).not.toBe(sizeOf("tiny/sentiment"));
    expect(message).toMatchObject({
      model: "tiny/pinned",
      info: { url: `${hub.url}/tiny/pinned/tree/v1`, license: "mit", sizeBytes: sizeOf("tiny/distilbert") },
    });
    expect(hub.requests).toContain("/api/models/tiny/pinned/revision/v1");
    expect(hub.requests).toContain("/api/models/tiny/pinned/tree/v1");
  });

  it("explains a model that is missing, gated or unreachable, and keeps serving", async () => {
    const cases: [string, string][] = [
      [
        "Xenova/distilbert-base-uncased-finetuned-sst2-english",
        'was not found on the Hugging Face Hub (or it has no transformers.js ONNX files). Did you mean "Xenova/distilbert-base-uncased-finetuned-sst-2-english"?',
      ],
      [
        "gated/model",
        "is gated or private (HTTP 401). Accept its terms on https://huggingface.co/gated/model and set HF_TOKEN",
      ],
    ];
    for (const [model, message] of cases) {
      const server = await start(sc.Interface.fromPipeline("text-classification", model));
      const { result } = await predict(server, ["hi"]);
      expect(result).toMatchObject({ type: "error", message: expect.stringContaining(message) });
      expect((await fetch(`${server.url}/config`)).status).toBe(200);
    }
  });

  it("explains an unreachable Hub, and a model missing from the cache when offline", async () => {
    process.env.HF_ENDPOINT = "http://127.0.0.1:9";
    const unreachable = await start(sc.Interface.fromPipeline("text-classification", "tiny/unreachable"));
    expect((await predict(unreachable, ["hi"])).result).toMatchObject({
      message:
        'Cannot reach the Hugging Face Hub to download "tiny/unreachable". Check the network, or set HF_HUB_OFFLINE=1 to use cached or local models.',
    });
    process.env.HF_HUB_OFFLINE = "1";
    const offline = await start(sc.Interface.fromPipeline("text-classification", "tiny/not-cached"));
    expect((await predict(offline, ["hi"])).result).toMatchObject({
      message: expect.stringContaining(
        '"tiny/not-cached" is not in the local model cache and downloading is off (HF_HUB_OFFLINE=1)',
      ),
    });
    // A model cached by an earlier download still loads offline.
    const cached = await start(
      sc.Interface.fromPipeline("text-classification", "tiny/sentiment", { pipeline: { dtype: "fp32" } }),
    );
    expect((await predict(cached, ["I love this"])).result).toMatchObject({ type: "complete" });
    delete process.env.HF_HUB_OFFLINE;
    process.env.HF_ENDPOINT = hub.url;
  });
});
