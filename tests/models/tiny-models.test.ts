// @vitest-environment node
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { env, LogLevel, pipeline, RawImage, TextStreamer } from "@huggingface/transformers";
import type { Context } from "spacecraft";
import { TASKS } from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import wavefile from "wavefile";
import { GPT2_STORY, makeTinyModels, TINY_MODELS, WHISPER_TRANSCRIPT } from "./make-tiny-models.js";
import { makeWav, readWav16k } from "./wav.js";

const { WaveFile } = wavefile;

const EXPECTED_FILES: Record<string, string[]> = {
  "tiny/sentiment": ["config.json", "tokenizer.json", "tokenizer_config.json", ...onnxPair("model")],
  "tiny/distilbert": ["config.json", "tokenizer.json", "tokenizer_config.json", ...onnxPair("model")],
  "tiny/vit-colors": ["config.json", "preprocessor_config.json", ...onnxPair("model")],
  "tiny/gpt2": [
    "config.json",
    "generation_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    ...onnxPair("model"),
  ],
  "tiny/whisper": [
    "config.json",
    "generation_config.json",
    "preprocessor_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    ...onnxPair("encoder_model"),
    ...onnxPair("decoder_model_merged"),
  ],
};

const networkAttempts: string[] = [];
const originalFetch = globalThis.fetch;
const originalEnvFetch = env.fetch;
let outDir = "";
let modelDirs: Record<string, string> = {};

beforeAll(async () => {
  globalThis.fetch = offlineFetch;
  env.fetch = offlineFetch;
  outDir = await mkdtemp(join(tmpdir(), "tiny-models-"));
  modelDirs = await makeTinyModels(outDir);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = outDir;
  env.useFSCache = false;
  env.logLevel = LogLevel.ERROR;
});

afterAll(async () => {
  globalThis.fetch = originalFetch;
  env.fetch = originalEnvFetch;
  await rm(outDir, { recursive: true, force: true });
  expect(networkAttempts).toEqual([]);
});

describe("makeTinyModels", () => {
  it("writes each model in the transformers.js layout", () => {
    expect(Object.keys(modelDirs)).toEqual(TINY_MODELS.map((model) => model.name));
    for (const [name, files] of Object.entries(EXPECTED_FILES)) {
      const dir = modelDirs[name] ?? "";
      expect(dir).toBe(join(outDir, name));
      for (const file of files) expect(existsSync(join(dir, file)), `${name}/${file}`).toBe(true);
    }
  });

  it("leaves up-to-date models untouched on a second run", async () => {
    const config = join(modelDirs["tiny/sentiment"] ?? "", "config.json");
    const before = statSync(config).mtimeMs;
    await makeTinyModels(outDir);
    expect(statSync(config).mtimeMs).toBe(before);
  });
});

describe("tiny models through the real transformers.js pipelines", () => {
  it("classifies sentiment with the DistilBERT labels", async () => {
    const classify = await pipeline("text-classification", "tiny/sentiment");
    const [positive] = await classify("I love this");
    const [negative] = await classify("This is terrible");
    expect(positive).toEqual({ label: "POSITIVE", score: expect.any(Number) });
    expect(positive?.score).toBeGreaterThan(0.95);
    expect(negative).toEqual({ label: "NEGATIVE", score: expect.any(Number) });
    expect(negative?.score).toBeGreaterThan(0.95);
  });

  it("runs a whole DistilBERT, whose padded batch scores as each sentence alone", async () => {
    const classify = await pipeline("text-classification", "tiny/distilbert");
    const sentences = ["I love this", "what a great day for a film", "so so"];
    const alone = await Promise.all(sentences.map((text) => classify(text, { top_k: 2 })));
    const batched = await classify(sentences, { top_k: 2 });
    expect(batched).toHaveLength(3);
    for (const [i, scores] of alone.entries()) {
      const together = batched[i] as typeof scores;
      expect(scores.map((entry) => entry.label).sort()).toEqual(["NEGATIVE", "POSITIVE"]);
      for (const [j, entry] of scores.entries()) {
        expect(together[j]?.label).toBe(entry.label);
        expect(together[j]?.score).toBeCloseTo(entry.score, 5);
      }
    }
    // Different sentences get different scores: the layers do work.
    expect(new Set(alone.map((scores) => scores[0]?.score.toFixed(6))).size).toBe(3);

    // Spacecraft's text-classification recipe (its own top-k) scores as the pipeline does.
    const recipe = TASKS["text-classification"];
    const context = { model: classify } as unknown as Context;
    const fromRecipe = (await recipe?.runBatch?.(sentences, context)) as typeof alone;
    const single = (await recipe?.run(sentences[0], context)) as (typeof alone)[number];
    expect(single.map((entry) => entry.label)).toEqual(fromRecipe[0]?.map((entry) => entry.label));
    for (const [j, entry] of single.entries()) expect(fromRecipe[0]?.[j]?.score).toBeCloseTo(entry.score, 5);
    for (const [i, scores] of alone.entries()) {
      expect(fromRecipe[i]?.map((entry) => entry.label)).toEqual(scores.map((entry) => entry.label));
      for (const [j, entry] of scores.entries())
        expect(fromRecipe[i]?.[j]?.score).toBeCloseTo(entry.score, 5);
    }
  });

  it("classifies a red image as red", async () => {
    const classify = await pipeline("image-classification", "tiny/vit-colors");
    const output = await classify(solidImage([255, 0, 0]), { top_k: 3 });
    expect(output.map((entry) => entry.label)).toEqual(["red", "green", "blue"]);
    expect(output[0]?.score).toBeGreaterThan(0.99);
    const [blue] = await classify(solidImage([0, 0, 255]));
    expect(blue?.label).toBe("blue");
  });

  it("generates the scripted story, streams it and stops at EOS", async () => {
    const generate = await pipeline("text-generation", "tiny/gpt2");
    const chunks: string[] = [];
    const streamer = new TextStreamer(generate.tokenizer, {
      skip_prompt: true,
      skip_special_tokens: true,
      callback_function: (text: string) => chunks.push(text),
    });
    const [output] = await generate("Hello world", { max_new_tokens: 40, do_sample: false, streamer });
    expect(output).toEqual({ generated_text: `Hello world${GPT2_STORY}` });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join("")).toBe(GPT2_STORY);
  });

  it("stops at max_new_tokens and formats chat messages with the chat template", async () => {
    const generate = await pipeline("text-generation", "tiny/gpt2");
    const [short] = await generate("Hello", { max_new_tokens: 3, return_full_text: false });
    expect(short).toEqual({ generated_text: " Once upon a" });
    const [chat] = await generate([{ role: "user", content: "Tell me a story" }], { max_new_tokens: 40 });
    const messages = chat?.generated_text;
    expect(Array.isArray(messages) && messages.at(-1)).toEqual({ role: "assistant", content: GPT2_STORY });
  });

  it("transcribes a WAV file to the fixed transcript", async () => {
    const transcribe = await pipeline("automatic-speech-recognition", "tiny/whisper");
    const audio = readWav16k(makeWav(sineWave(440, 22_050, 1), 22_050));
    expect(audio.length).toBe(16_000);
    const output = await transcribe(audio);
    expect(output).toEqual({ text: WHISPER_TRANSCRIPT });
  });
});

describe("the _quantized copies that browsers load by default (dtype q8)", () => {
  it("classify sentiment and transcribe like the fp32 graphs", async () => {
    const classify = await pipeline("text-classification", "tiny/sentiment", { dtype: "q8" });
    expect((await classify("I love this"))[0]?.label).toBe("POSITIVE");
    const transcribe = await pipeline("automatic-speech-recognition", "tiny/whisper", { dtype: "q8" });
    expect(await transcribe(new Float32Array(8_000))).toEqual({ text: WHISPER_TRANSCRIPT });
  });
});

describe("wav helpers", () => {
  it("round-trips mono samples through a 16-bit WAV", () => {
    const samples = sineWave(440, 16_000, 0.25);
    const decoded = readWav16k(makeWav(samples, 16_000));
    expect(decoded.length).toBe(samples.length);
    expect(Math.max(...decoded.map((sample, i) => Math.abs(sample - (samples[i] ?? 0))))).toBeLessThan(1e-3);
  });

  it("downmixes stereo and resamples to 16 kHz", () => {
    const wav = new WaveFile();
    const left = Int16Array.from({ length: 8_000 }, () => 16_000);
    const right = Int16Array.from({ length: 8_000 }, () => 0);
    wav.fromScratch(2, 8_000, "16", [left, right]);
    const decoded = readWav16k(wav.toBuffer());
    expect(decoded.length).toBe(16_000);
    expect(decoded[8_000]).toBeCloseTo(16_000 / 32_768 / 2, 2);
  });
});

describe("offline guard", () => {
  it("catches a download attempt instead of reaching the network", async () => {
    env.allowRemoteModels = true;
    try {
      await expect(pipeline("text-classification", "tiny/not-generated")).rejects.toThrow();
    } finally {
      env.allowRemoteModels = false;
    }
    expect(networkAttempts.some((url) => url.includes("tiny/not-generated"))).toBe(true);
    networkAttempts.length = 0;
  });
});

function onnxPair(base: string): string[] {
  return [`onnx/${base}.onnx`, `onnx/${base}_quantized.onnx`];
}

function solidImage([red, green, blue]: [number, number, number], size = 32): RawImage {
  const pixels = new Uint8ClampedArray(size * size * 3);
  for (let i = 0; i < pixels.length; i += 3) pixels.set([red, green, blue], i);
  return new RawImage(pixels, size, size, 3);
}

function sineWave(frequency: number, sampleRate: number, seconds: number): Float32Array {
  const samples = new Float32Array(Math.round(sampleRate * seconds));
  return samples.map((_, i) => 0.5 * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
}

async function offlineFetch(input: string | URL | Request): Promise<Response> {
  const url = input instanceof Request ? input.url : String(input);
  if (url.startsWith("file:")) return originalFetch(input);
  networkAttempts.push(url);
  throw new Error(`Network access in an offline test: ${url}`);
}
