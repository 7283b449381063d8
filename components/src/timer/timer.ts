import type { PropertyValues } from "lit";
import { nothing } from "lit";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";

/**
 * @summary A timer that shows nothing: while `active` and in the page, it fires `sc-tick`
 * every `value` seconds (Gradio's `gr.Timer`), which runs the events wired to its `tick`.
 *
 * @event sc-tick - Each interval.
 */
@customElement("sc-timer")
export class ScTimer extends ScElement {
  /** Seconds between ticks. */
  @property({ type: Number }) value = 1;
  /** Whether it ticks. */
  @property({ type: Boolean, reflect: true }) active = true;

  #interval: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.hidden = true;
    this.#restart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Never shown, whatever `visible` says.
    this.hidden = true;
    if (changed.has("value") || changed.has("active")) this.#restart();
  }

  override render() {
    return nothing;
  }

  #restart(): void {
    this.#stop();
    const seconds = Number(this.value);
    // The server's drawing is replaced by the live page's element, which ticks.
    if (this.serverDrawn || !this.active || !this.isConnected || !(seconds >= 0.05)) return;
    this.#interval = setInterval(
      () => this.dispatchEvent(new Event("sc-tick", { bubbles: true, composed: true })),
      seconds * 1000,
    );
  }

  #stop(): void {
    clearInterval(this.#interval);
    this.#interval = undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-timer": ScTimer;
  }
  interface GlobalEventHandlersEventMap {
    "sc-tick": Event;
  }
}
