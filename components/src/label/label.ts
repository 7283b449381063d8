import { html } from "lit";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { SelectEvent } from "../base/select-event.js";
import { labelStyles } from "./label.styles.js";

/** A label value (Gradio's wire shape). */
export interface LabelValue {
  label?: string | number | null;
  confidences?: { label: string | number; confidence: number }[];
}

/**
 * @summary A classification result: the top class as a heading, then a bar per class.
 *
 * @event sc-select - The user picked a class (its name is a button when `selectable`).
 *
 * @csspart label - The element's label.
 * @csspart heading - The top class.
 * @csspart confidences - The list of classes with bars.
 * @csspart bar - Each confidence bar.
 *
 * @cssproperty --sc-label-bar-color - Colour of the bars other than the top one.
 */
@customElement("sc-label")
export class ScLabel extends ScElement {
  static override styles = [...ScElement.styles, labelStyles];

  /** The result to show. */
  @property({ type: Object }) value: LabelValue | null = null;
  /** Show only this many classes. */
  @property({ type: Number }) numTopClasses: number | undefined;
  /** Show the top class as a heading. */
  @property({ type: Boolean }) showHeading = true;
  /** Let the user pick a class (set by `<sc-app>` when a `select` event listens). */
  @property({ type: Boolean }) selectable = false;

  override render() {
    const value = this.value;
    const confidences = (value?.confidences ?? []).slice(0, this.numTopClasses);
    const top = value?.label ?? confidences[0]?.label;
    const percent = (x: number) => `${(x * 100).toFixed(x >= 0.9995 || x === 0 ? 0 : 1)}%`;
    return html`${this.renderLabel(null)}
      ${
        top === undefined || top === null
          ? html`<p class="empty">—</p>`
          : html`${this.showHeading ? html`<p part="heading" class="heading">${top}</p>` : null}
            ${
              confidences.length > 0
                ? html`<ol part="confidences">
                  ${confidences.map(
                    (item, index) => html`<li class=${item.label === top ? "top" : ""}>
                      <div class="row">
                        ${
                          this.selectable
                            ? html`<button type="button" class="name" @click=${() => this.dispatchEvent(new SelectEvent(index, item.label))}>
                                ${item.label}
                              </button>`
                            : html`<span class="name">${item.label}</span>`
                        }
                        <span class="score">${percent(item.confidence)}</span>
                      </div>
                      <div
                        class="track"
                        role="meter"
                        aria-label=${String(item.label)}
                        aria-valuemin="0"
                        aria-valuemax="1"
                        aria-valuenow=${item.confidence}
                      >
                        <div part="bar" class="bar" style=${`width:${Math.max(0, Math.min(1, item.confidence)) * 100}%`}></div>
                      </div>
                    </li>`,
                  )}
                </ol>`
                : null
            }`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-label": ScLabel;
  }
}
