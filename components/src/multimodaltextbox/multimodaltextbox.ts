import type { PropertyValues } from "lit";
import { html, nothing } from "lit";
import type { FileData, MultimodalValue } from "spacecraft";
import { ScElement, ScInputElement } from "../base/base-element.js";
import { customElement, property, state } from "../base/decorators.js";
import { fileName, fileSrc } from "../base/file-url.js";
import { uploadFile } from "../base/upload.js";
import { fileKind, filesStyles, renderFiles } from "../chatbot/files.js";
import { multimodaltextboxStyles } from "./multimodaltextbox.styles.js";

/** An upload in progress: its name and the fraction sent. */
interface PendingUpload {
  name: string;
  progress: number;
}

/**
 * @summary A text box that takes files: type, attach (the paperclip button), paste or drop
 * images and files; each attachment shows as a chip (a thumbnail for an image, else its name)
 * with a button that removes it. Enter sends (`sc-submit`), Shift+Enter starts a new line. Its
 * value is `{ text, files }`, each file the FileData its upload returned.
 *
 * @event input - While the user types, and when an attachment is added or removed.
 * @event change - When the text is committed (blur) or the attachments change.
 * @event sc-submit - Enter without Shift, or the send button.
 *
 * @csspart label - The label.
 * @csspart box - The frame around the chips, the text and the buttons.
 * @csspart control - The `<textarea>`.
 * @csspart attach - The button that opens the file picker.
 * @csspart submit - The send button (`submitButton`).
 * @csspart chips - The list of attachments.
 * @csspart chip - One attachment.
 * @csspart progress - The upload progress line.
 * @csspart error - The error message.
 */
@customElement("sc-multimodaltextbox")
export class ScMultimodaltextbox extends ScInputElement {
  static override styles = [...ScElement.styles, filesStyles, multimodaltextboxStyles];

  /** The text and the uploaded files. */
  @property({ attribute: false }) value: MultimodalValue | null = { text: "", files: [] };
  /** Visible lines of the box. */
  @property({ type: Number }) lines = 1;
  /** Lines the box grows to before it scrolls. */
  @property({ type: Number }) maxLines = 20;
  /** Hint shown while the box is empty. */
  @property() placeholder = "";
  /** Longest text accepted. */
  @property({ type: Number }) maxLength: number | undefined;
  /** Accepted file types: MIME types, `image/*` or extensions like `.pdf` (default: any). */
  @property({ type: Array }) fileTypes: string[] = [];
  /** One attachment (a new one replaces it) or several. */
  @property() fileCount: "single" | "multiple" = "multiple";
  /** Most attachments at once. */
  @property({ type: Number }) maxFiles = 10;
  /** Show a send button. */
  @property({ type: Boolean }) submitButton = true;
  /** Set while a file is dragged over the box. */
  @property({ type: Boolean, reflect: true }) dragging = false;

  @state() private pending: PendingUpload[] = [];
  #uploads = new Set<Promise<void>>();

  /** Whether a file is still uploading (`<sc-app>` waits for it before sending). */
  get uploading(): boolean {
    return this.#uploads.size > 0;
  }

  /** Settles when every upload in progress has finished or failed. */
  get uploadComplete(): Promise<void> {
    return Promise.all([...this.#uploads]).then(() => undefined);
  }

  get #text(): string {
    return this.value?.text ?? "";
  }

  get #files(): FileData[] {
    return this.value?.files ?? [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // A result may set a bare string (as Gradio allows) or nothing.
    if (changed.has("value") && (this.value === null || typeof this.value === "string"))
      this.value = { text: (this.value as string | null) ?? "", files: [] };
  }

  /** Uploads files and attaches them; a refusal becomes the element's `error`. */
  attach(files: readonly File[]): Promise<void> {
    if (files.length === 0) return Promise.resolve();
    this.error = "";
    const single = this.fileCount === "single";
    const chosen = single ? files.slice(0, 1) : files;
    const room = single ? 1 : this.maxFiles - this.#files.length - this.pending.length;
    if (chosen.length > room) {
      this.error = `You can attach at most ${this.maxFiles} files: remove one first.`;
      return Promise.resolve();
    }
    const done = Promise.all(chosen.map((file) => this.#upload(file))).then((uploaded) => {
      // Attached in the order chosen, once all are up; a refused one is left out.
      const added = uploaded.filter((file): file is FileData => file !== undefined);
      if (added.length === 0) return;
      this.value = { text: this.#text, files: single ? added : [...this.#files, ...added] };
      this.emit("input");
      this.emit("change");
    });
    this.#uploads.add(done);
    return done.finally(() => this.#uploads.delete(done));
  }

  async #upload(file: File): Promise<FileData | undefined> {
    const entry: PendingUpload = { name: file.name || "file", progress: 0 };
    this.pending = [...this.pending, entry];
    try {
      return await uploadFile(file, entry.name, {
        componentId: this.dataset.componentId,
        onProgress: (fraction) => {
          entry.progress = fraction;
          this.pending = [...this.pending];
        },
      });
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return undefined;
    } finally {
      this.pending = this.pending.filter((other) => other !== entry);
    }
  }

  /** Removes the attachment at `index`. */
  removeFile(index: number): void {
    this.value = { text: this.#text, files: this.#files.filter((_, i) => i !== index) };
    this.error = "";
    this.emit("input");
    this.emit("change");
    this.renderRoot.querySelector<HTMLTextAreaElement>("textarea")?.focus();
  }

  /** Opens the file picker. */
  openPicker(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type="file"]')?.click();
  }

  override render() {
    const text = this.#text;
    const files = this.#files;
    const rows = Math.min(Math.max(this.lines, text.split("\n").length), this.maxLines);
    if (!this.interactive) {
      return html`${this.renderLabel(null)}
        <div part="box" class="box readonly">
          ${text ? html`<div class="text">${text}</div>` : nothing}${renderFiles(files)}
          ${!text && files.length === 0 ? html`<p class="empty">—</p>` : nothing}
        </div>
        ${this.renderError()}`;
    }
    const multiple = this.fileCount === "multiple";
    return html`${this.renderLabel()}${this.renderInfo()}
      <div
        part="box"
        class="box"
        @dragenter=${this.onDragOver}
        @dragover=${this.onDragOver}
        @dragleave=${this.onDragLeave}
        @drop=${this.onDrop}
      >
        ${
          files.length > 0
            ? html`<ul part="chips" class="chips" aria-label="Attachments">
                ${files.map((file, index) => this.renderChip(file, index))}
              </ul>`
            : nothing
        }
        <div class="row">
          <button
            type="button"
            part="attach"
            class="icon attach"
            aria-label=${multiple ? "Attach files" : "Attach a file"}
            title=${multiple ? "Attach files" : "Attach a file"}
            @click=${this.openPicker}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5" /></svg>
          </button>
          <textarea
            part="control"
            class="control"
            id="control"
            rows=${rows}
            placeholder=${this.placeholder}
            maxlength=${this.maxLength ?? nothing}
            aria-invalid=${this.error ? "true" : "false"}
            aria-describedby=${this.describedBy}
            .value=${text}
            @input=${this.onInput}
            @change=${this.relay}
            @keydown=${this.onKeydown}
            @paste=${this.onPaste}
          ></textarea>
          ${
            this.submitButton
              ? html`<button type="button" part="submit" class="icon submit" aria-label="Send" title="Send" @click=${this.onSubmit}>
                  <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 12h14M12 5l7 7-7 7" /></svg>
                </button>`
              : nothing
          }
        </div>
        <input
          type="file"
          hidden
          tabindex="-1"
          accept=${this.fileTypes.join(",")}
          ?multiple=${multiple}
          @change=${this.onPicked}
        />
        ${this.renderPending()}
      </div>
      ${this.renderError()}`;
  }

  private renderChip(file: FileData, index: number) {
    const name = fileName(file);
    const src = fileSrc(file);
    return html`<li part="chip" class="chip">
      ${
        fileKind(file) === "image" && src
          ? html`<img class="thumb" src=${src} alt=${name} />`
          : html`<span class="name">${name}</span>`
      }
      <button type="button" class="remove" aria-label=${`Remove ${name}`} title=${`Remove ${name}`} @click=${() => this.removeFile(index)}>×</button>
    </li>`;
  }

  private renderPending() {
    if (this.pending.length === 0) return nothing;
    return html`<div part="progress" class="progress" role="status" aria-live="polite">
      ${this.pending.map(
        (upload) =>
          html`<span>Uploading "${upload.name}"… ${Math.round(upload.progress * 100)}%</span>
            <progress max="1" .value=${upload.progress} aria-label=${`Upload of ${upload.name}`}></progress>`,
      )}
    </div>`;
  }

  private onInput(event: Event): void {
    this.value = { text: (event.target as HTMLTextAreaElement).value, files: this.#files };
    this.relay(event);
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.ctrlKey || event.metaKey)
      return;
    event.preventDefault();
    this.onSubmit();
  }

  private onSubmit(): void {
    this.emit("sc-submit");
  }

  private onPicked(event: Event): void {
    event.stopPropagation();
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = "";
    void this.attach(files);
  }

  private onPaste(event: ClipboardEvent): void {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    void this.attach(files);
  }

  private onDragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes("Files")) return;
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
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    void this.attach(files);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-multimodaltextbox": ScMultimodaltextbox;
  }
}
