import { html } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import { ScElement, ScInputElement } from "../base/base-element.js";
import { customElement, property, state } from "../base/decorators.js";
import { textboxStyles } from "./textbox.styles.js";

/**
 * @summary A one- or multi-line text box; its value is a string.
 *
 * @event input - While the user types.
 * @event change - When the edit is committed (blur, or Enter in a one-line box).
 * @event sc-submit - Enter in a one-line box.
 *
 * @csspart label - The label.
 * @csspart control - The `<input>` or `<textarea>`.
 * @csspart copy - The copy button (`showCopyButton`).
 * @csspart error - The error message.
 *
 * @cssproperty --sc-color-border - Border of the box.
 */
@customElement("sc-textbox")
export class ScTextbox extends ScInputElement {
  static override styles = [...ScElement.styles, textboxStyles];

  /** The text. */
  @property() value = "";
  /** Visible lines; more than 1 gives a multi-line box. */
  @property({ type: Number }) lines = 1;
  /** Lines the box grows to before it scrolls. */
  @property({ type: Number }) maxLines = 20;
  /** Hint shown while the box is empty. */
  @property() placeholder = "";
  /** Input type of a one-line box. */
  @property() type: "text" | "password" | "email" = "text";
  /** Longest text accepted. */
  @property({ type: Number }) maxLength: number | undefined;
  /** Show a button that copies the text. */
  @property({ type: Boolean }) showCopyButton = false;

  @state() private copied = false;

  // No `live` directive on the control's value: `value` follows every edit (so the page loads less).
  override render() {
    const readonly = !this.interactive;
    const multiline = this.lines > 1 || (readonly && this.value.includes("\n"));
    const rows = Math.min(Math.max(this.lines, this.value.split("\n").length), this.maxLines);
    const control = multiline
      ? html`<textarea
          part="control"
          class="control"
          id="control"
          rows=${rows}
          placeholder=${this.placeholder}
          maxlength=${ifDefined(this.maxLength)}
          ?readonly=${readonly}
          aria-invalid=${this.error ? "true" : "false"}
          aria-describedby=${this.describedBy}
          .value=${this.value}
          @input=${this.onInput}
          @change=${this.relay}
        ></textarea>`
      : html`<input
          part="control"
          class="control"
          id="control"
          type=${this.type}
          placeholder=${this.placeholder}
          maxlength=${ifDefined(this.maxLength)}
          ?readonly=${readonly}
          aria-invalid=${this.error ? "true" : "false"}
          aria-describedby=${this.describedBy}
          .value=${this.value}
          @input=${this.onInput}
          @change=${this.relay}
          @keydown=${this.onKeydown}
        />`;
    return html`${this.renderLabel()}${this.renderInfo()}
      <div class="wrap">
        ${control}
        ${
          this.showCopyButton
            ? html`<button part="copy" class="copy" type="button" @click=${this.copy}>
                ${this.copied ? "Copied" : "Copy"}
              </button>`
            : null
        }
      </div>
      ${this.renderError()}`;
  }

  private onInput(event: Event): void {
    this.value = (event.target as HTMLInputElement | HTMLTextAreaElement).value;
    this.relay(event);
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === "Enter" && !event.isComposing && !event.ctrlKey && !event.metaKey)
      this.emit("sc-submit");
  }

  private async copy(): Promise<void> {
    await navigator.clipboard.writeText(this.value);
    this.copied = true;
    setTimeout(() => {
      this.copied = false;
    }, 1500);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-textbox": ScTextbox;
  }
}
