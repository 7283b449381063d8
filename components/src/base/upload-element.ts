import type { TemplateResult } from "lit";
import { html, isServer, nothing } from "lit";
import type { FileData } from "spacecraft";
import { ScElement, ScInputElement } from "./base-element.js";
import { property, state } from "./decorators.js";
import { uploadFile } from "./upload.js";
import { uploadStyles } from "./upload.styles.js";

/**
 * The base of elements whose value is a file (`<sc-image>`, `<sc-audio>`, `<sc-file>`): a drop
 * zone that is a button (click, Enter or Space opens the file picker), drag and drop, paste,
 * upload with progress, and the server's refusal shown as the element's `error`.
 *
 * The upload goes to `gradio_api/upload` beside the page, with `?component=` from the
 * `data-component-id` attribute that `<sc-app>` sets, so the server checks the accepted types.
 *
 * @event input - When an upload finishes or the file is cleared.
 * @event change - Right after `input`: the new value is committed.
 * @event sc-upload - After `change`, when a file finished uploading.
 * @event sc-clear - After `change`, when the user cleared the file.
 *
 * @csspart dropzone - The button that takes a file.
 * @csspart progress - The upload progress bar.
 */
export class ScUploadElement<V = FileData> extends ScInputElement {
  static override styles = [...ScElement.styles, uploadStyles];

  /** The file, as FileData (`null` when empty); `V` when the value wraps it (a Video's). */
  @property({ type: Object }) value: V | null = null;
  /** Accepted MIME types (`image/png`, `audio/*`) or extensions (`.pdf`), as in the picker. */
  @property({ type: Array }) accept: string[] = [];
  /** Set while a file is dragged over the element. */
  @property({ type: Boolean, reflect: true }) dragging = false;
  /** Set while a file is being prepared or uploaded. */
  @property({ type: Boolean, reflect: true }) uploading = false;

  /** What is happening to the file, e.g. `Uploading "cat.png"`. */
  @state() protected activity = "";
  /** Fraction uploaded, while uploading. */
  @state() protected progress: number | undefined;

  /** What the drop zone asks for, e.g. "an image". */
  protected get noun(): string {
    return "a file";
  }

  /** Whether pasting a file into the element uploads it. */
  protected get acceptsPaste(): boolean {
    return true;
  }

  /** The `accept` attribute of the file picker. */
  protected get pickerAccept(): string {
    return this.accept.join(",");
  }

  /** The value an uploaded file makes (the FileData itself, unless the value wraps it). */
  protected toValue(file: FileData): V {
    return file as V;
  }

  /** Turns a picked file into the one to upload (e.g. Audio converts to WAV). */
  protected async prepare(file: File): Promise<File> {
    return file;
  }

  #pending: Promise<void> | undefined;

  /** Settles when the upload in progress (if any) has finished or failed. */
  get uploadComplete(): Promise<void> {
    return this.#pending ?? Promise.resolve();
  }

  /** Uploads `file` and makes it the value; a refusal becomes the element's `error`. */
  upload(file: File): Promise<void> {
    if (this.uploading) return this.uploadComplete;
    this.#pending = this.#upload(file);
    return this.#pending;
  }

  async #upload(file: File): Promise<void> {
    this.error = "";
    this.uploading = true;
    try {
      this.activity = `Reading "${file.name}"`;
      const prepared = await this.prepare(file);
      this.activity = `Uploading "${prepared.name}"`;
      this.progress = 0;
      const uploaded = await uploadFile(prepared, prepared.name, {
        componentId: this.dataset.componentId,
        onProgress: (fraction) => {
          this.progress = fraction;
        },
      });
      this.value = this.toValue(uploaded);
      this.emit("input");
      this.emit("change");
      this.emit("sc-upload");
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.uploading = false;
      this.activity = "";
      this.progress = undefined;
    }
  }

  /** Empties the element. */
  clear(): void {
    this.value = null;
    this.error = "";
    this.emit("input");
    this.emit("change");
    this.emit("sc-clear");
  }

  /** Opens the file picker. */
  openPicker(): void {
    if (this.uploading) return;
    this.renderRoot.querySelector<HTMLInputElement>('input[type="file"]')?.click();
  }

  /**
   * The drop zone around `content`: the focusable button (id `control`, so the label names it)
   * and the hidden file input it opens. Drawn on the server, the zone is a `<label>` around the
   * input: a click opens the browser's picker before any script runs, and the page's first
   * script hands the files picked to the live element.
   */
  protected renderDropZone(content: unknown): TemplateResult {
    if (isServer)
      return html`<label part="dropzone" class="dropzone" id="control" aria-describedby=${this.describedBy}>
        ${content}<input type="file" hidden tabindex="-1" accept=${this.pickerAccept} />
      </label>`;
    return html`<button
        type="button"
        part="dropzone"
        class="dropzone"
        id="control"
        aria-disabled=${this.uploading ? "true" : "false"}
        aria-invalid=${this.error ? "true" : "false"}
        aria-describedby=${this.describedBy}
        @click=${this.openPicker}
      >
        ${content}
      </button>
      <input type="file" hidden tabindex="-1" accept=${this.pickerAccept} @change=${this.onPicked} />`;
  }

  /** The default drop zone text. */
  protected renderPrompt(): TemplateResult {
    return html`<strong>Drop ${this.noun} here</strong>
      <span>or click to choose${this.acceptsPaste ? ", or paste" : ""}</span>`;
  }

  /** Wraps the element's body with the drag, drop and paste handlers. */
  protected renderTarget(body: unknown): TemplateResult {
    return html`<div
      class="target"
      @dragenter=${this.onDragOver}
      @dragover=${this.onDragOver}
      @dragleave=${this.onDragLeave}
      @drop=${this.onDrop}
      @paste=${this.onPaste}
    >
      ${body}
    </div>`;
  }

  /** What is happening to the file, with a progress bar while it uploads. */
  protected renderProgress(): TemplateResult | typeof nothing {
    if (!this.uploading) return nothing;
    const percent = this.progress === undefined ? "" : ` ${Math.round(this.progress * 100)}%`;
    return html`<div class="progress" role="status" aria-live="polite">
      <span>${this.activity}…${percent}</span>
      ${
        this.progress === undefined
          ? nothing
          : html`<progress part="progress" max="1" .value=${this.progress} aria-label="Upload"></progress>`
      }
    </div>`;
  }

  /** A "Clear" button. */
  protected renderClear(what: string): TemplateResult {
    return html`<button type="button" class="tool" aria-label=${`Clear ${what}`} @click=${this.clear}>
      Clear
    </button>`;
  }

  private onPicked(event: Event): void {
    event.stopPropagation();
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (file) void this.upload(file);
  }

  private onDragOver(event: DragEvent): void {
    if (!this.interactive || !event.dataTransfer?.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    this.dragging = true;
  }

  private onDragLeave(event: DragEvent): void {
    const to = event.relatedTarget as Node | null;
    if (!to || !this.renderRoot.contains(to)) this.dragging = false;
  }

  private onDrop(event: DragEvent): void {
    this.dragging = false;
    const file = event.dataTransfer?.files[0];
    if (!this.interactive || !file) return;
    event.preventDefault();
    void this.upload(file);
  }

  private onPaste(event: ClipboardEvent): void {
    if (!this.interactive || !this.acceptsPaste) return;
    const file = event.clipboardData?.files[0];
    if (!file) return;
    event.preventDefault();
    void this.upload(file);
  }
}
