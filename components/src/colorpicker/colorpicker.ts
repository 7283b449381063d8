import { html } from "lit";
import { ScElement, ScInputElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { colorPickerStyles } from "./colorpicker.styles.js";

const hex = /^#[0-9a-f]{6}$/i;

/**
 * @summary A colour: the browser's colour picker beside a `#rrggbb` field to type into. The
 * value is always a `#rrggbb` colour; a typed colour counts once it is complete.
 *
 * @event input - The colour changed (picked, or a complete `#rrggbb` typed).
 * @event change - The colour was committed (picker closed, Enter, or the field left).
 * @event sc-submit - Enter in the field.
 *
 * @csspart swatch - The colour picker button.
 * @csspart control - The `#rrggbb` field.
 */
@customElement("sc-colorpicker")
export class ScColorPicker extends ScInputElement {
  static override styles = [...ScElement.styles, colorPickerStyles];

  /** The colour, `#rrggbb`. */
  @property() value = "#000000";

  override render() {
    const readonly = !this.interactive;
    return html`${this.renderLabel()}${this.renderInfo()}
      <div class="wrap">
        <input
          part="swatch"
          class="swatch"
          type="color"
          aria-label=${`${this.label || "Colour"} picker`}
          ?disabled=${readonly}
          .value=${hex.test(this.value) ? this.value.toLowerCase() : "#000000"}
          @input=${this.onPicked}
          @change=${this.onCommit}
        />
        <input
          part="control"
          class="control"
          id="control"
          type="text"
          spellcheck="false"
          maxlength="7"
          pattern="#[0-9a-fA-F]{6}"
          ?readonly=${readonly}
          aria-invalid=${this.error ? "true" : "false"}
          aria-describedby=${this.describedBy}
          .value=${this.value}
          @input=${this.onTyped}
          @change=${this.onCommit}
          @keydown=${this.onKeydown}
        />
      </div>
      ${this.renderError()}`;
  }

  private onPicked(event: Event): void {
    event.stopPropagation();
    this.value = (event.target as HTMLInputElement).value;
    this.error = "";
    this.emit("input");
  }

  private onTyped(event: Event): void {
    event.stopPropagation();
    const text = (event.target as HTMLInputElement).value.trim();
    const typed = text.startsWith("#") ? text : `#${text}`;
    if (!hex.test(typed)) return;
    this.value = typed.toLowerCase();
    this.error = "";
    this.emit("input");
  }

  private onCommit(event: Event): void {
    event.stopPropagation();
    const field = event.target as HTMLInputElement;
    // An incomplete colour left in the field goes back to the value.
    if (field.type === "text" && !hex.test(field.value.startsWith("#") ? field.value : `#${field.value}`)) {
      field.value = this.value;
      this.error = "Type a colour as #rrggbb, like #ff8800.";
      return;
    }
    this.emit("change");
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== "Enter" || event.isComposing) return;
    (event.target as HTMLInputElement).dispatchEvent(new Event("change"));
    if (!this.error) this.emit("sc-submit");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-colorpicker": ScColorPicker;
  }
}
