import { html } from "lit";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { buttonStyles } from "./button.styles.js";

/**
 * @summary A button (mouse, Enter or Space) that fires a native `click`; as an event input its
 * value is its text. One that `stopsWhileRunning` reads "Stop" while its event runs.
 *
 * @event click - The user pressed it (not fired when `interactive` is false).
 *
 * @csspart button - The `<button>`.
 */
@customElement("sc-button")
export class ScButton extends ScElement {
  static override styles = [...ScElement.styles, buttonStyles];

  /** The text. */
  @property() value = "Run";
  /** Its look: the main action, a secondary one, or one that stops or deletes. */
  @property({ reflect: true }) variant: "primary" | "secondary" | "stop" = "secondary";
  /** Its size. */
  @property({ reflect: true }) size: "sm" | "md" | "lg" = "md";
  /** Read "Stop" while `running` (a click then cancels, as `<sc-app>` handles it). */
  @property({ type: Boolean }) stopsWhileRunning = false;
  /** The event this button starts is running (set by `<sc-app>`). */
  @property({ type: Boolean, reflect: true }) running = false;

  constructor() {
    super();
    // A click on the host around a disabled button must not reach the page either.
    this.addEventListener("click", (event) => {
      if (!this.interactive) event.stopImmediatePropagation();
    });
  }

  override render() {
    const stop = this.running && this.stopsWhileRunning;
    return html`<button part="button" type="button" class=${stop ? "stop" : this.variant} ?disabled=${!this.interactive}>
      ${stop ? "Stop" : this.value}
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-button": ScButton;
  }
}
