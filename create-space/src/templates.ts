import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SpaceColor } from "spacecraft/space-card";
import { UsageError } from "./errors.js";

/** A popular small model offered for a template's task, with what a chooser wants to know. */
export interface ModelChoice {
  id: string;
  /** Millions of parameters (for a size estimate before the Hub is asked). */
  millionParams: number;
  /** The licence on its model card. */
  license: string;
  /** What it is good for, in a few words. */
  note: string;
}

/** What create-space knows of a template beyond its folder: how to offer it and its defaults. */
export interface TemplateInfo {
  name: string;
  /** The choice as the "what to build" list shows it. */
  label: string;
  hint: string;
  emoji: string;
  colorFrom: SpaceColor;
  colorTo: SpaceColor;
  /** For `short_description` (≤ 60 characters). */
  shortDescription: string;
  /** The app's description when another model replaces the template's own. */
  genericDescription: string;
  /** Models to offer, the template's own first; empty for a template without a model. */
  models: readonly ModelChoice[];
}

/** The templates in the order they are offered. `templates/<name>/` holds each one's files. */
export const TEMPLATES: readonly TemplateInfo[] = [
  {
    name: "hello",
    label: "Hello (no model)",
    hint: "text in, text out: the smallest Space, to start from scratch",
    emoji: "👋",
    colorFrom: "indigo",
    colorTo: "pink",
    shortDescription: "A first Spacecraft demo",
    genericDescription: "",
    models: [],
  },
  {
    name: "sentiment",
    label: "Text classification (sentiment)",
    hint: "is a sentence positive or negative?",
    emoji: "😊",
    colorFrom: "green",
    colorTo: "blue",
    shortDescription: "Sentiment of a sentence, with transformers.js",
    genericDescription: "Type a sentence and the model sorts it into its classes.",
    models: [
      {
        id: "Xenova/distilbert-base-uncased-finetuned-sst-2-english",
        millionParams: 67,
        license: "apache-2.0",
        note: "English, positive or negative",
      },
      {
        id: "Xenova/bert-base-multilingual-uncased-sentiment",
        millionParams: 167,
        license: "mit",
        note: "6 languages, 1 to 5 stars",
      },
      { id: "Xenova/toxic-bert", millionParams: 110, license: "apache-2.0", note: "English, toxic or not" },
    ],
  },
  {
    name: "text-generation",
    label: "Text generation (small language model)",
    hint: "continues a prompt, streaming token by token",
    emoji: "✍️",
    colorFrom: "purple",
    colorTo: "blue",
    shortDescription: "A small language model that streams its text",
    genericDescription: "Start a story and watch the model continue it, token by token.",
    models: [
      {
        id: "onnx-community/Qwen2.5-0.5B-Instruct",
        millionParams: 494,
        license: "apache-2.0",
        note: "multilingual chat model",
      },
      {
        id: "HuggingFaceTB/SmolLM2-135M-Instruct",
        millionParams: 135,
        license: "apache-2.0",
        note: "tiny English model",
      },
      {
        id: "HuggingFaceTB/SmolLM2-360M-Instruct",
        millionParams: 362,
        license: "apache-2.0",
        note: "small English model",
      },
      {
        id: "onnx-community/Llama-3.2-1B-Instruct",
        millionParams: 1236,
        license: "llama3.2",
        note: "Meta's licence terms apply",
      },
    ],
  },
  {
    name: "chatbot",
    label: "Chatbot (small chat model)",
    hint: "a conversation with a chat model, its replies streamed",
    emoji: "💬",
    colorFrom: "blue",
    colorTo: "indigo",
    shortDescription: "Chat with a small language model",
    genericDescription: "Chat with the model: its reply streams in as it writes.",
    models: [
      {
        id: "HuggingFaceTB/SmolLM2-135M-Instruct",
        millionParams: 135,
        license: "apache-2.0",
        note: "tiny English chat model, the fastest",
      },
      {
        id: "HuggingFaceTB/SmolLM2-360M-Instruct",
        millionParams: 362,
        license: "apache-2.0",
        note: "small English chat model",
      },
      {
        id: "onnx-community/Qwen2.5-0.5B-Instruct",
        millionParams: 494,
        license: "apache-2.0",
        note: "multilingual, the best answers of the three",
      },
    ],
  },
  {
    name: "image-classification",
    label: "Image classification",
    hint: "upload a picture, get what it shows",
    emoji: "🖼️",
    colorFrom: "yellow",
    colorTo: "red",
    shortDescription: "Name what a picture shows, with transformers.js",
    genericDescription: "Upload, drop or paste a picture: the model names what it sees.",
    models: [
      {
        id: "Xenova/vit-base-patch16-224",
        millionParams: 86,
        license: "apache-2.0",
        note: "ImageNet, 1000 classes",
      },
      { id: "Xenova/resnet-50", millionParams: 26, license: "apache-2.0", note: "ImageNet, small and fast" },
      {
        id: "Xenova/convnext-tiny-224",
        millionParams: 29,
        license: "apache-2.0",
        note: "ImageNet, small and accurate",
      },
    ],
  },
  {
    name: "speech-recognition",
    label: "Speech recognition",
    hint: "record or upload speech, get the transcript",
    emoji: "🎙️",
    colorFrom: "pink",
    colorTo: "purple",
    shortDescription: "Speech to text with Whisper and transformers.js",
    genericDescription: "Record or upload speech: the model writes down what it hears.",
    models: [
      { id: "onnx-community/whisper-base", millionParams: 74, license: "apache-2.0", note: "99 languages" },
      {
        id: "onnx-community/whisper-tiny.en",
        millionParams: 39,
        license: "apache-2.0",
        note: "English only, fastest",
      },
      {
        id: "onnx-community/whisper-small",
        millionParams: 244,
        license: "apache-2.0",
        note: "99 languages, more accurate",
      },
    ],
  },
  {
    name: "chat-inference",
    label: "Chatbot with a big model (Inference Providers)",
    hint: "a large chat model run by Hugging Face Inference Providers, billed to your HF_TOKEN",
    emoji: "🦾",
    colorFrom: "indigo",
    colorTo: "purple",
    shortDescription: "Chat with a big model through Inference Providers",
    genericDescription: "Chat with the model, run by Hugging Face Inference Providers: its reply streams in.",
    models: [
      {
        id: "openai/gpt-oss-20b",
        millionParams: 21_000,
        license: "apache-2.0",
        note: "served by many providers",
      },
    ],
  },
  {
    name: "text-to-image",
    label: "Text to image with a big model (Inference Providers)",
    hint: "describe a picture, a diffusion model run by Inference Providers draws it",
    emoji: "🎨",
    colorFrom: "yellow",
    colorTo: "pink",
    shortDescription: "Draw a picture from a prompt through Inference Providers",
    genericDescription: "Describe a picture: the model, run by Hugging Face Inference Providers, draws it.",
    models: [
      {
        id: "black-forest-labs/FLUX.1-schnell",
        millionParams: 12_000,
        license: "apache-2.0",
        note: "fast, four steps",
      },
    ],
  },
  {
    name: "custom-component",
    label: "Your own component (no model)",
    hint: "a star rating made in one file: components/star-rating.ts",
    emoji: "⭐",
    colorFrom: "yellow",
    colorTo: "red",
    shortDescription: "A demo with its own component",
    genericDescription: "",
    models: [],
  },
];

/** The names accepted by `--template`. */
export const TEMPLATE_NAMES = TEMPLATES.map((template) => template.name);

/**
 * The model a template's app.ts declares with `sc.pipeline(task, model, options)`, or with
 * `sc.inference(task, model, options)` (`remote`: Inference Providers run it with the Space's
 * HF_TOKEN, so it needs a server and has nothing to download).
 */
export interface TemplateModel {
  task: string;
  id: string;
  /** The dtype the app asks for, if any (`q4`, …). */
  dtype?: string;
  /** Run by Inference Providers (`sc.inference`), not transformers.js. */
  remote?: boolean;
}

const PIPELINE = /sc\.(pipeline|inference)\(\s*"([^"]+)",\s*"([^"]+)"(\s*,\s*\{[^}]*\})?/;

/** Reads the model a template's app.ts declares (undefined for a template without one). */
export function readTemplateModel(appSource: string): TemplateModel | undefined {
  const match = PIPELINE.exec(appSource);
  if (!match) return undefined;
  const dtype = /dtype:\s*"(\w+)"/.exec(match[4] ?? "")?.[1];
  return {
    task: match[2] as string,
    id: match[3] as string,
    ...(dtype ? { dtype } : {}),
    ...(match[1] === "inference" ? { remote: true } : {}),
  };
}

/** Changes in a template's app.ts for the chosen model and title. */
export interface AppEdits {
  model?: string;
  title?: string;
  /** The description to use with another model. */
  description?: string;
}

/** The template's app.ts with another model id, title and description; the rest as it is. */
export function editApp(appSource: string, edits: AppEdits): string {
  let source = appSource;
  if (edits.model) {
    const model = edits.model;
    source = source.replace(PIPELINE, (whole, _kind: string, _task: string, id: string) =>
      whole.replace(JSON.stringify(id), JSON.stringify(model)),
    );
  }
  if (edits.title !== undefined) {
    const title = JSON.stringify(edits.title);
    source = source.replace(/^(\s*title:\s*)"(?:[^"\\]|\\.)*"/m, (_whole, head: string) => `${head}${title}`);
  }
  if (edits.description !== undefined) {
    const description = JSON.stringify(edits.description);
    source = source.replace(
      /^(\s*description:)\s*"(?:[^"\\]|\\.)*"/m,
      (_whole, head: string) => `${head} ${description}`,
    );
  }
  return source;
}

const packageRoot = fileURLToPath(new URL("../", import.meta.url));

/**
 * The folder holding `templates/<name>/`: bundled into the package at `npm pack` time
 * (`scripts/bundle.mjs`), or the monorepo's own `templates/` beside create-space.
 */
export function templatesRoot(root: string = packageRoot): string {
  const candidates = [join(root, "templates"), join(root, "..", "templates")];
  const found = candidates.find((dir) => existsSync(join(dir, "hello", "app.ts")));
  if (!found) {
    throw new Error(
      `create-space can't find its templates (looked in ${candidates.join(" and ")}). Reinstall create-space.`,
    );
  }
  return found;
}

/** create-space's own files (`files/common`, `files/docker`), with dotfiles stored as `_name`. */
export function filesRoot(root: string = packageRoot): string {
  return join(root, "files");
}

/** The package root of create-space (where package.json is). */
export function createSpaceRoot(): string {
  return packageRoot;
}

/** create-space's version, from its package.json. */
export function createSpaceVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string }).version;
}

/** A template by name, or an error that lists the valid names. */
export function findTemplate(name: string): TemplateInfo {
  const template = TEMPLATES.find((candidate) => candidate.name === name);
  if (!template) {
    const close = TEMPLATE_NAMES.find((candidate) => candidate.startsWith(name.slice(0, 3).toLowerCase()));
    throw new UsageError(
      `--template: "${name}" is not a template.${close ? ` Did you mean "${close}"?` : ""} Use one of: ${TEMPLATE_NAMES.join(", ")}.`,
    );
  }
  return template;
}
