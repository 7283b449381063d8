// The WebSocket transport's ways of starting, which pages use: `openLater` (no socket until later,
// and what was sent meanwhile goes once it opens) and `opened` (a socket the page opened before,
// and the runs sent over it, which the page then follows).
import * as sc from "spacecraft";
import type { EarlyRun, JobMessage } from "spacecraft/client";
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

describe("WebSocketTransport with an opened socket (the server page's first script opens one)", () => {
  const session = "0123456789abcdef0123456789abcdef";
  /** A socket to the Space under `session`, once it is open. */
  async function openSocket(): Promise<globalThis.WebSocket> {
    const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/ws?session=${session}`);
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    return socket as unknown as globalThis.WebSocket;
  }

  it("runs over it under its session, after giving its listeners what it received before", async () => {
    const { Socket, made } = countingSocket();
    const socket = await openSocket();
    const early = JSON.stringify({ type: "error", message: "came before the transport" });
    const transport = new WebSocketTransport(new URL("ws", `${server.url}/`), Socket, {
      opened: { socket, session, received: [early] },
    });
    const heard: unknown[] = [];
    const states: string[] = [];
    transport.onMessage((message) => heard.push(message));
    transport.onState((state) => states.push(state));
    expect(transport.session).toBe(session);
    expect(await run(transport, ["hello"])).toMatchObject({ type: "complete", data: ["HELLO"] });
    expect(heard[0]).toEqual({ type: "error", message: "came before the transport" });
    expect(states).toEqual(["open"]);
    expect(made.count, "no socket of its own").toBe(0);
    transport.close();
  });

  it("opens its own, under the same session, when the one it was given has closed", async () => {
    const { Socket, made } = countingSocket();
    const socket = await openSocket();
    socket.close();
    await new Promise((resolve) => (socket as unknown as WebSocket).once("close", resolve));
    const transport = new WebSocketTransport(new URL("ws", `${server.url}/`), Socket, {
      opened: { socket, session, received: [] },
    });
    expect(transport.session).toBe(session);
    expect(await run(transport, ["again"])).toMatchObject({ type: "complete", data: ["AGAIN"] });
    expect(made.count).toBe(1);
    transport.close();
  });

  /** Follows `early` and resolves with the types of its messages, and its data, once it ends. */
  function follow(early: EarlyRun): Promise<{ types: string[]; data?: unknown }> {
    return new Promise((resolve) => {
      const types: string[] = [];
      early.follow((message) => {
        types.push(message.type);
        if (message.type === "complete") resolve({ types, data: message.data });
        if (message.type === "error") resolve({ types, data: message.message });
      });
    });
  }

  it("hands its runs to the page: what came before the hand-over, then the rest, in order", async () => {
    const socket = await openSocket();
    const received: unknown[] = [];
    const hold = (data: unknown) => received.push(String(data));
    (socket as unknown as WebSocket).on("message", hold);
    socket.send(JSON.stringify({ type: "predict", id: "early-0", endpoint: 0, data: ["done"] }));
    await eventuallyTrue(() => received.some((text) => String(text).includes('"complete"')));
    // The second is in flight at the hand-over: its messages come to the transport's listener.
    socket.send(JSON.stringify({ type: "predict", id: "early-1", endpoint: 0, data: ["flying"] }));
    (socket as unknown as WebSocket).off("message", hold);
    const transport = new WebSocketTransport(new URL("ws", `${server.url}/`), countingSocket().Socket, {
      opened: {
        socket,
        session,
        received,
        runs: [
          { id: "early-0", endpoint: 0 },
          { id: "early-1", endpoint: 0 },
        ],
      },
    });
    const unclaimed: unknown[] = [];
    transport.onMessage((message) => unclaimed.push(message));
    expect(transport.early.map((run) => run.endpoint)).toEqual([0, 0]);
    const [done, flying] = await Promise.all(transport.early.map(follow));
    const before = received
      .map((text) => JSON.parse(String(text)) as { id?: string; type: string })
      .filter((message) => message.id === "early-0")
      .map((message) => message.type);
    expect(done, "the messages that came before, as they came").toEqual({ types: before, data: ["DONE"] });
    expect(flying?.data).toEqual(["FLYING"]);
    expect(flying?.types.at(-1)).toBe("complete");
    expect(unclaimed, "every message of the two runs reached its follower").toEqual([]);
    transport.close();
  });

  it("ends the runs sent over a socket that closed before the hand-over with an error", async () => {
    const socket = await openSocket();
    socket.close();
    await new Promise((resolve) => (socket as unknown as WebSocket).once("close", resolve));
    const transport = new WebSocketTransport(new URL("ws", `${server.url}/`), countingSocket().Socket, {
      opened: { socket, session, received: [], runs: [{ id: "early-0", endpoint: 0 }] },
    });
    const reopened = new Promise<void>((resolve) =>
      transport.onState((state) => state === "open" && resolve()),
    );
    const [lost] = transport.early;
    expect(await follow(lost as EarlyRun)).toEqual({
      types: ["error"],
      data: "Lost the connection to the server. Please try again.",
    });
    // It opened its own (under the same session), as without runs.
    await reopened;
    transport.close();
  });
});

/** Resolves once `check` holds (polled; 20 s deadline, for a busy machine). */
async function eventuallyTrue(check: () => boolean): Promise<void> {
  await expect.poll(check, { timeout: 20_000, interval: 20 }).toBe(true);
}
