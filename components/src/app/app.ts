import type { TemplateResult } from "lit";
import { html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { ifDefined } from "lit/directives/if-defined.js";
import type { ComponentConfig, DependencyConfig, LayoutNode, SpaceConfig } from "spacecraft";
import type { ConnectionState, JobHandle, JobMessage, Transport } from "spacecraft/client";
import { WebSocketTransport, WorkerTransport } from "spacecraft/client";
import type { ModelInfo, ServerMessage } from "spacecraft/protocol";
import { ScElement } from "../base/base-element.js";
import { setTheme } from "../base/theme.js";
import { setUploader } from "../base/upload.js";
import type { CallerChangeEvent } from "../loginbutton/loginbutton.js";
import { appStyles } from "./app.styles.js";
import "./examples.js";
import type { ExampleSelectEvent } from "./examples.js";
import "./status.js";
import type { JobStatus } from "./status.js";
import "../markdown/markdown.js";
import type { ScApiPage } from "./api-page.js";

/** A component element as the shell drives it. */
type ValueElement = HTMLElement & { value: unknown; error: string };

/** Loads the element of each component type on demand, so a page pays only for what it shows. */
const elementLoaders: Record<string, () => Promise<unknown>> = {
  textbox: () => import("../textbox/textbox.js"),
  number: () => import("../number/number.js"),
  slider: () => import("../slider/slider.js"),
  checkbox: () => import("../checkbox/checkbox.js"),
  checkboxgroup: () => import("../checkboxgroup/checkboxgroup.js"),
  radio: () => import("../radio/radio.js"),
  dropdown: () => import("../dropdown/dropdown.js"),
  label: () => import("../label/label.js"),
  json: () => import("../json/json.js"),
  markdown: () => import("../markdown/markdown.js"),
  highlightedtext: () => import("../highlightedtext/highlightedtext.js"),
  image: () => import("../image/image.js"),
  audio: () => import("../audio/audio.js"),
  file: () => import("../file/file.js"),
  annotatedimage: () => import("../annotatedimage/annotatedimage.js"),
  gallery: () => import("../gallery/gallery.js"),
  loginbutton: () => import("../loginbutton/loginbutton.js"),
};

/** A model's loading state, as the server reports it. */
type ModelMessage = Extract<ServerMessage, { type: "model" }>;

/** A link target that is safe to put in `href` (http or https only). */
function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A download size in MB (KB below 0.1 MB, so tiny models don't read "0.0 MB"). */
function megabytes(bytes: number): string {
  return bytes < 1e5 ? `${(bytes / 1e3).toFixed(1)} KB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

const layoutTypes = new Set(["form", "row", "column", "button", "clearbutton", "dataset"]);

/**
 * @summary The page of a Space: loads `/config`, renders the title, the layout and its
 * components, and runs the demo's function over a transport (the WebSocket by default).
 * Ctrl/Cmd+Enter submits.
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
  static override styles = [...ScElement.styles, appStyles];

  /** Where the config comes from, relative to the page. */
  @property() src = "config";
  /** The transport to the engine; a WebSocket to `ws` beside the page unless set before connecting. */
  @property({ attribute: false }) transport: Transport | undefined;

  /** The loaded config. */
  @state() config: SpaceConfig | undefined;
  @state() private loadError = "";
  @state() private connection: ConnectionState | "lost" = "connecting";
  /** The last state the server reported for each model, by model id. */
  @state() private models = new Map<string, ModelMessage>();
  @state() private notice = "";
  @state() private statuses = new Map<number, JobStatus>();
  /** The API page has been opened once (its code loads then). */
  @state() private apiPageLoaded = false;

  readonly #components = new Map<number, ComponentConfig>();
  readonly #elements = new Map<number, ValueElement>();
  readonly #handles = new Map<number, JobHandle>();
  /** Dependencies whose submit waits for an upload to finish. */
  readonly #waiting = new Set<number>();
  #loading: Promise<void> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener("keydown", this.onKeydown);
    this.addEventListener("sc-example-select", this.onExample);
    this.addEventListener("sc-caller-change", this.onCallerChange);
    this.#loading ??= this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener("keydown", this.onKeydown);
    this.removeEventListener("sc-example-select", this.onExample);
    this.removeEventListener("sc-caller-change", this.onCallerChange);
  }

  /** Resolves once the config is loaded and every component is on the page. */
  get ready(): Promise<void> {
    return (this.#loading ?? Promise.resolve()).then(() => this.updateComplete).then(() => undefined);
  }

  /** The element of a component, by its id in the config. */
  elementFor(id: number): ValueElement | undefined {
    return this.#elements.get(id);
  }

  private async load(): Promise<void> {
    try {
      const response = await fetch(new URL(this.src, document.baseURI));
      if (!response.ok) throw new Error(`GET ${this.src} answered ${response.status}`);
      const config = (await response.json()) as SpaceConfig;
      for (const component of config.components) this.#components.set(component.id, component);
      const types = new Set(config.components.map((component) => component.type));
      await Promise.all([...types].map((type) => elementLoaders[type]?.()));
      for (const component of config.components) {
        if (!layoutTypes.has(component.type))
          this.#elements.set(component.id, this.createElementFor(component, config));
      }
      document.title = config.title;
      setTheme(config.theme);
      this.connect(config);
      this.config = config;
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
    element.dataset.componentId = String(component.id);
    return element;
  }

  private connect(config: SpaceConfig): void {
    this.transport ??=
      config.spacecraft?.runtime === "worker"
        ? new WorkerTransport(new Worker(new URL("worker.js", document.baseURI), { type: "module" }))
        : new WebSocketTransport(new URL("ws", document.baseURI));
    const transport = this.transport;
    setUploader(
      transport.upload
        ? (file, name) => (transport.upload as NonNullable<Transport["upload"]>)(file, name)
        : undefined,
    );
    transport.onState((state, reopened) => {
      if (state === "open" && reopened && config.spacecraft?.dev) {
        location.reload();
        return;
      }
      if (state === "closed") this.connection = "lost";
      else if (state === "open" || this.connection !== "lost") this.connection = state;
    });
    transport.onMessage((message) => {
      if (message.type === "model") this.models = new Map(this.models).set(message.model, message);
      else if (message.type === "error") this.notice = message.message;
    });
  }

  override render() {
    if (this.loadError) return html`<p class="banner error" role="alert">${this.loadError}</p>`;
    const config = this.config;
    if (!config) return html`<p class="banner" role="status">Loading…</p>`;
    return html`${this.renderBanners()}
      <header part="header">
        ${config.title ? html`<h1>${config.title}</h1>` : nothing}
        ${config.description ? html`<sc-markdown .value=${config.description}></sc-markdown>` : nothing}
      </header>
      <main>${this.renderNode(config.layout)}</main>
      ${this.renderModelInfo()}
      ${
        config.dependencies.length > 0
          ? html`<p class="hint"><kbd>Ctrl</kbd>/<kbd>⌘</kbd> + <kbd>Enter</kbd> submits.</p>`
          : nothing
      }
      ${
        config.article
          ? html`<footer part="article" class="article"><sc-markdown .value=${config.article}></sc-markdown></footer>`
          : nothing
      }
      <nav part="links" class="links" aria-label="About this Space">
        <button type="button" class="link" aria-haspopup="dialog" @click=${this.openApiPage}>Use via API</button>
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

  private renderBanners() {
    return html`<div role="status" aria-live="polite">
      ${
        this.connection === "lost"
          ? html`<p part="banner" class="banner" data-banner="connection">Lost the connection to the server. Reconnecting…</p>`
          : nothing
      }
      ${[...this.models.values()].map((model) => this.renderModelBanner(model))}
      ${this.notice ? html`<p part="banner" class="banner error" data-banner="notice">${this.notice}</p>` : nothing}
    </div>`;
  }

  private renderModelBanner(model: ModelMessage) {
    if (model.state === "error") {
      return html`<p part="banner" class="banner error" data-banner="model" data-model=${model.model}>
        ${model.message ?? `The model ${model.model} failed to load.`}
      </p>`;
    }
    if (model.state !== "loading") return nothing;
    const percent = model.progress === undefined ? "" : ` ${Math.round(model.progress * 100)}%`;
    return html`<div part="banner" class="banner model" data-banner="model" data-model=${model.model}>
      <span>Loading model <code>${model.model}</code>…${percent}</span>
      <progress
        part="model-progress"
        max="1"
        value=${ifDefined(model.progress)}
        aria-label=${`Loading ${model.model}`}
      ></progress>
    </div>`;
  }

  private renderModelInfo() {
    const withInfo = [...this.models.values()].filter(
      (model): model is ModelMessage & { info: ModelInfo } => model.info !== undefined,
    );
    if (withInfo.length === 0) return nothing;
    return html`<ul part="models" class="models" aria-label="Models">
      ${withInfo.map(({ model, info }) => {
        const href = safeHref(info.url);
        return html`<li data-model=${model}>
          Model ${href ? html`<a href=${href} target="_blank" rel="noopener">${model}</a>` : model}
          ${info.license ? html`<span>· Licence: ${info.license}</span>` : nothing}
          ${info.sizeBytes === undefined ? nothing : html`<span>· ${megabytes(info.sizeBytes)} on disk</span>`}
          ${info.gated ? html`<span>· Gated: set HF_TOKEN on the server</span>` : nothing}
        </li>`;
      })}
    </ul>`;
  }

  private renderNode(node: LayoutNode): TemplateResult | typeof nothing {
    const component = this.#components.get(node.id);
    if (!component) return nothing;
    const props = component.props;
    const children = () => (node.children ?? []).map((child) => this.renderNode(child));
    switch (component.type) {
      case "form":
        return html`<div class="form">${children()}</div>`;
      case "row":
        return html`<div class="row">${children()}</div>`;
      case "column":
        return html`<div class=${props.variant === "panel" ? "column panel" : "column"}>${children()}</div>`;
      case "button":
        return this.renderButton(component);
      case "clearbutton":
        return html`<button type="button" class="button" @click=${() => this.clear(component)}>
          ${String(props.value ?? "Clear")}
        </button>`;
      case "dataset":
        return html`<sc-examples
          class="panel"
          .label=${String(props.label ?? "Examples")}
          .headers=${(props.headers as string[] | undefined) ?? []}
          .samples=${(props.samples as unknown[][] | undefined) ?? []}
          data-component-id=${component.id}
        ></sc-examples>`;
      default: {
        const element = this.#elements.get(node.id);
        const dependency = this.config?.dependencies.find((dep) => dep.outputs[0] === node.id);
        return html`${dependency ? this.renderStatus(dependency) : nothing}${element ?? nothing}`;
      }
    }
  }

  private renderButton(component: ComponentConfig): TemplateResult {
    const dependency = this.dependencyOf(component.id);
    const running = dependency !== undefined && this.#handles.has(dependency.id);
    return html`<button
      type="button"
      class=${running ? "button stop" : `button ${component.props.variant === "primary" ? "primary" : ""}`}
      @click=${() => dependency && (running ? this.stop(dependency) : this.submit(dependency))}
    >
      ${running ? "Stop" : String(component.props.value ?? "Submit")}
    </button>`;
  }

  private renderStatus(dependency: DependencyConfig): TemplateResult {
    return html`<sc-status
      .status=${this.statuses.get(dependency.id) ?? { stage: "idle" }}
      data-dependency=${dependency.id}
    ></sc-status>`;
  }

  private dependencyOf(triggerId: number): DependencyConfig | undefined {
    return this.config?.dependencies.find((dep) => dep.targets.some(([id]) => id === triggerId));
  }

  /** Runs a dependency with the current input values (ignored while it is running). */
  submit(dependency: DependencyConfig): void {
    if (!this.transport || this.#handles.has(dependency.id) || this.#waiting.has(dependency.id)) return;
    // A file still uploading: send once it is there (and not at all if the upload failed).
    const uploading = dependency.inputs
      .map((id) => this.#elements.get(id))
      .filter((element) => (element as { uploading?: boolean } | undefined)?.uploading) as (ValueElement & {
      uploadComplete: Promise<void>;
    })[];
    if (uploading.length > 0) {
      this.#waiting.add(dependency.id);
      this.setStatus(dependency, { stage: "pending" });
      void Promise.all(uploading.map((element) => element.uploadComplete)).then(() => {
        this.#waiting.delete(dependency.id);
        if (uploading.some((element) => element.error)) this.setStatus(dependency, { stage: "idle" });
        else this.submit(dependency);
      });
      return;
    }
    this.notice = "";
    const data = dependency.inputs.map((id) => {
      const element = this.#elements.get(id);
      if (element) element.error = "";
      return element?.value ?? null;
    });
    this.setOutputsPending(dependency, true);
    this.setStatus(dependency, { stage: "pending" });
    const handle = this.transport.submit(dependency.id, data, (message) =>
      this.onJobMessage(dependency, message),
    );
    this.#handles.set(dependency.id, handle);
  }

  private stop(dependency: DependencyConfig): void {
    this.#handles.get(dependency.id)?.cancel();
  }

  private onJobMessage(dependency: DependencyConfig, message: JobMessage): void {
    const previous = this.statuses.get(dependency.id);
    switch (message.type) {
      case "queued":
        this.setStatus(dependency, {
          stage: "queued",
          position: message.position,
          size: message.size,
          eta: message.eta,
        });
        return;
      case "started":
        this.setStatus(dependency, { stage: "generating", startedAt: performance.now(), eta: message.eta });
        return;
      case "progress":
        this.setStatus(dependency, {
          stage: "generating",
          startedAt: previous?.stage === "generating" ? previous.startedAt : performance.now(),
          eta: previous?.stage === "generating" ? previous.eta : undefined,
          progress: { value: message.value, total: message.total, desc: message.desc },
        });
        return;
      case "partial":
        this.setOutputs(dependency, message.data);
        this.setOutputsPending(dependency, false);
        return;
      case "complete":
        this.setOutputs(dependency, message.data);
        this.finish(dependency, { stage: "complete", duration: message.duration });
        return;
      case "cancelled":
        this.finish(dependency, { stage: "cancelled" });
        return;
      case "error": {
        const field = message.field === undefined ? undefined : this.#elements.get(message.field);
        if (field) {
          field.error = message.message;
          field.focus();
          this.finish(dependency, { stage: "idle" });
        } else {
          this.finish(dependency, { stage: "error", message: message.message });
        }
        return;
      }
    }
  }

  private finish(dependency: DependencyConfig, status: JobStatus): void {
    this.#handles.delete(dependency.id);
    this.setOutputsPending(dependency, false);
    this.setStatus(dependency, status);
  }

  private setStatus(dependency: DependencyConfig, status: JobStatus): void {
    this.statuses = new Map(this.statuses).set(dependency.id, status);
  }

  private setOutputs(dependency: DependencyConfig, data: unknown[]): void {
    dependency.outputs.forEach((id, i) => {
      const element = this.#elements.get(id);
      if (element) element.value = data[i];
    });
  }

  private setOutputsPending(dependency: DependencyConfig, pending: boolean): void {
    for (const id of dependency.outputs) this.#elements.get(id)?.toggleAttribute("pending", pending);
  }

  /** Resets the components a Clear button lists to their initial values. */
  private clear(button: ComponentConfig): void {
    const ids = (button.props.components as number[] | undefined) ?? [];
    for (const id of ids) {
      const element = this.#elements.get(id);
      const initial = this.#components.get(id)?.props.value;
      if (!element) continue;
      element.value = initial === undefined ? null : structuredClone(initial);
      element.error = "";
    }
    const statuses = new Map(this.statuses);
    for (const dependency of this.config?.dependencies ?? []) {
      if (dependency.outputs.some((id) => ids.includes(id)) && !this.#handles.has(dependency.id)) {
        statuses.set(dependency.id, { stage: "idle" });
      }
    }
    this.statuses = statuses;
  }

  private readonly onExample = (event: ExampleSelectEvent): void => {
    const source = event
      .composedPath()
      .find((target) => target instanceof HTMLElement && target.dataset.componentId);
    const dataset = this.#components.get(Number((source as HTMLElement | undefined)?.dataset.componentId));
    const ids = (dataset?.props.components as number[] | undefined) ?? [];
    const row = (dataset?.props.samples as unknown[][] | undefined)?.[event.index] ?? [];
    ids.forEach((id, i) => {
      const element = this.#elements.get(id);
      if (!element || i >= row.length) return;
      element.value = structuredClone(row[i]);
      element.error = "";
    });
  };

  /** A static Space's visitor signed in or out: the worker gets them with each request. */
  private readonly onCallerChange = (event: CallerChangeEvent): void => {
    this.transport?.setCaller?.(event.caller);
  };

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    const dependencies = this.config?.dependencies ?? [];
    const path = event.composedPath();
    const inPath = (id: number) => {
      const element = this.#elements.get(id);
      return element !== undefined && path.includes(element);
    };
    const dependency = dependencies.find((dep) => dep.inputs.some(inPath)) ?? dependencies[0];
    if (!dependency) return;
    event.preventDefault();
    this.submit(dependency);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-app": ScApp;
  }
}
