import { html } from "lit";
import { ScElement, ScInputElement } from "../base/base-element.js";
import type { ChoiceConfig } from "../base/choices.js";
import { choiceInputs, normalizeChoices } from "../base/choices.js";
import { customElement, property } from "../base/decorators.js";
import { SelectEvent } from "../base/select-event.js";
import { checkboxgroupStyles } from "./checkboxgroup.styles.js";

/**
 * @summary Checkboxes over a list of choices; its value is the ticked values, in choice order.
 *
 * @event input - When a box is toggled.
 * @event change - When a box is toggled.
 * @event sc-select - The user ticked (or unticked: `selected` is false) a box.
 *
 * @csspart label - The group's legend.
 * @csspart choice - Each `<label>` around a checkbox.
 * @csspart error - The error message.
 */
@customElement("sc-checkboxgroup")
export class ScCheckboxgroup extends ScInputElement {
  static override styles = [...ScElement.styles, checkboxgroupStyles];

  /** The ticked values. */
  @property({ type: Array }) value: (string | number)[] = [];
  /** The choices: values, or `[label, value]` pairs. */
  @property({ type: Array }) choices: ChoiceConfig[] = [];

  override render() {
    const ticked = new Set(this.value);
    return html`<fieldset aria-describedby=${this.describedBy} aria-invalid=${this.error ? "true" : "false"}>
      <legend part="label" class=${this.showLabel ? "label" : "visually-hidden"}>${this.label}</legend>
      ${this.renderInfo()}
      <div class="choices">
        ${choiceInputs(this.choices, {
          type: "checkbox",
          checked: (value) => ticked.has(value),
          interactive: this.interactive,
          onEdit: this.onEdit,
        })}
      </div>
      ${this.renderError()}
    </fieldset>`;
  }

  private onEdit(event: Event): void {
    const boxes = this.renderRoot.querySelectorAll<HTMLInputElement>("input[type=checkbox]");
    const choices = normalizeChoices(this.choices);
    this.value = choices.filter((_, i) => boxes[i]?.checked).map((choice) => choice.value);
    this.relay(event);
    const box = event.target as HTMLInputElement;
    const index = Number(box.dataset.index);
    if (event.type === "change")
      this.dispatchEvent(new SelectEvent(index, choices[index]?.value, box.checked));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-checkboxgroup": ScCheckboxgroup;
  }
}
