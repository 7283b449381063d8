/** The config a Space serves at `GET /config`: a superset of Gradio's. */
export interface SpaceConfig {
  /** Gradio-compatible protocol name (read by `@gradio/client`). */
  protocol: "sse_v3";
  /** Prefix of the Gradio-compatible HTTP API. */
  api_prefix: "/gradio_api";
  /** `"interface"` for `Interface(...)`, `"blocks"` for free layouts. */
  mode: "interface" | "blocks" | "chat_interface";
  /** Gradio-style version string. */
  version: string;
  enable_queue: true;
  /** True when the Space has State: Gradio clients then keep their session open with `/heartbeat`. */
  connect_heartbeat: boolean;
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
  /** CSS the Space adds to its page after the theme (Gradio's `css`). */
  css?: string;
  /** HTML the Space adds to its page's `<head>` (Gradio's `head`). */
  head?: string;
  /** Our own fields. */
  spacecraft: {
    version: string;
    /** Served by `spacecraft dev`: the page reloads when the server restarts. */
    dev: boolean;
    /** Where the engine runs: on the server (WebSocket), or in a Web Worker (static Space). */
    runtime: "server" | "worker";
    /** Largest WebSocket message the server accepts, in bytes. */
    maxMessageBytes: number;
    /** The page shows a Share button: a link that reopens the demo with its inputs and outputs. */
    deepLinks: boolean;
    /** A chat Space's endpoints: the page's (`endpoint`) and the API's (`api`). */
    chat?: { endpoint: number; api: number };
    /** The Hub id (`owner/name`) of the Space serving this page (its `SPACE_ID`), for the footer. */
    spaceId?: string;
    /** The Space's README says `disable_embedding: true`: no other site may embed it. */
    disableEmbedding?: boolean;
    /** Flagging: `manual` shows a Flag button (with `options`, a choice of reasons); `auto` flags every run. */
    flagging?: { mode: "manual" | "auto"; options: string[] };
    /** Each built-in element type the Space shows → its chunk, relative to the page (`assets/…`). */
    elements?: Record<string, string>;
    /** The Space's own components: each type's element chunk, relative to the page (`assets/custom/…`). */
    customElements?: Record<string, string>;
    /** The Space's theme (not the default one): custom properties (`--sc-…`) for light and dark. */
    theme?: { light: Record<string, string>; dark: Record<string, string> };
  };
}

/** One component (or layout block, button, examples table) of the page. */
export interface ComponentConfig {
  id: number;
  /**
   * Gradio type name: `textbox`, `button`, `state`, … and the layout blocks `form`, `row`,
   * `column`, `tabs`, `tab`, `accordion`, `group`, `dataset`, `clearbutton`. The page renders
   * `<sc-${type}>` for components and draws layout blocks itself.
   */
  type: string;
  /**
   * Props in camelCase, as declared. Layout blocks: `row` {variant, equalHeight}, `column`
   * {scale, minWidth, variant}, `tabs` {selected?}, `tab` {label}, `accordion` {label, open},
   * `group` {}; every block may carry `visible` and `elemId`. `state` has no props: its value
   * never leaves the server (or the worker).
   */
  props: Record<string, unknown>;
  /** Not an API parameter (State, layout blocks), as in Gradio. */
  skip_api?: boolean;
}

/** The layout tree: ids of components, nested in rows and columns. */
export interface LayoutNode {
  id: number;
  children?: LayoutNode[];
}

/** How a trigger that fires while its event is running is handled (Gradio's names). */
export type TriggerMode = "once" | "multiple" | "always_last";

/** The events components fire, with Gradio's names; `then`/`success` chain after another event. */
export type EventName =
  | "click"
  | "change"
  | "input"
  | "submit"
  | "select"
  | "upload"
  | "clear"
  | "focus"
  | "blur"
  | "retry"
  | "undo"
  | "like"
  | "edit"
  | "tick"
  | "load"
  | "play"
  | "pause"
  | "end";

/** An event handler: which trigger runs which endpoint, with which inputs and outputs. */
export interface DependencyConfig {
  /** Also the endpoint's `fn_index`. */
  id: number;
  /**
   * `[componentId, eventName]` pairs that trigger it; a `.then`/`.success` step has
   * `[[null, "then" | "success"]]` and names the event it follows in `trigger_after`.
   */
  targets: [number | null, EventName | "then" | "success"][];
  /** The dependency this one runs after (in the page), or null. */
  trigger_after: number | null;
  /** Run after `trigger_after` only when it succeeded. */
  trigger_only_on_success: boolean;
  trigger_only_on_failure: false;
  /** Input component ids; a `state` input is sent as null (the server fills it in). */
  inputs: number[];
  /**
   * Output component ids. A result value for an output is its new value, or an update
   * `{"__type__": "update", ...props}` that sets props (and `value` when present); a `state`
   * output is sent as null.
   */
  outputs: number[];
  api_name: string;
  api_visibility: "public" | "undocumented" | "private";
  queue: boolean;
  /** False for an event with no function (it only cancels others). */
  backend_fn: boolean;
  js: null;
  /** Concurrent runs allowed; `null` means unlimited. */
  concurrency_limit: number | null;
  types: { generator: boolean; cancel: boolean };
  /** Whether queued requests are grouped into one call. */
  batch: boolean;
  max_batch_size: number;
  trigger_mode: TriggerMode;
  /** Dependency ids whose running jobs (from this page) stop when this one triggers. */
  cancels: number[];
  show_progress: "full" | "minimal" | "hidden";
}

/** A value for an output that changes the component's props instead of (or as well as) its value. */
export interface UpdateConfig {
  __type__: "update";
  [prop: string]: unknown;
}
