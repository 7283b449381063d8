import { html } from "lit";
import { ScElement, ScInputElement } from "../base/base-element.js";
import type { ChoiceConfig } from "../base/choices.js";
import { choiceInputs, normalizeChoices } from "../base/choices.js";
import { customElement, property } from "../base/decorators.js";
import { SelectEvent } from "../base/select-event.js";
import { radioStyles } from "./radio.styles.js";

/**
 * @summary Radio buttons: exactly one of the choices. Arrow keys move the selection.
 *
 * @event input - When the selection changes.
 * @event change - When the selection changes.
 * @event sc-select - The user picked a choice.
 *
 * @csspart label - The group's legend.
 * @csspart choice - Each `<label>` around a radio button.
 * @csspart error - The error message.
 */
@customElement("sc-radio")
export class ScRadio extends ScInputElement {
  static override styles = [...ScElement.styles, radioStyles];

  /** The selected value. */
  @property() value: string | number | null = null;
  /** The choices: values, or `[label, value]` pairs. */
  @property({ type: Array }) choices: ChoiceConfig[] = [];

  override render() {
    return html`<fieldset
      role="radiogroup"
      aria-describedby=${this.describedBy}
      aria-invalid=${this.error ? "true" : "false"}
    >
      <legend part="label" class=${this.showLabel ? "label" : "visually-hidden"}>${this.label}</legend>
      ${this.renderInfo()}
      <div class="choices">
        ${choiceInputs(this.choices, {
          type: "radio",
          checked: (value) => value === this.value,
          interactive: this.interactive,
          onEdit: this.onEdit,
        })}
      </div>
      ${this.renderError()}
    </fieldset>`;
  }

  private onEdit(event: Event): void {
    const input = event.target as HTMLInputElement;
    const index = Number(input.dataset.index);
    const choice = normalizeChoices(this.choices)[index];
    if (choice) this.value = choice.value;
    this.relay(event);
    if (choice && event.type === "change") this.dispatchEvent(new SelectEvent(index, choice.value));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-radio": ScRadio;
  }
}
