import type { PropertyValues } from "lit";
import { html, nothing } from "lit";
import type { GalleryItem } from "spacecraft";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { fileName, fileSrc } from "../base/file-url.js";
import { setHostProperty } from "../base/host-style.js";
import { SelectEvent } from "../base/select-event.js";
import { galleryStyles } from "./gallery.styles.js";

/**
 * @summary A grid of images with captions (an output). Each image links to the full-size file.
 *
 * @event sc-select - The user opened an image (click, or Enter on its link).
 *
 * @csspart grid - The grid.
 * @csspart item - Each image with its caption.
 * @csspart image - Each image.
 * @csspart caption - Each caption.
 *
 * @cssproperty --sc-gallery-columns - Images per row (set by `columns`).
 * @cssproperty --sc-gallery-height - Largest height before the grid scrolls (set by `height`).
 */
@customElement("sc-gallery")
export class ScGallery extends ScElement {
  static override styles = [...ScElement.styles, galleryStyles];

  /** The images and their captions. */
  @property({ type: Array }) value: GalleryItem[] | null = null;
  /** Images per row. */
  @property({ type: Number }) columns = 3;
  /** Largest height in CSS pixels before the grid scrolls. */
  @property({ type: Number }) height: number | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has("columns"))
      setHostProperty(this, "--sc-gallery-columns", String(Math.max(1, this.columns || 1)));
    if (changed.has("height"))
      setHostProperty(this, "--sc-gallery-height", this.height ? `${this.height}px` : undefined);
  }

  override render() {
    const items = (this.value ?? []).filter((item) => fileSrc(item.image));
    const select = (item: GalleryItem) => this.dispatchEvent(new SelectEvent(items.indexOf(item), item));
    return html`${this.renderLabel(null)}
      ${
        items.length === 0
          ? html`<p class="empty">—</p>`
          : html`<ul part="grid" class="grid">
              ${items.map((item) => {
                const src = fileSrc(item.image);
                return html`<li part="item">
                  <figure>
                    <a href=${src} target="_blank" rel="noopener" @click=${() => select(item)}>
                      <img part="image" src=${src} alt=${item.caption ?? fileName(item.image)} loading="lazy" />
                    </a>
                    ${item.caption ? html`<figcaption part="caption">${item.caption}</figcaption>` : nothing}
                  </figure>
                </li>`;
              })}
            </ul>`
      }
      ${this.renderError()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-gallery": ScGallery;
  }
}
