// One benchmark server in its own process: `tsx bench/server.ts echo|spacecraft`.
// Prints its port on stdout, then serves until killed.
import * as sc from "spacecraft";
import { serve } from "spacecraft/server";
import { WebSocketServer } from "ws";

const kind = process.argv[2];
if (kind === "echo") {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  server.on("connection", (socket) =>
    socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary })),
  );
  server.on("listening", () => {
    const address = server.address();
    console.log(address && typeof address === "object" ? address.port : address);
  });
} else if (kind === "spacecraft") {
  const space = sc.Interface({ fn: (text) => text, inputs: [sc.Textbox()], outputs: [sc.Textbox()] });
  const server = await serve(space, { port: 0 });
  console.log(server.port);
} else {
  console.error("Usage: tsx bench/server.ts echo|spacecraft");
  process.exit(2);
}
