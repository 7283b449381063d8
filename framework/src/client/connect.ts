import { parameterNames } from "../api-names.js";
import type { SpaceConfig } from "../config.js";
import type { ServerMessage } from "../protocol.js";
import type { ApiMap, Space } from "../space.js";
import type { JobMessage } from "./transport.js";
import { WebSocketTransport } from "./websocket.js";

/** An event of a running call, as {@link SpaceClient.submit} yields them. */
export type ClientEvent<Outputs extends readonly unknown[] = unknown[]> =
  | { type: "queued"; position: number; size: number; eta?: number }
  | { type: "started"; eta?: number }
  | { type: "progress"; value: number; total?: number; desc?: string }
  | { type: "partial"; data: Outputs }
  | { type: "complete"; data: Outputs; duration: number };

/** A call that failed: the Space's message, and the input at fault when there is one. */
export class SpaceCallError extends Error {
  override name = "SpaceCallError";
  constructor(
    message: string,
    /** Label of the input the error is about. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A running call: its events as an async iterator, and a way to cancel it. */
export interface SpaceCall<Outputs extends readonly unknown[]> extends AsyncIterable<ClientEvent<Outputs>> {
  cancel(): void;
}

/** Inputs by position, or by keyword (the snake_case labels `/info` lists). */
export type CallInputs<Inputs extends readonly unknown[]> = Inputs | Record<string, unknown>;

/** An endpoint's API name, with or without the leading slash. */
export type EndpointName<Api extends ApiMap> = (keyof Api & string) | `/${keyof Api & string}`;

/** The wire values of the endpoint `K` names (State left out). */
export type EndpointTypes<Api extends ApiMap, K> = Api[K extends `/${infer Name}` ? Name : K & string];

/**
 * A connection to a Space over its native protocol, typed per endpoint by `Api`. State inputs
 * and outputs are not parameters: the Space keeps them for this connection.
 */
export interface SpaceClient<Api extends ApiMap = ApiMap> {
  readonly config: SpaceConfig;
  /** Runs an endpoint (by API name or index) and resolves with its outputs. */
  predict<K extends EndpointName<Api>>(
    endpoint: K,
    inputs: CallInputs<EndpointTypes<Api, K>["inputs"]>,
    options?: CallOptions,
  ): Promise<EndpointTypes<Api, K>["outputs"]>;
  predict(
    endpoint: number,
    inputs: CallInputs<readonly unknown[]>,
    options?: CallOptions,
  ): Promise<unknown[]>;
  /** Runs an endpoint and yields its status, partial results and completion. */
  submit<K extends EndpointName<Api>>(
    endpoint: K,
    inputs: CallInputs<EndpointTypes<Api, K>["inputs"]>,
    options?: CallOptions,
  ): SpaceCall<EndpointTypes<Api, K>["outputs"]>;
  submit(
    endpoint: number,
    inputs: CallInputs<readonly unknown[]>,
    options?: CallOptions,
  ): SpaceCall<unknown[]>;
  close(): void;
}

/** Options of one call. */
export interface CallOptions {
  /**
   * The data of the event the call stands for, as `fn` gets it in `ctx.event`: a `select`
   * listener's `{ index, value, selected }` (required by events that carry data).
   */
  eventData?: unknown;
}

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** The WebSocket class to use (default: the global one, or on Node without one, `ws`'s). */
  WebSocket?: typeof globalThis.WebSocket;
}

/**
 * Connects to a Spacecraft Space (its page URL) over the native WebSocket protocol. Pass the
 * Space's type to get typed inputs and outputs.
 * @example
 * const space = await connect<typeof import("./app.ts").default>("http://127.0.0.1:7860")
 * const [text] = await space.predict("/predict", ["ha", 3])
 */
export async function connect<S extends Space = Space>(
  url: string | URL,
  options: ConnectOptions = {},
): Promise<SpaceClient<NonNullable<S["~api"]>>> {
  type In = readonly unknown[];
  type Out = unknown[];
  const base = new URL(url);
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  const response = await fetch(new URL("config", base));
  if (!response.ok)
    throw new SpaceCallError(
      `Cannot read ${new URL("config", base)} (HTTP ${response.status}). Is it a Spacecraft Space?`,
    );
  const config = (await response.json()) as SpaceConfig;
  const Socket = options.WebSocket ?? globalThis.WebSocket ?? (await nodeWebSocket());
  if (!Socket) {
    throw new SpaceCallError(
      'No WebSocket here. Pass one: connect(url, { WebSocket }), e.g. WebSocket from "ws".',
    );
  }
  const transport = new WebSocketTransport(new URL("ws", base), Socket);
  const labels = new Map(
    config.components.map((component) => [component.id, component.props.label as string | undefined]),
  );

  type Dependency = SpaceConfig["dependencies"][number];
  /** Endpoints looked up so far, by what the caller named them with. */
  const dependencies = new Map<string | number, Dependency>();
  const dependency = (endpoint: string | number): Dependency => {
    const known = dependencies.get(endpoint);
    if (known) return known;
    const name = typeof endpoint === "string" ? endpoint.replace(/^\//, "") : undefined;
    const found = config.dependencies.find((dep) =>
      name === undefined ? dep.id === endpoint : dep.api_name === name,
    );
    if (!found) {
      throw new SpaceCallError(
        `No endpoint ${JSON.stringify(endpoint)}. This Space has: ${config.dependencies.map((dep) => `/${dep.api_name}`).join(", ")}.`,
      );
    }
    dependencies.set(endpoint, found);
    return found;
  };

  const states = new Set(config.components.filter((c) => c.type === "state").map((c) => c.id));
  /** The full data list: the caller's values for the parameters, null in State slots (the Space fills them). */
  const toList = (found: Dependency, inputs: CallInputs<In>): unknown[] => {
    // The transport serialises the list at once: the caller's own array can go as it is.
    if (Array.isArray(inputs) && states.size === 0) return inputs as unknown[];
    const params = found.inputs.filter((id) => !states.has(id));
    let values: unknown[];
    if (Array.isArray(inputs)) {
      values = [...inputs];
    } else {
      const names = parameterNames(params.map((id) => labels.get(id)));
      const given = inputs as Record<string, unknown>;
      const unknown = Object.keys(given).filter((key) => !names.includes(key));
      if (unknown.length > 0)
        throw new SpaceCallError(`Unknown input "${unknown[0]}". Inputs: ${names.join(", ")}.`);
      values = params.map((id, i) => {
        const name = names[i] as string;
        return name in given
          ? given[name]
          : config.components.find((component) => component.id === id)?.props.value;
      });
    }
    if (params.length === found.inputs.length) return values;
    let next = 0;
    return found.inputs.map((id) => (states.has(id) ? null : values[next++]));
  };
  /** Each endpoint's outputs that callers see, once looked up. */
  const shownOutputs = new Map<Dependency, number[] | undefined>();
  /** Indices of an endpoint's outputs that callers see (State left out), or undefined for all. */
  const visibleOutputs = (found: Dependency): number[] | undefined => {
    if (shownOutputs.has(found)) return shownOutputs.get(found);
    const shown = found.outputs.flatMap((id, i) => (states.has(id) ? [] : [i]));
    const visible = shown.length === found.outputs.length ? undefined : shown;
    shownOutputs.set(found, visible);
    return visible;
  };

  const submit = (
    endpoint: string | number,
    inputs: CallInputs<In>,
    options: CallOptions = {},
  ): SpaceCall<Out> => {
    const found = dependency(endpoint);
    const queue: (ClientEvent<Out> | SpaceCallError)[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    const visible = visibleOutputs(found);
    const job = transport.submit(
      found.id,
      toList(found, inputs),
      (message: JobMessage) => {
        const event = toEvent<Out>(message, labels, visible);
        if (event) queue.push(event);
        if (message.type === "complete" || message.type === "error" || message.type === "cancelled")
          ended = true;
        wake?.();
      },
      options.eventData,
    );
    return {
      cancel: () => job.cancel(),
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const next = queue.shift();
          if (next instanceof SpaceCallError) throw next;
          if (next) {
            yield next;
            if (next.type === "complete") return;
            continue;
          }
          if (ended) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      },
    };
  };

  // The outcome straight from the job's messages: no iterator, no queue of events.
  const predict = (endpoint: string | number, inputs: CallInputs<In>, options?: CallOptions) =>
    new Promise<Out>((resolve, reject) => {
      const found = dependency(endpoint);
      const visible = visibleOutputs(found);
      transport.submit(
        found.id,
        toList(found, inputs),
        (message: JobMessage) => {
          if (message.type === "complete") resolve(pickOutputs<Out>(message.data, visible));
          else if (message.type === "cancelled") reject(new SpaceCallError("The call was cancelled."));
          else if (message.type === "error") reject(toEvent<Out>(message, labels, visible));
        },
        options?.eventData,
      );
    });
  return { config, submit, predict, close: () => transport.close() } as SpaceClient<NonNullable<S["~api"]>>;
}

/** On Node without a global WebSocket (Node 20), `ws`'s, which spacecraft depends on; else undefined. */
async function nodeWebSocket(): Promise<typeof globalThis.WebSocket | undefined> {
  const runtime = globalThis as { process?: { versions?: { node?: string } } };
  if (!runtime.process?.versions?.node) return undefined;
  // A specifier in a variable: bundlers leave it alone, so browser bundles never include ws.
  const specifier = "ws";
  try {
    const ws = (await import(/* @vite-ignore */ specifier)) as { WebSocket: typeof globalThis.WebSocket };
    return ws.WebSocket;
  } catch {
    return undefined;
  }
}

/** The outputs callers see: `data` itself, or its `visible` indices (State outputs left out). */
function pickOutputs<Out extends readonly unknown[]>(data: unknown[], visible: number[] | undefined): Out {
  return (visible ? visible.map((i) => data[i]) : data) as unknown as Out;
}

function toEvent<Out extends readonly unknown[]>(
  message: ServerMessage,
  labels: Map<number, string | undefined>,
  /** Indices of the outputs to keep (State outputs left out), or all. */
  visible: number[] | undefined,
): ClientEvent<Out> | SpaceCallError | undefined {
  switch (message.type) {
    case "queued":
      return {
        type: "queued",
        position: message.position,
        size: message.size,
        ...(message.eta === undefined ? {} : { eta: message.eta }),
      };
    case "started":
      return { type: "started", ...(message.eta === undefined ? {} : { eta: message.eta }) };
    case "progress":
      return {
        type: "progress",
        value: message.value,
        ...(message.total === undefined ? {} : { total: message.total }),
        ...(message.desc === undefined ? {} : { desc: message.desc }),
      };
    case "partial":
      return { type: "partial", data: pickOutputs<Out>(message.data, visible) };
    case "complete":
      return { type: "complete", data: pickOutputs<Out>(message.data, visible), duration: message.duration };
    case "error":
      return new SpaceCallError(
        message.message,
        message.field === undefined ? undefined : labels.get(message.field),
      );
    default:
      return undefined;
  }
}
