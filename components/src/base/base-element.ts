import type { PropertyValues, TemplateResult } from "lit";
import { html, LitElement, nothing } from "lit";
import { baseStyles } from "./base.styles.js";
import { property } from "./decorators.js";

/**
 * The base of every Spacecraft element: Gradio's shared props (`label`, `info`, `showLabel`,
 * `visible`, `interactive`, `elemId`) and an `error` message. The theme's tokens come from
 * `installTheme` (the package's entry, `<sc-app>`, or the server-rendered page).
 *
 * @csspart label - The label.
 * @csspart info - The hint under the label.
 * @csspart error - The error message under the element.
 *
 * @cssproperty --sc-color-text - Text colour (see `theme.ts` for every `--sc-color-*` token).
 * @cssproperty --sc-color-surface - Background of fields and panels.
 * @cssproperty --sc-color-border - Borders of fields and panels.
 * @cssproperty --sc-color-primary - Accent colour: primary button, checked boxes, sliders.
 * @cssproperty --sc-color-focus - Focus ring.
 * @cssproperty --sc-color-error - Error messages.
 * @cssproperty --sc-font - Font family.
 * @cssproperty --sc-radius - Corner radius of fields and panels.
 */
export class ScElement extends LitElement {
  static override styles = [baseStyles];
  /** Focusing the host focuses its first control (used to point at an input with an error). */
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  /** Text shown above the element; also its accessible name. */
  @property({ reflect: true }) label = "";
  /** A hint shown under the label. */
  @property() info = "";
  /** Show the label (it stays available to screen readers when hidden). */
  @property({ type: Boolean }) showLabel = true;
  /** Render the element at all. */
  @property({ type: Boolean }) visible = true;
  /** Let the user edit the value; `false` renders it read-only. */
  @property({ type: Boolean, reflect: true }) interactive = true;
  /** An id for the element in the page, for custom CSS. */
  @property() elemId = "";
  /** A message shown under the element, e.g. the server's complaint about this value. */
  @property({ reflect: true }) error = "";

  /** The id of the inner control, for `<label for>`. */
  protected readonly controlId = "control";

  /**
   * Drawn by the server (upgraded with a declarative shadow root): it keeps that drawing, and
   * `<sc-app>` puts its own elements in its place once the page is ready.
   */
  protected readonly serverDrawn = this.shadowRoot !== null;

  protected override shouldUpdate(): boolean {
    return !this.serverDrawn;
  }

  // A server-drawn root has the element's styles in its own `<style>`: adopting them too would
  // only make the browser style the drawing again (`<sc-app>` adopts its own when it takes over).
  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    return this.serverDrawn ? (this.shadowRoot as ShadowRoot) : super.createRenderRoot();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("visible")) this.hidden = !this.visible;
    if (changed.has("elemId") && this.elemId) this.id = this.elemId;
  }

  /** The label for the inner control (or a plain heading when `forId` is null). */
  protected renderLabel(forId: string | null = this.controlId): TemplateResult | typeof nothing {
    if (!this.label) return nothing;
    const cls = this.showLabel ? "label" : "visually-hidden";
    return forId === null
      ? html`<span part="label" class=${cls}>${this.label}</span>`
      : html`<label part="label" class=${cls} for=${forId}>${this.label}</label>`;
  }

  /** The info hint, when set. */
  protected renderInfo(): TemplateResult | typeof nothing {
    return this.info ? html`<span part="info" class="info" id="info">${this.info}</span>` : nothing;
  }

  /** The error message, when set. */
  protected renderError(): TemplateResult | typeof nothing {
    return this.error
      ? html`<div part="error" class="error" id="error" role="alert">${this.error}</div>`
      : nothing;
  }

  /** Ids for `aria-describedby`: the info and the error, when shown. */
  protected get describedBy(): string {
    return [this.info ? "info" : "", this.error ? "error" : ""].filter(Boolean).join(" ");
  }

  /**
   * Replaces an inner control's native `input`/`change` event with one from the host, so
   * listeners see `event.target === this` and `change` crosses the shadow boundary.
   */
  protected relay(event: Event): void {
    event.stopPropagation();
    this.error = "";
    this.emit(event.type as "input" | "change");
  }

  /**
   * Fires a bubbling, composed event from the host: `input`, `change`, or one of ours
   * (`sc-submit`: Enter in a one-line field; `sc-upload`: a file finished uploading;
   * `sc-clear`: the user emptied the element).
   */
  protected emit(type: "input" | "change" | "sc-submit" | "sc-upload" | "sc-clear"): void {
    this.dispatchEvent(new Event(type, { bubbles: true, composed: true }));
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sc-submit": Event;
    "sc-upload": Event;
    "sc-clear": Event;
  }
}

/**
 * The base of input elements: focusing the host focuses its control, so the shell can point
 * at an input whose value the server refused.
 */
export class ScInputElement extends ScElement {
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };
}
