import { html, nothing } from "lit";
import { ScElement } from "../base/base-element.js";
import { customElement, property, state } from "../base/decorators.js";
import { fileName, fileSrc } from "../base/file-url.js";
import type { Recording } from "../base/recorder.js";
import { recordStream } from "../base/recorder.js";
import { uploadStyles } from "../base/upload.styles.js";
import { ScUploadElement } from "../base/upload-element.js";
import { audioStyles } from "./audio.styles.js";
import { isWav, toWav } from "./wav.js";

/** Where input audio can come from. */
export type AudioSource = "upload" | "microphone";

/**
 * @summary Audio. As an input: upload a file or record from the microphone, then play it back;
 * anything but WAV (MP3, OGG, recordings) is converted to mono WAV at `sampleRate` in the page
 * before upload. As an output (`interactive` false): a player.
 *
 * @event input - When audio is uploaded or cleared.
 * @event change - Right after `input`.
 *
 * @csspart dropzone - The button that takes a file.
 * @csspart audio - The player.
 * @csspart record - The record/stop button.
 * @csspart progress - The upload progress bar.
 */
@customElement("sc-audio")
export class ScAudio extends ScUploadElement {
  static override styles = [...ScElement.styles, uploadStyles, audioStyles];

  /** Where input audio can come from. */
  @property({ type: Array }) sources: AudioSource[] = ["upload", "microphone"];
  /** Sample rate of converted audio, in Hz. */
  @property({ type: Number }) sampleRate = 16_000;
  /** Set while recording from the microphone. */
  @property({ type: Boolean, reflect: true }) recording = false;

  @state() private recordedSeconds = 0;
  #recording: Recording | undefined;

  protected override get noun(): string {
    return "an audio file";
  }

  protected override get pickerAccept(): string {
    // Any audio: what is not WAV is converted before upload.
    return "audio/*";
  }

  protected override async prepare(file: File): Promise<File> {
    if (isWav(new Uint8Array(await file.slice(0, 12).arrayBuffer()))) return file;
    this.activity = `Converting "${file.name}" to WAV`;
    let wav: Uint8Array;
    try {
      wav = await toWav(file, this.sampleRate);
    } catch {
      throw new Error(`Could not read "${file.name}" as audio. Try a WAV, MP3 or OGG file.`);
    }
    const name = `${file.name.replace(/\.[^.]*$/, "") || "audio"}.wav`;
    return new File([wav as BlobPart], name, { type: "audio/wav" });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopRecording(false);
  }

  override render() {
    const src = fileSrc(this.value);
    const player = src
      ? html`<audio
          part="audio"
          controls
          preload="metadata"
          src=${src}
          aria-label=${this.value ? fileName(this.value) : "Audio"}
        ></audio>`
      : nothing;
    if (!this.interactive) {
      return html`${this.renderLabel(null)}
        ${src ? html`<div class="frame">${player}</div>` : html`<p class="empty">—</p>`}
        ${this.renderError()}`;
    }
    const microphone = this.sources.includes("microphone");
    const upload = this.sources.includes("upload") || !microphone;
    return html`${this.renderLabel(upload ? this.controlId : null)}${this.renderInfo()}
      ${this.renderTarget(html`
        ${upload ? this.renderDropZone(this.renderPrompt()) : nothing}
        ${src ? html`<div class="frame" style="margin-top:0.4rem">${player}</div>` : nothing}
        <div class="toolbar">
          ${
            microphone
              ? html`<button
                  type="button"
                  part="record"
                  class=${this.recording ? "tool recording" : "tool"}
                  @click=${this.recording ? () => this.stopRecording(true) : this.startRecording}
                >
                  ${this.recording ? "Stop recording" : "Record"}
                </button>`
              : nothing
          }
          ${
            this.recording
              ? html`<span class="recording-time" role="timer">${Math.floor(this.recordedSeconds)} s</span>`
              : nothing
          }
          ${this.value ? this.renderClear("audio") : nothing}
        </div>
        ${this.renderProgress()}
      `)}
      ${this.renderError()}`;
  }

  private async startRecording(): Promise<void> {
    this.error = "";
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      this.error = `Could not open the microphone: ${error instanceof Error ? error.message : String(error)}. Allow microphone access, or upload a file instead.`;
      return;
    }
    this.#recording?.stop(false);
    this.#recording = recordStream(stream, {
      onSeconds: (seconds) => {
        this.recordedSeconds = seconds;
      },
      onStopped: () => {
        for (const track of stream.getTracks()) track.stop();
      },
      onRecorded: (chunks, type) => {
        this.#recording = undefined;
        void this.upload(new File(chunks, "recording.webm", { type: type || "audio/webm" }));
      },
    });
    this.recording = true;
  }

  /** Stops recording; `keep` uploads what was recorded. */
  private stopRecording(keep: boolean): void {
    this.recording = false;
    const recording = this.#recording;
    if (!keep) this.#recording = undefined;
    recording?.stop(keep);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-audio": ScAudio;
  }
}
