import type { ClientMessage, ServerMessage } from "../protocol.js";
import type { ConnectionState, EarlyRun, JobHandle, JobMessage, Transport } from "./transport.js";
import { routeMessage } from "./transport.js";

/**
 * A socket to the Space that a page opened before its transport: it, its session, what came
 * meanwhile, and the runs sent over it.
 */
export interface OpenedSocket {
  socket: WebSocket;
  session: string;
  received: unknown[];
  runs?: { id: string; endpoint: number }[];
}

/**
 * The native protocol over a WebSocket, reconnecting with backoff. Jobs in flight when the
 * connection drops end with an error (the server cancels them too).
 * @example const transport = new WebSocketTransport(new URL("/ws", location.href))
 */
export class WebSocketTransport implements Transport {
  /** This page's session id (`?session=`): the server keeps its files and State under it. */
  readonly session: string;
  readonly #url: string;
  readonly #jobs = new Map<string, (message: JobMessage) => void>();
  readonly #outbox: string[] = [];
  readonly #listeners: ((message: ServerMessage) => void)[] = [];
  readonly #stateListeners: ((state: ConnectionState, reopened: boolean) => void)[] = [];
  #socket: WebSocket | undefined;
  #counter = 0;
  /** Job ids are this and a counter: unique within the session, whatever reconnects. */
  readonly #idPrefix = `${Date.now().toString(36)}-`;
  #everOpened = false;
  #closed = false;
  #retryMs = 250;
  /** The runs sent over the `opened` socket before this transport took it, for the page to follow. */
  readonly early: EarlyRun[] = [];

  readonly #Socket: typeof WebSocket;

  /**
   * `openLater`: open the socket once the page has drawn its first frame (or within 100 ms, in a
   * page that draws none), not in the constructor: opening one costs a page's main thread about
   * 2 ms. Messages sent meanwhile wait and go once it opens.
   * `opened`: use this socket, already opening (the server page's first script opens it while the
   * page loads), and its session; what it received comes to the listeners first.
   */
  constructor(
    url: string | URL,
    Socket: typeof WebSocket = globalThis.WebSocket,
    options: { openLater?: boolean; opened?: OpenedSocket } = {},
  ) {
    this.#Socket = Socket;
    const target = new URL(url);
    target.protocol =
      target.protocol === "https:" ? "wss:" : target.protocol === "http:" ? "ws:" : target.protocol;
    // One session across reconnects: the server keeps this connection's files for it.
    this.session = options.opened?.session ?? randomSessionId();
    target.searchParams.set("session", this.session);
    this.#url = target.href;
    const opened = options.opened;
    for (const run of opened?.runs ?? []) this.early.push(this.#earlyRun(run.id, run.endpoint));
    if (opened && opened.socket.readyState <= 1) {
      this.#attach(opened.socket);
      // After the caller has added its listeners (it does so right after constructing).
      queueMicrotask(() => {
        if (opened.socket.readyState === 1) this.#opened(opened.socket);
        for (const data of opened.received) this.#receive(data);
      });
      return;
    }
    // Closed before it was handed over: the runs sent over it are lost with it.
    this.#failJobs("Lost the connection to the server. Please try again.");
    if (!options.openLater) {
      this.#connect();
      return;
    }
    const open = () => {
      clearTimeout(fallback);
      if (!this.#socket && !this.#closed) this.#connect();
    };
    const fallback = setTimeout(open, 100);
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => setTimeout(open));
  }

  submit(
    endpoint: number | string,
    data: unknown[],
    onMessage: (message: JobMessage) => void,
    eventData?: unknown,
  ): JobHandle {
    const id = `${this.#idPrefix}${(this.#counter++).toString(36)}`;
    this.#jobs.set(id, onMessage);
    const message: ClientMessage = { type: "predict", id, endpoint, data };
    if (eventData !== undefined) message.eventData = eventData;
    this.#send(message);
    return this.#handle(id);
  }

  /** A job's handle: cancelling asks the server to stop it while it runs. */
  #handle(id: string): JobHandle {
    return { id, cancel: () => this.#jobs.has(id) && this.#send({ type: "cancel", id }) };
  }

  /** A run sent over the opened socket: its messages wait until the page follows it. */
  #earlyRun(id: string, endpoint: number): EarlyRun {
    const waiting: JobMessage[] = [];
    let follower: ((message: JobMessage) => void) | undefined;
    this.#jobs.set(id, (message) => (follower ? follower(message) : waiting.push(message)));
    return {
      endpoint,
      follow: (onMessage) => {
        // After the caller has its handle (the run may have ended already).
        queueMicrotask(() => {
          for (const message of waiting.splice(0)) onMessage(message);
          follower = onMessage;
        });
        return this.#handle(id);
      },
    };
  }

  onMessage(listener: (message: ServerMessage) => void): void {
    this.#listeners.push(listener);
  }

  onState(listener: (state: ConnectionState, reopened: boolean) => void): void {
    this.#stateListeners.push(listener);
  }

  close(): void {
    this.#closed = true;
    if (this.#socket) this.#socket.close();
    // Closed before it opened (`openLater`): what was sent will not go.
    else this.#failJobs("The connection was closed before it opened.");
  }

  #send(message: ClientMessage): void {
    const text = JSON.stringify(message);
    if (this.#socket?.readyState === 1) this.#socket.send(text);
    else this.#outbox.push(text);
  }

  #connect(): void {
    this.#emitState("connecting", false);
    this.#attach(new this.#Socket(this.#url));
  }

  #attach(socket: WebSocket): void {
    this.#socket = socket;
    socket.addEventListener("open", () => this.#opened(socket));
    socket.addEventListener("message", (event) => this.#receive(event.data));
    socket.addEventListener("close", () => {
      this.#failJobs("Lost the connection to the server. Please try again.");
      this.#emitState("closed", false);
      if (this.#closed) return;
      setTimeout(() => this.#connect(), this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, 5000);
    });
  }

  #opened(socket: WebSocket): void {
    const reopened = this.#everOpened;
    this.#everOpened = true;
    this.#retryMs = 250;
    for (const text of this.#outbox.splice(0)) socket.send(text);
    this.#emitState("open", reopened);
  }

  #failJobs(message: string): void {
    for (const [id, listener] of this.#jobs) listener({ type: "error", id, message });
    this.#jobs.clear();
  }

  #receive(raw: unknown): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(raw)) as ServerMessage;
    } catch {
      return;
    }
    routeMessage(message, this.#jobs, this.#listeners);
  }

  #emitState(state: ConnectionState, reopened: boolean): void {
    for (const listener of this.#stateListeners) listener(state, reopened);
  }
}

/** 128 random bits as 32 hex digits. */
function randomSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
