import type { PropertyValues } from "lit";
import { html, nothing } from "lit";
import type { VideoData, VideoSource } from "spacecraft";
import { ScElement } from "../base/base-element.js";
import { closeCamera, openCamera } from "../base/camera.js";
import { customElement, property, state } from "../base/decorators.js";
import { fileName, fileSrc } from "../base/file-url.js";
import { setHostProperty } from "../base/host-style.js";
import type { Recording } from "../base/recorder.js";
import { recordStream } from "../base/recorder.js";
import { uploadStyles } from "../base/upload.styles.js";
import { ScUploadElement } from "../base/upload-element.js";
import { videoStyles } from "./video.styles.js";

/** What a recording is saved as: WebM where the browser records it (Chromium, Firefox), else MP4 (Safari). */
const recordingTypes = ["video/webm", "video/mp4"] as const;

/**
 * @summary A video (MP4 or WebM). As an input: click, drop or paste a video to upload it, or record
 * one with the webcam (Record from webcam, Start recording, Stop recording: the recording is
 * uploaded as a file would be; Close webcam drops it), then play it back; as an output (`interactive` false): plays the
 * video at `value.video.url`.
 *
 * @event input - When a video is uploaded or cleared.
 * @event change - Right after `input`.
 * @event sc-upload - After `change`, when a video finished uploading.
 * @event sc-clear - After `change`, when the user cleared the video.
 * @event sc-play - The player started playing.
 * @event sc-pause - The player paused (also just before `sc-end`).
 * @event sc-end - The player reached the end of the video.
 *
 * @csspart dropzone - The button that takes a video.
 * @csspart video - The player.
 * @csspart webcam - The webcam's live view.
 * @csspart record - The Start/Stop recording button.
 * @csspart progress - The upload progress bar.
 *
 * @cssproperty --sc-video-height - Largest height of the player, and the height of the webcam's live view (set by `height`).
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
  /** Where an input video can come from. */
  @property({ type: Array }) sources: VideoSource[] = ["upload", "webcam"];
  /** Record the microphone with the webcam. */
  @property({ type: Boolean }) includeAudio = false;
  /** Show the webcam's live view mirrored (the recording is not). */
  @property({ type: Boolean }) mirrorWebcam = true;
  /** Set while recording from the webcam. */
  @property({ type: Boolean, reflect: true }) recording = false;

  @state() private camera: MediaStream | undefined;
  @state() private recordedSeconds = 0;
  #recording: Recording | undefined;

  protected override get noun(): string {
    return "a video";
  }

  protected override get acceptsPaste(): boolean {
    return this.sources.includes("upload");
  }

  protected override toValue(file: VideoData["video"]): VideoData {
    return { video: file, subtitles: null };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has("height"))
      setHostProperty(this, "--sc-video-height", this.height ? `${this.height}px` : undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.closeWebcam();
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
          @play=${() => this.relayPlayback("sc-play")}
          @pause=${() => this.relayPlayback("sc-pause")}
          @ended=${() => this.relayPlayback("sc-end")}
        ></video>`
      : nothing;
    if (!this.interactive) {
      return html`${this.renderLabel(null)}
        ${src ? html`<div class="frame">${player}</div>` : html`<p class="empty">—</p>`}
        ${this.renderError()}`;
    }
    const uploads = this.sources.includes("upload");
    // The player has its own controls, so it sits beside the drop zone, not inside it.
    const body = html`
      ${
        this.camera
          ? html`<div class="frame">
              <video
                part="webcam"
                class=${this.mirrorWebcam ? "mirrored" : ""}
                autoplay
                playsinline
                muted
                aria-label="Webcam"
                .srcObject=${this.camera}
              ></video>
            </div>`
          : html`${src ? html`<div class="frame">${player}</div>` : nothing}
            ${
              uploads
                ? this.renderDropZone(
                    file
                      ? html`<strong>${fileName(file)}</strong><span>Click or drop to replace it</span>`
                      : this.renderPrompt(),
                  )
                : nothing
            }`
      }
      <div class="toolbar">${this.renderWebcamTools(!uploads)}${this.value ? this.renderClear("video") : nothing}</div>
      ${this.renderProgress()}
    `;
    return html`${this.renderLabel()}${this.renderInfo()}
      ${uploads ? this.renderTarget(body) : html`<div class="target">${body}</div>`} ${this.renderError()}`;
  }

  /** The webcam's buttons; `labelled` gives the first one the id the label points at (no drop zone). */
  private renderWebcamTools(labelled: boolean) {
    if (!this.sources.includes("webcam")) return nothing;
    if (!this.camera) {
      return html`<button
        type="button"
        class="tool"
        id=${labelled ? "control" : nothing}
        aria-describedby=${labelled ? this.describedBy : nothing}
        ?disabled=${this.uploading}
        @click=${this.openWebcam}
      >
        Record from webcam
      </button>`;
    }
    const close = html`<button type="button" class="tool" @click=${this.closeWebcam}>Close webcam</button>`;
    if (this.recording) {
      return html`<button type="button" part="record" class="tool recording" @click=${this.stopRecording}>
          Stop recording
        </button>
        <span class="recording-time" role="timer">${Math.floor(this.recordedSeconds)} s</span>${close}`;
    }
    return html`<button type="button" part="record" class="tool" @click=${this.startRecording}>
        Start recording
      </button>${close}`;
  }

  private relayPlayback(type: "sc-play" | "sc-pause" | "sc-end"): void {
    this.dispatchEvent(new Event(type, { bubbles: true, composed: true }));
  }

  /** The end of a message about the webcam: what else the visitor can do. */
  private get instead(): string {
    return this.sources.includes("upload") ? "upload a video instead" : "use another device";
  }

  private async openWebcam(): Promise<void> {
    this.error = "";
    const camera = await openCamera({ audio: this.includeAudio, instead: this.instead });
    if (typeof camera === "string") this.error = camera;
    // A second click while the first was asking, or the element gone meanwhile: drop this one.
    else if (this.camera || !this.isConnected) closeCamera(camera);
    else this.camera = camera;
  }

  private closeWebcam(): void {
    this.recording = false;
    // A recording stopped this way is dropped, not uploaded.
    const recording = this.#recording;
    this.#recording = undefined;
    recording?.stop(false);
    closeCamera(this.camera);
    this.camera = undefined;
  }

  private startRecording(): void {
    const camera = this.camera;
    if (!camera || typeof MediaRecorder === "undefined") {
      this.error = `This browser cannot record video: ${this.instead}, or try another browser.`;
      return;
    }
    this.#recording?.stop(false);
    this.#recording = recordStream(camera, {
      types: recordingTypes,
      onSeconds: (seconds) => {
        this.recordedSeconds = seconds;
      },
      onRecorded: (chunks, recorded) => {
        this.#recording = undefined;
        this.closeWebcam();
        const type = (recorded || "video/webm").split(";")[0] as string;
        const name = type === "video/mp4" ? "webcam.mp4" : "webcam.webm";
        void this.upload(new File(chunks, name, { type }));
      },
    });
    this.recording = true;
  }

  /** Stops recording and uploads what was recorded (once the recorder hands over its last data). */
  private stopRecording(): void {
    this.recording = false;
    this.#recording?.stop(true);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-video": ScVideo;
  }
  interface GlobalEventHandlersEventMap {
    "sc-play": Event;
    "sc-pause": Event;
    "sc-end": Event;
  }
}
