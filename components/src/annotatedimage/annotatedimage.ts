import type { PropertyValues } from "lit";
import { html, nothing } from "lit";
import type { AnnotatedImageData } from "spacecraft";
import { ScElement } from "../base/base-element.js";
import { customElement, property, state } from "../base/decorators.js";
import { fileSrc } from "../base/file-url.js";
import { setHostProperty } from "../base/host-style.js";
import { SelectEvent } from "../base/select-event.js";
import { annotatedImageStyles } from "./annotatedimage.styles.js";

/** Box colours for labels missing from `colorMap`, in order of first appearance. */
const PALETTE = ["#e11d48", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d"];

/** Whether a string is a plain CSS colour (a name, hex, or rgb()/hsl()), safe inside a style. */
function isColor(value: string): boolean {
  return /^(#[\da-f]{3,8}|[a-z]+|(rgb|hsl)a?\([\d\s.,%/]+\))$/i.test(value.trim());
}

/**
 * @summary An image with labelled boxes drawn over it (an output, e.g. of object detection). The
 * boxes scale with the image; hovering or focusing a legend entry highlights its boxes.
 *
 * @event sc-select - The user picked a label in the legend.
 *
 * @csspart image - The image.
 * @csspart box - Each box.
 * @csspart legend - The list of labels.
 *
 * @cssproperty --sc-image-height - Largest height of the image (set by `height`).
 */
@customElement("sc-annotatedimage")
export class ScAnnotatedimage extends ScElement {
  static override styles = [...ScElement.styles, annotatedImageStyles];

  /** The image and its annotations (boxes in the image's pixels). */
  @property({ type: Object }) value: AnnotatedImageData | null = null;
  /** Colours by label, e.g. `{ cat: "#f59e0b" }`. */
  @property({ type: Object }) colorMap: Record<string, string> | undefined;
  /** Show a legend of the labels. */
  @property({ type: Boolean }) showLegend = true;
  /** Largest display height in CSS pixels. */
  @property({ type: Number }) height: number | undefined;

  @state() private natural: { width: number; height: number } | undefined;
  @state() private active: string | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has("height"))
      setHostProperty(this, "--sc-image-height", this.height ? `${this.height}px` : undefined);
    if (changed.has("value") && changed.get("value")?.image.path !== this.value?.image.path) {
      this.natural = undefined;
    }
  }

  /** The colour of each label. */
  private colors(): Map<string, string> {
    const colors = new Map<string, string>();
    for (const { label } of this.value?.annotations ?? []) {
      if (colors.has(label)) continue;
      const mapped = this.colorMap?.[label];
      colors.set(label, mapped && isColor(mapped) ? mapped : (PALETTE[colors.size % PALETTE.length] ?? ""));
    }
    return colors;
  }

  override render() {
    const value = this.value;
    const src = fileSrc(value?.image);
    if (!value || !src) {
      return html`${this.renderLabel(null)}<p class="empty">—</p>${this.renderError()}`;
    }
    const colors = this.colors();
    const natural = this.natural;
    const percent = (x: number, of: number) => `${(Math.max(0, Math.min(of, x)) / of) * 100}%`;
    return html`${this.renderLabel(null)}
      <div class="frame">
        <div class="canvas">
          <img part="image" src=${src} alt=${this.label || "Annotated image"} @load=${this.onLoad} />
          ${
            natural
              ? value.annotations.map(({ label, box, score }) => {
                  if (!box) return nothing;
                  const text = score === undefined ? label : `${label} ${Math.round(score * 100)}%`;
                  const dim = this.active !== undefined && this.active !== label;
                  return html`<div
                    part="box"
                    class="box${dim ? " dim" : ""}${box.ymin < natural.height * 0.08 ? " low" : ""}"
                    data-label=${label}
                    style="--color:${colors.get(label)};left:${percent(box.xmin, natural.width)};top:${percent(box.ymin, natural.height)};width:${percent(box.xmax - box.xmin, natural.width)};height:${percent(box.ymax - box.ymin, natural.height)}"
                  >
                    <span class="tag">${text}</span>
                  </div>`;
                })
              : nothing
          }
        </div>
      </div>
      ${
        this.showLegend && colors.size > 0
          ? html`<ul part="legend" class="legend" aria-label="Labels">
              ${[...colors].map(
                ([label, color]) => html`<li>
                  <button
                    type="button"
                    style="--color:${color}"
                    @mouseenter=${() => this.highlight(label)}
                    @mouseleave=${() => this.highlight(undefined)}
                    @focus=${() => this.highlight(label)}
                    @blur=${() => this.highlight(undefined)}
                    @click=${() => this.select(label)}
                  >
                    <span class="swatch"></span>${label}
                  </button>
                </li>`,
              )}
            </ul>`
          : nothing
      }
      ${this.renderError()}`;
  }

  private onLoad(event: Event): void {
    const image = event.target as HTMLImageElement;
    this.natural = { width: image.naturalWidth || 1, height: image.naturalHeight || 1 };
  }

  private select(label: string): void {
    const index = this.value?.annotations.findIndex((annotation) => annotation.label === label) ?? -1;
    this.dispatchEvent(new SelectEvent(index, label));
  }

  private highlight(label: string | undefined): void {
    this.active = label;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-annotatedimage": ScAnnotatedimage;
  }
}
