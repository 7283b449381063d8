import type { AnyComponent } from "./components/component.js";
import type {
  ComponentConfig,
  DependencyConfig,
  EventName,
  LayoutNode,
  SpaceConfig,
  TriggerMode,
} from "./config.js";
import type { Context } from "./context.js";
import type { BatchOptions } from "./engine/queue.js";
import type { InferenceHandle } from "./models/inference.js";
import type { ModelHandle } from "./models/pipeline.js";
import type { PageLook } from "./page-look.js";

declare const __SPACECRAFT_SERVER__: boolean | undefined;
/** False only in a static Space's worker, which never serves a config (the build wrote it). */
const SERVES_CONFIG = typeof __SPACECRAFT_SERVER__ === "undefined" || __SPACECRAFT_SERVER__;

/** The version of this package, reported in the config. */
export const VERSION = "0.1.0";

/** A function behind an endpoint, after type checking: inputs then the context. */
export type EndpointFn = (...args: unknown[]) => unknown;

/** One callable endpoint of a Space. */
export interface Endpoint {
  /** Index in `space.endpoints`, also the Gradio `fn_index`. */
  readonly index: number;
  readonly apiName: string;
  readonly inputs: readonly AnyComponent[];
  readonly outputs: readonly AnyComponent[];
  readonly inputIds: readonly number[];
  readonly outputIds: readonly number[];
  readonly fn: (...args: [...unknown[], Context]) => unknown;
  /** Concurrent runs; `null` is unlimited. */
  readonly concurrencyLimit: number | null;
  /** Most requests waiting in the queue; `null` is unlimited. */
  readonly maxQueueSize: number | null;
  /** Longest run in seconds; `null` is none, undefined takes the server's default. */
  readonly timeLimit?: number | null;
  /** Whether `fn` is a generator function (streams partial outputs). */
  readonly generator: boolean;
  /** `[componentId, event]` pairs that trigger it in the page; id 0 is the page (`page.load`). */
  readonly targets: readonly [number, string][];
  /** False for an event with no function (it only cancels others in the page). */
  readonly backendFn: boolean;
  /** The endpoint it runs after in the page (`.then`/`.success`), or null. */
  readonly triggerAfter: number | null;
  /** Runs after `triggerAfter` only when that one succeeded. */
  readonly onlyOnSuccess: boolean;
  /** What the page does with a trigger while it runs. */
  readonly triggerMode: TriggerMode;
  /** Endpoints whose running jobs the page stops when this one triggers. */
  readonly cancels: readonly number[];
  /** Whether it goes through the queue (false: no concurrency limit). */
  readonly queue: boolean;
  /** How the page shows its runs. */
  readonly showProgress: "full" | "minimal" | "hidden";
  /** The model `fn` receives as `ctx.model`; loaded before the first run. */
  readonly model?: ModelHandle | InferenceHandle;
  /** Groups queued requests into one call of `fn` with lists of inputs. */
  readonly batch?: BatchOptions;
  /** Example rows (wire values, or file paths), for API docs. */
  readonly examples?: readonly (readonly unknown[])[];
  /** Who may call it by API: listed and callable, callable only, or only from the page. */
  readonly visibility: "public" | "undocumented" | "private";
}

/** What a Space is made of; built by `Blocks` (and `Interface`, a Blocks underneath). */
export interface SpaceParts {
  mode: SpaceConfig["mode"];
  title: string;
  description: string;
  article: string;
  theme: SpaceConfig["theme"];
  /** The theme's custom properties, the Space's `css` and `head`, when it has any. */
  look?: Omit<PageLook, "mode">;
  /** Serve the public endpoints as MCP tools. */
  mcp: boolean;
  /** The page has a Share button (deep links). */
  deepLinks: boolean;
  components: ComponentConfig[];
  layout: LayoutNode;
  endpoints: Endpoint[];
  /** A chat Space's page and API endpoints (`ChatInterface`). */
  chat?: { readonly endpoint: number; readonly api: number };
  /** What the page's visitors may flag (`Interface`'s `flagging`); absent: nothing. */
  flagging?: FlaggingParts;
}

/** How a Space flags runs: a Flag button or every run, the reasons offered, where they are written. */
export interface FlaggingParts {
  readonly mode: "manual" | "auto";
  readonly options: readonly string[];
  /** A folder, relative to the app's. */
  readonly dir: string;
  /** The API name of the endpoint whose runs are flagged. */
  readonly endpoint: string;
}

/** The wire values of each endpoint by API name, for typed clients (State left out). */
export type ApiMap = {
  readonly [apiName: string]: { inputs: readonly unknown[]; outputs: readonly unknown[] };
};

/**
 * A declared demo: components, layout and endpoints. Serve it, or turn it into config.
 * `Api` types each endpoint's wire values by its API name, for typed clients.
 */
export class Space<Api extends ApiMap = ApiMap> {
  /** Type-level only: the wire values a client sends and receives, per endpoint. */
  declare readonly "~api"?: Api;
  /** The endpoints, in `fn_index` order. */
  readonly endpoints: readonly Endpoint[];
  readonly #parts: SpaceParts;

  constructor(parts: SpaceParts) {
    this.#parts = parts;
    this.endpoints = parts.endpoints;
  }

  /** What the Space is made of (for `TabbedInterface`, which combines Spaces). */
  get parts(): Readonly<SpaceParts> {
    return this.#parts;
  }

  /** The page title. */
  get title(): string {
    return this.#parts.title;
  }

  /** A chat Space's page and API endpoints; undefined for other Spaces. */
  get chat(): SpaceParts["chat"] {
    return this.#parts.chat;
  }

  /** How the Space flags runs, when it does (`Interface`'s `flagging`). */
  get flagging(): FlaggingParts | undefined {
    return this.#parts.flagging;
  }

  /** Whether the Space asked to be served as MCP tools. */
  get mcp(): boolean {
    return this.#parts.mcp;
  }

  /** The distinct local models the endpoints use, to load at start-up (remote ones have nothing to load). */
  get models(): ModelHandle[] {
    return [
      ...new Set(this.endpoints.flatMap(({ model }) => (model && !("remote" in model) ? [model] : []))),
    ];
  }

  /** Finds an endpoint by index or `api_name` (with or without a leading slash). */
  endpoint(key: number | string): Endpoint | undefined {
    if (typeof key === "number") return this.endpoints[key];
    const name = key.startsWith("/") ? key.slice(1) : key;
    return this.endpoints.find((endpoint) => endpoint.apiName === name);
  }

  /** The JSON config served at `/config`; `dev` marks a `spacecraft dev` server. */
  toConfig(
    options: { dev?: boolean; maxMessageBytes?: number; runtime?: "server" | "worker" } = {},
  ): SpaceConfig {
    if (!SERVES_CONFIG)
      throw new Error("A static Space's worker has no config; the build wrote config.json.");
    const parts = this.#parts;
    return {
      protocol: "sse_v3",
      api_prefix: "/gradio_api",
      mode: parts.mode,
      version: `spacecraft ${VERSION}`,
      enable_queue: true,
      // A Gradio client keeps its session (and so its State) alive with a heartbeat, as Gradio asks.
      connect_heartbeat: parts.components.some((component) => component.type === "state"),
      show_error: true,
      title: parts.title,
      description: parts.description,
      article: parts.article,
      theme: parts.theme,
      // A copy: servers fill in example files and must not share them through the Space.
      components: structuredClone(parts.components),
      layout: structuredClone(parts.layout),
      dependencies: parts.endpoints.map((endpoint) => toDependency(endpoint, parts.layout.id)),
      models: this.models.map((model) => ({ task: model.task, model: model.model })),
      ...(parts.look?.css !== undefined ? { css: parts.look.css } : {}),
      ...(parts.look?.head !== undefined ? { head: parts.look.head } : {}),
      spacecraft: {
        version: VERSION,
        dev: options.dev ?? false,
        runtime: options.runtime ?? "server",
        maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
        deepLinks: parts.deepLinks,
        ...(parts.chat ? { chat: { ...parts.chat } } : {}),
        // A static Space has no server to write flags to: its page shows no Flag button.
        ...(parts.flagging && options.runtime !== "worker"
          ? { flagging: { mode: parts.flagging.mode, options: [...parts.flagging.options] } }
          : {}),
        ...(parts.look?.variables ? { theme: structuredClone(parts.look.variables) } : {}),
      },
    };
  }
}

/** Default largest WebSocket message, in bytes. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/** An endpoint's dependency in the config: the page's events name the layout's root, as Gradio's `demo.load` names the Blocks. */
function toDependency(endpoint: Endpoint, rootId: number): DependencyConfig {
  return {
    id: endpoint.index,
    targets:
      endpoint.triggerAfter === null
        ? endpoint.targets.map(([id, event]) => [id || rootId, event as EventName])
        : [[null, endpoint.onlyOnSuccess ? "success" : "then"]],
    trigger_after: endpoint.triggerAfter,
    trigger_only_on_success: endpoint.onlyOnSuccess,
    trigger_only_on_failure: false,
    inputs: [...endpoint.inputIds],
    outputs: [...endpoint.outputIds],
    api_name: endpoint.apiName,
    api_visibility: endpoint.visibility,
    queue: endpoint.queue,
    backend_fn: endpoint.backendFn,
    js: null,
    concurrency_limit: endpoint.concurrencyLimit,
    types: { generator: endpoint.generator, cancel: false },
    batch: endpoint.batch !== undefined,
    max_batch_size: endpoint.batch?.maxSize ?? 4,
    trigger_mode: endpoint.triggerMode,
    cancels: [...endpoint.cancels],
    show_progress: endpoint.showProgress,
  };
}
