import { existsSync } from "node:fs";
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import express from "express";
import { UsageError } from "./load.js";

/**
 * Serves a static build the way the Hub serves a static Space: plain files, with the
 * cross-origin isolation headers a Space can set through `custom_headers` (so WASM can use threads).
 */
export async function preview(
  dir: string,
  port: number,
  host: string,
): Promise<{ url: string; server: Server }> {
  const root = resolve(dir);
  if (!existsSync(join(root, "index.html"))) {
    throw new UsageError(`${dir} has no index.html. Build first: "spacecraft build --static app.ts".`);
  }
  const app = express();
  app.disable("x-powered-by");
  app.use((_request, response, next) => {
    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    response.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
    response.setHeader("X-Content-Type-Options", "nosniff");
    // A static Space is public files: other sites' pages may read them (embed.js, config.json).
    response.setHeader("Access-Control-Allow-Origin", "*");
    next();
  });
  app.use(express.static(root, { index: "index.html" }));
  const server = createServer(app);
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => done());
  });
  const address = server.address() as AddressInfo;
  return { url: `http://${host === "0.0.0.0" ? "localhost" : host}:${address.port}`, server };
}
