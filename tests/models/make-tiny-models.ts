import { existsSync, realpathSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { distilbertModel } from "./specs/distilbert.js";
import { gpt2Model } from "./specs/gpt2.js";
import type { ModelFiles, TinyModelSpec } from "./specs/model-files.js";
import { jsonFile } from "./specs/model-files.js";
import { sentimentModel } from "./specs/sentiment.js";
import { vitColorsModel } from "./specs/vit-colors.js";
import { whisperModel } from "./specs/whisper.js";

export { GPT2_CHAT_TEMPLATE, GPT2_STORY } from "./specs/gpt2.js";
export { WHISPER_TRANSCRIPT } from "./specs/whisper.js";

/** Bump whenever generated files change, so existing model directories are rebuilt. */
export const GENERATOR_VERSION = 4;

/** Every tiny model, in the order they are written. */
export const TINY_MODELS: readonly TinyModelSpec[] = [
  sentimentModel,
  distilbertModel,
  vitColorsModel,
  gpt2Model,
  whisperModel,
];

/** The CLI's output directory when none is given: `tests/models/.generated/`. */
export const DEFAULT_OUT_DIR = fileURLToPath(new URL("./.generated/", import.meta.url));

const STAMP_FILE = ".tiny-model.json";

interface Stamp {
  generator: number;
  files: string[];
}

/**
 * Writes every tiny model under `outDir` in the transformers.js layout and returns model id → absolute
 * directory. A model whose stamp shows this generator version and whose files all exist is left alone.
 * @example
 * const dirs = await makeTinyModels("/tmp/models"); // { "tiny/sentiment": "/tmp/models/tiny/sentiment", … }
 * env.localModelPath = "/tmp/models";
 */
export async function makeTinyModels(outDir: string): Promise<Record<string, string>> {
  const root = resolve(outDir);
  const dirs: Record<string, string> = {};
  for (const model of TINY_MODELS) {
    const dir = join(root, model.name);
    if (!(await isUpToDate(dir))) await writeModel(dir, model.build());
    dirs[model.name] = dir;
  }
  return dirs;
}

async function isUpToDate(dir: string): Promise<boolean> {
  const stamp = await readStamp(join(dir, STAMP_FILE));
  return stamp?.generator === GENERATOR_VERSION && stamp.files.every((file) => existsSync(join(dir, file)));
}

async function readStamp(path: string): Promise<Stamp | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, "utf8"));
    return isStamp(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isStamp(value: unknown): value is Stamp {
  const candidate = value as Partial<Stamp> | null;
  return typeof candidate?.generator === "number" && Array.isArray(candidate.files);
}

// The stamp goes last, so an interrupted run is redone next time.
async function writeModel(dir: string, files: ModelFiles): Promise<void> {
  for (const [file, contents] of Object.entries(files)) {
    await writeFileAtomically(join(dir, file), contents);
  }
  const stamp: Stamp = { generator: GENERATOR_VERSION, files: Object.keys(files) };
  await writeFileAtomically(join(dir, STAMP_FILE), jsonFile(stamp));
}

// Two test workers may generate into the same directory at once; a rename never shows a half-written file.
async function writeFileAtomically(path: string, contents: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

function isMainModule(): boolean {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === fileURLToPath(import.meta.url);
}

async function main(): Promise<void> {
  const dirs = await makeTinyModels(process.argv[2] ?? DEFAULT_OUT_DIR);
  for (const [name, dir] of Object.entries(dirs)) console.log(`${name.padEnd(16)} ${dir}`);
}

if (isMainModule()) await main();
