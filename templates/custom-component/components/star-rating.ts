// A Space's own component in one file: its spec (what the server checks and `fn` receives) and
// its element (what the page shows), registered as <sc-star-rating>.
import type { PropertyValues } from "lit";
import { css, html, LitElement } from "lit";
import * as sc from "spacecraft";

/** How many stars. */
const STARS = 5;

/** A rating from 0 to 5 stars: `fn` receives and returns a whole number. */
export const StarRating = sc.defineComponent("star-rating", {
  file: import.meta.url,
  api: { pythonType: "int", description: `0 to ${STARS} stars` },
  defaults: { value: 0 },
  schema: sc.v.pipe(
    sc.v.number("a rating is a number"),
    sc.v.integer("a rating is a whole number of stars"),
    sc.v.minValue(0, "a rating is at least 0 stars"),
    sc.v.maxValue(STARS, `a rating is at most ${STARS} stars`),
  ),
  events: ["change", "input"],
});

/**
 * The element: a slider of stars (arrow keys, Home/End and the digits set it; a click sets the
 * star clicked). Follows the element contract of built-ins: `value`, the shared props `<sc-app>`
 * sets (`label`, `info`, `interactive`, `visible`, `error`), and `input`/`change` events.
 */
class StarRatingElement extends LitElement {
  static override properties = {
    value: { type: Number },
    label: { reflect: true },
    info: {},
    showLabel: { type: Boolean },
    visible: { type: Boolean },
    interactive: { type: Boolean, reflect: true },
    error: { reflect: true },
  };
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static override styles = css`
    :host { display: block; font-family: var(--sc-font, sans-serif); color: var(--sc-color-text, inherit); }
    :host([hidden]) { display: none; }
    .label { display: block; margin-bottom: 0.25rem; font-weight: 500; }
    .info { display: block; font-size: 0.85em; opacity: 0.8; }
    .stars { display: inline-flex; gap: 0.1rem; font-size: 1.8rem; line-height: 1; border-radius: var(--sc-radius, 6px); }
    .stars:focus-visible { outline: 2px solid var(--sc-color-focus, #2563eb); outline-offset: 2px; }
    .star { cursor: pointer; color: var(--sc-color-border, #bbb); user-select: none; }
    .star.on { color: var(--sc-color-primary, #f59e0b); }
    :host(:not([interactive])) .star { cursor: default; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    .error { color: var(--sc-color-error, #dc2626); font-size: 0.9em; }
  `;

  // Declared, not initialised as class fields (which would hide Lit's reactive accessors).
  /** The number of stars, 0 to 5. */
  declare value: number;
  declare label: string;
  declare info: string;
  declare showLabel: boolean;
  declare visible: boolean;
  declare interactive: boolean;
  declare error: string;

  constructor() {
    super();
    Object.assign(this, {
      value: 0,
      label: "",
      info: "",
      showLabel: true,
      visible: true,
      interactive: true,
      error: "",
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("visible")) this.hidden = !this.visible;
  }

  /** Sets the value from the visitor, firing `input` and `change` as built-ins do. */
  #set(stars: number): void {
    const value = Math.max(0, Math.min(STARS, stars));
    if (!this.interactive || value === this.value) return;
    this.value = value;
    this.error = "";
    for (const type of ["input", "change"])
      this.dispatchEvent(new Event(type, { bubbles: true, composed: true }));
  }

  #onKey(event: KeyboardEvent): void {
    const moves: Record<string, number> = {
      ArrowRight: this.value + 1,
      ArrowUp: this.value + 1,
      ArrowLeft: this.value - 1,
      ArrowDown: this.value - 1,
      Home: 0,
      End: STARS,
    };
    const next = /^[0-5]$/.test(event.key) ? Number(event.key) : moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.#set(next);
  }

  protected override render() {
    const value = Math.max(0, Math.min(STARS, Math.round(Number(this.value) || 0)));
    const stars = Array.from({ length: STARS }, (_, index) => index + 1);
    return html`
      ${this.label ? html`<span class=${this.showLabel ? "label" : "visually-hidden"} id="label">${this.label}</span>` : ""}
      ${this.info ? html`<span class="info">${this.info}</span>` : ""}
      <div
        class="stars"
        role="slider"
        part="stars"
        tabindex=${this.interactive ? "0" : "-1"}
        aria-labelledby="label"
        aria-valuemin="0"
        aria-valuemax=${STARS}
        aria-valuenow=${value}
        aria-valuetext=${`${value} of ${STARS} stars`}
        aria-readonly=${this.interactive ? "false" : "true"}
        @keydown=${this.#onKey}
      >
        ${stars.map(
          (star) =>
            html`<span class="star ${star <= value ? "on" : ""}" data-star=${star} aria-hidden="true" @click=${() => this.#set(star)}>★</span>`,
        )}
      </div>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : ""}
    `;
  }
}

customElements.define("sc-star-rating", StarRatingElement);
