import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import type { ServerOptions } from "node:http";
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { isIP } from "node:net";
import { resolve as resolvePath, sep } from "node:path";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import express from "express";
import helmet from "helmet";
import { WebSocket, WebSocketServer } from "ws";
import { customElementsOf } from "../components/custom.js";
import { FILE_ROUTE } from "../components/file-shape.js";
import type { Caller } from "../context.js";
import type { JobInfo, Runner } from "../engine/engine.js";
import { Engine, ownerOf } from "../engine/engine.js";
import { DeclarationError, didYouMean } from "../errors.js";
import type { ModelInfo, ServerMessage } from "../protocol.js";
import type { Space } from "../space.js";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../space.js";
import type { AuthOption } from "./auth.js";
import { earlyInputSource } from "./early-input.js";
import { embeddingDisabled, embedPolicy, spaceIdFrom } from "./embedding.js";
import { storeExampleFiles } from "./examples.js";
import { fileHandler, NodeFileStore, uploadHandler } from "./files.js";
import { readModelInfo } from "./model-info.js";
import { configureModels } from "./models.js";
import type { HfOAuth } from "./oauth.js";
import { hfOAuthFromEnv } from "./oauth.js";
import { openAiErrorShape } from "./openai-error.js";
import type { HeadSources } from "./page.js";
import { elementChunks, headSources, pageHandler } from "./page.js";
import type { RootPath } from "./public-url.js";
import { forwardedPrefix, parseRootPath, publicHost, setPublicUrlRules } from "./public-url.js";
import type { RedisOptions } from "./redis.js";
import type { DeepLinkOptions } from "./snapshots.js";
import { socketHooks } from "./socket.js";

export type { AuthOption, AuthPair } from "./auth.js";
export { type HfOAuth, type HfOAuthOptions, hfOAuth, hfOAuthFromEnv } from "./oauth.js";
export type { DeepLinkOptions } from "./snapshots.js";

/** Options of {@link serve}. */
export interface ServeOptions {
  /** Port to listen on; 0 picks a free one (default 7860). */
  port?: number;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Development mode: the page reloads when the server restarts, errors show their message. */
  dev?: boolean;
  /** Largest WebSocket message accepted, in bytes (default 1 MiB). */
  maxMessageBytes?: number;
  /** Folder of the built page (default: the one shipped in this package). */
  uiDir?: string;
  /** Where errors are logged: failures in `fn`, refused requests (default `console.error`). */
  logError?: (message: string, error: unknown) => void;
  /** Largest upload accepted, in bytes (default 50 MB). */
  maxUploadBytes?: number;
  /** Folder that example file paths are relative to (default: the working directory). */
  root?: string;
  /** Serve the public endpoints as MCP tools at `/gradio_api/mcp/` (default: the Space's `mcp`). */
  mcp?: boolean;
  /**
   * Longest run of `fn` in seconds for endpoints that set no `timeLimit` (default 900; `null`
   * for none): past it the caller gets an error, `ctx.signal` aborts and the slot is freed.
   */
  timeLimit?: number | null;
  /**
   * More host names this server answers to (requests for other hosts get 403, against DNS
   * rebinding). Always allowed: IP addresses, `localhost`, and on a Space its `SPACE_HOST`.
   * `.example.com` allows the domain and its subdomains.
   */
  allowedHosts?: readonly string[];
  /**
   * Origins (e.g. `https://my-site.example`) whose pages may embed this Space in a frame and call
   * it cross-origin, WebSocket and cookies included. When given, they are the only other sites
   * that may; without it a public Space (no sign-in, bound to a non-loopback address) lets any
   * site embed and call it, without credentials.
   */
  allowedOrigins?: readonly string[];
  /**
   * Password sign-in: `[user, pass]` pairs or a `(user, pass) => boolean | Promise<boolean>` check.
   * Everything (page, config, WebSocket, API, MCP, files) then needs a session from `/login`.
   */
  auth?: AuthOption;
  /**
   * Sign in with Hugging Face (`LoginButton`, `ctx.user`, `ctx.oauthToken`): by default on when
   * the variables of a Space with `hf_oauth: true` are set (see `hfOAuthFromEnv`); `false` turns it
   * off; or give your own `hfOAuth({ … })` (serve closes it).
   */
  oauth?: HfOAuth | false;
  /**
   * Shared links (the page's Share button): how long they live and how many the server keeps
   * (default 7 days, 1000 links, 1 GB, 20 MB each); `false` turns them off.
   */
  deepLinks?: DeepLinkOptions | false;
  /**
   * Share the queue with other processes of this app through Redis (`--redis`, `REDIS_URL`):
   * every request becomes a BullMQ job that any of them may run, and this one runs jobs too.
   * Without it the queue lives in this process.
   */
  redis?: RedisOptions;
  /**
   * A folder for uploads and outputs that several server processes share (a shared volume), so
   * a file uploaded to one replica can be used and fetched on another. Created if missing; its
   * files stay when this server closes. Default: a private temp folder, deleted on close.
   */
  filesDir?: string;
  /**
   * The path a reverse proxy serves the app under, such as `/demo` (default
   * `$SPACECRAFT_ROOT_PATH`, else the root), or a whole URL (`https://example.com/demo`) that fixes
   * the scheme and host too. File URLs, the OAuth callback and sign-in redirects carry it; requests
   * are answered with or without it in front (a proxy may strip it or not).
   */
  rootPath?: string;
  /**
   * Believe `X-Forwarded-Proto`, `-Host`, `-Prefix` and `-For` from the proxy in front: `true` for
   * the one proxy whatever its address, or the addresses and subnets it connects from
   * (`["loopback"]`, `["10.0.0.0/8"]`). Default: only on a Hugging Face Space, its proxy.
   */
  trustProxy?: boolean | readonly string[];
  /**
   * Where flagged runs are written instead of the Space's `flaggingDir` (relative to the working
   * folder, `--flagging-dir`): with replicas on several machines, a folder they all share.
   */
  flaggingDir?: string;
}

/** The names {@link serve} takes, to refuse a typo rather than ignore it. */
const SERVE_OPTIONS = [
  "port",
  "host",
  "dev",
  "maxMessageBytes",
  "uiDir",
  "logError",
  "maxUploadBytes",
  "root",
  "mcp",
  "timeLimit",
  "allowedHosts",
  "allowedOrigins",
  "auth",
  "oauth",
  "deepLinks",
  "redis",
  "filesDir",
  "rootPath",
  "trustProxy",
  "flaggingDir",
];

/** A running server. */
export interface RunningServer {
  /** The base URL, e.g. `http://127.0.0.1:7860`. */
  readonly url: string;
  readonly port: number;
  /** Runs its jobs: the in-process engine, or the queue shared through Redis. */
  readonly engine: Runner;
  /**
   * Also answers to this exact host name from now on (a tunnel's public name, e.g.
   * `abc-def.trycloudflare.com`); returns a function that takes it back.
   */
  allowHost(name: string): () => void;
  /**
   * Stops taking work, lets running jobs finish for up to `timeoutMs` (default 10 s), cancels
   * the rest, and closes every connection.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

const defaultUiDir = fileURLToPath(new URL("../../ui/", import.meta.url));

/** Most bytes waiting to go to a WebSocket client that does not read; past it, it is cut off. */
const MAX_UNSENT_BYTES = 16 * 1024 * 1024;

/** How long a page's files and session outlive its WebSocket, for a reconnect (ms). */
const RECONNECT_GRACE_MS = 30_000;

/**
 * Serves a Space: the page, `GET /config`, and the WebSocket protocol at `/ws`.
 * @example
 * const server = await serve(space, { port: 0 })
 * console.log(server.url)
 */
export async function serve(space: Space, options: ServeOptions = {}): Promise<RunningServer> {
  checkServeOptions(options);
  if (options.flaggingDir !== undefined && (typeof options.flaggingDir !== "string" || !space.flagging)) {
    throw new DeclarationError(
      typeof options.flaggingDir !== "string"
        ? "serve: flaggingDir must be a folder path, e.g. /data/flagged."
        : 'serve: flaggingDir (--flagging-dir) is for a Space that flags runs: set flagging: "manual" or "auto" in its Interface, or leave the option out.',
    );
  }
  if (options.deepLinks) (await import("./snapshots.js")).checkDeepLinkOptions(options.deepLinks);
  const root = options.root ?? process.cwd();
  const rootPath =
    options.rootPath !== undefined
      ? parseRootPath(options.rootPath, "serve: rootPath")
      : parseRootPath(process.env.SPACECRAFT_ROOT_PATH ?? "", "SPACECRAFT_ROOT_PATH");
  // Read first: a README whose front matter does not parse stops the server before it holds anything.
  const disableEmbedding = await embeddingDisabled(root);
  // A Space's own components: their elements checked and bundled before the server holds anything.
  const customSources = customElementsOf(space.parts.components.map((component) => component.type));
  const customChunks =
    customSources.length > 0
      ? new Map(
          (
            await (
              await import("./custom-elements.js")
            ).buildCustomElements(customSources, options.uiDir ?? defaultUiDir)
          ).map((chunk) => [`/${chunk.path}`, chunk]),
        )
      : undefined;
  // Never a mocked sign-in: without the Space's variables there is none (CVE-2026-27167).
  const oauth = options.oauth === false ? undefined : (options.oauth ?? hfOAuthFromEnv(process.env));
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const logError = options.logError ?? defaultLog;
  let files: NodeFileStore;
  try {
    files = new NodeFileStore(options.filesDir === undefined ? {} : { dir: options.filesDir });
  } catch (error) {
    oauth?.close();
    throw error;
  }
  const local = new Engine(space, {
    exposeErrors: options.dev,
    logError,
    files,
    ...(options.timeLimit === undefined ? {} : { timeLimit: options.timeLimit }),
    runJob: (job, run) => jobContext.run(job, run),
  });
  const redis = options.redis
    ? await (await import("./redis.js")).RedisRunner.start(local, { logError, ...options.redis }).catch(
        (error: unknown) => {
          files.clear();
          throw error;
        },
      )
    : undefined;
  const engine: Runner = redis ?? local;
  const stopContainment = containEscapedErrors(logError);
  const bindHost = options.host ?? "127.0.0.1";
  const addedHosts = new Set<string>();
  const hosts = hostRules(bindHost, options.allowedHosts ?? [], process.env.SPACE_HOST, addedHosts);
  const origins = new Set((options.allowedOrigins ?? []).map(normalOrigin));
  const models = space.models;
  // transformers.js (~140 ms to import) is set up once the server listens (or failed to), so the
  // start does not wait for it; each model's load waits for it, and this first call to `load` is
  // the one every later caller (a request, another server of the process) shares.
  let listened = () => {};
  const listening = new Promise<void>((resolve) => {
    listened = resolve;
  });
  const modelsConfigured =
    models.length > 0
      ? listening.then(() =>
          configureModels(
            process.env,
            models.map((model) => model.model),
          ),
        )
      : undefined;
  const connections = new Set<(message: ServerMessage) => void>();
  const infos = new Map<(typeof models)[number], ModelInfo>();
  const modelMessage = (model: (typeof models)[number]): ServerMessage => {
    const { state, progress, message } = model.status;
    const info = infos.get(model);
    return {
      type: "model",
      model: model.model,
      state,
      ...(progress === undefined ? {} : { progress }),
      ...(message === undefined ? {} : { message }),
      ...(info ? { info } : {}),
    };
  };
  const broadcast = (model: (typeof models)[number]) => {
    const message = modelMessage(model);
    for (const send of connections) send(message);
  };
  for (const model of models) {
    model.onStatus(() => broadcast(model));
    // Failures are kept in the model's status and shown to callers; the page keeps working.
    model.load({}, modelsConfigured).catch(() => {});
    // Model info never delays start-up; it reaches the page when (and if) the Hub answers.
    void readModelInfo(model).then((info) => {
      if (!info) return;
      infos.set(model, info);
      broadcast(model);
    });
  }
  const password =
    options.auth === undefined
      ? undefined
      : (await import("./auth.js")).passwordAuth(options.auth, {
          title: space.title,
          theme: space.toConfig().theme,
          logError,
        });
  /** Cross-origin requests from sites not in allowedOrigins: served as nobody, whatever cookies they carry. */
  const anonymous = new WeakSet<IncomingMessage>();
  /** Who sent a request (sign-in); every transport passes it to the engine. */
  const identify = (request: IncomingMessage): Caller | undefined => {
    if (anonymous.has(request)) return undefined;
    const signedIn = oauth?.callerOf(request);
    if (signedIn?.user) return signedIn;
    const username = password?.userOf(request);
    return username === undefined ? undefined : { user: { username } };
  };
  // Gradio's HTTP API, deep links and the OpenAI API load on their first request: most starts never
  // need them.
  const apiOptions = {
    maxBodyBytes: maxMessageBytes,
    identify,
    files,
    ...(redis ? { relay: redis.relay } : {}),
  };
  const gradio = lazyRouter(async () => (await import("./gradio.js")).gradioApi(space, engine, apiOptions));
  // The MCP SDK is big: load it only for Spaces that serve MCP.
  const mcp =
    (options.mcp ?? space.mcp) ? (await import("./mcp.js")).mcpHandler(space, engine, identify) : undefined;
  const spaceConfig = space.toConfig({ dev: options.dev, maxMessageBytes });
  const spaceId = spaceIdFrom(process.env);
  if (spaceId) spaceConfig.spacecraft.spaceId = spaceId;
  if (disableEmbedding) spaceConfig.spacecraft.disableEmbedding = true;
  if (customChunks)
    spaceConfig.spacecraft.customElements = Object.fromEntries(
      [...customChunks.values()].map((chunk) => [chunk.type, chunk.path]),
    );
  await storeExampleFiles(spaceConfig, files, root).catch((error: unknown) => {
    void redis?.close(0);
    files.clear();
    stopContainment();
    password?.close();
    oauth?.close();
    throw error;
  });
  const linkOptions = options.deepLinks;
  const links =
    spaceConfig.spacecraft.deepLinks && linkOptions !== false
      ? lazyRouter(async () =>
          (await import("./snapshots.js")).deepLinks(
            space,
            engine,
            files,
            identify,
            linkOptions,
            redis?.links,
          ),
        )
      : undefined;
  spaceConfig.spacecraft.deepLinks = links !== undefined;
  const uiDir = options.uiDir ?? defaultUiDir;
  const elements = await elementChunks(
    uiDir,
    new Set(spaceConfig.components.map((component) => component.type)),
  );
  if (Object.keys(elements).length > 0) spaceConfig.spacecraft.elements = elements;
  // Flagging's module loads only for a Space that flags.
  const flagsModule = space.flagging ? await import("./flagging.js") : undefined;
  const flags = flagsModule?.flagging(space, files, {
    root,
    identify,
    logError,
    ...(options.flaggingDir === undefined ? {} : { dir: options.flaggingDir }),
    // With Redis each page's last run is kept there: a flag sent to any replica finds it.
    ...(redis ? { runs: redis.flagRuns(flagsModule.MAX_SHARED_RUN_BYTES) } : {}),
  });
  const config = JSON.stringify(spaceConfig);
  // Examples declared with `cacheExamples`: run by this process's engine, served below. With Redis
  // they go through the shared queue, each run once for every replica.
  const exampleCache = spaceConfig.components.some(
    (component) => component.type === "dataset" && component.props.cache !== undefined,
  )
    ? new (await import("./example-cache.js")).ExampleCache(
        spaceConfig,
        redis ?? local,
        logError,
        redis ? { shared: redis.examples, owns: (path) => files.owns(path) } : undefined,
      )
    : undefined;
  const policy = embedPolicy({
    isPublic: !isLoopbackName(bindHost),
    signIn: password !== undefined,
    origins,
    disableEmbedding,
  });
  const app = express();
  app.disable("x-powered-by");
  // Behind the Spaces proxy or one named by trustProxy, `request.secure` and the client address
  // come from X-Forwarded-*; anywhere else those headers are the client's own words and count for
  // nothing. Given trustProxy, a trusted proxy's X-Forwarded-Host and -Prefix count too (checked
  // below); the Spaces proxy's do not, as before.
  const forwarded = options.trustProxy !== undefined && options.trustProxy !== false;
  setTrustProxy(app, options.trustProxy ?? Boolean(process.env.SPACE_ID));
  const trusted = app.get("trust proxy fn") as (address: string | undefined, hop: number) => boolean;
  setPublicUrlRules(app, rootPath, forwarded);
  if (rootPath.path) app.use(underRootPath(rootPath));
  const headers = securityHeaders(policy.frameAncestors, headSources(spaceConfig.head));
  app.use(headers);
  // OpenAI clients read errors as { error: { message, … } }, whichever check answers.
  app.use("/v1", openAiErrorShape());
  // The Host and Origin checks every request passes (the WebSocket's upgrade has its own).
  const admit: express.RequestHandler = (request, response, next) => {
    // Behind a trusted proxy the visitor's host is X-Forwarded-Host (`request.host`): checked too.
    const host = request.headers.host;
    const visited = publicHost(request);
    const refused = !hosts(host) ? host : visited !== host && !hosts(visited) ? visited : null;
    if (refused !== null) {
      const name = hostName(refused) || "(malformed)";
      response
        .status(403)
        .type("text/plain")
        .send(
          `Blocked request: this server does not answer to the host "${name}". ` +
            `If you meant to reach it by that name, start it with allowedHosts: ["${name}"] (or --allowed-host ${name}).`,
        );
      return;
    }
    if (forwarded && trusted(request.socket.remoteAddress, 0) && forwardedPrefix(request) === null) {
      response.status(400).json({
        error: `The proxy's X-Forwarded-Prefix "${request.headers["x-forwarded-prefix"]}" is not a path: set it to the path the app is served under, such as /demo.`,
      });
      return;
    }
    const origin = request.headers.origin;
    const crossOrigin = origin !== undefined && !sameOrigin(request, addedHosts, visited);
    const named = crossOrigin && origins.has(normalOrigin(origin));
    if (crossOrigin && !named) anonymous.add(request);
    // The page's code (embed.js and its chunks) is the same for every Space: any site may load it.
    if (isPageCode(request.path)) response.setHeader("Access-Control-Allow-Origin", "*");
    // An open Space's API is open to every site, as Gradio's is (no credentials); named origins
    // may also send cookies. Anything else cross-origin may not write (CVE-2024-1727 class).
    const openAi = request.path === "/v1" || request.path.startsWith("/v1/");
    const api = request.path === "/config" || request.path.startsWith("/gradio_api/") || openAi;
    const open = crossOrigin && policy.opensTo(origin as string);
    if (crossOrigin && api && (named || open)) {
      response.setHeader("Access-Control-Allow-Origin", named ? (origin as string) : "*");
      response.setHeader("Vary", "Origin");
      if (named) response.setHeader("Access-Control-Allow-Credentials", "true");
      response.setHeader(
        "Access-Control-Allow-Headers",
        // OpenAI clients send their own headers (X-Stainless-*): let them through.
        (openAi && requestedHeaders(request)) || "Content-Type, Authorization, X-Gradio-User",
      );
      response.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      if (request.method === "OPTIONS") {
        response.status(204).end();
        return;
      }
    }
    const write = request.method !== "GET" && request.method !== "HEAD" && request.method !== "OPTIONS";
    if (crossOrigin && write && !named && !(open && api)) {
      response.status(403).json({
        error: `Cross-origin requests from ${origin} are not allowed. To let that site call this Space, add it to allowedOrigins.`,
      });
      return;
    }
    next();
  };
  app.use(admit);
  if (oauth) app.use(oauth.router);
  // Chunks under assets/ are named by their content's hash: a browser keeps them (no request on
  // the next visit, and V8 keeps their compiled code); everything else is asked for again.
  const assetsDir = resolvePath(uiDir, "assets") + sep;
  const serveUi = existsSync(uiDir)
    ? express.static(uiDir, {
        index: "index.html",
        maxAge: 0,
        setHeaders: (response, path) => {
          if (path.startsWith(assetsDir))
            response.setHeader("Cache-Control", "public, max-age=31536000, immutable");
        },
      })
    : undefined;
  // The page and its code go gzipped to a browser that accepts it (about a third of the bytes);
  // mounted only on them, never on the API's event streams.
  const compress = lazyMiddleware(async () => (await import("compression")).default());
  // The page's code needs no session: a named site's page loads embed.js without cookies.
  // A custom component's element chunk, built at start-up and named by its hash like the others.
  if (customChunks)
    app.get("/assets/custom/:name", (request, response, next) => {
      const chunk = customChunks.get(request.path);
      if (!chunk) return next();
      compress(request, response, (error) => {
        if (error) return next(error);
        response
          .type("text/javascript")
          .setHeader("Cache-Control", "public, max-age=31536000, immutable")
          .send(chunk.code);
      });
    });
  if (serveUi)
    app.use((request, response, next) =>
      isPageCode(request.path)
        ? compress(request, response, (error) => (error ? next(error) : serveUi(request, response, next)))
        : next(),
    );
  // Everything from here on needs a session when password sign-in is on.
  if (password) app.use(password.router, password.gate);
  const accepts = new Map(
    spaceConfig.components.map((component) => [component.id, acceptRules(component.props)]),
  );
  app.post(
    "/gradio_api/upload",
    uploadHandler(files, {
      maxBytes: options.maxUploadBytes ?? 50 * 1024 * 1024,
      acceptOf: (id) => accepts.get(id),
      ownerOf: (request) => {
        const user = identify(request)?.user;
        return user ? `user:${user.username}` : undefined;
      },
    }),
  );
  const serveFile = fileHandler(files);
  app.use((request, response, next) => {
    if (request.method === "GET" && request.path.startsWith(FILE_ROUTE)) serveFile(request, response);
    else next();
  });
  if (mcp) app.all("/gradio_api/mcp", express.json({ limit: maxMessageBytes }), mcp);
  // Only a request its routes could match loads it (Express matches paths case-insensitively).
  if (links)
    app.use("/gradio_api", (request, response, next) =>
      /^\/deep_link(?:\/|$)/i.test(request.path) ? links.handler(request, response, next) : next(),
    );
  if (flags) app.use("/gradio_api", flags.router);
  if (exampleCache)
    app.get("/gradio_api/cached_examples/:dataset/:file", async (request, response) => {
      const { dataset, file } = request.params;
      const index = /^\d{1,9}\.json$/.test(file) ? Number.parseInt(file, 10) : -1;
      const data = /^\d{1,9}$/.test(dataset) ? await exampleCache.get(Number(dataset), index) : undefined;
      if (data) response.json({ data });
      else
        response.status(404).json({
          error: `${index >= 0 ? `Example ${index + 1}` : `"${file}"`} of table ${dataset} has no cached outputs (not computed yet, failed, or no such example). Run it instead.`,
        });
    });
  app.use("/gradio_api", gradio.handler);
  app.use(
    "/v1",
    lazyRouter(async () => (await import("./openai.js")).openAiApi(space, engine, apiOptions)).handler,
  );
  app.get("/config", (_request, response) => {
    response.type("application/json").send(config);
  });
  if (serveUi) {
    // The page comes compressed ahead (`pageHandler`); the rest of the UI through `compress`.
    app.use(pageHandler(uiDir, config, logError), compress, serveUi);
  } else {
    app.get("/", (_request, response) => {
      response
        .status(500)
        .type("text/plain")
        .send(`The page is not built (${uiDir} is missing). Run "npm run build" in the Spacecraft repo.`);
    });
  }
  app.use((request, response) => {
    response.status(404).json({ error: `Not found: ${request.method} ${request.path}` });
  });
  const handleError = errorHandler(logError);
  app.use(handleError);

  // Every Gradio client's call, POST /gradio_api/queue/join, once the API is loaded: through the
  // same header and Host and Origin checks, then straight to its handler, without Express's
  // dispatch and the routes that cannot match it (~35 µs a call, 7% of a bare HTTP round trip
  // here: `bench:api`). Where sign-in or a root path stands before the API, Express takes it.
  const joinsDirectly = !rootPath.path && !password && !oauth;
  const server = createServer(expressMade(app), (request, response) => {
    const api = joinsDirectly ? gradio.loaded : undefined;
    if (!api || request.method !== "POST" || !JOIN_URL.test(request.url ?? "")) return app(request, response);
    // What Express gives every request it dispatches: its methods (they were made with them,
    // `expressMade`: then this changes nothing).
    const req = Object.setPrototypeOf(request, app.request) as express.Request;
    const res = Object.setPrototypeOf(response, app.response) as express.Response;
    req.res = res;
    res.req = req;
    res.locals = Object.create(null);
    const failed = (error?: unknown) =>
      error === undefined ? app(request, response) : handleError(error, req, res, () => {});
    try {
      headers(req, res, () => admit(req, res, () => api.join(req, res, failed)));
    } catch (error) {
      failed(error); // As Express's router would.
    }
  });
  server.on("clientError", answerClientError);
  const sockets = new WebSocketServer({
    noServer: true,
    // Frames up to 4× the limit get a polite error; larger ones close the connection (1009).
    maxPayload: maxMessageBytes * 4,
  });

  server.on("upgrade", (request, socket, head) => {
    socket.on("error", () => socket.destroy());
    const { pathname } = new URL(request.url ?? "/", "http://localhost");
    if (pathname !== "/ws" && pathname !== `${rootPath.path}/ws`) return refuse(socket, 404, "Not Found");
    const forwardedHost =
      forwarded && trusted(request.socket.remoteAddress, 0)
        ? String(request.headers["x-forwarded-host"] ?? "")
            .split(",")[0]
            ?.trim() || undefined
        : undefined;
    if (!hosts(request.headers.host) || (forwardedHost !== undefined && !hosts(forwardedHost)))
      return refuse(socket, 403, "Forbidden: unknown host");
    const origin = request.headers.origin;
    if (origin !== undefined && !sameOrigin(request, addedHosts, forwardedHost)) {
      const named = origins.has(normalOrigin(origin));
      if (!policy.acceptsSocket(named, origin))
        return refuse(socket, 403, "Forbidden: cross-origin WebSocket");
      // Another site's page talks to the Space as nobody, whatever cookies the browser sends.
      if (!named) anonymous.add(request);
    }
    if (password && password.userOf(request) === undefined) return refuse(socket, 401, "Unauthorized");
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit("connection", ws, request));
  });

  /** Open connections and pending file drops, per page session. */
  const pageSessions = new Map<string, { open: number; drop?: ReturnType<typeof setTimeout> }>();
  sockets.on("connection", (ws: WebSocket, request: IncomingMessage) => {
    const asked = new URL(request.url ?? "/", "http://localhost").searchParams.get("session");
    const session = asked && /^[A-Za-z0-9_-]{16,64}$/.test(asked) ? asked : randomUUID();
    const caller = identify(request);
    const owner = ownerOf(session, caller);
    // A page that comes back may have been served by another replica: its session is in Redis.
    if (redis && asked === session) void redis.resume(session);
    const state = pageSessions.get(session) ?? { open: 0 };
    clearTimeout(state.drop);
    state.open++;
    pageSessions.set(session, state);
    files.hold(owner);
    const send = (message: ServerMessage) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      // A client that stops reading must not make the server hold its results: cut it off.
      if (ws.bufferedAmount > MAX_UNSENT_BYTES) return void ws.terminate();
      ws.send(JSON.stringify(message));
    };
    const hooks = socketHooks(engine, session, send, {
      maxMessageBytes,
      logError,
      ...(caller ? { caller } : {}),
      ...(flags ? { watch: (request, sendTo) => flags.watch(session, caller, request, sendTo) } : {}),
    });
    connections.add(send);
    for (const model of models) send(modelMessage(model));
    // binaryType "nodebuffer" (the default): every frame arrives as one Buffer.
    ws.on("message", (data, isBinary) => hooks.onMessage(data as Buffer, isBinary));
    ws.on("close", () => {
      connections.delete(send);
      hooks.onClose();
      files.release(owner);
      state.open--;
      if (state.open > 0) return;
      // The page's files stay a little while, so a page that reconnects can send them again.
      state.drop = setTimeout(() => {
        pageSessions.delete(session);
        engine.endSession(session);
        flags?.forget(session);
        if (!caller?.user) files.drop(owner);
      }, RECONNECT_GRACE_MS);
      state.drop.unref();
    });
    ws.on("error", () => ws.terminate());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 7860, bindHost, () => {
      server.off("error", reject);
      resolve();
    });
  })
    .finally(listened)
    .catch((error: unknown) => {
      void redis?.close(0);
      files.clear();
      stopContainment();
      void gradio.close();
      void links?.close();
      password?.close();
      oauth?.close();
      throw error;
    });
  if (exampleCache) {
    // Serving starts at once: an example clicked before its outputs are cached runs as usual.
    files.hold(exampleCache.owner);
    void exampleCache.fillEager();
  }
  const { port, address } = server.address() as AddressInfo;
  const shownHost = address === "0.0.0.0" || address === "::" ? "localhost" : address;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    engine,
    allowHost(name) {
      const host = name.trim().toLowerCase();
      if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host)) {
        throw new DeclarationError(
          `allowHost: "${name}" is not a host name. Give one exact name, such as "abc-def.trycloudflare.com" (no scheme, port or wildcard).`,
        );
      }
      addedHosts.add(host);
      return () => void addedHosts.delete(host);
    },
    close({ timeoutMs = 10_000 } = {}) {
      closing ??= (async () => {
        server.close();
        server.closeIdleConnections();
        exampleCache?.close();
        await engine.close(timeoutMs);
        for (const ws of sockets.clients) ws.close(1001, "The server is shutting down");
        sockets.close();
        await gradio.close();
        await links?.close();
        // Flags being written copy files from the store: they finish before it is cleared.
        await flags?.close();
        for (const state of pageSessions.values()) clearTimeout(state.drop);
        server.closeAllConnections();
        files.clear();
        stopContainment();
        password?.close();
        oauth?.close();
      })();
      return closing;
    },
  };
}

/** Options of {@link work}. */
export interface WorkOptions {
  /** The Redis the app's web processes queue their jobs in. */
  redis: RedisOptions;
  /** Longest run of `fn` in seconds for endpoints that set none (default 900; `null` for none). */
  timeLimit?: number | null;
  /** Where errors are logged (default `console.error`). */
  logError?: (message: string, error: unknown) => void;
  /** The files folder the app's web processes share (`--files-dir`), so this worker reads their uploads. */
  filesDir?: string;
}

/**
 * Runs a Space's jobs from a queue shared through Redis without serving anything (`spacecraft
 * worker`): loads its models, then takes jobs until closed. Closing lets running jobs finish for
 * up to `timeoutMs` (default 10 s); the rest go back to the queue for another worker.
 */
export async function work(
  space: Space,
  options: WorkOptions,
): Promise<{ close(timeoutMs?: number): Promise<void> }> {
  const logError = options.logError ?? defaultLog;
  const files = new NodeFileStore(options.filesDir === undefined ? {} : { dir: options.filesDir });
  const local = new Engine(space, {
    logError,
    files,
    ...(options.timeLimit === undefined ? {} : { timeLimit: options.timeLimit }),
    runJob: (job, run) => jobContext.run(job, run),
  });
  const models = space.models;
  if (models.length > 0)
    await configureModels(
      process.env,
      models.map((model) => model.model),
    );
  // Failures are kept in the model's status and reach callers as errors; the worker keeps going.
  for (const model of models) model.load().catch(() => {});
  const stopContainment = containEscapedErrors(logError);
  const worker = await (await import("./redis.js"))
    .startWorker(local, { logError, ...options.redis })
    .catch((error: unknown) => {
      stopContainment();
      files.clear();
      throw error;
    });
  return {
    async close(timeoutMs = 10_000) {
      await worker.close(timeoutMs);
      stopContainment();
      files.clear();
    },
  };
}

/**
 * Which peers may state the visitor's scheme, host, prefix and address (X-Forwarded-*): `true`
 * the one proxy in front, whatever its address; a list its addresses or subnets; `false` none.
 */
function setTrustProxy(app: express.Express, trust: boolean | readonly string[]): void {
  if (typeof trust === "boolean") return void app.set("trust proxy", trust ? 1 : false);
  try {
    app.set("trust proxy", [...trust]);
  } catch (error) {
    throw new DeclarationError(
      `serve: trustProxy ${JSON.stringify(trust)} is not a list of addresses (${error instanceof Error ? error.message : String(error)}). ` +
        'Give the proxy\'s addresses or subnets, such as ["loopback"] or ["10.0.0.0/8"], or true for the one proxy in front.',
    );
  }
}

/**
 * A proxy that does not strip the root path sends `/demo/…`: the prefix comes off, so routes match
 * either way; `/demo` alone is redirected to `/demo/`, where the page's relative URLs resolve.
 */
function underRootPath(rootPath: RootPath): express.RequestHandler {
  const prefix = rootPath.path;
  return (request, response, next) => {
    const url = request.url;
    if (!url.startsWith(prefix)) return next();
    const rest = url.slice(prefix.length);
    if (rest === "" || rest.startsWith("?")) return void response.redirect(301, `${prefix}/${rest}`);
    if (rest.startsWith("/")) request.url = rest;
    next();
  };
}

function checkServeOptions(options: object): void {
  for (const key of Object.keys(options)) {
    if (SERVE_OPTIONS.includes(key)) continue;
    const hint = didYouMean(key, SERVE_OPTIONS);
    throw new DeclarationError(
      `serve: unknown option "${key}".${hint ? ` Did you mean "${hint}"?` : ""} Options: ${SERVE_OPTIONS.join(", ")}.`,
    );
  }
}

function defaultLog(message: string, error: unknown): void {
  if (error === undefined) console.error(message);
  else console.error(message, error);
}

/** The job whose code is running, so an error escaping `fn` later is logged with it. */
const jobContext = new AsyncLocalStorage<JobInfo>();
const containers = new Set<(message: string, error: unknown) => void>();

/**
 * Keeps the process alive when user code throws or rejects outside any job's reach (a late
 * rejection, a throw in a timer): the error is logged once, with the job it came from.
 * Returns the function that stops it.
 */
function containEscapedErrors(logError: (message: string, error: unknown) => void): () => void {
  if (containers.size === 0) {
    process.on("unhandledRejection", onEscaped);
    process.on("uncaughtException", onEscaped);
  }
  containers.add(logError);
  return () => {
    containers.delete(logError);
    if (containers.size > 0) return;
    process.off("unhandledRejection", onEscaped);
    process.off("uncaughtException", onEscaped);
  };
}

function onEscaped(error: unknown): void {
  const job = jobContext.getStore();
  const where = job ? `in "${job.endpoint}" (job ${job.id})` : "outside any job";
  for (const log of containers) {
    log(`[spacecraft] an error escaped ${where}; the server keeps running:`, error);
    break;
  }
}

/** JSON errors for every route: a status, a clear message, never a stack; one log line each. */
function errorHandler(logError: (message: string, error: unknown) => void): express.ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const { status, message } = describeHttpError(error, request.headers["content-encoding"]);
    if (status >= 500) logError(`[spacecraft] ${request.method} ${request.path} failed:`, error);
    else logError(`[spacecraft] ${status} ${request.method} ${request.path}: ${message}`, undefined);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.status(status).json({ error: message, detail: message });
  };
}

function describeHttpError(error: unknown, encoding?: string): { status: number; message: string } {
  const { status, statusCode, type, limit, body } = (error ?? {}) as {
    status?: unknown;
    statusCode?: unknown;
    type?: unknown;
    limit?: unknown;
    body?: unknown;
  };
  const code = typeof status === "number" ? status : typeof statusCode === "number" ? statusCode : 500;
  switch (type) {
    case "entity.parse.failed":
      // Valid JSON that is not an object or a list (express.json is strict): say so.
      return {
        status: 400,
        message: isJsonText(body)
          ? "The request body must be a JSON object, not a single value."
          : "The request body is not valid JSON.",
      };
    case "entity.too.large":
      return {
        status: 413,
        message: `The request body is too large (the limit is ${typeof limit === "number" ? `${limit} bytes` : "set by the server"}). Send files through /gradio_api/upload.`,
      };
    case "encoding.unsupported":
    case "charset.unsupported":
      return { status: 415, message: "The request body's encoding is not supported: send UTF-8 JSON." };
    case "request.aborted":
      return { status: 400, message: "The request was aborted." };
    default:
      break;
  }
  if (code === 400 && type === undefined && encoding !== undefined && encoding !== "identity") {
    // A decompression error (zlib's own words, such as "incorrect header check").
    return { status: 400, message: `The request body is not valid ${encoding} data (its Content-Encoding).` };
  }
  if (code >= 400 && code < 500) {
    const text = error instanceof Error && error.message && !/[\\/]/.test(error.message) ? error.message : "";
    return { status: code, message: text || "The request is not valid." };
  }
  return { status: 500, message: "Something went wrong on the server. It is logged; please try again." };
}

function isJsonText(text: unknown): boolean {
  if (typeof text !== "string") return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The HTTP server's request and response classes, made with `app`'s request and response
 * methods from the start: Express gives each request and response them by changing its
 * prototype (~12 µs a request here: V8 makes the object's shape again), which then changes
 * nothing.
 */
function expressMade(app: express.Express): ServerOptions {
  // Node's own constructors, run on objects made with Express's prototype. They are plain
  // functions (Node 20 to 24); were they classes, calling them so would throw: then the defaults.
  const node = [IncomingMessage, ServerResponse] as unknown as ((...args: unknown[]) => void)[];
  if (node.some((made) => Function.prototype.toString.call(made).startsWith("class"))) return {};
  const [makeRequest, makeResponse] = node as [(...args: unknown[]) => void, (...args: unknown[]) => void];
  function Request(this: unknown, socket: Duplex) {
    makeRequest.call(this, socket);
  }
  Request.prototype = app.request;
  function Response(this: unknown, request: IncomingMessage, options?: object) {
    makeResponse.call(this, request, options);
  }
  Response.prototype = app.response;
  return {
    IncomingMessage: Request as unknown as typeof IncomingMessage,
    ServerResponse: Response as unknown as typeof ServerResponse,
  };
}

/** `POST /gradio_api/queue/join`'s URL, with or without a query (`@gradio/client` adds one). */
const JOIN_URL = /^\/gradio_api\/queue\/join(?:\?|$)/;

/**
 * Something made on first use, once however many ask at once, then kept: `get` hands it to
 * `use` (at once when made) or a failure to `failed`, and the next use tries again.
 */
function lazy<T>(load: () => Promise<T>) {
  let made: T | undefined;
  let making: Promise<T> | undefined;
  return {
    get made(): T | undefined {
      return made;
    },
    get(use: (value: T) => void, failed: (error: unknown) => void): void {
      if (made !== undefined) {
        use(made);
        return;
      }
      making ??= load().then(
        (value) => (made = value),
        (error: unknown) => {
          making = undefined;
          throw error;
        },
      );
      making.then(use, failed);
    },
    /** What was made, once any making under way is done; undefined if none was. */
    async settled(): Promise<T | undefined> {
      return making?.catch(() => undefined);
    },
  };
}

/**
 * A middleware made on its first request and used directly from then on: a start loads none of
 * its code (the compression middleware's is ~12 ms); requests meanwhile wait for it.
 */
function lazyMiddleware(load: () => Promise<express.RequestHandler>): express.RequestHandler {
  const handler = lazy(load);
  return (request, response, next) => handler.get((made) => made(request, response, next), next);
}

/**
 * A router made on its first request (once, however many requests arrive together) and used
 * directly from then on, mounted where the router itself was; requests wait for it, and a
 * failure to load reaches the error handler. `close` closes it if it was made.
 */
function lazyRouter<Api extends { router: express.Router; close?(): void }>(
  load: () => Promise<Api>,
): { handler: express.RequestHandler; readonly loaded: Api | undefined; close(): Promise<void> } {
  const api = lazy(load);
  return {
    handler: (request, response, next) => api.get((made) => made.router(request, response, next), next),
    /** The router's maker's result, once made. */
    get loaded() {
      return api.made;
    },
    async close() {
      (await api.settled())?.close?.();
    },
  };
}

/**
 * helmet's headers, with a Content-Security-Policy the page, the API page and the Hub's frame work
 * under. API answers (JSON and event streams, never a document) get only the two that matter for
 * them: ~800 bytes less on every call.
 */
function securityHeaders(frameAncestors: readonly string[], head: HeadSources): express.RequestHandler {
  const page = pageSecurityHeaders(frameAncestors, head);
  return (request, response, next) => {
    if (!isApiPath(request.path)) return page(request, response, next);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    next();
  };
}

/**
 * Paths that answer JSON or event streams, never a document: the Gradio API (but not its files,
 * `/gradio_api/file=`, which keep the page's headers), `/config` and the OpenAI API. Exact case:
 * anything else gets the page's headers.
 */
function isApiPath(path: string): boolean {
  if (path.startsWith("/gradio_api/")) return !path.startsWith(FILE_ROUTE);
  return path === "/config" || path.startsWith("/v1/");
}

/** The page's headers; `head` adds what the Space's `head` loads (its inline scripts by hash). */
function pageSecurityHeaders(frameAncestors: readonly string[], head: HeadSources): express.RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        // The server-drawn page's inline first script, by hash (see `earlyInputScript`).
        "script-src": ["'self'", "'wasm-unsafe-eval'", earlyInputSource, ...head.scripts],
        "worker-src": ["'self'", "blob:"],
        // Lit's styles are constructed; the login page and elements set inline style attributes.
        "style-src": ["'self'", "'unsafe-inline'", ...head.styles],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "media-src": ["'self'", "data:", "blob:", "https:"],
        "font-src": ["'self'", "data:", ...head.fonts],
        "connect-src": ["'self'", "https://huggingface.co", "https://*.huggingface.co", "https://*.hf.co"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": [...frameAncestors],
      },
    },
    // frame-ancestors replaces X-Frame-Options, which cannot name huggingface.co.
    xFrameOptions: false,
    // Spaces terminate TLS at their proxy; HSTS is theirs to send.
    strictTransportSecurity: false,
    // Files and the API are read by other sites' clients (as Gradio's are).
    crossOriginResourcePolicy: { policy: "cross-origin" },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    // COOP same-origin puts every visit in a new renderer process (the page's time to interactive
    // 4.0× → 1.6× a plain page's without it); the page holds nothing a window handle could leak.
    crossOriginOpenerPolicy: false,
  });
}

/** The page's code, the same for every Space: `embed.js` and the built chunks under `assets/`. */
function isPageCode(path: string): boolean {
  return path === "/embed.js" || path.startsWith("/assets/");
}

/** The accept rules a component's props declare (`accept` for media, `fileTypes` for File). */
function acceptRules(props: Record<string, unknown>): readonly string[] | undefined {
  const rules = props.accept ?? props.fileTypes;
  return Array.isArray(rules) && rules.length > 0 ? (rules as string[]) : undefined;
}

/**
 * The host name of a Host header, without port or IPv6 brackets, in lower case; "" for one
 * that is not a plain `name[:port]` or `[ipv6][:port]` (e.g. `[::1]@evil.example`).
 */
function hostName(host: string | undefined): string {
  const value = (host ?? "").trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d*)?$/.exec(value);
  if (bracketed) return bracketed[1] as string;
  const plain = /^([a-z0-9_.-]+)(?::\d*)?$/.exec(value);
  return plain ? (plain[1] as string) : "";
}

/** True for a name of this machine's loopback interface. */
function isLoopbackName(address: string): boolean {
  const host = address
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  return host === "localhost" || host.endsWith(".localhost") || host.startsWith("127.") || host === "::1";
}

/**
 * Which Host headers this server answers (against DNS rebinding, as Vite does): IP addresses,
 * `localhost` and `*.localhost`; on a public bind also the Space's `SPACE_HOST` names; and
 * `allowedHosts` (`.example.com` matches the domain and its subdomains); and the exact names
 * `allowHost` added since (a tunnel's).
 */
function hostRules(
  bindHost: string,
  allowedHosts: readonly string[],
  spaceHost: string | undefined,
  addedHosts: ReadonlySet<string>,
): (host: string | undefined) => boolean {
  const names = new Set<string>();
  const suffixes: string[] = [];
  const entries = [...allowedHosts, ...(spaceHost ?? "").split(",")];
  if (!isIP(bindHost.replace(/^\[|\]$/g, "")) && hostName(bindHost) !== "") entries.push(bindHost);
  for (const entry of entries) {
    const name = entry.trim().toLowerCase();
    if (name === "") continue;
    if (name.startsWith(".")) suffixes.push(name);
    else names.add(hostName(name));
  }
  return (host) => {
    // HTTP/1.0 clients may send no Host; they cannot be the target of DNS rebinding.
    if (host === undefined) return true;
    const name = hostName(host);
    if (name === "") return false;
    if (isIP(name) !== 0 || name === "localhost" || name.endsWith(".localhost")) return true;
    if (names.has(name) || addedHosts.has(name)) return true;
    return suffixes.some((suffix) => name === suffix.slice(1) || name.endsWith(suffix));
  };
}

/** The headers a preflight asks for, when they are a plain list of names; else undefined. */
function requestedHeaders(request: IncomingMessage): string | undefined {
  const asked = request.headers["access-control-request-headers"];
  return typeof asked === "string" &&
    asked.length <= 2048 &&
    /^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$/.test(asked)
    ? asked
    : undefined;
}

function normalOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}

/**
 * True when the request's Origin names the host it was sent to, the host a trusted proxy says
 * the visitor used (`publicHost`), or a tunnel's public name.
 */
function sameOrigin(request: IncomingMessage, tunnels: ReadonlySet<string>, publicHost?: string): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    const { host, hostname } = new URL(origin);
    // A tunnel's public name (`allowHost`) is this server's page too, even when the tunnel
    // rewrites the Host header to the local address.
    return host === request.headers.host || host === publicHost || tunnels.has(hostname);
  } catch {
    return false;
  }
}

/**
 * Node's parser refused a request (a bad request line or header, headers too large, too slow):
 * a JSON answer like every route's, instead of Node's bare 400, then the connection closes.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable || (socket as Socket).bytesWritten > 0) {
    socket.destroy();
    return;
  }
  const [status, text, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "The request's headers are too large."]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "The request did not arrive in time."]
        : [400, "Bad Request", `The request is not valid HTTP (${parseProblem(error)}).`];
  const body = JSON.stringify({ error: message, detail: message });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

/** What Node's HTTP parser found wrong, in its words ("Invalid method encountered"). */
function parseProblem(error: NodeJS.ErrnoException & { reason?: unknown }): string {
  if (typeof error.reason === "string" && error.reason !== "") return error.reason;
  const message = error.message.replace(/^Parse Error:? ?/, "");
  return message || (error.code ?? "malformed request");
}

function refuse(socket: NodeJS.WritableStream & { destroy(): void }, status: number, text: string): void {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}
