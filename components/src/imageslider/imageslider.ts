import type { PropertyValues } from "lit";
import { html, nothing } from "lit";
import type { FileData, ImageSliderData } from "spacecraft";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { fileName, fileSrc } from "../base/file-url.js";
import { setHostProperty } from "../base/host-style.js";
import { uploadStyles } from "../base/upload.styles.js";
import { ScUploadElement } from "../base/upload-element.js";
import { imageSliderStyles } from "./imageslider.styles.js";

/**
 * @summary Two images, one over the other, compared with a divider: drag it, click where it
 * should go, or focus it and use the arrow keys (Shift for big steps), Home and End. As an input,
 * an uploaded image (click, drop or paste) becomes the first of the pair.
 *
 * @event input - When an image is uploaded or cleared.
 * @event change - Right after `input`.
 * @event sc-upload - After `change`, when an image finished uploading.
 * @event sc-clear - After `change`, when the user cleared the images.
 *
 * @csspart dropzone - The button that takes an image.
 * @csspart before - The first image (left of the divider).
 * @csspart after - The second image (right of the divider).
 * @csspart divider - The divider, a slider.
 */
@customElement("sc-imageslider")
export class ScImageSlider extends ScUploadElement<ImageSliderData> {
  static override styles = [...ScElement.styles, uploadStyles, imageSliderStyles];

  /** Where the divider is, 0–100 (% from the left). */
  @property({ type: Number }) sliderPosition = 50;
  /** Largest display height in CSS pixels. */
  @property({ type: Number }) height: number | undefined;

  protected override get noun(): string {
    return "an image";
  }

  protected override toValue(file: FileData): ImageSliderData {
    return [file, this.value?.[1] ?? null];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has("height"))
      setHostProperty(this, "--sc-image-height", this.height ? `${this.height}px` : undefined);
  }

  override render() {
    const [before, after] = this.value ?? [null, null];
    const compared = before && after ? this.renderCompare(before, after) : undefined;
    const single = before ?? after;
    const shown =
      compared ??
      (single
        ? html`<div class="frame"><img part="before" src=${fileSrc(single) ?? ""} alt=${fileName(single)} /></div>`
        : undefined);
    if (!this.interactive) {
      return html`${this.renderLabel(null)}${shown ?? html`<p class="empty">—</p>`}${this.renderError()}`;
    }
    return html`${this.renderLabel()}${this.renderInfo()}
      ${this.renderTarget(html`
        ${shown ?? nothing}
        ${this.renderDropZone(
          before
            ? html`<strong>${fileName(before)}</strong><span>Click or drop to replace it</span>`
            : this.renderPrompt(),
        )}
        <div class="toolbar">${this.value ? this.renderClear("images") : nothing}</div>
        ${this.renderProgress()}
      `)}
      ${this.renderError()}`;
  }

  private renderCompare(before: FileData, after: FileData) {
    const position = Math.min(100, Math.max(0, this.sliderPosition));
    return html`<div
      class="compare"
      style=${`--position: ${position}%`}
      @pointerdown=${this.onPointerDown}
    >
      <img part="before" class="before" src=${fileSrc(before) ?? ""} alt=${fileName(before)} />
      <img part="after" class="after" src=${fileSrc(after) ?? ""} alt=${fileName(after)} />
      <div
        part="divider"
        class="divider"
        role="slider"
        tabindex="0"
        aria-label=${`Divider between ${fileName(before)} and ${fileName(after)}`}
        aria-orientation="horizontal"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${Math.round(position)}
        aria-valuetext=${`${Math.round(position)}%`}
        @keydown=${this.onKeydown}
      ></div>
    </div>`;
  }

  #moveTo(clientX: number, box: HTMLElement): void {
    const rect = box.getBoundingClientRect();
    if (rect.width === 0) return;
    this.sliderPosition = Math.min(100, Math.max(0, ((clientX - rect.left) / rect.width) * 100));
  }

  private onPointerDown(event: PointerEvent): void {
    const box = event.currentTarget as HTMLElement;
    event.preventDefault();
    box.setPointerCapture(event.pointerId);
    this.renderRoot.querySelector<HTMLElement>(".divider")?.focus();
    this.#moveTo(event.clientX, box);
    const move = (next: PointerEvent) => this.#moveTo(next.clientX, box);
    const end = () => {
      box.removeEventListener("pointermove", move);
      box.removeEventListener("pointerup", end);
      box.removeEventListener("pointercancel", end);
    };
    box.addEventListener("pointermove", move);
    box.addEventListener("pointerup", end);
    box.addEventListener("pointercancel", end);
  }

  private onKeydown(event: KeyboardEvent): void {
    const step = event.shiftKey ? 10 : 1;
    const moves: Record<string, number> = {
      ArrowLeft: this.sliderPosition - step,
      ArrowDown: this.sliderPosition - step,
      ArrowRight: this.sliderPosition + step,
      ArrowUp: this.sliderPosition + step,
      PageDown: this.sliderPosition - 10,
      PageUp: this.sliderPosition + 10,
      Home: 0,
      End: 100,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.sliderPosition = Math.min(100, Math.max(0, next));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-imageslider": ScImageSlider;
  }
}
