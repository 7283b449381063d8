import { html, isServer, nothing } from "lit";
import { formatDateTime, parseDateTime } from "spacecraft/date-time";
import { ScElement, ScInputElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { dateTimeStyles } from "./datetime.styles.js";

/**
 * @summary A date (and time) as text, `YYYY-MM-DD HH:MM:SS` (or `now - 2h`, read by the
 * server), with the browser's date picker beside it. Times are wall-clock times in `timezone`
 * (UTC by default), which it names; Now fills in that zone's time, and when the visitor's own
 * zone differs it shows the time in theirs too.
 *
 * @event input - A date was picked (typing commits only with Enter or on leaving the field).
 * @event change - The date was committed (picked, Enter, or the field left).
 * @event sc-submit - Enter in the field.
 *
 * @csspart control - The text field.
 * @csspart picker - The browser's date (and time) picker.
 * @csspart now - The button that fills in the time now.
 * @csspart zone - The name of the time zone.
 * @csspart local - The time in the visitor's own zone, when it differs.
 */
@customElement("sc-datetime")
export class ScDateTime extends ScInputElement {
  static override styles = [...ScElement.styles, dateTimeStyles];

  /** The date as text: `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DD`, or `now - 2h`. */
  @property() value = "";
  /** Take a time of day as well as a date. */
  @property({ type: Boolean }) includeTime = true;
  /** The IANA time zone its times are in, such as `Europe/Paris`. */
  @property() timezone = "UTC";

  /** The value in the picker's format (`YYYY-MM-DDTHH:MM:SS`), or "" for text it cannot show. */
  get #pickerValue(): string {
    const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?$/.exec(this.value.trim());
    if (!match) return "";
    if (!this.includeTime) return match[1] as string;
    return `${match[1]}T${match[2] ?? "00:00:00"}`;
  }

  /** The value as a time in the visitor's own zone, when that differs from the component's. */
  get #ownTime(): string | undefined {
    // A server-drawn page knows only the server's zone: the visitor's comes with the page's scripts.
    if (isServer) return undefined;
    const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!this.includeTime || !own || own === this.timezone || /^\s*now/.test(this.value)) return undefined;
    const ms = parseDateTime(this.value, Date.now(), this.timezone);
    if (ms === undefined) return undefined;
    const shown = formatDateTime(ms, true, own);
    return shown === formatDateTime(ms, true, this.timezone) ? undefined : `${shown} (${own})`;
  }

  override render() {
    const readonly = !this.interactive;
    const ownTime = this.#ownTime;
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
          aria-describedby=${`zone ${this.describedBy}`.trim()}
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
        ${readonly ? nothing : html`<button type="button" part="now" class="now" @click=${this.onNow}>Now</button>`}
        <span part="zone" class="zone" id="zone">${this.timezone}</span>
      </div>
      ${ownTime ? html`<p part="local" class="local">Your time: ${ownTime}</p>` : nothing}
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

  private onNow(): void {
    this.value = formatDateTime(Date.now(), this.includeTime, this.timezone);
    this.error = "";
    this.emit("input");
    this.emit("change");
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
