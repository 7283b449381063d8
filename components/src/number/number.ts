import { html } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import { live } from "lit/directives/live.js";
import { ScElement, ScInputElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { numberStyles } from "./number.styles.js";

/**
 * @summary A number field; its value is a number, or `null` while the field is empty.
 *
 * @event input - While the user types or steps.
 * @event change - When the number is committed (blur, Enter, or a step with the arrows).
 * @event sc-submit - Enter in the field.
 *
 * @csspart label - The label.
 * @csspart control - The `<input type="number">`.
 * @csspart error - The error message.
 */
@customElement("sc-number")
export class ScNumber extends ScInputElement {
  static override styles = [...ScElement.styles, numberStyles];

  /** The number (`null` when empty). */
  @property({ type: Number }) value: number | null = 0;
  /** Smallest number accepted (a hint to the browser; the server checks it). */
  @property({ type: Number }) minimum: number | undefined;
  /** Largest number accepted. */
  @property({ type: Number }) maximum: number | undefined;
  /** Step of the arrow keys. */
  @property({ type: Number }) step = 1;
  /** Decimal places the function receives. */
  @property({ type: Number }) precision: number | undefined;

  override render() {
    return html`${this.renderLabel()}${this.renderInfo()}
      <input
        part="control"
        class="control"
        id="control"
        type="number"
        inputmode="decimal"
        min=${ifDefined(this.minimum)}
        max=${ifDefined(this.maximum)}
        step=${this.step || "any"}
        ?readonly=${!this.interactive}
        aria-invalid=${this.error ? "true" : "false"}
        aria-describedby=${this.describedBy}
        .value=${live(this.value === null || this.value === undefined ? "" : String(this.value))}
        @input=${this.onEdit}
        @change=${this.onEdit}
        @keydown=${this.onKeydown}
      />
      ${this.renderError()}`;
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) this.emit("sc-submit");
  }

  private onEdit(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.value = input.value === "" || Number.isNaN(input.valueAsNumber) ? null : input.valueAsNumber;
    this.relay(event);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-number": ScNumber;
  }
}
