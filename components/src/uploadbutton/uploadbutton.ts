import { html, nothing } from "lit";
import type { FileData } from "spacecraft";
import { ScElement, ScInputElement } from "../base/base-element.js";
import { customElement, property, state } from "../base/decorators.js";
import { fileName } from "../base/file-url.js";
import { uploadFile } from "../base/upload.js";
import { buttonStyles } from "../button/button.styles.js";
import { uploadButtonStyles } from "./uploadbutton.styles.js";

/** The hidden file input's own events are not the element's. */
const stop = (event: Event) => event.stopPropagation();

/**
 * @summary A button (mouse, Enter or Space) that opens the file picker and uploads what is
 * chosen: one file, or several with `fileCount="multiple"`. Its `label` is its text.
 *
 * @event click - The visitor pressed it.
 * @event input - The files finished uploading.
 * @event change - Right after `input`.
 * @event sc-upload - After `change`: the event a Space wires its function to.
 *
 * @csspart button - The button.
 * @csspart files - The names of the uploaded files.
 */
@customElement("sc-uploadbutton")
export class ScUploadButton extends ScInputElement {
  static override styles = [...ScElement.styles, buttonStyles, uploadButtonStyles];

  /** The uploaded file, or files with `fileCount="multiple"` (`null` when none). */
  @property({ type: Object }) value: FileData | FileData[] | null = null;
  /** One file or several at once. */
  @property() fileCount: "single" | "multiple" = "single";
  /** Accepted types: MIME types, `image/*` or extensions like `.pdf`. */
  @property({ type: Array }) fileTypes: string[] = [];
  /** Its look. */
  @property({ reflect: true }) variant: "primary" | "secondary" | "stop" = "secondary";
  /** Its size. */
  @property({ reflect: true }) size: "sm" | "md" | "lg" = "md";
  /** Set while files are uploading. */
  @property({ type: Boolean, reflect: true }) uploading = false;

  @state() private activity = "";

  #pending: Promise<void> | undefined;

  /** Settles when the upload in progress (if any) has finished or failed. */
  get uploadComplete(): Promise<void> {
    return this.#pending ?? Promise.resolve();
  }

  override render() {
    const files = this.value === null ? [] : Array.isArray(this.value) ? this.value : [this.value];
    return html`<button
        part="button"
        type="button"
        class=${this.variant}
        id="control"
        ?disabled=${!this.interactive}
        aria-disabled=${this.uploading ? "true" : "false"}
        aria-describedby=${this.describedBy}
        @click=${this.openPicker}
      >
        ${this.label || "Upload a File"}
      </button>
      <input
        type="file"
        hidden
        tabindex="-1"
        ?multiple=${this.fileCount === "multiple"}
        accept=${this.fileTypes.join(",")}
        @click=${stop}
        @input=${stop}
        @change=${this.onPicked}
      />
      <div class="status" role="status" aria-live="polite">
        ${
          this.uploading
            ? html`${this.activity}…`
            : files.length > 0
              ? html`<span part="files">${files.map(fileName).join(", ")}</span>`
              : nothing
        }
      </div>
      ${this.renderError()}`;
  }

  /** Opens the file picker (not while uploading). */
  openPicker(): void {
    if (this.uploading || !this.interactive) return;
    this.renderRoot.querySelector<HTMLInputElement>('input[type="file"]')?.click();
  }

  /** Uploads `files` and makes them the value; a refusal becomes the element's `error`. */
  upload(files: File[]): Promise<void> {
    if (this.uploading) return this.uploadComplete;
    this.#pending = this.#upload(this.fileCount === "multiple" ? files : files.slice(0, 1));
    return this.#pending;
  }

  async #upload(files: File[]): Promise<void> {
    this.error = "";
    this.uploading = true;
    try {
      const uploaded: FileData[] = [];
      for (const file of files) {
        this.activity = `Uploading "${file.name}"`;
        uploaded.push(await uploadFile(file, file.name, { componentId: this.dataset.componentId }));
      }
      this.value = this.fileCount === "multiple" ? uploaded : (uploaded[0] ?? null);
      this.emit("input");
      this.emit("change");
      this.emit("sc-upload");
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.uploading = false;
      this.activity = "";
    }
  }

  private onPicked(event: Event): void {
    event.stopPropagation();
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = "";
    if (files.length > 0) void this.upload(files);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-uploadbutton": ScUploadButton;
  }
}
