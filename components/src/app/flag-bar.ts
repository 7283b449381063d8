import { css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { ScElement } from "../base/base-element.js";
import { spaceUrl } from "../base/space-url.js";
import { linkButtonStyles } from "./app.styles.js";

/**
 * @summary The Flag button under a demo's outputs (a Space with `flagging: "manual"`): it asks the
 * server to keep the last result it sent this page, with the reason picked when the Space offers
 * reasons, and says what happened in a polite live region. Loaded only by pages that flag.
 *
 * @csspart reason - The choice of reasons.
 * @csspart button - The Flag button.
 */
@customElement("sc-flag-bar")
export class ScFlagBar extends ScElement {
  static override styles = [
    ...ScElement.styles,
    linkButtonStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        justify-content: flex-end;
        align-items: center;
        gap: 0.5rem;
        margin-top: 0.5rem;
        font-size: 0.875rem;
      }
      .failed {
        color: var(--sc-color-error);
      }
    `,
  ];

  /** The reasons a visitor picks from; none: the button flags without one. */
  @property({ attribute: false }) options: readonly string[] = [];
  /** The page's session id, whose last result the server flags. */
  @property({ attribute: false }) session: string | undefined;
  @state() private said = "";
  @state() private failed = false;
  @state() private flagging = false;

  override render() {
    return html`<span class=${this.failed ? "failed" : ""} role="status" aria-live="polite">${this.said}</span>
      ${
        this.options.length > 0
          ? html`<select part="reason" aria-label="Reason to flag">
              ${this.options.map((option) => html`<option .value=${option}>${option}</option>`)}
            </select>`
          : nothing
      }
      <button type="button" class="link" part="button" ?disabled=${this.flagging} @click=${this.flag}>Flag</button>`;
  }

  private readonly flag = async (): Promise<void> => {
    this.flagging = true;
    // Cleared first, so the live region announces a second "Flagged" too.
    this.said = "";
    const reason = this.renderRoot.querySelector("select")?.value;
    try {
      const response = await fetch(spaceUrl("gradio_api/flag"), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ session: this.session, ...(reason === undefined ? {} : { reason }) }),
      });
      const answer = (await response.json().catch(() => ({}))) as { error?: string };
      this.failed = !response.ok;
      this.said = response.ok
        ? `Flagged${reason ? ` as ${reason}` : ""}. Thank you.`
        : (answer.error ?? `The server could not flag this result (HTTP ${response.status}); try again.`);
    } catch {
      this.failed = true;
      this.said = "Could not reach the server to flag this result; check the connection and try again.";
    }
    this.flagging = false;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-flag-bar": ScFlagBar;
  }
}
