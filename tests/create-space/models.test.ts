import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatBytes } from "spacecraft/format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeModelStandIns } from "../models/stand-ins.js";
import type { HubStandIn } from "../server/hub-stand-in.js";
import { startHubStandIn } from "../server/hub-stand-in.js";
import { cleanEnv, create, frontMatterOf, readProjectFile, tempDir } from "./helpers.js";

const SENTIMENT = "Xenova/distilbert-base-uncased-finetuned-sst-2-english";
const models = mkdtempSync(join(tmpdir(), "create-space-models-"));
const temp = tempDir();
let hub: HubStandIn;
let fake: { url: string; close(): Promise<void> };

/** A Hub that answers model info and file lists as given (gated flags, huge files, other tasks). */
async function startFakeHub(
  answers: Record<string, { info: Record<string, unknown>; files: { path: string; size: number }[] }>,
) {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    const match = /^\/api\/models\/(.+?)\/(revision|tree)\/[^/]+$/.exec(path);
    const answer = match ? answers[match[1] ?? ""] : undefined;
    if (!match || !answer) return void response.writeHead(404).end("{}");
    const body =
      match[2] === "revision"
        ? { _id: match[1], id: match[1], private: false, downloads: 0, likes: 0, ...answer.info }
        : answer.files.map((file) => ({ type: "file", oid: "0", ...file }));
    response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  await makeModelStandIns(models);
  hub = await startHubStandIn(models, {
    [SENTIMENT]: { license: "apache-2.0" },
    "Xenova/vit-base-patch16-224": { license: "cc-by-nc-4.0" },
    "onnx-community/Qwen2.5-0.5B-Instruct": { license: "llama3.2" },
    "HuggingFaceTB/SmolLM2-135M-Instruct": { license: "apache-2.0" },
    "acme/gated": { status: 401 },
  });
  const gb = 1024 ** 3;
  fake = await startFakeHub({
    "acme/gated-big": {
      info: { gated: "manual", cardData: { license: "gemma" }, pipeline_tag: "text-classification" },
      files: [
        { path: "config.json", size: 1000 },
        { path: "onnx/model.onnx", size: 20 * gb },
        { path: "onnx/model_quantized.onnx", size: 3 * gb },
      ],
    },
    "acme/image-model": {
      info: { tags: ["license:mit"], pipeline_tag: "image-classification" },
      files: [
        { path: "config.json", size: 1000 },
        { path: "onnx/model_quantized.onnx", size: 1000 },
      ],
    },
    "acme/no-q4": {
      info: { cardData: { license: "mit" } },
      files: [
        { path: "config.json", size: 1000 },
        { path: "onnx/model.onnx", size: 4000 },
        { path: "onnx/model_fp16.onnx", size: 2000 },
        { path: "onnx/model_quantized.onnx", size: 1000 },
      ],
    },
    "acme/pytorch-only": {
      info: { cardData: { license: "mit" } },
      files: [{ path: "model.safetensors", size: 1000 }],
    },
    "acme/whisper": {
      info: { cardData: { license: "apache-2.0" } },
      files: [
        { path: "config.json", size: 10 },
        { path: "onnx/encoder_model_quantized.onnx", size: 100 },
        { path: "onnx/decoder_model_quantized.onnx", size: 1000 },
        { path: "onnx/decoder_with_past_model_quantized.onnx", size: 1000 },
        { path: "onnx/decoder_model_merged_quantized.onnx", size: 200 },
        { path: "onnx/encoder_model.onnx", size: 400 },
      ],
    },
  });
});
afterAll(async () => {
  await hub?.close();
  await fake?.close();
  rmSync(models, { recursive: true, force: true });
  temp.remove();
});

let count = 0;
/** Runs create-space against a Hub, returning the result and the project folder. */
async function createWith(argv: string[], env: NodeJS.ProcessEnv = cleanEnv()) {
  const project = join(temp.dir, `project-${++count}`);
  const result = await create([project, "--no-install", "--no-git", ...argv], temp.dir, env);
  return { ...result, project };
}

/** Bytes of the files of a stand-in model that match (dotfiles aside: the Hub stand-in hides them). */
function sizeOf(id: string, pattern: RegExp): number {
  const dir = join(models, id);
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter(
    (file) => pattern.test(file) && !file.startsWith("."),
  );
  return files.reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
}

describe("the model check", () => {
  it("shows the size transformers.js downloads in the browser (q8) and the licence", async () => {
    const result = await createWith(["--template", "sentiment", "--hub-url", hub.url]);
    expect(result.code).toBe(0);
    const size = formatBytes(sizeOf(SENTIMENT, /^([^/]+\.json|onnx\/model_quantized\.onnx)$/));
    expect(result.stdout).toContain(`Model ${SENTIMENT}: ${size} to download (q8), licence apache-2.0.`);
    expect(result.stderr).toBe("");
    expect(readProjectFile(result.project, "README.md")).toContain(
      `(text-classification, licence apache-2.0, ${size} (q8))`,
    );
    expect(hub.requests).toContain(`/api/models/${SENTIMENT}/revision/HEAD`);
    expect(hub.requests).toContain(`/api/models/${SENTIMENT}/tree/main`);
  });

  it("counts the fp32 weights for a server", async () => {
    const result = await createWith(["--template", "sentiment", "--sdk", "docker", "--hub-url", hub.url]);
    const size = formatBytes(sizeOf(SENTIMENT, /^([^/]+\.json|onnx\/model\.onnx)$/));
    expect(result.stdout).toContain(`Model ${SENTIMENT}: ${size} to download (fp32), licence apache-2.0.`);
  });

  it("counts the dtype the app declares (q4 for text-generation)", async () => {
    const id = "onnx-community/Qwen2.5-0.5B-Instruct";
    const result = await createWith(["--template", "text-generation", "--hub-url", hub.url]);
    const size = formatBytes(sizeOf(id, /^([^/]+\.json|onnx\/model_q4\.onnx)$/));
    expect(result.stdout).toContain(`Model ${id}: ${size} to download (q4), licence llama3.2.`);
  });

  it("counts the q4 weights of the chatbot's chat model, with its licence", async () => {
    const id = "HuggingFaceTB/SmolLM2-135M-Instruct";
    const result = await createWith(["--template", "chatbot", "--hub-url", hub.url]);
    expect(result.code).toBe(0);
    const size = formatBytes(sizeOf(id, /^([^/]+\.json|onnx\/model_q4\.onnx)$/));
    expect(result.stdout).toContain(`Model ${id}: ${size} to download (q4), licence apache-2.0.`);
    expect(frontMatterOf(result.project)).toMatchObject({ license: "apache-2.0", models: [id] });
  });

  it("takes HF_ENDPOINT when there is no --hub-url", async () => {
    const result = await createWith(["--template", "sentiment"], cleanEnv({ HF_ENDPOINT: `${hub.url}/` }));
    expect(result.stdout).toContain("licence apache-2.0.");
  });

  it("fills license and models from the model, and warns of a non-commercial licence", async () => {
    const result = await createWith(["--template", "image-classification", "--hub-url", hub.url]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "Warning: Xenova/vit-base-patch16-224 is licensed cc-by-nc-4.0: non-commercial use only. Read it before you ship: https://huggingface.co/Xenova/vit-base-patch16-224",
    );
    expect(frontMatterOf(result.project)).toMatchObject({
      license: "cc-by-nc-4.0",
      models: ["Xenova/vit-base-patch16-224"],
    });
    expect(result.stdout).toContain("--license cc-by-nc-4.0");
  });

  it("warns of a licence with its own terms, and --license still decides the Space's", async () => {
    const result = await createWith([
      "--template",
      "text-generation",
      "--license",
      "mit",
      "--hub-url",
      hub.url,
    ]);
    expect(result.stderr).toContain("is licensed llama3.2, with its own terms");
    expect(frontMatterOf(result.project).license).toBe("mit");
  });

  it("warns that a gated or private model (HTTP 401) can't load in a browser", async () => {
    const result = await createWith([
      "--template",
      "sentiment",
      "--model",
      "acme/gated",
      "--hub-url",
      hub.url,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "Model acme/gated: private or gated (HTTP 401); size and licence unknown.",
    );
    expect(result.stderr).toContain(
      "Warning: acme/gated is gated: a visitor's browser can't download it without a token. Pick an open model, or use --sdk docker and set HF_TOKEN as a Space secret.",
    );
  });

  it("warns of a gated model, a model too big for a browser, and one too big for cpu-basic", async () => {
    const browser = await createWith([
      "--template",
      "sentiment",
      "--model",
      "acme/gated-big",
      "--hub-url",
      fake.url,
    ]);
    expect(browser.code).toBe(0);
    expect(browser.stdout).toContain("Model acme/gated-big: 3 GB to download (q8), licence gemma, gated.");
    expect(browser.stderr).toContain("acme/gated-big is 3 GB (q8): too big for a browser tab");
    expect(browser.stderr).toContain("acme/gated-big is gated: a visitor's browser can't download it");
    expect(browser.stderr).toContain("acme/gated-big is licensed gemma, with its own terms");
    expect(frontMatterOf(browser.project).license).toBe("gemma");

    const server = await createWith([
      "--template",
      "sentiment",
      "--model",
      "acme/gated-big",
      "--sdk",
      "docker",
      "--hub-url",
      fake.url,
    ]);
    expect(server.stderr).toContain(
      "acme/gated-big is 20 GB (fp32): more than the 16 GB of RAM of the free cpu-basic hardware.",
    );
    expect(server.stderr).toContain(
      "acme/gated-big is gated: accept its terms on https://huggingface.co/acme/gated-big, then set HF_TOKEN",
    );
    expect(server.stderr).not.toContain("too big for a browser");
  });

  it("warns when the model does another task, or has no weights for the dtype", async () => {
    const task = await createWith([
      "--template",
      "sentiment",
      "--model",
      "acme/image-model",
      "--hub-url",
      fake.url,
    ]);
    expect(task.stderr).toContain(
      "acme/image-model is a image-classification model, but this template runs text-classification.",
    );
    expect(frontMatterOf(task.project).license).toBe("mit");

    const dtype = await createWith([
      "--template",
      "text-generation",
      "--model",
      "acme/no-q4",
      "--hub-url",
      fake.url,
    ]);
    expect(dtype.stderr).toContain(
      "acme/no-q4 has no q4 weights (onnx/*_q4.onnx). Set dtype in app.ts to one it has: fp32, fp16, q8.",
    );
    const onnx = await createWith([
      "--template",
      "sentiment",
      "--model",
      "acme/pytorch-only",
      "--hub-url",
      fake.url,
    ]);
    expect(onnx.stderr).toContain("acme/pytorch-only has no ONNX weights (onnx/*.onnx)");
  });

  it("counts only the merged decoder of an encoder-decoder model", async () => {
    const result = await createWith([
      "--template",
      "speech-recognition",
      "--model",
      "acme/whisper",
      "--hub-url",
      fake.url,
    ]);
    expect(result.stdout).toContain("Model acme/whisper: 310 B to download (q8)");
  });

  it("refuses a model that is not on the Hub, writing nothing", async () => {
    const result = await createWith([
      "--template",
      "sentiment",
      "--model",
      "acme/missing",
      "--hub-url",
      hub.url,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `Error: --model: "acme/missing" was not found on ${hub.url} (HTTP 404). Check the id on https://huggingface.co/models?library=transformers.js.\n`,
    );
    expect(existsSync(result.project)).toBe(false);
  });

  it("goes on with a note when the Hub can't be reached, taking the licence it knows", async () => {
    const closed = await startFakeHub({});
    await closed.close();
    const result = await createWith(["--template", "speech-recognition", "--hub-url", closed.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Model onnx-community/whisper-base: could not reach ${closed.url} (ECONNREFUSED), so its size and licence were not checked.`,
    );
    expect(frontMatterOf(result.project)).toMatchObject({
      license: "apache-2.0",
      models: ["onnx-community/whisper-base"],
    });
  });

  it("asks nothing with HF_HUB_OFFLINE=1", async () => {
    const before = hub.requests.length;
    const result = await createWith(
      ["--template", "sentiment", "--hub-url", hub.url],
      cleanEnv({ HF_HUB_OFFLINE: "1" }),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Model ${SENTIMENT}: not checked (HF_HUB_OFFLINE is set).`);
    expect(hub.requests.length).toBe(before);
  });
});
