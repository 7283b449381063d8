import { html } from "lit";
import { ScElement, ScInputElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { sliderStyles } from "./slider.styles.js";

/**
 * @summary A slider over a range of numbers, with a number field beside it for exact values.
 *
 * @event input - While the thumb moves or the number is typed.
 * @event change - When the value is committed.
 *
 * @csspart label - The label.
 * @csspart range - The `<input type="range">`.
 * @csspart number - The number field.
 * @csspart error - The error message.
 *
 * @cssproperty --sc-color-primary - Colour of the track and thumb.
 */
@customElement("sc-slider")
export class ScSlider extends ScInputElement {
  static override styles = [...ScElement.styles, sliderStyles];

  /** The number. */
  @property({ type: Number }) value = 0;
  /** Left end. */
  @property({ type: Number }) minimum = 0;
  /** Right end. */
  @property({ type: Number }) maximum = 100;
  /** Distance between stops. */
  @property({ type: Number }) step = 1;

  override render() {
    const disabled = !this.interactive;
    // No `live` directive: `value` follows every edit, so the fields never hold another number.
    const value = String(this.value);
    return html`<div class="head">
        ${this.renderLabel()}
        <input
          part="number"
          class="control number"
          type="number"
          aria-label=${`${this.label || "Value"} (number)`}
          min=${this.minimum}
          max=${this.maximum}
          step=${this.step}
          ?readonly=${disabled}
          aria-invalid=${this.error ? "true" : "false"}
          .value=${value}
          @input=${this.onEdit}
          @change=${this.onEdit}
        />
      </div>
      ${this.renderInfo()}
      <input
        part="range"
        id="control"
        type="range"
        min=${this.minimum}
        max=${this.maximum}
        step=${this.step}
        ?disabled=${disabled}
        aria-describedby=${this.describedBy}
        .value=${value}
        @input=${this.onEdit}
        @change=${this.onEdit}
      />
      ${this.renderError()}`;
  }

  private onEdit(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.value === "" || Number.isNaN(input.valueAsNumber)) {
      event.stopPropagation();
      return;
    }
    this.value = input.valueAsNumber;
    this.relay(event);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-slider": ScSlider;
  }
}
