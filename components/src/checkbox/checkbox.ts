import { html } from "lit";
import { live } from "lit/directives/live.js";
import { ScElement, ScInputElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { SelectEvent } from "../base/select-event.js";
import { checkboxStyles } from "./checkbox.styles.js";

/**
 * @summary A single checkbox; its value is `true` when ticked.
 *
 * @event input - When the box is toggled.
 * @event change - When the box is toggled.
 * @event sc-select - The user ticked (or unticked: `selected` is false) the box.
 *
 * @csspart control - The `<input type="checkbox">`.
 * @csspart label - The label beside the box.
 * @csspart error - The error message.
 */
@customElement("sc-checkbox")
export class ScCheckbox extends ScInputElement {
  static override styles = [...ScElement.styles, checkboxStyles];

  /** Ticked or not. */
  @property({ type: Boolean }) value = false;

  override render() {
    return html`${this.renderInfo()}
      <label class="box">
        <input
          part="control"
          id="control"
          type="checkbox"
          ?disabled=${!this.interactive}
          aria-invalid=${this.error ? "true" : "false"}
          aria-describedby=${this.describedBy}
          .checked=${live(this.value)}
          @input=${this.onEdit}
          @change=${this.onEdit}
        />
        <span part="label">${this.label || "Enabled"}</span>
      </label>
      ${this.renderError()}`;
  }

  private onEdit(event: Event): void {
    this.value = (event.target as HTMLInputElement).checked;
    this.relay(event);
    if (event.type === "change") this.dispatchEvent(new SelectEvent(0, this.label, this.value));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-checkbox": ScCheckbox;
  }
}
