import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import express from "express";
import { WebSocket, WebSocketServer } from "ws";
import { FILE_ROUTE } from "../components/file-shape.js";
import { Engine } from "../engine/engine.js";
import type { ModelInfo, ServerMessage } from "../protocol.js";
import type { Space } from "../space.js";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../space.js";
import { storeExampleFiles } from "./examples.js";
import { fileHandler, NodeFileStore, uploadHandler } from "./files.js";
import { gradioApi } from "./gradio.js";
import { readModelInfo } from "./model-info.js";
import { configureModels } from "./models.js";
import { socketHooks } from "./socket.js";

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
  /** Where unexpected errors in `fn` are logged (default `console.error`). */
  logError?: (message: string, error: unknown) => void;
  /** Largest upload accepted, in bytes (default 50 MB). */
  maxUploadBytes?: number;
  /** Folder that example file paths are relative to (default: the working directory). */
  root?: string;
  /** Serve the public endpoints as MCP tools at `/gradio_api/mcp/` (default: the Space's `mcp`). */
  mcp?: boolean;
}

/** A running server. */
export interface RunningServer {
  /** The base URL, e.g. `http://127.0.0.1:7860`. */
  readonly url: string;
  readonly port: number;
  readonly engine: Engine;
  /**
   * Stops taking work, lets running jobs finish for up to `timeoutMs` (default 10 s), cancels
   * the rest, and closes every connection.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

const defaultUiDir = fileURLToPath(new URL("../../ui/", import.meta.url));

/**
 * Serves a Space: the page, `GET /config`, and the WebSocket protocol at `/ws`.
 * @example
 * const server = await serve(space, { port: 0 })
 * console.log(server.url)
 */
export async function serve(space: Space, options: ServeOptions = {}): Promise<RunningServer> {
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const files = new NodeFileStore();
  const engine = new Engine(space, { exposeErrors: options.dev, logError: options.logError, files });
  const models = space.models;
  if (models.length > 0) await configureModels();
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
    model.load().catch(() => {});
    // Model info never delays start-up; it reaches the page when (and if) the Hub answers.
    void readModelInfo(model).then((info) => {
      if (!info) return;
      infos.set(model, info);
      broadcast(model);
    });
  }
  const gradio = gradioApi(space, engine, { maxBodyBytes: maxMessageBytes });
  // The MCP SDK is big: load it only for Spaces that serve MCP.
  const mcp = (options.mcp ?? space.mcp) ? (await import("./mcp.js")).mcpHandler(space, engine) : undefined;
  const spaceConfig = space.toConfig({ dev: options.dev, maxMessageBytes });
  await storeExampleFiles(spaceConfig, files, options.root ?? process.cwd()).catch((error: unknown) => {
    files.clear();
    throw error;
  });
  const config = JSON.stringify(spaceConfig);
  const app = createApp(config, options.uiDir ?? defaultUiDir, (app) => {
    const accepts = new Map(
      spaceConfig.components.map((component) => [component.id, acceptRules(component.props)]),
    );
    app.post(
      "/gradio_api/upload",
      uploadHandler(files, {
        maxBytes: options.maxUploadBytes ?? 50 * 1024 * 1024,
        acceptOf: (id) => accepts.get(id),
      }),
    );
    const serveFile = fileHandler(files);
    app.use((request, response, next) => {
      if (request.method === "GET" && request.path.startsWith(FILE_ROUTE)) serveFile(request, response);
      else next();
    });
    if (mcp) app.all("/gradio_api/mcp", express.json({ limit: maxMessageBytes }), mcp);
    app.use("/gradio_api", gradio.router);
  });
  const server = createServer(app);
  const sockets = new WebSocketServer({
    noServer: true,
    // Frames up to 4× the limit get a polite error; larger ones close the connection (1009).
    maxPayload: maxMessageBytes * 4,
  });

  server.on("upgrade", (request, socket, head) => {
    const { pathname } = new URL(request.url ?? "/", "http://localhost");
    if (pathname !== "/ws") return refuse(socket, 404, "Not Found");
    if (!sameOrigin(request)) return refuse(socket, 403, "Forbidden: cross-origin WebSocket");
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit("connection", ws, request));
  });

  sockets.on("connection", (ws: WebSocket) => {
    const send = (message: ServerMessage) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    };
    const hooks = socketHooks(engine, randomUUID(), send, maxMessageBytes);
    connections.add(send);
    for (const model of models) send(modelMessage(model));
    // binaryType "nodebuffer" (the default): every frame arrives as one Buffer.
    ws.on("message", (data, isBinary) => hooks.onMessage(data as Buffer, isBinary));
    ws.on("close", () => {
      connections.delete(send);
      hooks.onClose();
    });
    ws.on("error", () => ws.terminate());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 7860, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const shownHost = address === "0.0.0.0" || address === "::" ? "localhost" : address;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    engine,
    close({ timeoutMs = 10_000 } = {}) {
      closing ??= (async () => {
        server.close();
        server.closeIdleConnections();
        await engine.close(timeoutMs);
        for (const ws of sockets.clients) ws.close(1001, "The server is shutting down");
        sockets.close();
        gradio.close();
        server.closeAllConnections();
        files.clear();
      })();
      return closing;
    },
  };
}

function createApp(config: string, uiDir: string, routes: (app: express.Express) => void): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use((request, response, next) => {
    response.setHeader("X-Content-Type-Options", "nosniff");
    // A page on another site must not drive a server on this machine (CVE-2024-1727 class); a
    // public Space's API is open to other sites, as Gradio's is.
    const loopback = isLoopbackHost(request.headers.host);
    if (loopback && request.method !== "GET" && request.method !== "HEAD" && !sameOrigin(request)) {
      response.status(403).json({ error: "Cross-origin requests to a local server are not allowed." });
      return;
    }
    if (
      !loopback &&
      request.headers.origin &&
      (request.path === "/config" || request.path.startsWith("/gradio_api/"))
    ) {
      response.setHeader("Access-Control-Allow-Origin", "*");
      response.setHeader("Access-Control-Allow-Headers", "Content-Type, Authorization, X-Gradio-User");
      if (request.method === "OPTIONS") {
        response.status(204).end();
        return;
      }
    }
    next();
  });
  routes(app);
  app.get("/config", (_request, response) => {
    response.type("application/json").send(config);
  });
  if (existsSync(uiDir)) {
    app.use(express.static(uiDir, { index: "index.html", maxAge: 0 }));
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
  return app;
}

/** The accept rules a component's props declare (`accept` for media, `fileTypes` for File). */
function acceptRules(props: Record<string, unknown>): readonly string[] | undefined {
  const rules = props.accept ?? props.fileTypes;
  return Array.isArray(rules) && rules.length > 0 ? (rules as string[]) : undefined;
}

/** True for a Host header naming this machine (localhost, 127.x, ::1, 0.0.0.0). */
function isLoopbackHost(host: string | undefined): boolean {
  const name = (host ?? "")
    .replace(/:\d+$/, "")
    .replace(/^\[|\]$/g, "")
    .toLowerCase();
  return (
    name === "localhost" || name.startsWith("127.") || name === "::1" || name === "0.0.0.0" || name === ""
  );
}

/** True when the request has no Origin (not a browser) or one matching its Host. */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function refuse(socket: NodeJS.WritableStream & { destroy(): void }, status: number, text: string): void {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}
