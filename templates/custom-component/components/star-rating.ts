// A Space's own component in one file: its spec (what the server checks and `fn` receives) and
// its element (what the page shows), registered as <sc-star-rating>.
import { css, html } from "lit";
import * as sc from "spacecraft";
import { ScElement } from "spacecraft/element";

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
 * star clicked). It extends the built-ins' base class, which handles the shared props `<sc-app>`
 * sets (`label`, `info`, `showLabel`, `visible`, `interactive`, `error`) and draws the label, info
 * and error as built-ins do; it adds the `value` and fires `input`/`change` when the visitor
 * changes it.
 */
class StarRatingElement extends ScElement {
  static override properties = { value: { type: Number } };
  static override styles = [
    ScElement.styles,
    css`
      .stars { display: inline-flex; gap: 0.1rem; font-size: 1.8rem; line-height: 1; border-radius: var(--sc-radius, 6px); }
      .stars:focus-visible { outline: 2px solid var(--sc-color-focus, #2563eb); outline-offset: 2px; }
      .star { cursor: pointer; color: var(--sc-color-border, #bbb); user-select: none; }
      .star.on { color: var(--sc-color-primary, #f59e0b); }
      :host(:not([interactive])) .star { cursor: default; }
    `,
  ];

  // Declared, not initialised as a class field (which would hide Lit's reactive accessor).
  /** The number of stars, 0 to 5. */
  declare value: number;

  constructor() {
    super();
    this.value = 0;
  }

  /** Sets the value from the visitor, firing `input` and `change` as built-ins do. */
  #set(stars: number): void {
    const value = Math.max(0, Math.min(STARS, stars));
    if (!this.interactive || value === this.value) return;
    this.value = value;
    this.error = "";
    this.emit("input");
    this.emit("change");
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
      ${this.renderLabel(null)}${this.renderInfo()}
      <div
        class="stars"
        role="slider"
        part="stars"
        tabindex=${this.interactive ? "0" : "-1"}
        aria-label=${this.label}
        aria-describedby=${this.describedBy}
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
      ${this.renderError()}
    `;
  }
}

customElements.define("sc-star-rating", StarRatingElement);
