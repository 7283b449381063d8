import type { ServerMessage } from "spacecraft";
import { WebSocket } from "ws";

/** A test client of the native protocol: sends messages and awaits the ones it expects. */
export interface ProtocolClient {
  readonly messages: ServerMessage[];
  send(message: unknown): void;
  sendRaw(data: string | Buffer): void;
  /** Resolves with the first message (already received or to come) that matches. */
  next(match: (message: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  /** The message that ends job `id`: complete, error or cancelled. */
  end(id: string): Promise<ServerMessage>;
  close(): Promise<void>;
}

/** Opens a WebSocket to `${baseUrl}/ws` (with `?session=` when given). */
export async function connect(
  baseUrl: string,
  headers: Record<string, string> = {},
  /** The page session to join (`?session=`), as a page that reconnects does. */
  session?: string,
): Promise<ProtocolClient> {
  const query = session === undefined ? "" : `?session=${encodeURIComponent(session)}`;
  const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/ws${query}`, { headers });
  const messages: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on("message", (data) => {
    messages.push(JSON.parse(String(data)) as ServerMessage);
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  // 20 s: a message a busy machine delays by seconds still arrives; one that never comes fails with
  // what did arrive.
  const next = (match: (message: ServerMessage) => boolean, timeoutMs = 20_000) =>
    new Promise<ServerMessage>((resolve, reject) => {
      const check = () => {
        const found = messages.find(match);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`No matching message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    messages,
    send: (message) => socket.send(JSON.stringify(message)),
    sendRaw: (data) => socket.send(data),
    next,
    end: (id) =>
      next(
        (m) =>
          "id" in m && m.id === id && (m.type === "complete" || m.type === "error" || m.type === "cancelled"),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once("close", () => resolve());
        socket.close();
      }),
  };
}
