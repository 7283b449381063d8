import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { stringify } from "yaml";
import { preloadList } from "../space-card.js";
import { listSpaceFiles } from "./files.js";
import type { ReadmeFrontMatter } from "./front-matter.js";
import { readSpaceReadme } from "./front-matter.js";

/** Options of {@link deploy}. */
export interface DeployOptions {
  /** The Space folder (with README.md and app.ts). */
  dir: string;
  /** `owner/name`; default: your user name and the folder name. */
  space?: string;
  /** Overrides the README's `sdk`. */
  sdk?: "static" | "docker";
  private?: boolean;
  /** A write token (`hf_…`); never printed or written anywhere. */
  token: string;
  /** Another Hub (default https://huggingface.co). */
  hubUrl?: string;
  /** Builds the static page into `<dir>/dist` (the CLI passes `spacecraft build --static`). */
  buildStatic?: (app: string, outDir: string) => Promise<void>;
  /**
   * The Hub ids of the models `app.ts` declares (the CLI loads the app): a Docker Space's README
   * gets them in `models` and `preload_from_hub`, so its image holds them.
   */
  modelsOf?: (app: string) => Promise<string[]>;
  /** Follow the Space's build until it runs or fails (default true). */
  wait?: boolean;
  /** Between two looks at the build status, in ms (default 5000). */
  pollMs?: number;
  /** Give up following the build after this long, in ms (default 15 minutes). */
  waitTimeoutMs?: number;
  /** Where progress goes (default: stderr). */
  log?: (line: string) => void;
}

/** What a deploy produced. */
export interface DeployResult {
  space: string;
  /** The Space's page on the Hub. */
  pageUrl: string;
  /** The app itself, from the API's `subdomain`. */
  appUrl?: string;
  created: boolean;
  files: string[];
  /** The last build stage seen (`RUNNING`, `BUILD_ERROR`, …). */
  stage?: string;
}

/** A deploy that cannot go on; the message says what happened and what to do. */
export class DeployError extends Error {
  override name = "DeployError";
}

const STATIC_APP_FILE = "dist/index.html";

/**
 * Creates or updates a Hugging Face Space from a folder: checks the README locally, creates the
 * repo (or updates it), uploads an explicit file list, prints the URLs and follows the build.
 */
export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = resolve(options.dir);
  const hubUrl = (options.hubUrl ?? "https://huggingface.co").replace(/\/+$/, "");
  const readmePath = join(dir, "README.md");
  let readmeText: string;
  try {
    readmeText = readFileSync(readmePath, "utf8");
  } catch {
    throw new DeployError(`No README.md in ${dir}. A Space needs one with front matter (title, sdk, …).`);
  }
  const readme = readSpaceReadme(readmeText);
  const sdk = options.sdk ?? (readme.frontMatter.sdk as "static" | "docker");
  if (sdk !== "static" && sdk !== "docker") {
    throw new DeployError(
      `Spacecraft deploys sdk static or docker, not "${sdk}". Pass --sdk static or --sdk docker.`,
    );
  }
  let frontMatter = withSdk(readme.frontMatter, sdk);
  if (sdk === "docker") frontMatter = withModels(frontMatter, await declaredModels(dir, options, log));
  const hub = await import("@huggingface/hub");
  const credentials = { accessToken: options.token, hubUrl };
  const me = await writerOf(hub, credentials);
  const name = options.space ?? `${me.name}/${spaceName(basename(dir))}`;
  if (!/^[\w.-]+\/[\w.-]+$/.test(name))
    throw new DeployError(`--space must look like owner/name, not "${name}".`);
  const repo = { type: "space" as const, name };

  let created = true;
  try {
    await hub.createRepo({
      repo,
      sdk,
      ...(options.private ? { private: true } : {}),
      ...(typeof frontMatter.license === "string" ? { license: frontMatter.license } : {}),
      ...credentials,
    });
    log(`Created the Space ${name}.`);
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 409) {
      created = false;
      log(`The Space ${name} exists: updating it.`);
    } else if (status === 402) {
      throw new DeployError(
        `Creating a ${sdk} Space needs a paid Hugging Face plan (HTTP 402: payment required). ` +
          "Static Spaces are free: run again with --sdk static, and the demo runs in the visitor's browser.",
      );
    } else {
      throw explainHubError(error, `create the Space ${name}`);
    }
  }

  const uploads = await prepareUploads(dir, sdk, frontMatter, readme.body, options, log);
  await uploadWithProgress(hub, repo, uploads, credentials, "Deploy with Spacecraft", log);

  const pageUrl = `${hubUrl}/spaces/${name}`;
  const info = await hub
    .spaceInfo({ name, additionalFields: ["subdomain", "runtime"], ...credentials })
    .catch(() => undefined);
  const subdomain = (info as { subdomain?: string } | undefined)?.subdomain;
  const appUrl = subdomain ? `https://${subdomain}.hf.space` : undefined;
  log(`Space: ${pageUrl}`);
  if (appUrl) log(`App:   ${appUrl}`);
  const result: DeployResult = {
    space: name,
    pageUrl,
    created,
    files: uploads.map((u) => u.path),
    ...(appUrl ? { appUrl } : {}),
  };
  if (options.wait === false) return result;
  const stage = await followBuild(hub, name, credentials, options, log);
  if (stage.endsWith("_ERROR")) {
    throw new DeployError(
      `The Space failed with ${stage}. See the logs at ${pageUrl}?logs=${stage === "BUILD_ERROR" ? "build" : "container"}.`,
    );
  }
  return { ...result, stage };
}

/** A file to upload: its path in the repo, and a file URL or the bytes. */
export interface Upload {
  path: string;
  content: URL | Blob;
}

/**
 * Who a write token belongs to: refuses what is not a Hugging Face token before asking the Hub,
 * and a read-only token after.
 */
export async function writerOf(
  hub: typeof import("@huggingface/hub"),
  credentials: { accessToken: string; hubUrl: string },
): Promise<{ name: string }> {
  if (!credentials.accessToken.startsWith("hf_")) {
    throw new DeployError(
      "That is not a Hugging Face token (they start with hf_). Create one at https://huggingface.co/settings/tokens.",
    );
  }
  const me = await hub.whoAmI(credentials).catch((error: unknown) => {
    throw explainHubError(error, "check your token");
  });
  if (me.auth.accessToken?.role === "read") {
    throw new DeployError(
      `The token "${me.auth.accessToken.displayName}" can only read. Create a token with write access at https://huggingface.co/settings/tokens and set HF_TOKEN.`,
    );
  }
  return me;
}

/** Uploads files in one commit, logging each phase and each file done as `[n/total] path`. */
export async function uploadWithProgress(
  hub: typeof import("@huggingface/hub"),
  repo: { type: "space" | "dataset"; name: string },
  uploads: readonly Upload[],
  credentials: { accessToken: string; hubUrl: string },
  commitTitle: string,
  log: (line: string) => void,
): Promise<void> {
  log(`Uploading ${uploads.length} files…`);
  let committed = 0;
  try {
    for await (const event of hub.uploadFilesWithProgress({
      repo,
      files: uploads.map(({ path, content }) => ({ path, content })),
      commitTitle,
      ...credentials,
    })) {
      if (event.event === "phase") log(`  ${event.phase}…`);
      else if (event.event === "fileProgress" && event.progress === 1 && event.state === "uploading") {
        committed++;
        log(`  [${committed}/${uploads.length}] ${event.path}`);
      }
    }
  } catch (error) {
    throw explainHubError(error, `upload to ${repo.name}`);
  }
}

async function prepareUploads(
  dir: string,
  sdk: "static" | "docker",
  frontMatter: ReadmeFrontMatter,
  body: string,
  options: DeployOptions,
  log: (line: string) => void,
): Promise<Upload[]> {
  const readme = new Blob([`---\n${stringify(frontMatter)}---\n${body}`]);
  if (sdk === "static") {
    if (!options.buildStatic) throw new DeployError("A static deploy needs a build step.");
    log("Building the static page…");
    await options.buildStatic(join(dir, "app.ts"), join(dir, "dist"));
    const dist = listSpaceFiles(join(dir, "dist")).map((path) => `dist/${path}`);
    return [
      { path: "README.md", content: readme },
      ...dist.map((path) => ({ path, content: pathToFileURL(join(dir, path)) })),
    ];
  }
  const files = listSpaceFiles(dir, ["dist/"]).filter((path) => path !== "README.md");
  return [
    { path: "README.md", content: readme },
    ...files.map((path) => ({ path, content: pathToFileURL(join(dir, path)) })),
  ];
}

/** Front matter with `sdk` set and the keys that go with it. */
function withSdk(frontMatter: ReadmeFrontMatter, sdk: "static" | "docker"): ReadmeFrontMatter {
  const next: ReadmeFrontMatter = { ...frontMatter, sdk };
  if (sdk === "static") {
    delete next.app_port;
    next.app_file ??= STATIC_APP_FILE;
  } else {
    delete next.app_file;
    next.app_port ??= 7860;
  }
  return next;
}

/** The Hub models app.ts declares; none (and a note) when it cannot be loaded here. */
async function declaredModels(dir: string, options: DeployOptions, log: (line: string) => void) {
  const app = join(dir, "app.ts");
  if (!options.modelsOf || !existsSync(app)) return [];
  try {
    // Folders given as model ids (`./models/x`, `models/x`) are shipped with the app, not preloaded.
    return (await options.modelsOf(app)).filter((id) => !existsSync(join(dir, id)));
  } catch (error) {
    log(
      `Could not load app.ts to list its models (${error instanceof Error ? error.message : String(error)}); preloading only the README's models.`,
    );
    return [];
  }
}

/** A Docker Space's front matter with the app's models in `models`, and all its models in `preload_from_hub`. */
function withModels(frontMatter: ReadmeFrontMatter, declared: readonly string[]): ReadmeFrontMatter {
  const listed = (key: string) => (Array.isArray(frontMatter[key]) ? (frontMatter[key] as string[]) : []);
  const models = [
    ...new Set([...listed("models"), ...declared.filter((id) => /^[\w.-]+\/[\w.-]+$/.test(id))]),
  ];
  const preload = preloadList(models, listed("preload_from_hub"));
  return {
    ...frontMatter,
    ...(models.length > 0 ? { models } : {}),
    ...(preload.length > 0 ? { preload_from_hub: preload } : {}),
  };
}

async function followBuild(
  hub: typeof import("@huggingface/hub"),
  name: string,
  credentials: { accessToken: string; hubUrl: string },
  options: DeployOptions,
  log: (line: string) => void,
): Promise<string> {
  const deadline = Date.now() + (options.waitTimeoutMs ?? 15 * 60_000);
  let last = "";
  for (;;) {
    const info = (await hub
      .spaceInfo({ name, additionalFields: ["runtime"], ...credentials })
      .catch(() => undefined)) as { runtime?: { stage?: string } } | undefined;
    const stage = info?.runtime?.stage ?? "UNKNOWN";
    if (stage !== last) log(`Build status: ${stage}`);
    last = stage;
    if (stage === "RUNNING" || stage.endsWith("_ERROR")) return stage;
    if (Date.now() > deadline) {
      log("Still building; check the Space page for progress.");
      return stage;
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 5000));
  }
}

/** A Space name from a folder name: letters, digits, `-`, `_`, `.`; no leading or trailing punctuation. */
export function spaceName(folder: string): string {
  const name = folder
    .replace(/[^\w.-]+/g, "-")
    .replace(/[-.]{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 96);
  return name || "space";
}

/** A Hub failure as a {@link DeployError} that says what to do (token, rights, network). */
export function explainHubError(error: unknown, doing: string): DeployError {
  const status = (error as { statusCode?: number }).statusCode;
  const message = error instanceof Error ? error.message : String(error);
  if (status === 401) {
    return new DeployError(
      `The Hub refused the token (HTTP 401) when trying to ${doing}. Check HF_TOKEN or --token.`,
    );
  }
  if (status === 403) {
    return new DeployError(
      `The token may not ${doing} (HTTP 403). Use a token with write access to that namespace (https://huggingface.co/settings/tokens).`,
    );
  }
  if (/fetch failed|ENOTFOUND|ECONNREFUSED/.test(message)) {
    return new DeployError(`Cannot reach the Hub to ${doing}. Check the network (or --hub-url).`);
  }
  return new DeployError(`Could not ${doing}: ${message}`);
}
