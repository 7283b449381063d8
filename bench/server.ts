// One benchmark server in its own process: `tsx bench/server.ts echo|spacecraft|post|gradio-min`.
// `echo` is a bare `ws` server that sends each frame back; `post` a bare `node:http` server that
// answers each POST with its JSON body; `spacecraft` serves `clients-app.ts`; `gradio-min` speaks
// just enough of Gradio's queue protocol for `@gradio/client` to call `clients-app.ts`'s fn. Prints
// its port on stdout, then serves until killed.
import type { ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { apiInfo } from "spacecraft/api-info";
import { serve } from "spacecraft/server";
import { WebSocketServer } from "ws";
import space from "./clients-app.js";

const kind = process.argv[2];
// Exit cleanly on kill, so `node --cpu-prof` can write its profile; a server that keeps streams
// open closes them first.
let closing: (() => Promise<unknown> | undefined) | undefined;
process.on("SIGTERM", () => {
  void Promise.resolve(closing?.()).finally(() => process.exit(0));
});
if (kind === "echo") {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  server.on("connection", (socket) =>
    socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary })),
  );
  server.on("listening", () => console.log((server.address() as AddressInfo).port));
} else if (kind === "post") {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      response.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length });
      response.end(body);
    });
  });
  server.listen(0, "127.0.0.1", () => console.log((server.address() as AddressInfo).port));
} else if (kind === "gradio-min") {
  // The least a server can do and still speak Gradio's queue protocol to `@gradio/client`:
  // `node:http`, the Space's config and /info, `queue/join` answered with an event id, the result
  // as one `process_completed` on the session's open `queue/data` stream.
  const config = JSON.stringify(space.toConfig());
  const info = JSON.stringify(apiInfo(space.endpoints));
  const streams = new Map<string, ServerResponse>();
  /** Messages for sessions whose stream is not open yet (the client opens it after its first join). */
  const waiting = new Map<string, string[]>();
  const fn = space.endpoints[0]?.fn as (...args: unknown[]) => unknown;
  let next = 0;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const send = (type: string, text: string) => {
      response.writeHead(200, { "Content-Type": type, "Content-Length": Buffer.byteLength(text) });
      response.end(text);
    };
    if (url.pathname === "/config") return send("application/json", config);
    if (url.pathname === "/gradio_api/info") return send("application/json", info);
    if (url.pathname === "/gradio_api/queue/data") {
      response.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
      response.flushHeaders();
      const session = url.searchParams.get("session_hash") ?? "";
      streams.set(session, response);
      response.on("close", () => streams.get(session) === response && streams.delete(session));
      for (const line of waiting.get(session) ?? []) response.write(line);
      waiting.delete(session);
      return;
    }
    if (url.pathname !== "/gradio_api/queue/join") {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { data: unknown[]; session_hash: string };
      const eventId = String(next++);
      send("application/json", JSON.stringify({ event_id: eventId }));
      const data = await fn(...body.data);
      const output = { data, is_generating: false, duration: 0, average_duration: 0 };
      const message = { msg: "process_completed", event_id: eventId, success: true, output };
      const line = `data: ${JSON.stringify(message)}\n\n`;
      const stream = streams.get(body.session_hash);
      if (stream) stream.write(line);
      else waiting.set(body.session_hash, [...(waiting.get(body.session_hash) ?? []), line]);
    });
  });
  server.listen(0, "127.0.0.1", () => console.log((server.address() as AddressInfo).port));
  // Its streams end as Gradio ends them (`close_stream`): a client still connected at the end
  // closes its stream instead of reporting the connection lost.
  closing = async () => {
    for (const stream of streams.values())
      stream.end(`data: ${JSON.stringify({ msg: "close_stream", event_id: null })}\n\n`);
    server.close();
  };
} else if (kind === "spacecraft") {
  const server = await serve(space, { port: 0 });
  console.log(server.port);
  closing = () => server.close();
} else {
  console.error("Usage: tsx bench/server.ts echo|post|spacecraft|gradio-min");
  process.exit(2);
}
