// One server of the memory bench in its own process, so the memory it reports is its own:
// `node --expose-gc --import tsx bench/memory-server.ts spacecraft|bare`. Sends `{ port }` over
// IPC, then answers each "sample" message with its memory after a full garbage collection (and
// each "peek" with its memory as it is).
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { serve } from "spacecraft/server";
import { WebSocketServer } from "ws";
import space from "./clients-app.js";

/** The same protocol as Spacecraft's for this bench's requests, with nothing else: the baseline. */
async function bareServer(): Promise<number> {
  const app = express();
  const streams = new Map<string, express.Response>();
  app.post("/gradio_api/queue/join", express.json({ limit: "1mb" }), (request, response) => {
    const { data, session_hash: session } = request.body as { data: unknown[]; session_hash: string };
    const eventId = randomUUID().replace(/-/g, "");
    response.json({ event_id: eventId });
    const output = { data, is_generating: false, duration: 0, average_duration: 0 };
    const message = { msg: "process_completed", event_id: eventId, success: true, output };
    streams.get(session)?.write(`data: ${JSON.stringify(message)}\n\n`);
  });
  app.get("/gradio_api/queue/data", (request, response) => {
    const session = String(request.query.session_hash);
    response.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
    response.flushHeaders();
    streams.set(session, response);
    response.on("close", () => streams.delete(session));
  });
  const server = createServer(app);
  const sockets = new WebSocketServer({ server, path: "/ws" });
  sockets.on("connection", (socket) =>
    socket.on("message", (frame) => {
      const { id, data } = JSON.parse(String(frame)) as { id: string; data: unknown[] };
      socket.send(JSON.stringify({ type: "complete", id, data, duration: 0 }));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

const kind = process.argv[2];
let port: number;
if (kind === "spacecraft") {
  port = (await serve(space, { port: 0, logError: () => {} })).port;
} else if (kind === "bare") {
  port = await bareServer();
} else {
  console.error("Usage: node --expose-gc --import tsx bench/memory-server.ts spacecraft|bare");
  process.exit(2);
}

const collect = (globalThis as { gc?: () => void }).gc;
process.on("message", (message) => {
  if (message !== "sample" && message !== "peek") return;
  // Twice: the first pass can leave garbage that only a second one frees (weak references).
  if (message === "sample") {
    collect?.();
    collect?.();
  }
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.send?.({ rss, heapUsed, external, arrayBuffers, collected: collect !== undefined });
});
process.send?.({ port });
