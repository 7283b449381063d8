// The WebSocket transport's `openLater` (what the page uses): no socket until later, and what was
// sent meanwhile goes once it opens.
import * as sc from "spacecraft";
import type { JobMessage } from "spacecraft/client";
import { WebSocketTransport } from "spacecraft/client/websocket";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";

let server: RunningServer;
beforeAll(async () => {
  const app = sc.Interface({
    fn: (text) => text.toUpperCase(),
    inputs: [sc.Textbox()],
    outputs: [sc.Textbox()],
  });
  server = await serve(app, { port: 0 });
});
afterAll(async () => {
  await server?.close();
});

/** A `ws` WebSocket class that counts the sockets made with it. */
function countingSocket() {
  const made = { count: 0 };
  class Counted extends WebSocket {
    constructor(url: string) {
      super(url);
      made.count++;
    }
  }
  return { Socket: Counted as unknown as typeof globalThis.WebSocket, made };
}

/** Submits `data` and resolves with the job's last message. */
function run(transport: WebSocketTransport, data: unknown[]): Promise<JobMessage> {
  return new Promise((resolve) => {
    transport.submit(0, data, (message) => {
      if (message.type === "complete" || message.type === "error") resolve(message);
    });
  });
}

describe("WebSocketTransport with openLater", () => {
  it("opens no socket in the constructor, then sends what waited once it opens", async () => {
    const { Socket, made } = countingSocket();
    const transport = new WebSocketTransport(new URL("ws", `${server.url}/`), Socket, { openLater: true });
    expect(made.count).toBe(0);
    const ended = run(transport, ["hello"]);
    expect(made.count).toBe(0);
    expect(await ended).toMatchObject({ type: "complete", data: ["HELLO"] });
    expect(made.count).toBe(1);
    transport.close();
  });

  it("closed before it opened: its jobs end with an error and no socket is ever made", async () => {
    const { Socket, made } = countingSocket();
    const transport = new WebSocketTransport(new URL("ws", `${server.url}/`), Socket, { openLater: true });
    const ended = run(transport, ["hello"]);
    transport.close();
    expect(await ended).toMatchObject({
      type: "error",
      message: "The connection was closed before it opened.",
    });
    // Past the 100 ms by which a page that draws no frame opens it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(made.count).toBe(0);
  });
});
