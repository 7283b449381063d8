import { html } from "lit";
import type { FileData } from "spacecraft";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { fileName, fileSrc } from "../base/file-url.js";
import { buttonStyles } from "../button/button.styles.js";
import { downloadButtonStyles } from "./downloadbutton.styles.js";

/**
 * @summary A button that downloads its file (a link with `download`); its `label` is its text.
 * Without a file it is disabled.
 *
 * @event click - The visitor pressed it (mouse, Enter).
 *
 * @csspart button - The link, drawn as a button (or a disabled button without a file).
 */
@customElement("sc-downloadbutton")
export class ScDownloadButton extends ScElement {
  static override styles = [...ScElement.styles, buttonStyles, downloadButtonStyles];

  /** The file to download (`null`: nothing yet). */
  @property({ type: Object }) value: FileData | null = null;
  /** Its look. */
  @property({ reflect: true }) variant: "primary" | "secondary" | "stop" = "secondary";
  /** Its size. */
  @property({ reflect: true }) size: "sm" | "md" | "lg" = "md";

  override render() {
    const href = fileSrc(this.value);
    const text = this.label || "Download";
    return href && this.value
      ? html`<a
            part="button"
            class=${`button ${this.variant}`}
            id="control"
            href=${href}
            download=${fileName(this.value)}
            title=${fileName(this.value)}
            >${text}</a
          >${this.renderError()}`
      : html`<button part="button" type="button" class=${this.variant} id="control" disabled>${text}</button
          >${this.renderError()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-downloadbutton": ScDownloadButton;
  }
}
