import type { AnyComponent, Component } from "./components/component.js";
import { describeComponent } from "./components/component.js";
import { isState } from "./components/state.js";
import type { ComponentConfig, LayoutNode, SpaceConfig, TriggerMode } from "./config.js";
import type { BatchOptions } from "./engine/queue.js";
import { DeclarationError, didYouMean } from "./errors.js";
import type {
  AnyModel,
  ApiVisibility,
  Components,
  DataOf,
  Event,
  EventOptions,
  EventSink,
  Listener,
  Trigger,
} from "./events.js";
import { collectEvents, currentSink, listener, triggerOf } from "./events.js";
import type { ColorMode, PageLook } from "./page-look.js";
import { lookParts, pageLook } from "./page-look.js";
import { v } from "./schema.js";
import type { ApiMap, Endpoint, SpaceParts } from "./space.js";
import { Space } from "./space.js";
import type { Theme } from "./theme.js";

declare const __SPACECRAFT_SERVER__: boolean | undefined;
/** False only in a static Space's worker: the build already checked the declaration on Node. */
const CHECK = typeof __SPACECRAFT_SERVER__ === "undefined" || __SPACECRAFT_SERVER__;

/**
 * A Space's theme, mode, css and head, checked (`where` names the caller). A static Space's worker
 * draws no page (its config was built on Node), so it keeps the mode alone and bundles no checks.
 */
function look(where: string, options: BlocksOptions, fallback?: PageLook): ReturnType<typeof lookParts> {
  if (CHECK) return lookParts(pageLook(where, options, fallback));
  return {
    theme: options.mode ?? (typeof options.theme === "string" ? options.theme : (fallback?.mode ?? "system")),
  };
}

/** Props every layout block takes. */
export interface BlockProps {
  /** Render the block at all (an {@link update} can change it). */
  visible?: boolean;
  /** An id for the block in the page, for custom CSS. */
  elemId?: string;
}

/** What a layout block may hold: components and other blocks. */
export type Child = AnyComponent | Block;

/** A child, or a list of them (`sc.Row(...inputs)` and `sc.Row(inputs)` are the same). */
export type Children = Child | readonly Child[];

/**
 * A layout block (row, column, tabs, …). It can be an event's output, to take an
 * {@link update} such as `sc.update({ visible: false })`.
 */
export interface Block<Type extends string = string, Props extends object = object>
  extends Component<Type, Props & BlockProps, never, never, never> {
  readonly children: readonly Child[];
  /** Props that name other components, filled in once ids are known. */
  readonly refs?: (idOf: (component: AnyComponent) => number) => Record<string, unknown>;
}

const blockSchema = v.custom<never>(() => false, "a layout block takes only sc.update({ visible, … })");

function block<Type extends string, Props extends object>(
  type: Type,
  props: Props & BlockProps,
  children: readonly Child[],
  refs?: Block["refs"],
): Block<Type, Props> {
  if (CHECK) {
    children.forEach((child, i) => {
      if (!isChild(child)) {
        throw new DeclarationError(
          `${blockName(type)}: child ${i + 1} is not a component or layout block` +
            (typeof child === "function"
              ? ` (did you mean to call ${(child as () => unknown).name}()?)`
              : "") +
            ".",
        );
      }
    });
  }
  return {
    type,
    displayName: blockName(type),
    api: { pythonType: "None", description: "" },
    props: Object.freeze({ ...props }),
    schema: blockSchema,
    preprocess: (value) => value,
    postprocess: (value) => value,
    children,
    ...(refs ? { refs } : {}),
  };
}

function isChild(value: unknown): value is Child {
  return typeof value === "object" && value !== null && "type" in value && "schema" in value;
}

function blockName(type: string): string {
  return type.charAt(0).toUpperCase() + type.slice(1);
}

/** Splits `(options?, ...children)`: a first argument that is not a component is the options. */
function split<O extends object>(args: readonly (O | Children)[]): [O, Child[]] {
  const [first, ...rest] = args;
  if (first !== undefined && !Array.isArray(first) && !isChild(first)) {
    return [first as O, (rest as Children[]).flat()];
  }
  return [{} as O, (args as Children[]).flat()];
}

/** Options of {@link Row}. */
export interface RowOptions extends BlockProps {
  /** `"panel"` draws it on a panel. */
  variant?: "default" | "panel";
  /** Give every child the row's full height (default false: each is as tall as its content). */
  equalHeight?: boolean;
}

/** Options of {@link Column}. */
export interface ColumnOptions extends BlockProps {
  /** Its share of the row's width, relative to its siblings' (default 1; 0 takes only what it needs). */
  scale?: number;
  /** Narrowest width in pixels before the row wraps (default 160). */
  minWidth?: number;
  /** `"panel"` draws it on a panel. */
  variant?: "default" | "panel";
}

/**
 * Children side by side (they wrap on narrow screens).
 * @example sc.Row(sc.Column(a, b), sc.Column({ scale: 2 }, c))
 */
export function Row(...args: [RowOptions | Children, ...Children[]] | []): Block<"row", RowOptions> {
  const [options, children] = split<RowOptions>(args);
  return block("row", options, children);
}

/**
 * Children stacked top to bottom.
 * @example sc.Column({ scale: 2, variant: "panel" }, prompt, go)
 */
export function Column(
  ...args: [ColumnOptions | Children, ...Children[]] | []
): Block<"column", ColumnOptions> {
  const [options, children] = split<ColumnOptions>(args);
  return block("column", options, children);
}

/** A group of children drawn as one panel with no gaps. */
export function Group(...args: [BlockProps | Children, ...Children[]] | []): Block<"group", BlockProps> {
  const [options, children] = split<BlockProps>(args);
  return block("group", options, children);
}

/** One tab of {@link Tabs}: its label, then its children. */
export function Tab(
  label: string,
  ...args: [BlockProps | Children, ...Children[]] | []
): Block<"tab", { label: string }> {
  if (CHECK && typeof label !== "string") {
    throw new DeclarationError('Tab: the first argument is its label, e.g. sc.Tab("Settings", slider).');
  }
  const [options, children] = split<BlockProps>(args);
  return block("tab", { ...options, label }, children);
}

/** Tabs, one panel shown at a time; the children must be {@link Tab}s. */
export function Tabs(...args: [BlockProps | Children, ...Children[]] | []): Block<"tabs", BlockProps> {
  const [options, children] = split<BlockProps>(args);
  if (CHECK) {
    for (const child of children) {
      if (child.type !== "tab") {
        throw new DeclarationError(
          `Tabs: every child must be a Tab; found ${describeComponent(child)}. Wrap it: sc.Tab("Label", …).`,
        );
      }
    }
  }
  return block("tabs", options, children);
}

/** Options of {@link Accordion}. */
export interface AccordionOptions extends BlockProps {
  /** Start open (default false). */
  open?: boolean;
}

/**
 * A section that opens and closes, with a label.
 * @example sc.Accordion("Advanced", { open: false }, temperature, topP)
 */
export function Accordion(
  label: string,
  ...args: [AccordionOptions | Children, ...Children[]] | []
): Block<"accordion", AccordionOptions & { label: string }> {
  if (CHECK && typeof label !== "string") {
    throw new DeclarationError('Accordion: the first argument is its label, e.g. sc.Accordion("More", …).');
  }
  const [options, children] = split<AccordionOptions>(args);
  return block("accordion", { open: false, ...options, label }, children);
}

/** A button that resets components to their initial values (in the page). */
export function ClearButton(
  components: readonly AnyComponent[],
  value = "Clear",
): Block<"clearbutton", { value: string }> {
  return block("clearbutton", { value }, [], (idOf) => ({ components: components.map(idOf) }));
}

/** What a {@link Dataset} shows besides its rows, and whether its outputs are cached. */
export interface DatasetOptions {
  /** A label per row, shown instead of its values. */
  labels?: readonly string[];
  /** Rows per page (default 10); longer lists get page buttons. */
  samplesPerPage?: number;
  /**
   * The event whose outputs a row's click shows at once: `true` computes them when the server
   * starts, `"lazy"` on the first click of each row (for everyone after).
   */
  cache?: { mode: true | "lazy"; event: Event };
}

/** A table of example rows; clicking one fills `components` (in the page). */
export function Dataset(
  components: readonly AnyComponent[],
  samples: readonly (readonly unknown[])[],
  label = "Examples",
  options: DatasetOptions = {},
): Block<"dataset", { label: string }> {
  const headers = components.map((component, i) => component.props.label ?? `Input ${i + 1}`);
  const { labels, samplesPerPage = 10, cache } = options;
  return block(
    "dataset",
    {
      label,
      headers,
      samples,
      samplesPerPage,
      ...(labels ? { labels } : {}),
      ...(cache ? { cache: cache.mode === true ? "eager" : "lazy", dependency: cache.event["~event"] } : {}),
    },
    [],
    (idOf) => ({ components: components.map(idOf) }),
  );
}

/** The example options `Interface` and `ChatInterface` share. */
interface ExampleOptions {
  cacheExamples?: boolean | "lazy";
  exampleLabels?: readonly string[];
  examplesPerPage?: number;
}

/** The example options of `Interface` and `ChatInterface`, checked (`where` names which in messages). */
export function checkExampleOptions<T extends ExampleOptions>(where: string, options: T, count: number): T {
  const { cacheExamples, exampleLabels, examplesPerPage } = options;
  if (cacheExamples !== undefined && typeof cacheExamples !== "boolean" && cacheExamples !== "lazy") {
    throw new DeclarationError(
      `${where}: \`cacheExamples\` must be true, false or "lazy" (got ${JSON.stringify(cacheExamples)}).`,
    );
  }
  if (exampleLabels !== undefined) {
    if (!Array.isArray(exampleLabels) || exampleLabels.some((label) => typeof label !== "string")) {
      throw new DeclarationError(`${where}: \`exampleLabels\` must be a list of strings, one per example.`);
    }
    if (exampleLabels.length !== count) {
      throw new DeclarationError(
        `${where}: \`exampleLabels\` has ${exampleLabels.length} label${exampleLabels.length === 1 ? "" : "s"} ` +
          `but \`examples\` has ${count} row${count === 1 ? "" : "s"}. Give one label per example.`,
      );
    }
  }
  if (examplesPerPage !== undefined && !(Number.isSafeInteger(examplesPerPage) && examplesPerPage >= 1)) {
    throw new DeclarationError(
      `${where}: \`examplesPerPage\` must be a whole number of at least 1 (got ${JSON.stringify(examplesPerPage)}).`,
    );
  }
  return options;
}

/** Options of {@link Examples}: {@link DatasetOptions} and the table's caption. */
export interface ExamplesOptions extends DatasetOptions {
  /** The table's caption (default "Examples"). */
  label?: string;
}

/**
 * A table of example rows in a Blocks: clicking one fills `inputs`. With `cache`, the outputs of
 * `cache.event` show at once too (its inputs must include these; the others run with their
 * initial values).
 * @example
 * const run = go.click({ fn: shout, inputs: [text], outputs: [loud] });
 * return sc.Column(text, go, loud, sc.Examples([text], [["hello"]], { cache: { mode: true, event: run } }));
 */
export function Examples(
  inputs: readonly AnyComponent[],
  examples: readonly (readonly unknown[])[],
  options: ExamplesOptions = {},
): Block<"dataset", { label: string }> {
  if (CHECK) {
    if (!Array.isArray(examples)) throw new DeclarationError("Examples: `examples` must be a list of rows.");
    examples.forEach((row: unknown, r) => {
      if (!Array.isArray(row) || row.length !== inputs.length) {
        throw new DeclarationError(
          `Examples: examples[${r}] must be a list of ${inputs.length} value(s), one per input (got ${JSON.stringify(row)}).`,
        );
      }
    });
    const { labels, samplesPerPage, cache } = options;
    if (labels !== undefined && (!Array.isArray(labels) || labels.length !== examples.length)) {
      throw new DeclarationError(
        `Examples: \`labels\` has ${Array.isArray(labels) ? labels.length : 0} label(s) but \`examples\` has ` +
          `${examples.length} row(s). Give one label per example.`,
      );
    }
    if (samplesPerPage !== undefined && !(Number.isSafeInteger(samplesPerPage) && samplesPerPage >= 1)) {
      throw new DeclarationError(
        `Examples: \`samplesPerPage\` must be a whole number of at least 1 (got ${JSON.stringify(samplesPerPage)}).`,
      );
    }
    if (
      cache &&
      ((cache.mode !== true && cache.mode !== "lazy") || typeof cache.event?.["~event"] !== "number")
    ) {
      throw new DeclarationError(
        'Examples: `cache` is { mode: true or "lazy", event }, the event the value of button.click(…) is.',
      );
    }
  }
  return Dataset(inputs, examples, options.label ?? "Examples", options);
}

/**
 * Wires one function to several triggers: `sc.on([text.submit, go.click], { fn, inputs, outputs })`;
 * `ctx.event` is the data of whichever fired.
 */
export function on<
  const I extends Components = readonly [],
  const O extends Components = readonly [],
  M extends AnyModel = undefined,
  B extends BatchOptions | undefined = undefined,
  // biome-ignore lint/suspicious/noExplicitAny: a listener of any event's data
  L extends Listener<any> = Listener,
>(triggers: readonly L[], options: EventOptions<I, O, M, B, DataOf<L>>): Event {
  const list = (Array.isArray(triggers) ? triggers : [triggers]).map((listener, i) => {
    const trigger = triggerOf(listener);
    if (CHECK && !trigger) {
      throw new DeclarationError(
        `sc.on: triggers[${i}] is not an event of a component; pass methods such as [textbox.submit, button.click].`,
      );
    }
    return trigger as Trigger;
  });
  return currentSink("sc.on(…)").listen(list, options as never);
}

/** Options of {@link Blocks}. */
export interface BlocksOptions {
  /** Page title. */
  title?: string;
  /** Markdown under the title. */
  description?: string;
  /** Markdown under the demo. */
  article?: string;
  /**
   * The page's theme (`sc.themes.soft`, `sc.theme({...})`), or a colour mode as before:
   * `"system"` (default: follow the visitor's system), `"light"` or `"dark"`.
   */
  theme?: Theme | ColorMode;
  /** Colour mode when `theme` is a theme: `"system"` (default), `"light"` or `"dark"`. */
  mode?: ColorMode;
  /** CSS added to the page after the theme (trusted: the Space's own). */
  css?: string;
  /** HTML added to the page's `<head>` (trusted; its inline scripts are allowed by hash). */
  head?: string;
  /** Also serve the public events as MCP tools at `/gradio_api/mcp/` (or run with `--mcp`). */
  mcp?: boolean;
  /** A Share button that copies a link reopening the demo with its inputs and outputs (default true). */
  deepLinks?: boolean;
  /** Default concurrency limit of every event (default 1; `null` for unlimited). */
  concurrencyLimit?: number | null;
  /** Default queue size of every event (default unlimited). */
  maxQueueSize?: number | null;
}

/** The options `Blocks` takes (and every Space built on it). */
export const blocksOptionNames = [
  "title",
  "description",
  "article",
  "theme",
  "mcp",
  "deepLinks",
  "concurrencyLimit",
  "maxQueueSize",
  "mode",
  "css",
  "head",
];

/** What `build` returns: the layout (a block, a component, or a list of them stacked). */
export type Layout = Child | readonly Child[];

/** The page a Blocks builds, for events of the page itself (`build`'s parameter). */
export interface Page {
  /**
   * Runs when a visitor opens the page, once it is live (Gradio's `demo.load`): fill outputs
   * from the server, greet who signed in (`ctx.user`). Its inputs are their initial values.
   */
  readonly load: Listener;
}

/** The trigger component of the page's own events: id 0 in an endpoint, the layout's root in the config. */
const PAGE = block("page", {}, []);
/** The page's own events (wired while a Blocks builds, as a component's are). */
const pageEvents: Page = { load: listener(PAGE, "load", () => "page") };

/**
 * A demo with any layout and any events: `build` makes the components, wires their events (and
 * the page's own, `page.load`) and returns the layout.
 * @example
 * export default sc.Blocks({ title: "Echo" }, (page) => {
 *   const text = sc.Textbox({ label: "Text" });
 *   const out = sc.Textbox({ label: "Echo" });
 *   text.submit({ fn: (t) => t, inputs: [text], outputs: [out] });
 *   page.load({ fn: () => "Type and press Enter", outputs: [out] });
 *   return sc.Column(text, out);
 * })
 */
export function Blocks(options: BlocksOptions, build: (page: Page) => Layout): Space {
  if (CHECK) checkNames("Blocks", options, blocksOptionNames);
  return assemble("blocks", options, (_events, page) => build(page));
}

/** Extra facts an event carries when `Interface` builds it. */
export interface EventExtras {
  examples?: readonly (readonly unknown[])[];
  /** How messages name the event (Interface's are about "Interface"). */
  where?: string;
}

interface PendingEvent {
  triggers: readonly Trigger[];
  options: EventOptions<Components, Components, AnyModel, BatchOptions | undefined>;
  after: { event: number; onlyOnSuccess: boolean } | undefined;
  extras: EventExtras;
}

/** The events wired while a Blocks builds. */
class EventList implements EventSink {
  readonly events: PendingEvent[] = [];
  /** Facts for the next event wired (Interface's examples). */
  extras: EventExtras = {};
  /** Props the page needs beyond a component's own (Interface's Submit button stops its run). */
  readonly props = new Map<AnyComponent, Record<string, unknown>>();

  listen(
    triggers: readonly Trigger[],
    options: PendingEvent["options"],
    after?: PendingEvent["after"],
  ): Event {
    if (CHECK && (typeof options !== "object" || options === null)) {
      throw new DeclarationError("An event takes an options object: { fn, inputs, outputs }.");
    }
    const index = this.events.length;
    this.events.push({ triggers, options, after, extras: this.extras });
    this.extras = {};
    const chain =
      (onlyOnSuccess: boolean): Listener =>
      (next) =>
        this.listen([], next as never, { event: index, onlyOnSuccess });
    // `then` is Gradio's name; awaiting an Event fails with the options-object message above.
    // biome-ignore lint/suspicious/noThenProperty: the API is Gradio's `.then(...)`
    return { then: chain(false), success: chain(true), "~event": index };
  }
}

/** Builds a Space from a layout and the events wired while making it (Blocks and Interface). */
export function assemble(
  mode: SpaceConfig["mode"],
  options: BlocksOptions,
  build: (events: EventList, page: Page) => Layout,
): Space {
  const events = new EventList();
  const layout = collectEvents(events, () => build(events, pageEvents));
  if (CHECK && (layout === undefined || layout === null)) {
    throw new DeclarationError(
      "Blocks: build must return the layout, e.g. return sc.Column(input, button, output).",
    );
  }
  const root = block("form", {}, Array.isArray(layout) ? layout : [layout as Child]);

  // Ids in layout order; a component placed twice is a mistake.
  const ids = new Map<AnyComponent, number>();
  const placed: AnyComponent[] = [];
  const place = (child: AnyComponent) => {
    if (ids.has(child)) {
      throw new DeclarationError(
        `${describeComponent(child)} is placed twice in the layout. Place each component once; ` +
          "make another one for a second spot.",
      );
    }
    placed.push(child);
    ids.set(child, placed.length);
    for (const inner of (child as Partial<Block>).children ?? []) place(inner);
  };
  for (const child of root.children) place(child);

  const endpoints = events.events.map((event, index) =>
    endpointOf(event, index, options, ids, events.events),
  );
  if (CHECK) uniqueApiNames(endpoints, events.events);

  const inputs = new Set(endpoints.flatMap((endpoint) => endpoint.inputs));
  const outputs = new Set(endpoints.flatMap((endpoint) => endpoint.outputs));
  const states = [...ids.keys()].filter((component) => !placed.includes(component));
  const components: ComponentConfig[] = [];
  for (const component of [...placed, ...states]) {
    const id = ids.get(component) as number;
    const refs = {
      ...(component as Partial<Block>).refs?.((other) => ids.get(other) as number),
      ...events.props.get(component),
    };
    const props: Record<string, unknown> = isState(component)
      ? {}
      : {
          ...(isLayout(component) ? {} : { interactive: inputs.has(component) || !outputs.has(component) }),
          ...component.props,
          ...refs,
        };
    components.push({
      id,
      type: component.type,
      props,
      ...(isState(component) || isLayout(component) ? { skip_api: true } : {}),
    });
  }
  if (CHECK) checkCachedExamples(components, endpoints);
  const rootId = placed.length + states.length + 1;
  components.push({ id: rootId, type: "form", props: {}, skip_api: true });
  const node = (child: AnyComponent): LayoutNode => {
    const children = (child as Partial<Block>).children;
    const id = ids.get(child) as number;
    return children && isLayout(child) ? { id, children: children.map(node) } : { id };
  };
  const parts: SpaceParts = {
    mode,
    title: options.title ?? "Spacecraft",
    description: options.description ?? "",
    article: options.article ?? "",
    ...look(mode === "blocks" ? "Blocks" : mode === "interface" ? "Interface" : "ChatInterface", options),
    mcp: options.mcp ?? false,
    deepLinks: options.deepLinks ?? true,
    components,
    layout: { id: rootId, children: root.children.map(node) },
    endpoints: endpoints.map(({ endpoint }) => endpoint),
  };
  return new Space(parts);
}

/** Type names of layout blocks (and the form and dataset that lay out with them): not components. */
export const layoutTypes: ReadonlySet<string> = new Set([
  "form",
  "row",
  "column",
  "tabs",
  "tab",
  "accordion",
  "group",
  "clearbutton",
  "dataset",
]);

function isLayout(component: AnyComponent): boolean {
  return layoutTypes.has(component.type);
}

interface Built {
  endpoint: Endpoint;
  inputs: AnyComponent[];
  outputs: AnyComponent[];
  explicitName: boolean;
}

function endpointOf(
  event: PendingEvent,
  index: number,
  defaults: BlocksOptions,
  ids: Map<AnyComponent, number>,
  all: readonly PendingEvent[],
): Built {
  const { options, triggers, after } = event;
  // A static Space's worker runs a declaration the build checked already: no messages needed.
  const where = CHECK ? (event.extras.where ?? eventName(event, all)) : "";
  if (CHECK) checkNames(where, options, eventOptionNames);
  const inputs = componentList(where, "inputs", options.inputs);
  const outputs = componentList(where, "outputs", options.outputs);
  const idOf = (component: AnyComponent, role: string): number => {
    if (component === PAGE) return 0;
    const known = ids.get(component);
    if (known !== undefined) return known;
    if (isState(component)) {
      ids.set(component, ids.size + 1);
      return ids.size;
    }
    throw new DeclarationError(
      `${describeComponent(component)} is ${role} of ${where} but is not in the layout. ` +
        "Place it in the layout build returns, or remove it from the event.",
    );
  };
  const inputIds = inputs.map((component) => idOf(component, "an input"));
  const outputIds = outputs.map((component) => idOf(component, "an output"));
  const targets = triggers.map(({ component, event: name }): [number, string] => [
    idOf(component, `the trigger (${name})`),
    name,
  ]);
  const fn = options.fn as ((...args: unknown[]) => unknown) | undefined;
  if (CHECK) checkFn(where, fn, inputs.length, options);
  const queue = options.queue ?? true;
  const batch = options.batch;
  const generator = fn !== undefined && isGeneratorFunction(fn);
  if (CHECK && batch && generator) {
    throw new DeclarationError(
      `${where}: a batched fn cannot stream; remove \`batch\` or return lists instead.`,
    );
  }
  const triggerMode: TriggerMode =
    options.triggerMode ??
    (triggers.length > 0 && triggers.every(({ event: name }) => name === "change" || name === "input")
      ? "always_last"
      : "once");
  const cancels = (options.cancels ?? []).map((cancelled, i) => {
    const target = (cancelled as Partial<Event> | undefined)?.["~event"] as number;
    if (CHECK && typeof target !== "number") {
      throw new DeclarationError(
        `${where}: cancels[${i}] must be an event, e.g. the value button.click(…) returned.`,
      );
    }
    return target;
  });
  const explicitName = options.apiName !== undefined;
  // The worker is called by index; only a server's API and messages need default names.
  const apiName = options.apiName ?? (CHECK ? defaultApiName(fn, event, all) : String(index));
  if (CHECK && !/^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(apiName)) {
    throw new DeclarationError(`${where}: apiName "${apiName}" may use only letters, digits, "_" and "-".`);
  }
  const timeLimit = options.timeLimit;
  const endpoint: Endpoint = {
    index,
    apiName,
    inputs,
    outputs,
    inputIds,
    outputIds,
    fn: (fn ?? noFunction) as Endpoint["fn"],
    backendFn: fn !== undefined,
    concurrencyLimit: limit(
      where,
      "concurrencyLimit",
      options.concurrencyLimit,
      queue ? (defaults.concurrencyLimit ?? 1) : null,
    ),
    maxQueueSize: limit(where, "maxQueueSize", options.maxQueueSize, defaults.maxQueueSize ?? null),
    ...(timeLimit === undefined ? {} : { timeLimit: checkTimeLimit(where, timeLimit) }),
    generator,
    targets,
    triggerAfter: after?.event ?? null,
    onlyOnSuccess: after?.onlyOnSuccess ?? false,
    triggerMode,
    cancels,
    queue,
    showProgress: options.showProgress ?? "full",
    ...(options.model ? { model: options.model } : {}),
    ...(batch ? { batch: checkBatch(where, batch) } : {}),
    visibility: visibility(where, options.apiVisibility),
    ...(event.extras.examples && event.extras.examples.length > 0 ? { examples: event.extras.examples } : {}),
  };
  return { endpoint, inputs, outputs, explicitName };
}

/** An examples table's cached event runs a function and takes the table's components as inputs. */
function checkCachedExamples(components: readonly ComponentConfig[], built: readonly Built[]): void {
  for (const table of components) {
    if (table.type !== "dataset" || table.props.cache === undefined) continue;
    const endpoint = built[table.props.dependency as number]?.endpoint;
    const columns = table.props.components as number[];
    if (endpoint?.backendFn && columns.every((id) => endpoint.inputIds.includes(id))) continue;
    throw new DeclarationError(
      "Examples: the cached event must run a function whose inputs include the examples' components " +
        `(${endpoint ? `its inputs are components ${endpoint.inputIds.join(", ") || "none"}, the examples' ${columns.join(", ")}` : "no such event"}). ` +
        "Pass the value its listener returned (go.click(…)), and list the examples' components among its inputs.",
    );
  }
}

function noFunction(): never {
  throw new Error("This event has no function.");
}

const eventOptionNames = [
  "fn",
  "inputs",
  "outputs",
  "apiName",
  "apiVisibility",
  "concurrencyLimit",
  "maxQueueSize",
  "queue",
  "batch",
  "triggerMode",
  "cancels",
  "timeLimit",
  "model",
  "showProgress",
];

/** How an event is named in messages: `the click event of Button "Compute"`. */
function eventName(event: PendingEvent, all: readonly PendingEvent[]): string {
  if (event.after) {
    const previous = all[event.after.event] as PendingEvent;
    return `the .${event.after.onlyOnSuccess ? "success" : "then"} step after ${eventName(previous, all)}`;
  }
  if (event.triggers.length === 0) return "an event";
  return `the ${event.triggers.map(({ component, event: name }) => (component === PAGE ? `page's ${name} event` : `${name} event of ${describeComponent(component)}`)).join(" / ")}`;
}

function defaultApiName(
  fn: ((...args: unknown[]) => unknown) | undefined,
  event: PendingEvent,
  all: readonly PendingEvent[],
): string {
  const name = fn?.name ?? "";
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && name !== "fn") return name;
  if (event.after) {
    const previous = all[event.after.event] as PendingEvent;
    return `${previous.options.apiName ?? defaultApiName(previous.options.fn as never, previous, all)}_then`;
  }
  const trigger = event.triggers[0];
  if (!trigger) return "event";
  const label = String(
    trigger.component.props.label ??
      (trigger.component.props as { value?: unknown }).value ??
      trigger.component.type,
  );
  const base = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return `${/^[a-z_]/.test(base) ? base : `${trigger.component.type}_${base}`}_${trigger.event}`;
}

/** Explicit names must differ; default names get `_1`, `_2` … as in Gradio. */
function uniqueApiNames(built: Built[], events: readonly PendingEvent[]): void {
  const seen = new Map<string, number>();
  for (const [i, { endpoint, explicitName }] of built.entries()) {
    if (!explicitName) continue;
    const other = seen.get(endpoint.apiName);
    if (CHECK && other !== undefined) {
      throw new DeclarationError(
        `Two events are named "${endpoint.apiName}": ${eventName(events[other] as PendingEvent, events)} and ` +
          `${eventName(events[i] as PendingEvent, events)}. Give each a different apiName.`,
      );
    }
    seen.set(endpoint.apiName, i);
  }
  for (const [i, entry] of built.entries()) {
    if (entry.explicitName) continue;
    let name = entry.endpoint.apiName;
    for (let n = 1; seen.has(name); n++) name = `${entry.endpoint.apiName}_${n}`;
    seen.set(name, i);
    (entry.endpoint as { apiName: string }).apiName = name;
  }
}

function componentList(where: string, role: "inputs" | "outputs", value: unknown): AnyComponent[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item: unknown, i) => {
    if (CHECK && !isChild(item)) {
      throw new DeclarationError(
        typeof item === "function" && triggerOf(item)
          ? `${where}: ${role}[${i}] is an event method; pass the component itself.`
          : `${where}: ${role}[${i}] is not a component. Use one of the component functions, e.g. sc.Textbox().`,
      );
    }
    if (CHECK && role === "inputs" && isLayout(item as AnyComponent)) {
      throw new DeclarationError(
        `${where}: a ${blockName((item as AnyComponent).type)} cannot be an input; it has no value.`,
      );
    }
    return item as AnyComponent;
  });
}

function checkFn(where: string, fn: unknown, inputCount: number, options: { cancels?: unknown }): void {
  if (fn === undefined) {
    if (options.cancels === undefined) {
      throw new DeclarationError(
        `${where}: give an \`fn\` to run (or \`cancels\` for an event that only stops others).`,
      );
    }
    return;
  }
  if (typeof fn !== "function") throw new DeclarationError(`${where}: \`fn\` must be a function.`);
  if (fn.length > inputCount + 1) {
    throw new DeclarationError(
      `${where}: fn takes ${fn.length} parameters but there ${inputCount === 1 ? "is 1 input" : `are ${inputCount} inputs`} ` +
        "(plus the context). Add inputs, or remove parameters.",
    );
  }
}

/** Refuses options not in `names`, with the closest one; `where` names the caller in the message. */
export function checkNames(where: string, options: object, names: readonly string[]): void {
  if (typeof options !== "object" || options === null) {
    throw new DeclarationError(`${where}: expected an options object.`);
  }
  for (const key of Object.keys(options)) {
    if (!names.includes(key)) {
      const hint = didYouMean(key, names);
      throw new DeclarationError(
        `${where}: unknown option "${key}".${hint ? ` Did you mean "${hint}"?` : ""}`,
      );
    }
  }
}

function limit(where: string, name: string, value: unknown, fallback: number | null): number | null {
  if (value === undefined) return fallback;
  if (!CHECK) return value as number | null;
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new DeclarationError(`${where}: \`${name}\` must be a whole number ≥ 1, or null for no limit.`);
  }
  return value;
}

function checkTimeLimit(where: string, value: unknown): number | null {
  if (!CHECK || value === null) return value as number | null;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new DeclarationError(
      `${where}: \`timeLimit\` must be a number of seconds > 0, or null for no limit.`,
    );
  }
  return value;
}

function checkBatch(where: string, batch: unknown): BatchOptions {
  if (!CHECK) return batch as BatchOptions;
  const { maxSize, maxWaitMs } = (batch ?? {}) as Partial<BatchOptions>;
  if (typeof maxSize !== "number" || !Number.isInteger(maxSize) || maxSize < 1) {
    throw new DeclarationError(`${where}: \`batch.maxSize\` must be a whole number ≥ 1.`);
  }
  if (typeof maxWaitMs !== "number" || maxWaitMs < 0) {
    throw new DeclarationError(`${where}: \`batch.maxWaitMs\` must be a number of milliseconds ≥ 0.`);
  }
  return { maxSize, maxWaitMs };
}

function visibility(where: string, value: unknown): ApiVisibility {
  if (value === undefined) return "public";
  if (!CHECK) return value as ApiVisibility;
  if (value === "public" || value === "undocumented" || value === "private") return value;
  throw new DeclarationError(`${where}: \`apiVisibility\` must be "public", "undocumented" or "private".`);
}

const streams = Symbol("streams");

/** Marks a function that returns a stream without being a generator function, so it counts as one. */
export function streaming<F extends (...args: never[]) => AsyncIterable<unknown>>(fn: F): F {
  return Object.assign(fn, { [streams]: true });
}

/** Whether a function streams (a generator function, or one marked {@link streaming}). */
export function isGeneratorFunction(fn: unknown): boolean {
  if ((fn as { [streams]?: boolean })[streams] === true) return true;
  const name = (fn as { constructor?: { name?: string } }).constructor?.name;
  return name === "GeneratorFunction" || name === "AsyncGeneratorFunction";
}

/** The endpoints of several Spaces, as one API map. */
type MergedApi<S extends readonly Space[]> =
  UnionToIntersection<NonNullable<S[number]["~api"]>> extends infer A extends ApiMap ? A : ApiMap;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/**
 * Several demos on one page, one tab each; their endpoints keep their API names (a repeated
 * name gets `_1`, `_2` …).
 * @example export default sc.TabbedInterface([translate, summarize], ["Translate", "Summarize"])
 */
export function TabbedInterface<const S extends readonly Space[]>(
  spaces: S,
  labels: readonly string[] = [],
  options: BlocksOptions = {},
): Space<MergedApi<S>> {
  if (CHECK) {
    checkNames("TabbedInterface", options, blocksOptionNames);
    if (!Array.isArray(spaces) || spaces.length === 0 || !spaces.every((space) => space instanceof Space)) {
      throw new DeclarationError(
        "TabbedInterface: pass a list of Spaces, e.g. [sc.Interface({…}), sc.Interface({…})].",
      );
    }
    if (labels.length > 0 && labels.length !== spaces.length) {
      throw new DeclarationError(
        `TabbedInterface: ${spaces.length} Spaces but ${labels.length} labels; give one label per Space.`,
      );
    }
  }
  const components: ComponentConfig[] = [];
  const endpoints: Endpoint[] = [];
  const tabs: LayoutNode[] = [];
  const names = new Set<string>();
  let next = 1;
  for (const [i, space] of spaces.entries()) {
    const { parts } = space;
    const offset = next - 1;
    const shift = (id: number) => id + offset;
    for (const component of parts.components) {
      const props = { ...component.props };
      if (Array.isArray(props.components)) props.components = (props.components as number[]).map(shift);
      components.push({ ...component, id: shift(component.id), props });
    }
    next += parts.components.length;
    const tabId = next++;
    components.push({ id: tabId, type: "tab", props: { label: labels[i] ?? parts.title }, skip_api: true });
    const moved = (node: LayoutNode): LayoutNode =>
      node.children ? { id: shift(node.id), children: node.children.map(moved) } : { id: shift(node.id) };
    tabs.push({ id: tabId, children: [moved(parts.layout)] });
    const base = endpoints.length;
    for (const endpoint of parts.endpoints) {
      let apiName = endpoint.apiName;
      for (let n = 1; names.has(apiName); n++) apiName = `${endpoint.apiName}_${n}`;
      names.add(apiName);
      endpoints.push({
        ...endpoint,
        index: endpoint.index + base,
        apiName,
        inputIds: endpoint.inputIds.map(shift),
        outputIds: endpoint.outputIds.map(shift),
        // The page's events (0) stay the whole page's.
        targets: endpoint.targets.map(([id, event]) => [id && shift(id), event]),
        triggerAfter: endpoint.triggerAfter === null ? null : endpoint.triggerAfter + base,
        cancels: endpoint.cancels.map((index) => index + base),
      });
    }
  }
  const tabsId = next++;
  components.push({ id: tabsId, type: "tabs", props: {}, skip_api: true });
  const rootId = next;
  components.push({ id: rootId, type: "form", props: {}, skip_api: true });
  const first = (spaces[0] as Space).parts;
  return new Space({
    mode: "blocks",
    title: options.title ?? first.title,
    description: options.description ?? "",
    article: options.article ?? "",
    ...look("TabbedInterface", options, { mode: first.theme, ...first.look }),
    mcp: options.mcp ?? spaces.some((space) => space.mcp),
    deepLinks: options.deepLinks ?? spaces.every((space) => space.parts.deepLinks),
    components,
    layout: { id: rootId, children: [{ id: tabsId, children: tabs }] },
    endpoints,
  }) as Space<MergedApi<S>>;
}
