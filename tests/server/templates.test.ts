import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GPT2_STORY } from "../models/make-tiny-models.js";
import { makeModelStandIns } from "../models/stand-ins.js";
import { makeWav } from "../models/wav.js";
import { startCli } from "./cli.js";
import { connect } from "./ws-client.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const children: ChildProcess[] = [];
const models = mkdtempSync(join(tmpdir(), "spacecraft-models-"));

beforeAll(async () => {
  await makeModelStandIns(models);
});
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(models, { recursive: true, force: true });
});

/** Runs `spacecraft start templates/<name>/app.ts` offline on the tiny stand-in models. */
async function startTemplate(name: string) {
  const started = await startCli(join(root, "templates", name, "app.ts"), {
    ...process.env,
    SPACECRAFT_MODELS: models,
    HF_HUB_OFFLINE: "1",
  });
  children.push(started.child);
  return started;
}

async function uploadFile(url: string, bytes: Uint8Array, name: string) {
  const form = new FormData();
  form.append("files", new Blob([bytes as BlobPart]), name);
  const [path] = (await (
    await fetch(`${url}/gradio_api/upload`, { method: "POST", body: form })
  ).json()) as string[];
  return { path, orig_name: name, meta: { _type: "gradio.FileData" } };
}

async function predict(url: string, data: unknown[]) {
  const client = await connect(url);
  client.send({ type: "predict", id: "t", endpoint: 0, data });
  const result = await client.next(
    (m) => "id" in m && m.id === "t" && (m.type === "complete" || m.type === "error"),
    20_000,
  );
  await client.close();
  return result;
}

describe("templates", () => {
  it("hello repeats text", async () => {
    const { url } = await startTemplate("hello");
    expect(await predict(url, ["ab", 2])).toMatchObject({ type: "complete", data: ["abab"] });
  });

  it("sentiment labels a sentence with its model", async () => {
    const { url, output } = await startTemplate("sentiment");
    expect(await predict(url, ["I love this"])).toMatchObject({
      type: "complete",
      data: [{ label: "POSITIVE", confidences: [{ label: "POSITIVE" }, { label: "NEGATIVE" }] }],
    });
    // The line comes on the child's stderr, a channel of its own that may be read after the answer.
    await expect
      .poll(output, { timeout: 20_000 })
      .toContain("Model Xenova/distilbert-base-uncased-finetuned-sst-2-english (text-classification) ready");
  });

  it("image-classification names the colour of an uploaded image", async () => {
    const { url } = await startTemplate("image-classification");
    const png = await sharp({
      create: { width: 16, height: 16, channels: 3, background: { r: 0, g: 0, b: 255 } },
    })
      .png()
      .toBuffer();
    const image = await uploadFile(url, png, "blue.png");
    expect(await predict(url, [image])).toMatchObject({ type: "complete", data: [{ label: "blue" }] });
  });

  it("speech-recognition transcribes an uploaded WAV", async () => {
    const { url } = await startTemplate("speech-recognition");
    const wav = makeWav(
      Float32Array.from({ length: 8000 }, (_, i) => Math.sin(i / 10) * 0.3),
      8000,
    );
    const audio = await uploadFile(url, wav, "speech.wav");
    expect(await predict(url, [audio])).toMatchObject({
      type: "complete",
      data: ["The quick brown fox jumps over the lazy dog."],
    });
  });

  it("text-generation streams a continuation", async () => {
    const { url } = await startTemplate("text-generation");
    const client = await connect(url);
    client.send({ type: "predict", id: "g", endpoint: 0, data: ["Hello world", 16] });
    const result = await client.next(
      (m) => "id" in m && m.id === "g" && (m.type === "complete" || m.type === "error"),
      20_000,
    );
    expect(result).toMatchObject({ type: "complete", data: [expect.stringContaining("Once upon a time")] });
    // Streamed: partials come (over the WebSocket at most one a frame, so how many depends on
    // the machine's speed; models.test.ts checks the token-by-token steps).
    expect(client.messages.filter((m) => m.type === "partial").length).toBeGreaterThan(0);
    await client.close();
  });

  it("chatbot answers a message on the page's chat endpoint, streaming the reply", async () => {
    const { url, output } = await startTemplate("chatbot");
    const config = (await (await fetch(`${url}/config`)).json()) as {
      spacecraft: { chat?: { endpoint: number } };
    };
    const endpoint = config.spacecraft.chat?.endpoint;
    expect(endpoint).toBeTypeOf("number");
    const client = await connect(url);
    client.send({ type: "predict", id: "c", endpoint, data: ["Hello world", []] });
    const result = await client.next(
      (m) => "id" in m && m.id === "c" && (m.type === "complete" || m.type === "error"),
      20_000,
    );
    expect(result).toMatchObject({
      type: "complete",
      data: [
        [
          { role: "user", content: "Hello world" },
          { role: "assistant", content: GPT2_STORY.trim() },
        ],
        // The box was emptied by the first partial; later ones leave it alone.
        { __type__: "update" },
      ],
    });
    // The question came at once, as a partial, before the reply.
    expect(client.messages.find((m) => m.type === "partial")).toMatchObject({
      data: [[{ role: "user", content: "Hello world" }], ""],
    });
    await expect
      .poll(output, { timeout: 20_000 })
      .toContain("Model HuggingFaceTB/SmolLM2-135M-Instruct (text-generation) ready");
    await client.close();
  });
});
