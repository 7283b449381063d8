import { html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { ApiEndpoint, ApiInfo } from "spacecraft/api-info";
import { ScElement } from "../base/base-element.js";
import { spaceUrl } from "../base/space-url.js";
import { apiPageStyles } from "./api-page.styles.js";
import type { ClientLanguage } from "./api-snippets.js";
import {
  clientLanguages,
  clientNames,
  codeSnippets,
  describeDefault,
  describeType,
  openaiSnippet,
} from "./api-snippets.js";

/** The note a Space that runs in the browser shows instead of its API. */
export const IN_BROWSER_NOTE =
  "This demo runs in your browser; it has no API. Deploy it with a server (sdk: docker) to call it from code.";

/** Checks the shape of `gradio_api/info` (it comes over the network) and keeps the public endpoints. */
function publicEndpoints(json: unknown): [string, ApiEndpoint][] {
  const named = (json as Partial<ApiInfo> | null)?.named_endpoints;
  if (typeof named !== "object" || named === null) throw new Error("the answer has no named_endpoints");
  return Object.entries(named).filter(([, endpoint]) => {
    if (!Array.isArray(endpoint?.parameters) || !Array.isArray(endpoint?.returns))
      throw new Error("an endpoint has no parameters or returns list");
    return (endpoint.api_visibility ?? "public") === "public";
  });
}

/**
 * @summary The "Use via API" page of a Space, in a modal dialog: each endpoint of
 * `gradio_api/info` with its parameters and return values, and code that calls it from
 * JavaScript, Python, curl and the Spacecraft client, with a copy button. Tabs switch with the
 * arrow keys; Escape closes. A Space that runs in the browser (`inBrowser`) has no API and says so.
 *
 * @csspart dialog - The dialog.
 * @csspart endpoint - The section of each endpoint.
 * @csspart snippet - The code of the selected client.
 * @csspart copy - The copy button.
 */
@customElement("sc-api-page")
export class ScApiPage extends ScElement {
  static override styles = [...ScElement.styles, apiPageStyles];

  /** Where the API description comes from, relative to the page. */
  @property() src = "gradio_api/info";
  /** The URL clients connect to: the page's folder (its origin, on a Space) unless set. */
  @property() url = "";
  /** The Space runs in the browser (a static build), so there is no API to call. */
  @property({ type: Boolean, attribute: "in-browser" }) inBrowser = false;
  /** Whether the dialog is open. */
  @property({ type: Boolean, reflect: true }) open = false;

  @state() private endpoints: [string, ApiEndpoint][] | undefined;
  /** A chat Space's model id on its OpenAI-compatible API (`/v1`), when it has one. */
  @state() private openaiModel: string | undefined;
  @state() private loadError = "";
  @state() private language: ClientLanguage = "javascript";
  /** What the last copy did, by endpoint: "Copied" or a failure note. */
  @state() private copyNotes = new Map<string, string>();

  #loading: Promise<void> | undefined;
  #copyTimer: ReturnType<typeof setTimeout> | undefined;

  /** Opens the dialog (loading the API description the first time). */
  async show(): Promise<void> {
    if (!this.inBrowser) this.#loading ??= this.load();
    this.open = true;
    await this.updateComplete;
    const dialog = this.dialog;
    if (dialog && !dialog.open) dialog.showModal();
  }

  /** Closes the dialog. */
  close(): void {
    this.dialog?.close();
    this.open = false;
  }

  /** Resolves once the API description is loaded (or failed to load). */
  get loaded(): Promise<void> {
    return (this.#loading ?? Promise.resolve()).then(() => this.updateComplete).then(() => undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#copyTimer);
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector("dialog");
  }

  private get apiUrl(): string {
    return (this.url || spaceUrl(".").href).replace(/\/+$/, "");
  }

  private async load(): Promise<void> {
    try {
      const response = await fetch(spaceUrl(this.src));
      if (!response.ok) throw new Error(`GET ${this.src} answered ${response.status}`);
      this.endpoints = publicEndpoints(await response.json());
      this.openaiModel = await openaiModelOf(spaceUrl("v1/models"));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.loadError = `Could not load the API description: ${reason}. Close this and try again.`;
      this.#loading = undefined;
    }
  }

  override render() {
    return html`<dialog
      part="dialog"
      aria-labelledby="title"
      @close=${() => {
        this.open = false;
      }}
      @click=${this.onBackdropClick}
    >
      <div class="head">
        <h2 id="title">Use via API</h2>
        <button type="button" class="close" aria-label="Close" @click=${() => this.close()}>✕</button>
      </div>
      ${this.renderBody()}
    </dialog>`;
  }

  private renderBody() {
    if (this.inBrowser) return html`<p class="note" data-note="in-browser">${IN_BROWSER_NOTE}</p>`;
    if (this.loadError) return html`<p class="note error" role="alert">${this.loadError}</p>`;
    if (!this.endpoints) return html`<p class="note" role="status">Loading…</p>`;
    if (this.endpoints.length === 0) return html`<p class="note">This Space has no public endpoints.</p>`;
    return html`<p class="intro">
        Call this Space from code at <code>${this.apiUrl}</code>. Values below are examples.
      </p>
      ${this.endpoints.map(([name, endpoint], index) => this.renderEndpoint(name, endpoint, index))}
      ${this.openaiModel === undefined ? nothing : this.renderOpenai(this.openaiModel)}`;
  }

  /** A chat Space is also an OpenAI-compatible API: the `openai` package's snippet. */
  private renderOpenai(model: string) {
    const snippet = openaiSnippet(this.apiUrl, model);
    const copyNote = this.copyNotes.get("openai") ?? "";
    return html`<section part="endpoint" class="endpoint" data-endpoint="openai" aria-labelledby="endpoint-openai">
      <h3 id="endpoint-openai">OpenAI-compatible: <code>/v1/chat/completions</code></h3>
      <p class="description">Any OpenAI client can chat with this Space, streaming or not.</p>
      <div class="panel">
        <pre part="snippet" tabindex="0" aria-label="openai code"><code>${snippet}</code></pre>
        <button type="button" part="copy" class="copy" @click=${() => this.copy("openai", snippet)}>
          ${copyNote === "Copied" ? "Copied" : "Copy"}
        </button>
        <span class=${copyNote === "Copied" ? "visually-hidden" : "copy-note"} role="status">${copyNote}</span>
      </div>
    </section>`;
  }

  private renderEndpoint(name: string, endpoint: ApiEndpoint, index: number) {
    const snippet = codeSnippets(name, endpoint, this.apiUrl)[this.language];
    const copyNote = this.copyNotes.get(name) ?? "";
    return html`<section part="endpoint" class="endpoint" data-endpoint=${name} aria-labelledby=${`endpoint-${index}`}>
      <h3 id=${`endpoint-${index}`}><code>${name}</code></h3>
      ${endpoint.description ? html`<p class="description">${endpoint.description}</p>` : nothing}
      <h4>Parameters</h4>
      ${
        endpoint.parameters.length === 0
          ? html`<p class="none">None.</p>`
          : html`<table class="parameters">
              <thead><tr><th scope="col">Name</th><th scope="col">Component</th><th scope="col">Type</th><th scope="col">Default</th></tr></thead>
              <tbody>
                ${endpoint.parameters.map(
                  (parameter) => html`<tr data-parameter=${parameter.parameter_name}>
                    <th scope="row"><code>${parameter.parameter_name}</code></th>
                    <td>${parameter.component}</td>
                    <td><code>${describeType(parameter.type)}</code></td>
                    <td><code>${describeDefault(parameter)}</code></td>
                  </tr>`,
                )}
              </tbody>
            </table>`
      }
      <h4>Returns</h4>
      ${
        endpoint.returns.length === 0
          ? html`<p class="none">Nothing.</p>`
          : html`<table class="returns">
              <thead><tr><th scope="col">Label</th><th scope="col">Component</th><th scope="col">Type</th></tr></thead>
              <tbody>
                ${endpoint.returns.map(
                  (value) => html`<tr>
                    <th scope="row">${value.label}</th>
                    <td>${value.component}</td>
                    <td><code>${describeType(value.type)}</code></td>
                  </tr>`,
                )}
              </tbody>
            </table>`
      }
      <div class="tabs" role="tablist" aria-label=${`Client for ${name}`} @keydown=${this.onTabKeydown}>
        ${clientLanguages.map(
          (language) => html`<button
            type="button"
            role="tab"
            id=${`tab-${index}-${language}`}
            data-language=${language}
            aria-selected=${language === this.language ? "true" : "false"}
            aria-controls=${`panel-${index}`}
            tabindex=${language === this.language ? "0" : "-1"}
            @click=${() => this.select(language)}
          >
            ${clientNames[language]}
          </button>`,
        )}
      </div>
      <div class="panel" role="tabpanel" id=${`panel-${index}`} aria-labelledby=${`tab-${index}-${this.language}`}>
        <pre part="snippet" tabindex="0" aria-label=${`${clientNames[this.language]} code`}><code>${snippet}</code></pre>
        <button type="button" part="copy" class="copy" @click=${() => this.copy(name, snippet)}>
          ${copyNote === "Copied" ? "Copied" : "Copy"}
        </button>
        <span class=${copyNote === "Copied" ? "visually-hidden" : "copy-note"} role="status">${copyNote}</span>
      </div>
    </section>`;
  }

  private select(language: ClientLanguage): void {
    this.language = language;
  }

  private readonly onTabKeydown = async (event: KeyboardEvent): Promise<void> => {
    const current = clientLanguages.indexOf(this.language);
    const last = clientLanguages.length - 1;
    const next = {
      ArrowRight: current === last ? 0 : current + 1,
      ArrowLeft: current === 0 ? last : current - 1,
      Home: 0,
      End: last,
    }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const tablist = event.currentTarget as HTMLElement;
    this.language = clientLanguages[next] ?? this.language;
    await this.updateComplete;
    tablist.querySelector<HTMLElement>(`[data-language="${this.language}"]`)?.focus();
  };

  private async copy(name: string, snippet: string): Promise<void> {
    let note = "Copied";
    try {
      await navigator.clipboard.writeText(snippet);
    } catch {
      note = "Could not copy: select the code and copy it yourself.";
    }
    this.copyNotes = new Map(this.copyNotes).set(name, note);
    clearTimeout(this.#copyTimer);
    this.#copyTimer = setTimeout(() => {
      this.copyNotes = new Map();
    }, 2500);
  }

  /** A click on the backdrop (outside the dialog's box) closes it. */
  private readonly onBackdropClick = (event: MouseEvent): void => {
    const dialog = event.currentTarget as HTMLDialogElement;
    if (event.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    const inside =
      event.clientX >= box.left &&
      event.clientX <= box.right &&
      event.clientY >= box.top &&
      event.clientY <= box.bottom;
    if (!inside) this.close();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-api-page": ScApiPage;
  }
}

/** The model id a Space's `/v1/models` lists, or undefined when it has no OpenAI-compatible API. */
async function openaiModelOf(url: URL): Promise<string | undefined> {
  try {
    const response = await fetch(url);
    if (!response.ok) return undefined;
    const { data } = (await response.json()) as { data?: { id?: unknown }[] };
    const id = data?.[0]?.id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}
