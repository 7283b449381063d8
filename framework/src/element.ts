// `spacecraft/element`: the built-ins' base class for a Space's own element.
//
// In the page, a custom element's chunk imports the page's own `ScElement`
// (components/src/base/base-element.ts, through the page build's `lit.ts`): the server rewrites
// this import when it bundles the element (`server/custom-elements.ts`). This module is what the
// same file gets where it also runs — in Node, when the app imports its spec, and in a static
// Space's worker — and what gives it types: the same props and helpers, drawn the same way, on the
// Lit the Space depends on (`lit`, which a Space with its own component has in its dependencies).
import type { CSSResultGroup, PropertyDeclarations, PropertyValues, TemplateResult } from "lit";
import { html, LitElement, nothing } from "lit";

/**
 * The base of Spacecraft's elements: Gradio's shared props (`label`, `info`, `showLabel`,
 * `visible`, `interactive`, `elemId`) and an `error` message, which `<sc-app>` sets, with the
 * helpers that draw them as built-ins do (`renderLabel`, `renderInfo`, `renderError`).
 * @example class StarRating extends ScElement { render() { return html`${this.renderLabel(null)}…${this.renderError()}`; } }
 */
export class ScElement extends LitElement {
  static override properties: PropertyDeclarations = {
    label: { reflect: true },
    info: {},
    showLabel: { type: Boolean },
    visible: { type: Boolean },
    interactive: { type: Boolean, reflect: true },
    elemId: {},
    error: { reflect: true },
  };
  /**
   * In the page, the built-ins' styles of the label, info, error and `.visually-hidden`: add
   * yours after them, `static styles = [ScElement.styles, css\`…\`]`.
   */
  static override styles: CSSResultGroup = [];
  /** Focusing the host focuses its first control (used to point at an input with an error). */
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  // Declared, not initialised as class fields (which would hide Lit's reactive accessors).
  /** Text shown above the element; also its accessible name. */
  declare label: string;
  /** A hint shown under the label. */
  declare info: string;
  /** Show the label (it stays available to screen readers when hidden). */
  declare showLabel: boolean;
  /** Render the element at all. */
  declare visible: boolean;
  /** Let the user edit the value; `false` renders it read-only. */
  declare interactive: boolean;
  /** An id for the element in the page, for custom CSS. */
  declare elemId: string;
  /** A message shown under the element, e.g. the server's complaint about this value. */
  declare error: string;

  /** The id of the inner control, for `<label for>`. */
  protected readonly controlId = "control";

  constructor() {
    super();
    Object.assign(this, {
      label: "",
      info: "",
      showLabel: true,
      visible: true,
      interactive: true,
      elemId: "",
      error: "",
    });
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

  /** Fires a bubbling, composed event from the host: `input` or `change` when the visitor changed the value. */
  protected emit(type: "input" | "change" | "sc-submit" | "sc-upload" | "sc-clear"): void {
    this.dispatchEvent(new Event(type, { bubbles: true, composed: true }));
  }
}
