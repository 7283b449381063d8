import { existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DeclarationError, didYouMean } from "../errors.js";
import type { AuthPair } from "../server/auth.js";
import { prepareFilesDir } from "../server/files.js";
import type { RunningServer, ServeOptions } from "../server/index.js";
import { serve, work } from "../server/index.js";
import { reportModelProgress } from "../server/models.js";
import { parseRootPath } from "../server/public-url.js";
import type { Space } from "../space.js";
import { VERSION } from "../space.js";
import { followSharedHost, watchAndRestart } from "./dev.js";
import { loadSpace, UsageError } from "./load.js";
import { addressLines, serverAddresses } from "./network.js";
import type { ShareChoice } from "./share.js";
import { parseShareChoice, startSharing } from "./share.js";

const help = `spacecraft ${VERSION}: build machine-learning demos and ship them as Hugging Face Spaces

Usage:
  spacecraft dev <app.ts>              serve with reload on file changes
  spacecraft start <app.ts>            serve for production
  spacecraft build --static <app.ts>   build a static Space that runs in the browser (dist/)
  spacecraft worker <app.ts> --redis <url>  run jobs from a queue shared through Redis, serving nothing
  spacecraft preview [dist]            serve a static build as the Hub would
  spacecraft deploy [dir]              create or update the Hugging Face Space of a folder
  spacecraft flags export [dir] --csv <out.csv>  flagged runs (default folder: flagged) as CSV
  spacecraft flags push <owner/dataset> [dir]    upload flagged runs to a Hub dataset (created if missing)

Options:
  --port <n>          port to listen on (default: $PORT or 7860)
  --host [addr]       address to bind (default 127.0.0.1; 0.0.0.0 inside a Space); a bare --host
                      listens on every interface and prints each Network URL with a QR code
  --share[=provider]  dev/start: also serve at a temporary public URL through a tunnel:
                      cloudflared (when on the PATH) or ngrok (when $NGROK_AUTHTOKEN is set)
  --out <dir>         build output folder (default: dist beside the app)
  --models-url <url>  static build: load models from this URL instead of the Hub
  --space <owner/name>  deploy: the Space (default: you/<folder name>)
  --sdk static|docker   deploy: override the README's sdk
  --private             deploy: create the Space private
  --token <hf_…>        deploy: a write token (default: $HF_TOKEN; never printed)
  --hub-url <url>       deploy: another Hub (default: $HF_ENDPOINT or https://huggingface.co)
  --no-wait             deploy: do not follow the Space's build
  --csv <file>          flags export: the CSV to write (cells that start like a formula get a ')
  --mcp                 dev/start: also serve the endpoints as MCP tools at /gradio_api/mcp/
  --auth <user:pass>    dev/start: require sign-in (repeat for more people; or $SPACECRAFT_AUTH,
                        comma-separated)
  --time-limit <s>      dev/start: longest run of fn in seconds (default 900; 0 for none)
  --link-ttl <hours>    dev/start: how long a Share link lives (default 168, a week; the server
                        keeps links in memory, so a restart ends them)
  --allowed-host <name> dev/start: also answer to this host name (repeatable; .example.com for a
                        domain and its subdomains)
  --allowed-origin <url> dev/start: let this origin embed and call the Space (repeatable; when given, only these)
  --redis <url>         start/dev/worker: share the queue with other processes of this app through
                        Redis, e.g. redis://127.0.0.1:6379 (default: $REDIS_URL)
  --global-concurrency <n>  with --redis: most runs of each endpoint at once over every process
  --redis-lock <s>      with --redis: how long a run may go without its process answering (dead, or
                        its event loop blocked) before the job is retried elsewhere (default 30)
  --web-only            start with --redis: serve and queue requests, leave running them to workers
  --files-dir <dir>     dev/start/worker: keep uploads and outputs in this folder, shared by every replica
                        of the Space (or $SPACECRAFT_FILES_DIR; default: a private temp folder)
  --flagging-dir <dir>  dev/start: write flags to this folder instead of the Space's flaggingDir (a
                        folder shared by replicas on several machines)
  --root-path <path>    dev/start: the path a reverse proxy serves the app under, such as /demo, or
                        a whole URL (default: $SPACECRAFT_ROOT_PATH)
  --trust-proxy <addr>  dev/start: believe X-Forwarded-Proto/-Host/-Prefix/-For from a proxy at this
                        address or subnet (repeatable or comma-separated; e.g. loopback, 10.0.0.0/8)
  -h, --help    show this help
  -v, --version show the version
`;

const cliOptions = {
  port: { type: "string" },
  host: { type: "string" },
  share: { type: "string" },
  static: { type: "boolean" },
  out: { type: "string" },
  "models-url": { type: "string" },
  space: { type: "string" },
  sdk: { type: "string" },
  private: { type: "boolean" },
  token: { type: "string" },
  "hub-url": { type: "string" },
  "no-wait": { type: "boolean" },
  csv: { type: "string" },
  mcp: { type: "boolean" },
  auth: { type: "string", multiple: true },
  "time-limit": { type: "string" },
  "link-ttl": { type: "string" },
  "allowed-host": { type: "string", multiple: true },
  "allowed-origin": { type: "string", multiple: true },
  redis: { type: "string" },
  "global-concurrency": { type: "string" },
  "redis-lock": { type: "string" },
  "web-only": { type: "boolean" },
  "files-dir": { type: "string" },
  "flagging-dir": { type: "string" },
  "root-path": { type: "string" },
  "trust-proxy": { type: "string", multiple: true },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

/** Parses the command line; an unknown or malformed option is a {@link UsageError} with a hint. */
function parseCli(argv: string[]) {
  try {
    return parseArgs({ args: withFlagDefaults(argv), allowPositionals: true, options: cliOptions });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const given = /'(-{1,2}[^'\s=]+)/.exec(message)?.[1] ?? "";
      const hint = didYouMean(given.replace(/^-+/, ""), Object.keys(cliOptions));
      throw new UsageError(
        `Unknown option "${given}".${hint ? ` Did you mean "--${hint}"?` : ""} See "spacecraft --help".`,
      );
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      throw new UsageError(`${message.replace(/\.$/, "")}. See "spacecraft --help".`);
    }
    throw error;
  }
}

const COMMANDS = ["dev", "start", "build", "preview", "deploy"];

/**
 * Gives the flags whose value is optional their default (parseArgs cannot): a bare `--host` binds
 * 0.0.0.0 and a bare `--share` picks a provider. A flag is bare when nothing follows it, or another
 * option, a command or a path does (`--host app.ts`, `--host dist`); `--share` takes only a
 * provider's name.
 */
function withFlagDefaults(argv: readonly string[]): string[] {
  const result: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (
      arg === "--host" &&
      (next === undefined || next.startsWith("-") || COMMANDS.includes(next) || isPath(next))
    ) {
      result.push("--host=0.0.0.0");
    } else if (arg === "--share" && (next === undefined || parseShareChoice(next) === undefined)) {
      result.push("--share=auto");
    } else {
      result.push(arg);
    }
  }
  return result;
}

/** Whether a word after `--host` is the command's path (an app, a build folder) rather than an address. */
function isPath(word: string): boolean {
  return /\.[cm]?[jt]sx?$/.test(word) || word.includes("/") || word.includes("\\") || existsSync(word);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseCli(argv);
  if (values.version) return void console.log(VERSION);
  const [command, app, ...extra] = positionals;
  if (values.help || !command) return void console.log(help);
  if (command === "flags") return runFlags(positionals.slice(1), values);
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}". See "spacecraft --help".`);
  const port = parsePort(values.port ?? process.env.PORT);
  const host = values.host ?? (process.env.SPACE_ID ? "0.0.0.0" : "127.0.0.1");
  if (values.share !== undefined && command !== "dev" && command !== "start") {
    throw new UsageError('--share works with "spacecraft dev" and "spacecraft start".');
  }
  if (command === "deploy") return runDeploy(app ?? ".", values);
  if (command === "preview") {
    const { preview } = await import("./preview.js");
    const { url } = await preview(app ?? "dist", port, host);
    console.log(`Spacecraft: previewing ${app ?? "dist"} at ${url}`);
    if (values.host !== undefined)
      console.log(await addressLines(serverAddresses(host, Number(new URL(url).port))));
    return;
  }
  if (!["dev", "start", "build", "worker"].includes(command)) {
    throw new UsageError(
      `Unknown command "${command}". Use "spacecraft dev app.ts", "spacecraft start app.ts", "spacecraft worker app.ts", "spacecraft build --static app.ts", "spacecraft preview" or "spacecraft deploy".`,
    );
  }
  if (!app)
    throw new UsageError(
      `Which app? Use "spacecraft ${command}${command === "build" ? " --static" : ""} app.ts".`,
    );
  if (command === "build") {
    if (!values.static) {
      throw new UsageError(
        'Only static builds exist so far: "spacecraft build --static app.ts". A server Space runs app.ts as it is.',
      );
    }
    const space = await loadSpace(app);
    const started = performance.now();
    const { buildStatic } = await import("./build.js");
    const { outDir, files, readmeUpdated } = await buildStatic(space, {
      app,
      ...(values.out ? { outDir: values.out } : {}),
      ...(values["models-url"] ? { modelsUrl: values["models-url"] } : {}),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const shown = relative(process.cwd(), outDir) || ".";
    if (readmeUpdated) {
      console.log("Spacecraft: added custom_headers (COOP/COEP) to README.md so the model can use threads.");
    }
    return void console.log(
      `Spacecraft: built a static Space in ${shown} (${files.length} files, ${seconds} s). Try it: spacecraft preview ${shown}`,
    );
  }
  const serveOptions = await serveOptionsOf(values);
  if (command === "worker") return runWorker(app, serveOptions);
  let share: ShareChoice | undefined;
  if (values.share !== undefined) {
    share = parseShareChoice(values.share);
    if (share === undefined) {
      throw new UsageError(
        `--share takes cloudflared or ngrok, not "${values.share}" (or give no value to pick one).`,
      );
    }
  }
  if (command === "dev" && !process.env.SPACECRAFT_DEV_CHILD) {
    return watchAndRestart(
      app,
      argv,
      share && { choice: share, port, host, hasAuth: serveOptions.auth !== undefined },
    );
  }
  await start(app, port, host, command === "dev", serveOptions, {
    addresses: values.host !== undefined && !process.env.SPACECRAFT_DEV_RESTARTED,
    ...(share && !process.env.SPACECRAFT_DEV_CHILD ? { share } : {}),
  });
}

/** The `serve` options the command line and environment give (sign-in, limits, hosts). */
async function serveOptionsOf(values: ReturnType<typeof parseCli>["values"]): Promise<ServeOptions> {
  const pairs = [...(values.auth ?? [])];
  const fromEnv = process.env.SPACECRAFT_AUTH;
  if (pairs.length === 0 && fromEnv) pairs.push(...fromEnv.split(","));
  let auth: AuthPair[] | undefined;
  try {
    // Sign-in code loads only for a Space that has it.
    auth = pairs.length > 0 ? (await import("../server/auth.js")).parseAuthPairs(pairs) : undefined;
  } catch (error) {
    throw new UsageError(
      `${error instanceof Error ? error.message : String(error)} Use --auth user:password.`,
    );
  }
  const limitText = values["time-limit"];
  let timeLimit: number | null | undefined;
  if (limitText !== undefined) {
    const seconds = Number(limitText);
    if (limitText.trim() === "" || !Number.isFinite(seconds) || seconds < 0) {
      throw new UsageError(`Invalid --time-limit "${limitText}": use a number of seconds, or 0 for none.`);
    }
    timeLimit = seconds === 0 ? null : seconds;
  }
  const ttlText = values["link-ttl"];
  let ttlHours: number | undefined;
  if (ttlText !== undefined) {
    ttlHours = Number(ttlText);
    if (ttlText.trim() === "" || !Number.isFinite(ttlHours) || ttlHours <= 0) {
      throw new UsageError(`Invalid --link-ttl "${ttlText}": use a number of hours above 0, such as 24.`);
    }
  }
  const redisUrl = values.redis ?? (process.env.REDIS_URL || undefined);
  if (redisUrl !== undefined && !/^rediss?:\/\/[^/\s]/.test(redisUrl)) {
    throw new UsageError(
      `Invalid --redis "${redisUrl}": give a Redis URL such as redis://127.0.0.1:6379 (rediss:// for TLS).`,
    );
  }
  const limit = values["global-concurrency"];
  if (limit !== undefined && redisUrl === undefined) {
    throw new UsageError(
      "--global-concurrency limits runs over every process sharing a Redis queue: add --redis <url>.",
    );
  }
  const globalConcurrency = limit === undefined ? undefined : Number(limit);
  if (globalConcurrency !== undefined && !(Number.isInteger(globalConcurrency) && globalConcurrency > 0)) {
    throw new UsageError(`Invalid --global-concurrency "${limit}": use a whole number above 0, such as 4.`);
  }
  const lockText = values["redis-lock"];
  const lockSeconds = lockText === undefined ? undefined : Number(lockText);
  if (lockSeconds !== undefined && !(Number.isFinite(lockSeconds) && lockSeconds >= 1)) {
    throw new UsageError(
      `Invalid --redis-lock "${lockText}": use a number of seconds, at least 1, such as 30.`,
    );
  }
  if (redisUrl === undefined && (lockText !== undefined || values["web-only"])) {
    throw new UsageError(
      `${lockText === undefined ? "--web-only" : "--redis-lock"} is for processes sharing a Redis queue: add --redis <url>.`,
    );
  }
  const filesDir = values["files-dir"] ?? (process.env.SPACECRAFT_FILES_DIR || undefined);
  if (filesDir !== undefined) {
    const source = values["files-dir"] === undefined ? "$SPACECRAFT_FILES_DIR" : "--files-dir";
    try {
      prepareFilesDir(filesDir);
    } catch (error) {
      throw new UsageError(`${source}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return {
    ...(redisUrl === undefined
      ? {}
      : {
          redis: {
            url: redisUrl,
            ...(globalConcurrency === undefined ? {} : { globalConcurrency }),
            ...(lockSeconds === undefined ? {} : { lockMs: lockSeconds * 1000 }),
            ...(values["web-only"] ? { work: false } : {}),
          },
        }),
    ...(ttlHours === undefined ? {} : { deepLinks: { ttlMs: ttlHours * 3_600_000 } }),
    ...(filesDir === undefined ? {} : { filesDir }),
    ...(values["flagging-dir"] === undefined
      ? {}
      : { flaggingDir: checkedFlaggingDir(values["flagging-dir"]) }),
    ...(values.mcp ? { mcp: true } : {}),
    ...(auth ? { auth } : {}),
    ...(timeLimit === undefined ? {} : { timeLimit }),
    ...(values["allowed-host"] ? { allowedHosts: values["allowed-host"] } : {}),
    ...(values["allowed-origin"] ? { allowedOrigins: values["allowed-origin"] } : {}),
    ...(values["root-path"] === undefined ? {} : { rootPath: checkedRootPath(values["root-path"]) }),
    ...(values["trust-proxy"] ? { trustProxy: trustedProxies(values["trust-proxy"]) } : {}),
  };
}

/** `--flagging-dir`: a folder path. */
function checkedFlaggingDir(value: string): string {
  if (value.trim() === "") throw new UsageError("--flagging-dir needs a folder, such as /data/flagged.");
  return value;
}

/** `--root-path`, checked as `serve` checks it, so a mistake reads as a usage error. */
function checkedRootPath(value: string): string {
  try {
    parseRootPath(value, "--root-path");
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return value;
}

/** `--trust-proxy` values: addresses, subnets or keywords, repeated or comma-separated. */
function trustedProxies(values: readonly string[]): string[] {
  const list = values.flatMap((value) => value.split(",")).map((entry) => entry.trim());
  const bad = list.find(
    (entry) => !/^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(entry),
  );
  if (bad !== undefined) {
    throw new UsageError(
      `Invalid --trust-proxy "${bad}": give the proxy's address or subnet (127.0.0.1, 10.0.0.0/8) or loopback, linklocal, uniquelocal.`,
    );
  }
  return list;
}

async function start(
  app: string,
  port: number,
  host: string,
  dev: boolean,
  options: ServeOptions,
  show: { addresses: boolean; share?: ShareChoice },
): Promise<void> {
  // Under `spacecraft dev` the parent holds the tunnel and says which public host name it has.
  const sharedHost = followSharedHost();
  let space: Space;
  let server: RunningServer;
  try {
    space = await loadSpace(app);
    for (const model of space.models) reportModelProgress(model);
    server = await serve(space, {
      ...options,
      port,
      host,
      dev,
      root: dirname(resolve(app)),
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        throw new UsageError(
          `Port ${port} is already in use. Stop the other server, or pass --port ${port + 1}.`,
        );
      }
      throw error;
    });
  } catch (error) {
    sharedHost?.stop();
    throw error;
  }
  sharedHost?.apply(server);
  console.log(`Spacecraft: "${space.title}" is running at ${server.url}`);
  if (show.addresses) console.log(await addressLines(serverAddresses(host, server.port)));
  let disallow: (() => void) | undefined;
  const sharing =
    show.share &&
    startSharing({
      choice: show.share,
      port: server.port,
      host,
      localUrl: server.url,
      hasAuth: options.auth !== undefined,
      onUrl: (url) => {
        disallow?.();
        disallow = url === undefined ? undefined : server.allowHost(new URL(url).hostname);
      },
    });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    sharing?.stop();
    if (!dev) console.log(`${signal}: finishing running jobs (up to 10 s), then stopping.`);
    await server.close({ timeoutMs: dev ? 1000 : 10_000 });
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  // A closed terminal (SIGHUP) stops the server cleanly too, uploads and all.
  process.on("SIGHUP", () => void stop("SIGHUP"));
}

/** `spacecraft worker app.ts --redis …`: runs the app's jobs from Redis until stopped. */
async function runWorker(app: string, options: ServeOptions): Promise<void> {
  if (!options.redis) {
    throw new UsageError(
      'A worker takes its jobs from Redis: use "spacecraft worker app.ts --redis redis://HOST:6379" (or set REDIS_URL), with the same Redis as the app\'s "spacecraft start".',
    );
  }
  const space = await loadSpace(app);
  for (const model of space.models) reportModelProgress(model);
  const worker = await work(space, {
    redis: options.redis,
    ...(options.filesDir === undefined ? {} : { filesDir: options.filesDir }),
    ...(options.timeLimit === undefined ? {} : { timeLimit: options.timeLimit }),
  });
  const { redisWhere } = await import("../server/redis.js");
  console.log(
    `Spacecraft: worker for "${space.title}" is taking jobs from Redis at ${redisWhere(options.redis.url)}`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(
      `${signal}: finishing running jobs (up to 10 s; the rest go back to the queue), then stopping.`,
    );
    await worker.close(10_000);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

async function runDeploy(
  dir: string,
  values: {
    space?: string;
    sdk?: string;
    private?: boolean;
    token?: string;
    "hub-url"?: string;
    "no-wait"?: boolean;
  },
): Promise<void> {
  const token = values.token ?? process.env.HF_TOKEN;
  if (!token) {
    throw new UsageError(
      "Set HF_TOKEN to a write token (https://huggingface.co/settings/tokens), or pass --token.",
    );
  }
  if (values.sdk !== undefined && values.sdk !== "static" && values.sdk !== "docker") {
    throw new UsageError(`--sdk must be static or docker, not "${values.sdk}".`);
  }
  const { deploy } = await import("../deploy/deploy.js");
  const hubUrl = values["hub-url"] ?? process.env.HF_ENDPOINT;
  const result = await deploy({
    dir,
    token,
    ...(values.space ? { space: values.space } : {}),
    ...(values.sdk ? { sdk: values.sdk as "static" | "docker" } : {}),
    ...(values.private ? { private: true } : {}),
    ...(hubUrl ? { hubUrl } : {}),
    wait: !values["no-wait"],
    ...(process.env.SPACECRAFT_DEPLOY_POLL_MS
      ? { pollMs: Number(process.env.SPACECRAFT_DEPLOY_POLL_MS) }
      : {}),
    modelsOf: async (app) => (await loadSpace(app)).models.map((model) => model.model),
    buildStatic: async (app, outDir) => {
      const { buildStatic } = await import("./build.js");
      await buildStatic(await loadSpace(app), { app, outDir });
    },
  });
  console.log(result.appUrl ?? result.pageUrl);
}

async function runFlags(
  words: string[],
  values: { csv?: string; token?: string; "hub-url"?: string; private?: boolean },
): Promise<void> {
  const [action, ...rest] = words;
  const { exportFlags, pushFlags } = await import("./flags.js");
  if (action === "export") {
    if (rest.length > 1) throw new UsageError(`Unexpected argument "${rest[1]}". See "spacecraft --help".`);
    if (!values.csv)
      throw new UsageError("Give the CSV to write: spacecraft flags export [dir] --csv flags.csv");
    const rows = exportFlags(rest[0] ?? "flagged", values.csv);
    return void console.log(`Wrote ${rows} flagged run${rows === 1 ? "" : "s"} to ${values.csv}.`);
  }
  if (action === "push") {
    const [dataset, dir, ...more] = rest;
    if (more.length > 0) throw new UsageError(`Unexpected argument "${more[0]}". See "spacecraft --help".`);
    if (!dataset) throw new UsageError("Name the dataset: spacecraft flags push owner/dataset [dir]");
    const token = values.token ?? process.env.HF_TOKEN;
    if (!token) {
      throw new UsageError(
        "Set HF_TOKEN to a write token (https://huggingface.co/settings/tokens), or pass --token.",
      );
    }
    const hubUrl = values["hub-url"] ?? process.env.HF_ENDPOINT;
    const { url } = await pushFlags({
      dataset,
      dir: dir ?? "flagged",
      token,
      ...(hubUrl ? { hubUrl } : {}),
      ...(values.private ? { private: true } : {}),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    return void console.log(url);
  }
  throw new UsageError(
    'Use "spacecraft flags export [dir] --csv out.csv" or "spacecraft flags push owner/dataset [dir]".',
  );
}

function parsePort(text: string | undefined): number {
  if (text === undefined || text === "") return 7860;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`Invalid port "${text}": use a whole number from 0 to 65535.`);
  }
  return port;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof DeclarationError || isDeployError(error)) {
    console.error(`Error: ${error.message}`);
  } else if (error instanceof Error && error.name === "DeclarationError") {
    console.error(`Error in the app's declaration: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});

function isDeployError(error: unknown): error is Error {
  return error instanceof Error && (error.name === "DeployError" || error.name === "FrontMatterError");
}
