import { html } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { SelectEvent } from "../base/select-event.js";
import { highlightedtextStyles } from "./highlightedtext.styles.js";

/** A span of text with its class or score (Gradio's wire shape). */
export interface HighlightedSpan {
  token: string;
  class_or_confidence: string | number | null;
}

const palette = ["#fb923c", "#60a5fa", "#4ade80", "#f472b6", "#facc15", "#a78bfa", "#2dd4bf", "#f87171"];

/**
 * @summary Text with highlighted spans: a colour per class, or a red/blue tint for scores.
 *
 * @event sc-select - The user picked a highlighted span (click, Enter or Space; when `selectable`).
 *
 * @csspart label - The element's label.
 * @csspart legend - The list of classes (`showLegend`).
 * @csspart text - The text.
 * @csspart span - Each highlighted span.
 */
@customElement("sc-highlightedtext")
export class ScHighlightedtext extends ScElement {
  static override styles = [...ScElement.styles, highlightedtextStyles];

  /** The spans. */
  @property({ type: Array }) value: HighlightedSpan[] | null = null;
  /** Colours by class name. */
  @property({ type: Object }) colorMap: Record<string, string> | undefined;
  /** Show a legend of the classes. */
  @property({ type: Boolean }) showLegend = false;
  /** Merge neighbouring spans of the same class (done by the server; kept for the config). */
  @property({ type: Boolean }) combineAdjacent = false;
  /** Let the user pick a span (set by `<sc-app>` when a `select` event listens). */
  @property({ type: Boolean }) selectable = false;

  override render() {
    const spans = this.value ?? [];
    const classes = [
      ...new Set(
        spans.map((span) => span.class_or_confidence).filter((c): c is string => typeof c === "string"),
      ),
    ];
    const colorOf = (name: string) =>
      this.colorMap?.[name] ?? palette[classes.indexOf(name) % palette.length] ?? palette[0];
    // At most 0.6 opaque, so the text on it keeps 4.5:1 in light and dark.
    const tint = (score: number) =>
      score >= 0
        ? `rgba(239, 68, 68, ${(Math.min(1, score) * 0.6).toFixed(2)})`
        : `rgba(59, 130, 246, ${(Math.min(1, -score) * 0.6).toFixed(2)})`;
    return html`${this.renderLabel(null)}
      ${
        this.showLegend && classes.length > 0
          ? html`<ul part="legend" class="legend" aria-label="Legend">
            ${classes.map((name) => html`<li style=${`--span-color:${colorOf(name)}`}>${name}</li>`)}
          </ul>`
          : null
      }
      <div part="text" class="text" @click=${this.onPick} @keydown=${this.onPick}>${spans.map(
        (span, index) => {
          const c = span.class_or_confidence;
          if (c === null || c === undefined) return span.token;
          const role = this.selectable ? "button" : undefined;
          const tabindex = this.selectable ? 0 : undefined;
          if (typeof c === "number") {
            return html`<mark part="span" data-index=${index} role=${ifDefined(role)} tabindex=${ifDefined(tabindex)}
            title=${c.toFixed(3)} style=${`--span-color:${tint(c)}`}>${span.token}</mark>`;
          }
          return html`<mark part="span" data-index=${index} role=${ifDefined(role)} tabindex=${ifDefined(tabindex)}
          data-class=${c} style=${`--span-color:${colorOf(c)}`}
          >${span.token}${this.showLegend ? null : html`<span class="class">${c}</span>`}</mark
        >`;
        },
      )}</div>`;
  }

  /** A click, or Enter or Space on a span, picks it when `selectable`. */
  private onPick(event: Event): void {
    if (!this.selectable) return;
    if (event instanceof KeyboardEvent && event.key !== "Enter" && event.key !== " ") return;
    const mark = (event.target as Element).closest("mark");
    const index = Number(mark?.dataset.index);
    const span = this.value?.[index];
    if (!mark || !span) return;
    event.preventDefault();
    this.dispatchEvent(new SelectEvent(index, [span.token, span.class_or_confidence]));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-highlightedtext": ScHighlightedtext;
  }
}
