import type { PropertyValues } from "lit";
import { html, nothing } from "lit";
import type { VideoData } from "spacecraft";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { fileName, fileSrc } from "../base/file-url.js";
import { uploadStyles } from "../base/upload.styles.js";
import { ScUploadElement } from "../base/upload-element.js";
import { videoStyles } from "./video.styles.js";

/**
 * @summary A video (MP4 or WebM). As an input: click, drop or paste a video to upload it, then
 * play it back; as an output (`interactive` false): plays the video at `value.video.url`.
 *
 * @event input - When a video is uploaded or cleared.
 * @event change - Right after `input`.
 * @event sc-upload - After `change`, when a video finished uploading.
 * @event sc-clear - After `change`, when the user cleared the video.
 *
 * @csspart dropzone - The button that takes a video.
 * @csspart video - The player.
 * @csspart progress - The upload progress bar.
 *
 * @cssproperty --sc-video-height - Largest height of the player (set by `height`).
 */
@customElement("sc-video")
export class ScVideo extends ScUploadElement<VideoData> {
  static override styles = [...ScElement.styles, uploadStyles, videoStyles];

  /** Largest display height in CSS pixels. */
  @property({ type: Number }) height: number | undefined;
  /** Start playing when a new video arrives. */
  @property({ type: Boolean }) autoplay = false;
  /** Play it again and again. */
  @property({ type: Boolean }) loop = false;

  protected override get noun(): string {
    return "a video";
  }

  protected override toValue(file: VideoData["video"]): VideoData {
    return { video: file, subtitles: null };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has("height")) {
      if (this.height) this.style.setProperty("--sc-video-height", `${this.height}px`);
      else this.style.removeProperty("--sc-video-height");
    }
  }

  override render() {
    const file = this.value?.video;
    const src = fileSrc(file);
    const player = src
      ? html`<video
          part="video"
          controls
          playsinline
          preload="metadata"
          src=${src}
          ?autoplay=${this.autoplay}
          ?loop=${this.loop}
          aria-label=${file ? fileName(file) : "Video"}
        ></video>`
      : nothing;
    if (!this.interactive) {
      return html`${this.renderLabel(null)}
        ${src ? html`<div class="frame">${player}</div>` : html`<p class="empty">—</p>`}
        ${this.renderError()}`;
    }
    // The player has its own controls, so it sits beside the drop zone, not inside it.
    return html`${this.renderLabel()}${this.renderInfo()}
      ${this.renderTarget(html`
        ${src ? html`<div class="frame">${player}</div>` : nothing}
        ${this.renderDropZone(
          file
            ? html`<strong>${fileName(file)}</strong><span>Click or drop to replace it</span>`
            : this.renderPrompt(),
        )}
        <div class="toolbar">${this.value ? this.renderClear("video") : nothing}</div>
        ${this.renderProgress()}
      `)}
      ${this.renderError()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-video": ScVideo;
  }
}
