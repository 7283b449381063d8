import { html } from "lit";
import { live } from "lit/directives/live.js";
import { ScElement, ScInputElement } from "../base/base-element.js";
import type { Choice, ChoiceConfig } from "../base/choices.js";
import { normalizeChoices } from "../base/choices.js";
import { customElement, property } from "../base/decorators.js";
import { SelectEvent } from "../base/select-event.js";
import { dropdownStyles } from "./dropdown.styles.js";

type DropdownValue = string | number | null | (string | number)[];

/**
 * @summary A drop-down list of choices. With `multiselect` the value is a list, shown as
 * removable chips with a list to add more; with `allowCustomValue` any text is accepted.
 *
 * @event input - When the selection changes.
 * @event change - When the selection changes.
 * @event sc-select - The user picked a choice (or removed one: `selected` is false).
 *
 * @csspart label - The label.
 * @csspart control - The `<select>` (or `<input>` with `allowCustomValue`).
 * @csspart chip - Each selected value when `multiselect`.
 * @csspart error - The error message.
 */
@customElement("sc-dropdown")
export class ScDropdown extends ScInputElement {
  static override styles = [...ScElement.styles, dropdownStyles];

  /** The selected value, or the list of them when `multiselect`. */
  @property() value: DropdownValue = null;
  /** The choices: values, or `[label, value]` pairs. */
  @property({ type: Array }) choices: ChoiceConfig[] = [];
  /** Let the user pick several. */
  @property({ type: Boolean }) multiselect = false;
  /** Accept text that is not one of the choices. */
  @property({ type: Boolean }) allowCustomValue = false;
  /** Most values that can be picked when `multiselect`. */
  @property({ type: Number }) maxChoices: number | undefined;

  override render() {
    const choices = normalizeChoices(this.choices);
    return html`${this.renderLabel()}${this.renderInfo()}
      ${this.multiselect ? this.renderMulti(choices) : this.renderSingle(choices)} ${this.renderError()}`;
  }

  private renderSingle(choices: Choice[]) {
    const disabled = !this.interactive;
    if (this.allowCustomValue) {
      const shown = choices.find((choice) => choice.value === this.value)?.label ?? this.value ?? "";
      return html`<input
          part="control"
          class="control"
          id="control"
          list="choices"
          ?readonly=${disabled}
          aria-invalid=${this.error ? "true" : "false"}
          aria-describedby=${this.describedBy}
          .value=${live(String(shown))}
          @input=${this.onText}
          @change=${this.onText}
        />
        <datalist id="choices">${choices.map((choice) => html`<option value=${choice.label}></option>`)}</datalist>`;
    }
    const index = choices.findIndex((choice) => choice.value === this.value);
    return html`<select
      part="control"
      class="control"
      id="control"
      ?disabled=${disabled}
      aria-invalid=${this.error ? "true" : "false"}
      aria-describedby=${this.describedBy}
      .value=${live(String(index))}
      @input=${this.onSelect}
      @change=${this.onSelect}
    >
      ${index < 0 ? html`<option value="-1" disabled>Choose…</option>` : null}
      ${
        // `selected` for the server's drawing, which has no `.value` (it shows the first option).
        choices.map((choice, i) => html`<option value=${i} ?selected=${i === index}>${choice.label}</option>`)
      }
    </select>`;
  }

  private renderMulti(choices: Choice[]) {
    const selected = Array.isArray(this.value) ? this.value : [];
    const disabled = !this.interactive;
    const labelOf = (value: string | number) =>
      choices.find((choice) => choice.value === value)?.label ?? String(value);
    const remaining = choices
      .map((choice, i) => ({ choice, i }))
      .filter(({ choice }) => !selected.includes(choice.value));
    const full = this.maxChoices !== undefined && selected.length >= this.maxChoices;
    return html`<ul class="chips" aria-label=${`${this.label || "Selected"}: selected`}>
        ${selected.map(
          (value) => html`<li part="chip" class="chip">
            ${labelOf(value)}
            ${
              disabled
                ? null
                : html`<button type="button" aria-label=${`Remove ${labelOf(value)}`} @click=${() => this.removeValue(value)}>
                  ×
                </button>`
            }
          </li>`,
        )}
      </ul>
      <select
        part="control"
        class="control"
        id="control"
        ?disabled=${disabled || full || remaining.length === 0}
        aria-invalid=${this.error ? "true" : "false"}
        aria-describedby=${this.describedBy}
        .value=${live("-1")}
        @input=${(event: Event) => event.stopPropagation()}
        @change=${this.onAdd}
      >
        <option value="-1">${full ? "Maximum reached" : "Add…"}</option>
        ${remaining.map(({ choice, i }) => html`<option value=${i}>${choice.label}</option>`)}
      </select>`;
  }

  private onSelect(event: Event): void {
    const index = Number((event.target as HTMLSelectElement).value);
    const choice = normalizeChoices(this.choices)[index];
    if (choice) this.value = choice.value;
    this.relay(event);
    if (choice && event.type === "change") this.dispatchEvent(new SelectEvent(index, choice.value));
  }

  private onText(event: Event): void {
    const text = (event.target as HTMLInputElement).value;
    const choices = normalizeChoices(this.choices);
    const index = choices.findIndex((choice) => choice.label === text);
    this.value = choices[index]?.value ?? text;
    this.relay(event);
    if (index >= 0 && event.type === "change") this.dispatchEvent(new SelectEvent(index, this.value));
  }

  private onAdd(event: Event): void {
    const select = event.target as HTMLSelectElement;
    const choice = normalizeChoices(this.choices)[Number(select.value)];
    event.stopPropagation();
    if (!choice) return;
    this.setSelection([...(Array.isArray(this.value) ? this.value : []), choice.value]);
    this.dispatchEvent(new SelectEvent(Number(select.value), choice.value));
    select.value = "-1";
  }

  private removeValue(value: string | number): void {
    this.setSelection((Array.isArray(this.value) ? this.value : []).filter((each) => each !== value));
    const index = normalizeChoices(this.choices).findIndex((choice) => choice.value === value);
    this.dispatchEvent(new SelectEvent(index, value, false));
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLSelectElement>("select")?.focus());
  }

  private setSelection(values: (string | number)[]): void {
    this.value = values;
    this.error = "";
    this.emit("input");
    this.emit("change");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-dropdown": ScDropdown;
  }
}
