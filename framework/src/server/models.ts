import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { formatBytes } from "../format.js";
import type { ModelHandle, ModelStatus } from "../models/pipeline.js";

/**
 * Points transformers.js at the Hub and the cache the way Hugging Face tools do:
 * `HF_HUB_OFFLINE=1` never downloads, `HF_ENDPOINT` replaces https://huggingface.co,
 * models are cached in `$HF_HOME/transformers.js` (default `~/.cache/huggingface`),
 * `SPACECRAFT_MODELS` names a folder of local models by id, and `HF_TOKEN` (read by
 * transformers.js itself) opens gated and private models. Ids like `./models/x` are folders.
 * Without `SPACECRAFT_MODELS`, models of `modelIds` found in the Python tools' hub cache (where a
 * Space's `preload_from_hub` puts them at build time) load from there. Returns those ids.
 */
export async function configureModels(
  environment: NodeJS.ProcessEnv = process.env,
  modelIds: readonly string[] = [],
): Promise<string[]> {
  const { env } = await import("@huggingface/transformers");
  env.allowRemoteModels = !["1", "true", "yes"].includes((environment.HF_HUB_OFFLINE ?? "").toLowerCase());
  env.remoteHost = (environment.HF_ENDPOINT ?? "https://huggingface.co").replace(/\/*$/, "/");
  const home = environment.HF_HOME ?? join(homedir(), ".cache", "huggingface");
  env.cacheDir = join(home, "transformers.js");
  // A folder laid out like the Hub (`<dir>/<owner>/<name>/config.json`) is searched first.
  if (environment.SPACECRAFT_MODELS) {
    env.localModelPath = resolve(environment.SPACECRAFT_MODELS);
    return [];
  }
  const links = join(home, "spacecraft-preloaded");
  const preloaded = linkPreloadedModels(modelIds, links, environment);
  if (preloaded.length > 0) env.localModelPath = links;
  return preloaded;
}

/**
 * The folders the Hugging Face Python tools download into, where `preload_from_hub` writes:
 * `$HF_HUB_CACHE`, `$HF_HOME/hub`, and `~/.cache/huggingface/hub` (which the Hub uses whatever
 * `HF_HOME` says).
 */
function pythonHubCaches(environment: NodeJS.ProcessEnv): string[] {
  const folders = [
    environment.HF_HUB_CACHE,
    environment.HF_HOME && join(environment.HF_HOME, "hub"),
    join(environment.HOME ?? homedir(), ".cache", "huggingface", "hub"),
  ];
  return [...new Set(folders.filter((folder): folder is string => Boolean(folder)))];
}

/**
 * The snapshot of Hub model `id` in a Python hub cache (`models--owner--name/snapshots/<sha>`,
 * the one `refs/main` names, else the only one), or undefined.
 */
export function preloadedSnapshot(
  id: string,
  environment: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (!/^[\w.-]+\/[\w.-]+$/.test(id)) return undefined;
  for (const cache of pythonHubCaches(environment)) {
    const repo = join(cache, `models--${id.replace("/", "--")}`);
    const snapshots = join(repo, "snapshots");
    if (!existsSync(snapshots)) continue;
    const ref = join(repo, "refs", "main");
    const sha = existsSync(ref) ? readFileSync(ref, "utf8").trim() : undefined;
    if (sha && /^[\w.-]+$/.test(sha) && existsSync(join(snapshots, sha))) return join(snapshots, sha);
    const all = readdirSync(snapshots);
    if (all.length === 1) return join(snapshots, all[0] as string);
  }
  return undefined;
}

/**
 * Makes `<links>/<owner>/<name>` point at each model's preloaded snapshot, the layout
 * transformers.js reads from `env.localModelPath` (files missing there still come from the Hub).
 */
function linkPreloadedModels(
  ids: readonly string[],
  links: string,
  environment: NodeJS.ProcessEnv,
): string[] {
  const linked: string[] = [];
  for (const id of new Set(ids)) {
    const snapshot = preloadedSnapshot(id, environment);
    if (!snapshot) continue;
    const link = join(links, id);
    try {
      if (readLink(link) !== snapshot) {
        rmSync(link, { recursive: true, force: true });
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(snapshot, link, "dir");
      }
      linked.push(id);
    } catch {
      // A cache folder that cannot be written: the model downloads as usual.
    }
  }
  return linked;
}

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

const BAR_WIDTH = 24;

/**
 * Shows model loading in the terminal: a redrawn bar on a TTY, a line per quarter otherwise,
 * then the time it took or what went wrong.
 */
export function reportModelProgress(
  model: ModelHandle,
  stream: NodeJS.WriteStream = process.stderr,
): () => void {
  const started = performance.now();
  let lastQuarter = -1;
  return model.onStatus((status: ModelStatus) => {
    if (status.state === "loading") {
      const fraction = status.progress ?? 0;
      const sizes = status.total ? ` ${formatBytes(status.loaded ?? 0)}/${formatBytes(status.total)}` : "";
      if (stream.isTTY) {
        const filled = Math.round(fraction * BAR_WIDTH);
        const bar = `${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}`;
        stream.write(`\r${model.model} ${bar} ${Math.round(fraction * 100)}%${sizes}\x1b[K`);
      } else if (Math.floor(fraction * 4) > lastQuarter) {
        lastQuarter = Math.floor(fraction * 4);
        stream.write(`Loading ${model.model}: ${Math.round(fraction * 100)}%${sizes}\n`);
      }
    } else if (status.state === "ready") {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      stream.write(
        `${stream.isTTY ? "\r\x1b[K" : ""}Model ${model.model} (${model.task}) ready in ${seconds} s\n`,
      );
    } else if (status.state === "error") {
      stream.write(
        `${stream.isTTY ? "\r\x1b[K" : ""}Model ${model.model} failed to load: ${status.message}\n`,
      );
    }
  });
}
