import { html } from "lit";
import { ScElement, ScInputElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { dateTimeStyles } from "./datetime.styles.js";

/**
 * @summary A date (and time) as text, `YYYY-MM-DD HH:MM:SS` (or `now - 2h`, read by the
 * server), with the browser's date picker beside it. Times are UTC.
 *
 * @event input - A date was picked (typing commits only with Enter or on leaving the field).
 * @event change - The date was committed (picked, Enter, or the field left).
 * @event sc-submit - Enter in the field.
 *
 * @csspart control - The text field.
 * @csspart picker - The browser's date (and time) picker.
 */
@customElement("sc-datetime")
export class ScDateTime extends ScInputElement {
  static override styles = [...ScElement.styles, dateTimeStyles];

  /** The date as text: `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DD`, or `now - 2h`. */
  @property() value = "";
  /** Take a time of day as well as a date. */
  @property({ type: Boolean }) includeTime = true;

  /** The value in the picker's format (`YYYY-MM-DDTHH:MM:SS`), or "" for text it cannot show. */
  get #pickerValue(): string {
    const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?$/.exec(this.value.trim());
    if (!match) return "";
    if (!this.includeTime) return match[1] as string;
    return `${match[1]}T${match[2] ?? "00:00:00"}`;
  }

  override render() {
    const readonly = !this.interactive;
    return html`${this.renderLabel()}${this.renderInfo()}
      <div class="wrap">
        <input
          part="control"
          class="control"
          id="control"
          type="text"
          spellcheck="false"
          placeholder=${this.includeTime ? "YYYY-MM-DD HH:MM:SS" : "YYYY-MM-DD"}
          ?readonly=${readonly}
          aria-invalid=${this.error ? "true" : "false"}
          aria-describedby=${this.describedBy}
          .value=${this.value}
          @input=${this.onTyped}
          @change=${this.relay}
          @keydown=${this.onKeydown}
        />
        <input
          part="picker"
          class="picker"
          type=${this.includeTime ? "datetime-local" : "date"}
          step="1"
          aria-label=${`${this.label || "Date"} picker`}
          ?disabled=${readonly}
          .value=${this.#pickerValue}
          @input=${this.onPicked}
          @change=${this.onPicked}
        />
      </div>
      ${this.renderError()}`;
  }

  // Typing changes nothing yet: half a date is no date. Enter or leaving the field commits it.
  private onTyped(event: Event): void {
    event.stopPropagation();
    this.value = (event.target as HTMLInputElement).value;
    this.error = "";
  }

  private onPicked(event: Event): void {
    event.stopPropagation();
    const picked = (event.target as HTMLInputElement).value;
    if (!picked) return;
    const [date, time = "00:00:00"] = picked.split("T");
    this.value = this.includeTime ? `${date} ${time.length === 5 ? `${time}:00` : time}` : (date as string);
    this.error = "";
    this.emit("input");
    if (event.type === "change") this.emit("change");
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== "Enter" || event.isComposing) return;
    this.emit("change");
    this.emit("sc-submit");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-datetime": ScDateTime;
  }
}
