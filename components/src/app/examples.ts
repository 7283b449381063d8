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
 * Files show their name, and images a thumbnail; rows with a label show it instead of their values.
 * More rows than `samplesPerPage` are split into pages, with a button per page (Previous, the page
 * numbers, Next).
 *
 * @event sc-example-select - With `index`: the row picked (its index among all rows).
 *
 * @csspart table - The table.
 * @csspart row - Each example row.
 * @csspart pages - The page buttons.
 */
@customElement("sc-examples")
export class ScExamples extends ScElement {
  static override styles = [...ScElement.styles, examplesStyles];

  /** Column headings: the inputs' labels. */
  @property({ type: Array }) headers: string[] = [];
  /** Rows of wire values, one per input. */
  @property({ type: Array }) samples: unknown[][] = [];
  /** A label per row, shown instead of its values (one column). */
  @property({ type: Array }) labels: string[] | undefined;
  /** Rows per page. */
  @property({ type: Number }) samplesPerPage = 10;
  /** The page shown, from 0. */
  @property({ type: Number }) page = 0;

  /** How many pages the rows take. */
  get pageCount(): number {
    return Math.max(1, Math.ceil(this.samples.length / Math.max(1, this.samplesPerPage)));
  }

  override render() {
    const perPage = Math.max(1, this.samplesPerPage);
    const page = Math.min(Math.max(0, this.page), this.pageCount - 1);
    const first = page * perPage;
    const rows = this.samples.slice(first, first + perPage);
    const labels = this.labels;
    return html`<div class="wrap">
      <table part="table">
        <caption>${this.label || "Examples"}</caption>
        ${
          labels
            ? nothing
            : html`<thead><tr>${this.headers.map((header) => html`<th scope="col">${header}</th>`)}</tr></thead>`
        }
        <tbody>
          ${rows.map((row, offset) => {
            const index = first + offset;
            const cells = labels ? [labels[index] ?? ""] : row;
            const name = labels ? (labels[index] ?? "") : row.map(preview).join(", ");
            return html`<tr part="row" data-index=${index} @click=${() => this.pick(index)}>
              ${cells.map((value, column) =>
                column === 0
                  ? html`<td>
                      <button type="button" aria-label=${`Example ${index + 1}: ${name}`}>${cell(value)}</button>
                    </td>`
                  : html`<td>${cell(value)}</td>`,
              )}
            </tr>`;
          })}
        </tbody>
      </table>
      ${this.pageCount > 1 ? this.renderPages(page) : nothing}
    </div>`;
  }

  private renderPages(page: number) {
    const count = this.pageCount;
    return html`<nav part="pages" class="pages" aria-label=${`${this.label || "Examples"} pages`}>
      <button type="button" ?disabled=${page === 0} @click=${() => this.go(page - 1)}>Previous</button>
      ${Array.from(
        { length: count },
        (_, number) =>
          html`<button
            type="button"
            aria-label=${`Page ${number + 1}`}
            aria-current=${number === page ? "page" : "false"}
            @click=${() => this.go(number)}
          >${number + 1}</button>`,
      )}
      <button type="button" ?disabled=${page === count - 1} @click=${() => this.go(page + 1)}>Next</button>
    </nav>`;
  }

  private go(page: number): void {
    this.page = Math.min(Math.max(0, page), this.pageCount - 1);
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
