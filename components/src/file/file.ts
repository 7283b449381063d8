import { html, nothing } from "lit";
import { formatBytes } from "spacecraft/format";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { fileName, fileSrc } from "../base/file-url.js";
import { uploadStyles } from "../base/upload.styles.js";
import { ScUploadElement } from "../base/upload-element.js";
import { fileStyles } from "./file.styles.js";

/**
 * @summary A file. As an input: upload one (click, drop or paste), shown with its name and size;
 * as an output (`interactive` false): a download link. Names are always shown as text.
 *
 * @event input - When a file is uploaded or cleared.
 * @event change - Right after `input`.
 *
 * @csspart dropzone - The button that takes a file.
 * @csspart file - The file's name and size.
 * @csspart download - The download link (output).
 * @csspart progress - The upload progress bar.
 */
@customElement("sc-file")
export class ScFile extends ScUploadElement {
  static override styles = [...ScElement.styles, uploadStyles, fileStyles];

  /** Accepted types: MIME types, `image/*` or extensions like `.pdf` (default: any). */
  @property({ type: Array }) fileTypes: string[] = [];

  protected override get pickerAccept(): string {
    return [...this.fileTypes, ...this.accept].join(",");
  }

  override render() {
    const value = this.value;
    const size =
      typeof value?.size === "number" ? html`<span class="size">${formatBytes(value.size)}</span>` : nothing;
    if (!this.interactive) {
      const href = fileSrc(value);
      return html`${this.renderLabel(null)}
        ${
          value
            ? html`<div part="file" class="frame file">
                ${
                  href
                    ? html`<a part="download" class="name" href=${href} download=${fileName(value)}>${fileName(value)}</a>`
                    : html`<span class="name">${fileName(value)}</span>`
                }
                ${size}
              </div>`
            : html`<p class="empty">—</p>`
        }
        ${this.renderError()}`;
    }
    return html`${this.renderLabel()}${this.renderInfo()}
      ${this.renderTarget(html`
        ${this.renderDropZone(
          value
            ? html`<span part="file" class="file"><span class="name">${fileName(value)}</span> ${size}</span>
                <span>Click or drop to replace it</span>`
            : this.renderPrompt(),
        )}
        ${value ? html`<div class="toolbar">${this.renderClear("file")}</div>` : nothing}
        ${this.renderProgress()}
      `)}
      ${this.renderError()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-file": ScFile;
  }
}
