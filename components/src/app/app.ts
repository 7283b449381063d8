/// <reference types="vite/client" />
import type { CSSResult, PropertyValues } from "lit";
import { adoptStyles, html, nothing } from "lit";
import type { ComponentConfig, DependencyConfig, LayoutNode, SpaceConfig } from "spacecraft";
import type { ConnectionState, Transport } from "spacecraft/client";
import { ScElement } from "../base/base-element.js";
import { customElement, property, state } from "../base/decorators.js";
import { embedded, setSpaceBase, spaceUrl } from "../base/space-url.js";
import { setUploader } from "../base/uploader.js";
import type { CallerChangeEvent } from "../loginbutton/loginbutton.js";
import { appStyles, linkButtonStyles } from "./app.styles.js";
import type { ExampleSelectEvent } from "./examples.js";
import "./status.js";
import "../button/button.js";
import type { ScButton } from "../button/button.js";
import type { ScApiPage } from "./api-page.js";
import type { ValueElement } from "./jobs.js";
import { JobController } from "./jobs.js";
import { blockRenderers, columnOf, renderLayout } from "./layout.js";
import type { ModelMessage } from "./models-info.js";
import { ran } from "./ran.js";
import type { ShareResult } from "./share.js";
import { renderShareBar, shareStyles } from "./share-bar.js";

/** Types the shell draws itself, and `state`, which is never shown. */
const drawnTypes = new Set([
  "form",
  "row",
  "column",
  "tabs",
  "tab",
  "accordion",
  "group",
  "dataset",
  "clearbutton",
  "state",
]);
/** Blocks drawn by the lazily loaded `blocks.ts` (only Blocks pages have them). */
const lazyBlocks = new Set(["tabs", "accordion", "group"]);

/** A DOM event of a component element → the config event(s) it is (`change` is checked apart). */
const domEvents: Record<string, string> = {
  input: "input",
  "sc-submit": "submit",
  "sc-select": "select",
  "sc-upload": "upload",
  "sc-clear": "clear",
  "sc-retry": "retry",
  "sc-undo": "undo",
  "sc-like": "like",
  "sc-edit": "edit",
  focusin: "focus",
  focusout: "blur",
  click: "click",
  "sc-tick": "tick",
  // A Video's player.
  "sc-play": "play",
  "sc-pause": "pause",
  "sc-end": "end",
};

declare global {
  /**
   * Set by the server page's first script (`server/early-input.ts`): resolves once the page's
   * scripts have run, which run the modules its config needs after the page's entry (`ran.ts`).
   */
  var spacecraftScripts: Promise<unknown> | undefined;
}

/** Whether a result value is an update of props (`{"__type__": "update", …}`). */
function isUpdate(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" && value !== null && (value as { __type__?: unknown }).__type__ === "update"
  );
}

/**
 * Loads the transport to the Space's engine (a worker for a static Space, else a WebSocket beside
 * the page; only the one the Space uses) and gives what opens it. Opening waits for the caller, so
 * it listens from the first message on (a model's status comes as soon as the socket opens).
 */
async function loadTransport(config: SpaceConfig): Promise<() => Transport> {
  if (config.spacecraft?.runtime === "worker") {
    const { WorkerTransport } = await import("spacecraft/client/worker-transport");
    return () => new WorkerTransport(new Worker(spaceUrl("worker.js"), { type: "module" }));
  }
  if (!ran.websocket) await import("./websocket.js");
  const open = ran.websocket as NonNullable<typeof ran.websocket>;
  return () => open(spaceUrl("ws"));
}

/** The Space's config: at `src`, or for a base URL (ending in `/`) its `config`, else `config.json`. */
async function fetchConfig(src: string): Promise<SpaceConfig> {
  const url = new URL(src, document.baseURI);
  const base = new URL(".", url);
  setSpaceBase(base);
  // A server-rendered page carries its config.
  const inline = document.getElementById("sc-config");
  if (inline && !embedded()) return JSON.parse(inline.textContent as string) as SpaceConfig;
  // fetch sends no cookies to another site ("same-origin" credentials): an open Space answers any
  // site, without credentials.
  let response: Response;
  try {
    response = await fetch(url.pathname.endsWith("/") ? new URL("config", url) : url);
    if (response.status === 404 && url.pathname.endsWith("/"))
      response = await fetch(new URL("config.json", url));
  } catch (error) {
    if (!embedded()) throw error;
    throw new Error(
      `${base.href} did not answer, or does not let ${location.origin} embed it (see its allowedOrigins)`,
    );
  }
  if (!response.ok) throw new Error(`GET ${response.url} answered ${response.status}`);
  return (await response.json()) as SpaceConfig;
}

/**
 * @summary The page of a Space: loads `/config`, renders the title, the layout and its
 * components, and runs its events over a transport (the WebSocket by default). Ctrl/Cmd+Enter
 * runs the click event of the inputs in focus; Escape stops a streaming run whose inputs or
 * outputs hold the focus.
 *
 * @csspart header - Title and description.
 * @csspart article - The article under the demo.
 * @csspart banner - Connection and model-loading notes.
 * @csspart model-progress - The progress bar of a loading model.
 * @csspart models - The line under the demo about its models (link, licence, size).
 * @csspart links - The footer links ("Use via API").
 */
@customElement("sc-app")
export class ScApp extends ScElement {
  static override styles = [...ScElement.styles, appStyles, linkButtonStyles, shareStyles];

  /**
   * Where the Space is: its base URL ending in `/` (`https://SPACE/`, from a page of another
   * site, with `embed.js`), or its config's URL relative to the page (`config`; a static build's
   * `config.json`).
   */
  @property() src = "config";
  /**
   * Colour scheme, over the Space's own: `light`, `dark`, or `auto` to follow the embedding
   * page's (its `color-scheme`, else the system's). The page also takes `?__theme=light|dark`.
   */
  @property() theme: "light" | "dark" | "auto" | undefined;
  /** The transport to the engine; a WebSocket to `ws` beside the page unless set before connecting. */
  @property({ attribute: false }) transport: Transport | undefined;

  /** The loaded config. */
  @state() config: SpaceConfig | undefined;
  @state() private loadError = "";
  @state() private connection: ConnectionState | "lost" = "connecting";
  /** The last state the server reported for each model, by model id. */
  @state() private models = new Map<string, ModelMessage>();
  @state() private notice = "";
  /** What the Share button said last. */
  @state() private shared: ShareResult | undefined;
  /** What opening a shared link found wrong (expired, damaged, components that changed). */
  @state() private linkNotice = "";
  /** The API page has been opened once (its code loads then). */
  @state() private apiPageLoaded = false;
  /** A static Space embedded from another site runs in this frame (its worker must be its own origin's). */
  @state() frame: HTMLIFrameElement | undefined;

  /** Every component and layout block of the config, by id (blocks keep their state in `props`). */
  readonly components = new Map<number, ComponentConfig>();
  readonly #elements = new Map<number, ValueElement>();
  /** The dependencies each `componentId:event` triggers. */
  readonly #triggers = new Map<string, DependencyConfig[]>();
  /** Each component's value as last seen (JSON), to fire `change` only when it really changed. */
  readonly #values = new Map<number, string>();
  #jobs: JobController | undefined;
  #modelView: typeof import("./models-info.js") | undefined;
  /** What a framed, embedded or Hub-hosted page adds (loaded only by one). */
  #embedding: typeof import("./embedding.js") | undefined;
  #loading: Promise<void> | undefined;
  /** The server's drawing of the description and article, and of examples tables by id, kept in the live page. */
  readonly #drawn = new Map<string | number, HTMLElement | null>();
  /** Share is making a link. */
  #sharing = false;

  // The server's drawing stays until the page has its config and elements (or an error).
  protected override shouldUpdate(): boolean {
    return !this.serverDrawn || !!(this.config || this.loadError || this.frame);
  }

  /**
   * Draws the page; the first time, in place of the server's drawing (in one task: nothing is
   * painted between), keeping what the visitor typed or ticked there and the focus.
   */
  protected override update(changed: PropertyValues<this>): void {
    const drawn = this.hasUpdated || !this.serverDrawn ? [] : [...this.renderRoot.childNodes];
    // The page's first script keeps what the visitor did on the drawing (`earlyInputScript` in
    // the server's `page.ts`), and replays it on the live page when called.
    const replay = drawn[0] ? globalThis.spacecraftEarly : undefined;
    if (drawn[0]) {
      // Drawn after the server's drawing (it goes next), not before its first node.
      this.renderOptions.renderBefore = null;
      // The live page's styles, before any a lazy module added (the drawing's own `<style>` goes).
      const root = this.renderRoot as ShadowRoot;
      adoptStyles(root, [...ScApp.elementStyles, ...root.adoptedStyleSheets]);
      // The server's description, article and examples stay (no Markdown or examples code to load).
      for (const place of ["header", "footer"])
        this.#drawn.set(place, this.renderRoot.querySelector(`${place} > sc-markdown`));
      for (const table of this.renderRoot.querySelectorAll<HTMLElement>("sc-examples")) {
        const id = Number(table.dataset.componentId);
        // A table with pages is drawn live (its page buttons need the element's code).
        if (!paged(this.components.get(id))) this.#drawn.set(id, table);
      }
    }
    super.update(changed);
    for (const node of drawn) {
      for (const old of (node as Element).querySelectorAll?.<HTMLElement>("[data-component-id]") ?? []) {
        const id = Number(old.dataset.componentId);
        const control = old.shadowRoot?.getElementById("control") as HTMLInputElement | null;
        const element = this.#elements.get(id);
        if (!control || !element) continue;
        const box = control.type === "checkbox";
        // Text fields and checkboxes (buttons, selects and file pickers keep nothing typed).
        const typed = box
          ? control.checked !== control.defaultChecked
          : control.defaultValue !== undefined &&
            control.type !== "file" &&
            control.value !== control.defaultValue;
        if (typed) {
          element.value = box
            ? control.checked
            : typeof element.value === "number"
              ? +control.value
              : control.value;
          this.#changed(id);
        }
        if (old.shadowRoot?.activeElement === control)
          void (element as unknown as ScElement).updateComplete.then(() => element.focus());
      }
      node.remove();
    }
    replay?.(this.renderRoot);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#loading) return;
    // Listeners on the element and its shadow root go with them: added once, never removed.
    this.addEventListener("keydown", this.onKeydown);
    this.addEventListener("sc-example-select", this.onExample);
    this.addEventListener("sc-caller-change", this.onCallerChange);
    for (const type of ["change", ...Object.keys(domEvents)])
      this.renderRoot.addEventListener(type, this.onEvent);
    this.#loading = this.load();
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has("theme") && this.theme)
      void import("./embedding.js").then((view) => view.applyTheme(this));
  }

  /** Resolves once the config is loaded and every component is on the page. */
  get ready(): Promise<void> {
    return (this.#loading ?? Promise.resolve()).then(() => this.updateComplete).then(() => undefined);
  }

  /** The element of a component, by its id in the config. */
  elementFor(id: number): ValueElement | undefined {
    return this.#elements.get(id);
  }

  /** The status line above a component, if a dependency shows one there. */
  statusAt(id: number) {
    return this.#jobs?.statusAt(id);
  }

  /** The server's drawing of a block, kept (an examples table). */
  drawn(id: number): HTMLElement | undefined {
    return this.#drawn.get(id) ?? undefined;
  }

  /** Renders a layout node and its children. */
  renderNode(node: LayoutNode) {
    return renderLayout(node, this);
  }

  /** The column the Share bar ends: the one that holds the first event's first output. */
  shareIn: number | undefined;

  /** The Share bar, and the Flag button of a Space that flags. */
  renderShare() {
    if (!this.#flagButton) return renderShareBar(this.shared, this.onShare);
    const share = this.config?.spacecraft.deepLinks ? renderShareBar(this.shared, this.onShare) : nothing;
    const session = (this.transport as { session?: string } | undefined)?.session;
    return html`${share}<sc-flag-bar .options=${this.config?.spacecraft.flagging?.options ?? []} .session=${session}></sc-flag-bar>`;
  }

  /** The page shows a Flag button: a server Space with `flagging: "manual"`. */
  #flagButton = false;

  /** Renders again, and resolves once done. */
  rerender(): Promise<unknown> {
    this.requestUpdate();
    return this.updateComplete;
  }

  /** Shows a message in the banner ("" hides it). */
  notify(message: string): void {
    this.notice = message;
  }

  /**
   * Gives a component a result value, or applies an update (`{"__type__": "update", …props}`:
   * props on the element, or on a layout block, then `value` when present). A value that really
   * changed fires the component's `change` event.
   */
  setOutput(id: number, value: unknown): void {
    const component = this.components.get(id);
    if (!component || component.type === "state") return;
    const element = this.#elements.get(id);
    if (isUpdate(value)) {
      const { __type__, value: next, ...props } = value;
      Object.assign(element ?? component.props, props);
      this.requestUpdate();
      if (!("value" in value)) return;
      value = next;
    }
    if (!element) return;
    element.value = value;
    this.#changed(id);
  }

  /** Sets a component's value without firing its events (a shared link's snapshot: nothing runs). */
  restoreValue(id: number, value: unknown): void {
    const element = this.#elements.get(id);
    if (!element) return;
    element.value = value;
    element.error = "";
    this.#values.set(id, JSON.stringify(element.value ?? null));
  }

  /** Runs the dependencies that a component's event triggers, with the data it carries. */
  fire(id: number, event: string, eventData?: unknown): void {
    for (const dependency of this.#triggers.get(`${id}:${event}`) ?? [])
      this.#jobs?.trigger(dependency, eventData);
  }

  /** Fires `change` for a component whose value differs from the last one seen. */
  #changed(id: number): void {
    const element = this.#elements.get(id);
    const json = JSON.stringify(element?.value ?? null);
    if (this.#values.get(id) === json) return;
    this.#values.set(id, json);
    this.fire(id, "change");
  }

  /** Adds the styles of a module loaded later to the page's. */
  #adopt(styles: CSSResult): void {
    const root = this.renderRoot as ShadowRoot;
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet as CSSStyleSheet];
  }

  private async load(): Promise<void> {
    try {
      const config = await fetchConfig(this.src);
      const hub = (window as { huggingface?: { variables?: { SPACE_ID?: unknown } } }).huggingface;
      if (embedded() || window.parent !== window || location.search || config.spacecraft?.spaceId || hub) {
        this.#embedding = await import("./embedding.js");
        const refusal = this.#embedding.start(this, config);
        if (refusal !== undefined || this.frame) {
          this.loadError = refusal ?? "";
          this.toggleAttribute("loaded", true);
          return;
        }
      }
      for (const component of config.components) this.components.set(component.id, component);
      const types = new Set(config.components.map((component) => component.type));
      if (this.serverDrawn) await globalThis.spacecraftScripts;
      const hasBlocks = [...types].some((type) => lazyBlocks.has(type));
      const [, openTransport, theme] = await Promise.all([
        hasBlocks && !ran.blocks ? import("./blocks.js") : undefined,
        this.transport ? undefined : loadTransport(config),
        // A server-drawn page has the theme's tokens and colour scheme already.
        this.serverDrawn ? undefined : import("../base/theme.js"),
        // Each element's chunk, as the config names it: built-in ones (`spacecraft.elements`, from
        // the page's build manifest) and the Space's own (`spacecraft.customElements`), so the
        // entry holds no table of every element (`element-modules.ts` has it, for a config
        // without them). One whose module ran already (`ran.ts`) is defined.
        ...[...types].map((type) => {
          if (drawnTypes.has(type) || customElements.get(`sc-${type}`)) return undefined;
          const path = config.spacecraft?.elements?.[type] ?? config.spacecraft?.customElements?.[type];
          return path
            ? import(/* @vite-ignore */ spaceUrl(path).href)
            : import("./element-modules.js").then((modules) => modules.loadElement(type));
        }),
        (config.description || config.article) && !this.serverDrawn
          ? import("../markdown/markdown.js")
          : undefined,
        types.has("dataset") && (!this.serverDrawn || config.components.some(paged))
          ? import("./examples.js")
          : undefined,
      ]);
      if (hasBlocks && ran.blocks) {
        for (const [type, render] of Object.entries(ran.blocks.renderers)) blockRenderers.set(type, render);
        this.#adopt(ran.blocks.styles);
      }
      for (const dependency of config.dependencies) {
        for (const [id, event] of dependency.targets) {
          const key = `${id}:${event}`;
          this.#triggers.set(key, [...(this.#triggers.get(key) ?? []), dependency]);
        }
      }
      for (const component of config.components) {
        if (drawnTypes.has(component.type)) continue;
        this.#elements.set(component.id, this.createElementFor(component, config));
        this.#values.set(component.id, JSON.stringify(this.#elements.get(component.id)?.value ?? null));
      }
      theme?.installTheme(config);
      // Another site's page keeps its title and colours (`theme` sets the app's own).
      if (!embedded()) {
        document.title = config.title;
        if (!this.theme) theme?.setTheme(config.theme);
      }
      this.transport ??= openTransport?.();
      this.connect(config);
      this.#jobs = new JobController(this, config.dependencies);
      const output = config.dependencies.find((dependency) => dependency.outputs.length > 0)?.outputs[0];
      this.#flagButton =
        config.spacecraft.flagging?.mode === "manual" && config.spacecraft.runtime !== "worker";
      // The element defines itself when its chunk arrives; only pages that flag load it.
      if (this.#flagButton) void import("./flag-bar.js");
      if ((config.spacecraft.deepLinks || this.#flagButton) && output !== undefined)
        this.shareIn = columnOf(config.layout, output, new Map(config.components.map((c) => [c.id, c.type])));
      this.config = config;
      if (
        config.spacecraft.deepLinks &&
        /^#deep_link=|[?&]deep_link=/.test(location.search + location.hash)
      ) {
        const { openSharedLink } = await import("./share.js");
        this.linkNotice = await openSharedLink(this);
      }
      // The page's own events (Blocks' `page.load`, Gradio's `demo.load`) name the layout's root.
      this.fire(config.layout.id, "load");
    } catch (error) {
      this.loadError = `Could not load this Space: ${error instanceof Error ? error.message : String(error)}. Reload the page to try again.`;
    }
    this.toggleAttribute("loaded", true);
  }

  private createElementFor(component: ComponentConfig, config: SpaceConfig): ValueElement {
    const tag = `sc-${component.type}`;
    if (!customElements.get(tag)) {
      const note = document.createElement("p") as unknown as ValueElement;
      note.textContent = `This page cannot show components of type "${component.type}" yet.`;
      return note;
    }
    const element = document.createElement(tag) as ValueElement;
    const { value, ...props } = component.props;
    Object.assign(element, props);
    if (value !== undefined) element.value = structuredClone(value);
    // The sign-in button signs in through the server, or in the page on a static Space.
    if (component.type === "loginbutton") Object.assign(element, { runtime: config.spacecraft?.runtime });
    // Outputs let the user pick an item only when a `select` event listens (as Gradio's do).
    if (this.#triggers.has(`${component.id}:select`)) Object.assign(element, { selectable: true });
    // Elements with controls per event (a chat's Like, Retry …) show those the Space listens to.
    if ("listening" in element) {
      const listening = [...this.#triggers.keys()]
        .filter((key) => key.startsWith(`${component.id}:`))
        .map((key) => key.slice(key.indexOf(":") + 1));
      Object.assign(element, { listening });
    }
    element.dataset.componentId = String(component.id);
    return element;
  }

  private connect(config: SpaceConfig): void {
    const transport = this.transport as Transport;
    setUploader(transport.upload?.bind(transport));
    transport.onState((state, reopened) => {
      if (state === "open" && reopened && config.spacecraft?.dev) {
        location.reload();
        return;
      }
      if (state === "closed") this.connection = "lost";
      else if (state === "open" || this.connection !== "lost") this.connection = state;
    });
    transport.onMessage((message) => {
      if (message.type === "model") {
        this.models = new Map(this.models).set(message.model, message);
        void import("./models-info.js").then((view) => {
          if (!this.#modelView) this.#adopt(view.modelStyles);
          this.#modelView = view;
          this.requestUpdate();
        });
      } else if (message.type === "error") this.notice = message.message;
    });
  }

  protected override willUpdate(): void {
    // A button that reads "Stop" while its click event (or another it stops) runs.
    for (const [id, element] of this.#elements) {
      const button = element as unknown as Partial<ScButton>;
      if (!button.stopsWhileRunning) continue;
      button.running = this.#stoppedBy(id).some((dep) => this.#jobs?.isRunning(dep));
    }
  }

  /**
   * The dependencies a Stop button stops: its click's, and those its `stops` prop lists (a chat's
   * Send stops a retried reply too).
   */
  #stoppedBy(id: number): number[] {
    const clicks = (this.#triggers.get(`${id}:click`) ?? []).map((dep) => dep.id);
    return [...clicks, ...((this.components.get(id)?.props.stops as number[] | undefined) ?? [])];
  }

  /** The description (in `header`) or article (in `footer`): the server's drawing, else an element. */
  #markdown(place: "header" | "footer", text: string) {
    return this.#drawn.get(place) ?? html`<sc-markdown .value=${text}></sc-markdown>`;
  }

  override render() {
    if (this.loadError) return html`<p class="banner error" role="alert">${this.loadError}</p>`;
    if (this.frame) return this.frame;
    const config = this.config;
    if (!config) return html`<p class="banner" role="status">Loading…</p>`;
    const view = this.#modelView;
    return html`<div role="status" aria-live="polite">
        ${
          this.connection === "lost"
            ? html`<p part="banner" class="banner" data-banner="connection">Lost the connection to the server. Reconnecting…</p>`
            : nothing
        }
        ${view ? [...this.models.values()].map(view.renderModelBanner) : nothing}
        ${this.notice ? html`<p part="banner" class="banner error" data-banner="notice">${this.notice}</p>` : nothing}
        ${this.linkNotice ? html`<p part="banner" class="banner" data-banner="link">${this.linkNotice}</p>` : nothing}
      </div>
      <header part="header">
        ${config.title ? html`<h1>${config.title}</h1>` : nothing}
        ${config.description ? this.#markdown("header", config.description) : nothing}
      </header>
      <main>${this.renderNode(config.layout)}</main>
      ${(config.spacecraft.deepLinks || this.#flagButton) && this.shareIn === undefined ? this.renderShare() : nothing}
      ${view ? view.renderModelInfo(this.models.values()) : nothing}
      ${
        // A chat sends with Enter, as its box says.
        config.mode !== "chat_interface" &&
        config.dependencies.some((dep) => dep.targets.some(([, event]) => event === "click"))
          ? html`<p class="hint"><kbd>Ctrl</kbd>/<kbd>⌘</kbd> + <kbd>Enter</kbd> submits.</p>`
          : nothing
      }
      ${
        config.article
          ? html`<footer part="article" class="article">${this.#markdown("footer", config.article)}</footer>`
          : nothing
      }
      <nav part="links" class="links" aria-label="About this Space">
        <button type="button" class="link" aria-haspopup="dialog" @click=${this.openApiPage}>Use via API</button>
        ${this.#embedding?.renderSpaceLinks(config) ?? nothing}
      </nav>
      ${
        this.apiPageLoaded
          ? html`<sc-api-page ?in-browser=${config.spacecraft?.runtime === "worker"}></sc-api-page>`
          : nothing
      }`;
  }

  /** Opens the "Use via API" page, loading its code the first time. */
  private readonly openApiPage = async (): Promise<void> => {
    await import("./api-page.js");
    this.apiPageLoaded = true;
    await this.updateComplete;
    await this.renderRoot.querySelector<ScApiPage>("sc-api-page")?.show();
  };

  /** Share: makes a link to the page as it is, copies it, and says so (or shows it to copy). */
  private readonly onShare = async (): Promise<void> => {
    if (this.#sharing) return;
    this.#sharing = true;
    // Cleared first, so the live region announces a second "Link copied." too.
    this.shared = undefined;
    this.shared = await import("./share.js")
      .then(({ share }) => share(this))
      .catch(() => ({ message: "Could not make a link: reload the page and try again.", failed: true }));
    this.#sharing = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>(".share input")?.select();
  };

  /** Resets the components a Clear button lists to their initial values. */
  clear(button: ComponentConfig): void {
    const ids = (button.props.components as number[] | undefined) ?? [];
    for (const id of ids) {
      const element = this.#elements.get(id);
      const initial = this.components.get(id)?.props.value;
      if (!element) continue;
      element.value = initial === undefined ? null : structuredClone(initial);
      element.error = "";
      this.#changed(id);
    }
    this.#jobs?.reset(ids);
  }

  /**
   * A component's DOM event (seen at the shadow root, where its target is the component's
   * element): runs the dependencies it triggers; a user's edit also fires `change` when the
   * value changed. A click on a button that reads "Stop" cancels its event instead.
   */
  private readonly onEvent = (event: Event): void => {
    const id = Number((event.target as HTMLElement).dataset?.componentId);
    // A click in a server-drawn examples table: its row (the row's button takes Enter too).
    const row = this.#drawn.has(id)
      ? (event.composedPath().find((node) => (node as Element).localName === "tr") as HTMLTableRowElement)
      : undefined;
    if (event.type === "click" && row?.parentElement?.localName === "tbody")
      this.#example(id, Number(row.dataset.index ?? row.sectionRowIndex));
    if (!this.#elements.has(id)) return;
    if (event.type === "click") {
      const button = event.target as unknown as Partial<ScButton>;
      if (button.running && button.stopsWhileRunning) {
        for (const dep of this.#stoppedBy(id)) this.#jobs?.cancel(dep);
        return;
      }
    }
    if (event.type === "input" || event.type === "change") this.#changed(id);
    const name = domEvents[event.type];
    // Events that carry data (`sc-select`, a chat's `sc-like`, …) hold it in `eventData`.
    if (name) this.fire(id, name, (event as { eventData?: unknown }).eventData);
  };

  private readonly onExample = (event: ExampleSelectEvent): void => {
    const source = event
      .composedPath()
      .find((target) => target instanceof HTMLElement && target.dataset.componentId);
    this.#example(Number((source as HTMLElement | undefined)?.dataset.componentId), event.index);
  };

  /**
   * Fills the inputs of the examples table `id` from its row `index`. A table with cached outputs
   * also shows the row's outputs from the Space's cache, with no run and no `change` of the
   * inputs (a live demo would run); a row not cached (yet) runs as a click of Submit would.
   */
  #example(id: number, index: number): void {
    const dataset = this.components.get(id);
    const ids = (dataset?.props.components as number[] | undefined) ?? [];
    const row = (dataset?.props.samples as unknown[][] | undefined)?.[index] ?? [];
    const cached = this.config?.dependencies.find((dep) => dep.id === dataset?.props.dependency);
    ids.forEach((id, i) => {
      const element = this.#elements.get(id);
      if (!element || i >= row.length) return;
      if (cached) this.restoreValue(id, structuredClone(row[i]));
      else {
        element.value = structuredClone(row[i]);
        element.error = "";
        this.#changed(id);
      }
    });
    if (cached && dataset?.props.cache) void this.#cachedExample(id, index, cached);
  }

  /** The latest example picked in each table with cached outputs: an older answer is dropped. */
  readonly #pickedExample = new Map<number, number>();

  async #cachedExample(id: number, index: number, dependency: DependencyConfig): Promise<void> {
    const picked = (this.#pickedExample.get(id) ?? 0) + 1;
    this.#pickedExample.set(id, picked);
    this.#jobs?.awaitCached(dependency);
    // The server answers this path; a static Space's build wrote the file.
    const outputs = await fetch(spaceUrl(`gradio_api/cached_examples/${id}/${index}.json`))
      .then(async (response) =>
        response.ok ? ((await response.json()) as { data: unknown[] }).data : undefined,
      )
      .catch(() => undefined);
    if (this.#pickedExample.get(id) !== picked) return;
    if (outputs) this.#jobs?.showCached(dependency, outputs);
    else this.#jobs?.trigger(dependency);
  }

  /** A static Space's visitor signed in or out: the worker gets them with each request. */
  private readonly onCallerChange = (event: CallerChangeEvent): void => {
    this.transport?.setCaller?.(event.caller);
  };

  /**
   * Ctrl/Cmd+Enter: runs the click event whose inputs hold the focus (else the first click event).
   * Escape: stops the streaming runs whose inputs or outputs hold the focus (a chat's reply),
   * unless the element in focus used the key itself (a list closing, an edit cancelled).
   */
  private readonly onKeydown = (event: KeyboardEvent): void => {
    const path = event.composedPath();
    const inPath = (id: number) => {
      const element = this.#elements.get(id);
      return element !== undefined && path.includes(element);
    };
    if (event.key === "Escape" && !event.defaultPrevented) {
      const streaming = (this.config?.dependencies ?? []).filter(
        (dep) =>
          dep.types.generator &&
          this.#jobs?.isRunning(dep.id) &&
          [...dep.inputs, ...dep.outputs].some(inPath),
      );
      for (const dependency of streaming) this.#jobs?.cancel(dependency.id);
      if (streaming.length > 0) event.preventDefault();
      return;
    }
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    const clicks = (this.config?.dependencies ?? []).filter((dep) =>
      dep.targets.some(([, name]) => name === "click"),
    );
    const dependency = clicks.find((dep) => dep.inputs.some(inPath)) ?? clicks[0];
    if (!dependency) return;
    event.preventDefault();
    this.#jobs?.trigger(dependency);
  };
}

/** Whether a component is an examples table with more than one page. */
function paged(component: ComponentConfig | undefined): boolean {
  if (component?.type !== "dataset") return false;
  const perPage = (component.props.samplesPerPage as number | undefined) ?? 10;
  return ((component.props.samples as unknown[] | undefined)?.length ?? 0) > perPage;
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-app": ScApp;
  }
  /** Set by the server-drawn page's first script: replays what the visitor did on the drawing in `root`. */
  var spacecraftEarly: ((root: ParentNode) => void) | undefined;
}
