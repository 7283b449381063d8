// One benchmark server in its own process: `tsx bench/server.ts echo|spacecraft|post`.
// `echo` is a bare `ws` server that sends each frame back; `post` a bare `node:http` server that
// answers each POST with its JSON body; `spacecraft` serves `clients-app.ts`. Prints its port on
// stdout, then serves until killed.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "spacecraft/server";
import { WebSocketServer } from "ws";
import space from "./clients-app.js";

const kind = process.argv[2];
// Exit cleanly on kill, so `node --cpu-prof` can write its profile.
process.on("SIGTERM", () => process.exit(0));
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
} else if (kind === "spacecraft") {
  const server = await serve(space, { port: 0 });
  console.log(server.port);
} else {
  console.error("Usage: tsx bench/server.ts echo|post|spacecraft");
  process.exit(2);
}
