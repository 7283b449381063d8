import type { PropertyValues } from "lit";
import { html, nothing } from "lit";
import { ScElement } from "../base/base-element.js";
import { closeCamera, openCamera } from "../base/camera.js";
import { customElement, property, state } from "../base/decorators.js";
import { fileName, fileSrc } from "../base/file-url.js";
import { setHostProperty } from "../base/host-style.js";
import { uploadStyles } from "../base/upload.styles.js";
import { ScUploadElement } from "../base/upload-element.js";
import { imageStyles } from "./image.styles.js";

/** Where an input image can come from. */
export type ImageSource = "upload" | "webcam" | "clipboard";

/**
 * @summary An image. As an input: click, drop or paste a picture, or take one with the webcam;
 * as an output (`interactive` false): shows the image at `value.url`.
 *
 * @event input - When an image is uploaded or cleared.
 * @event change - Right after `input`.
 *
 * @csspart dropzone - The button that takes an image (it shows the preview once there is one).
 * @csspart image - The image.
 * @csspart video - The webcam view.
 * @csspart progress - The upload progress bar.
 *
 * @cssproperty --sc-image-height - Largest height of the image (set by `height`).
 */
@customElement("sc-image")
export class ScImage extends ScUploadElement {
  static override styles = [...ScElement.styles, uploadStyles, imageStyles];

  /** Where an input image can come from. */
  @property({ type: Array }) sources: ImageSource[] = ["upload", "webcam", "clipboard"];
  /** Largest display height in CSS pixels. */
  @property({ type: Number }) height: number | undefined;

  @state() private camera: MediaStream | undefined;

  protected override get noun(): string {
    return "an image";
  }

  protected override get acceptsPaste(): boolean {
    return this.sources.includes("clipboard");
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has("height"))
      setHostProperty(this, "--sc-image-height", this.height ? `${this.height}px` : undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopCamera();
  }

  override render() {
    const src = fileSrc(this.value);
    const image = src
      ? html`<img part="image" src=${src} alt=${this.value ? fileName(this.value) : ""} />`
      : nothing;
    if (!this.interactive) {
      return html`${this.renderLabel(null)}
        ${src ? html`<div class="frame">${image}</div>` : html`<p class="empty">—</p>`}
        ${this.renderError()}`;
    }
    return html`${this.renderLabel()}${this.renderInfo()}
      ${this.renderTarget(html`
        ${
          this.camera
            ? html`<div class="frame">
                <video part="video" autoplay playsinline muted .srcObject=${this.camera}></video>
              </div>`
            : this.renderDropZone(src ? image : this.renderPrompt())
        }
        <div class="toolbar">
          ${
            this.sources.includes("webcam")
              ? this.camera
                ? html`<button type="button" class="tool" @click=${this.capture}>Take photo</button>
                    <button type="button" class="tool" @click=${this.stopCamera}>Close webcam</button>`
                : html`<button type="button" class="tool" @click=${this.startCamera}>Webcam</button>`
              : nothing
          }
          ${this.value ? this.renderClear("image") : nothing}
        </div>
        ${this.renderProgress()}
      `)}
      ${this.renderError()}`;
  }

  private async startCamera(): Promise<void> {
    this.error = "";
    const camera = await openCamera({ instead: "upload a picture instead" });
    if (typeof camera === "string") this.error = camera;
    else this.camera = camera;
  }

  private stopCamera(): void {
    closeCamera(this.camera);
    this.camera = undefined;
  }

  private async capture(): Promise<void> {
    const video = this.renderRoot.querySelector("video");
    if (!video || video.videoWidth === 0) return;
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d")?.drawImage(video, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
    this.stopCamera();
    if (blob) await this.upload(new File([blob], "webcam.png", { type: "image/png" }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-image": ScImage;
  }
}
