import type { PropertyValues } from "lit";
import { html } from "lit";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { statusStyles } from "./status.styles.js";

/** Where a job is, as the status line shows it (Gradio's stages, plus `queued` and `cancelled`). */
export type JobStatus =
  | { stage: "idle" }
  | { stage: "pending" }
  | { stage: "queued"; position: number; size: number; eta?: number }
  | {
      stage: "generating";
      startedAt: number;
      eta?: number;
      progress?: { value: number; total?: number; desc?: string };
    }
  | { stage: "complete"; duration: number }
  | { stage: "cancelled" }
  | { stage: "error"; message: string };

/**
 * @summary The status line of a job's outputs: place in the queue, elapsed time, progress,
 * and errors. Announced politely to screen readers (the ticking clock is not).
 *
 * @csspart line - The status text.
 * @csspart progress - The progress bar.
 * @csspart error - An error message.
 */
@customElement("sc-status")
export class ScStatus extends ScElement {
  static override styles = [...ScElement.styles, statusStyles];

  /** The job's state. */
  @property({ attribute: false }) status: JobStatus = { stage: "idle" };
  /** The stage, reflected for styling and tests. */
  @property({ reflect: true }) stage: JobStatus["stage"] = "idle";

  #timer: ReturnType<typeof setInterval> | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.stage = this.status.stage;
    const ticking = this.status.stage === "generating";
    if (ticking && !this.#timer) this.#timer = setInterval(() => this.requestUpdate(), 100);
    if (!ticking) this.stopTimer();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTimer();
  }

  override render() {
    const status = this.status;
    if (status.stage === "error") {
      return html`<p part="error" class="error" role="alert">${status.message}</p>`;
    }
    return html`<div part="line" class="line" role="status" aria-live="polite">${this.line(status)}</div>`;
  }

  private line(status: JobStatus) {
    const eta = (value?: number) => (value === undefined ? "" : ` (about ${value.toFixed(1)} s)`);
    switch (status.stage) {
      case "pending":
        return html`<span>Sending…</span>`;
      case "queued":
        return html`<span>In queue: ${status.position} of ${status.size}${eta(status.eta)}</span>`;
      case "generating": {
        const elapsed = ((performance.now() - status.startedAt) / 1000).toFixed(1);
        const progress = status.progress;
        const time = html`<span class="time" aria-hidden="true">${elapsed}${status.eta === undefined ? "" : `/${status.eta.toFixed(1)}`} s</span>`;
        if (!progress) return html`<span>Running…</span>${time}`;
        const max = progress.total ?? 1;
        const shown =
          progress.total === undefined
            ? `${Math.round(progress.value * 100)}%`
            : `${progress.value}/${progress.total}`;
        return html`<span>${progress.desc ?? "Running"} ${shown}</span>
          <progress part="progress" max=${max} .value=${progress.value} aria-label=${progress.desc ?? "Progress"}></progress>
          ${time}`;
      }
      case "complete":
        return html`<span class="time">Done in ${status.duration.toFixed(1)} s</span>`;
      case "cancelled":
        return html`<span>Stopped.</span>`;
      default:
        return null;
    }
  }

  private stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-status": ScStatus;
  }
}
