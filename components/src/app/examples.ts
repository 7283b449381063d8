import { html, nothing } from "lit";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { fileName, fileSrc, isFileData } from "../base/file-url.js";
import { examplesStyles } from "./examples.styles.js";

/** Fired by `<sc-examples>` when the user picks a row. */
export class ExampleSelectEvent extends Event {
  constructor(readonly index: number) {
    super("sc-example-select", { bubbles: true, composed: true });
  }
}

/** A wire value as one line of text for the table. */
function preview(value: unknown): string {
  if (typeof value === "string") return value.length > 80 ? `${value.slice(0, 77)}…` : value;
  if (typeof value === "boolean") return value ? "✓" : "✗";
  if (isFileData(value)) return fileName(value);
  if (Array.isArray(value)) return value.map(preview).join(", ");
  const { text, files } = (value ?? {}) as { text?: unknown; files?: unknown };
  // A multimodal message: its text, then its files' names.
  if (typeof text === "string" && Array.isArray(files))
    return [text, ...files.map(preview)].filter(Boolean).join(" · ");
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** A cell of the table: the value as text, with a thumbnail for an image file. */
function cell(value: unknown) {
  if (!isFileData(value)) return preview(value);
  const src = fileSrc(value);
  const image =
    /^image\//.test(value.mime_type ?? "") || /\.(png|jpe?g|gif|webp|bmp)$/i.test(fileName(value));
  return html`<span class="file">
    ${src && image ? html`<img class="thumb" src=${src} alt="" loading="lazy" />` : nothing}
    <span class="name">${fileName(value)}</span>
  </span>`;
}

/**
 * @summary A table of example inputs; picking a row (click, or Enter on its button) fills the inputs.
 * Files show their name, and images a thumbnail.
 *
 * @event sc-example-select - With `index`: the row picked.
 *
 * @csspart table - The table.
 * @csspart row - Each example row.
 */
@customElement("sc-examples")
export class ScExamples extends ScElement {
  static override styles = [...ScElement.styles, examplesStyles];

  /** Column headings: the inputs' labels. */
  @property({ type: Array }) headers: string[] = [];
  /** Rows of wire values, one per input. */
  @property({ type: Array }) samples: unknown[][] = [];

  override render() {
    return html`<div class="wrap">
      <table part="table">
        <caption>${this.label || "Examples"}</caption>
        <thead><tr>${this.headers.map((header) => html`<th scope="col">${header}</th>`)}</tr></thead>
        <tbody>
          ${this.samples.map(
            (row, index) => html`<tr part="row" @click=${() => this.pick(index)}>
              ${row.map((value, column) =>
                column === 0
                  ? html`<td>
                      <button type="button" aria-label=${`Example ${index + 1}: ${row.map(preview).join(", ")}`}>
                        ${cell(value)}
                      </button>
                    </td>`
                  : html`<td>${cell(value)}</td>`,
              )}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private pick(index: number): void {
    this.dispatchEvent(new ExampleSelectEvent(index));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-examples": ScExamples;
  }
  interface GlobalEventHandlersEventMap {
    "sc-example-select": ExampleSelectEvent;
  }
}
