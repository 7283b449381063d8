/** The config a Space serves at `GET /config`: a superset of Gradio's. */
export interface SpaceConfig {
  /** Gradio-compatible protocol name (read by `@gradio/client`). */
  protocol: "sse_v3";
  /** Prefix of the Gradio-compatible HTTP API. */
  api_prefix: "/gradio_api";
  /** `"interface"` for `Interface(...)`, `"blocks"` for free layouts. */
  mode: "interface" | "blocks";
  /** Gradio-style version string. */
  version: string;
  enable_queue: true;
  connect_heartbeat: false;
  show_error: true;
  /** Page title. */
  title: string;
  /** Markdown shown under the title. */
  description: string;
  /** Markdown shown under the demo. */
  article: string;
  /** Colour scheme: follow the system, or force one. */
  theme: "system" | "light" | "dark";
  components: ComponentConfig[];
  layout: LayoutNode;
  dependencies: DependencyConfig[];
  /** The transformers.js models the Space loads. */
  models: { task: string; model: string }[];
  /** Our own fields. */
  spacecraft: {
    version: string;
    /** Served by `spacecraft dev`: the page reloads when the server restarts. */
    dev: boolean;
    /** Where the engine runs: on the server (WebSocket), or in a Web Worker (static Space). */
    runtime: "server" | "worker";
    /** Largest WebSocket message the server accepts, in bytes. */
    maxMessageBytes: number;
  };
}

/** One component (or layout block, button, examples table) of the page. */
export interface ComponentConfig {
  id: number;
  /** Gradio type name: `textbox`, `row`, `button`, `dataset`, … */
  type: string;
  props: Record<string, unknown>;
}

/** The layout tree: ids of components, nested in rows and columns. */
export interface LayoutNode {
  id: number;
  children?: LayoutNode[];
}

/** An event handler: which trigger runs which endpoint, with which inputs and outputs. */
export interface DependencyConfig {
  id: number;
  /** `[componentId, eventName]` pairs that trigger it. */
  targets: [number, string][];
  inputs: number[];
  outputs: number[];
  api_name: string;
  api_visibility: "public" | "undocumented" | "private";
  queue: boolean;
  backend_fn: true;
  /** Concurrent runs allowed; `null` means unlimited. */
  concurrency_limit: number | null;
  types: { generator: boolean; cancel: boolean };
  /** Whether queued requests are grouped into one call. */
  batch: boolean;
  max_batch_size: number;
  trigger_mode: "once";
  show_progress: "full";
}
