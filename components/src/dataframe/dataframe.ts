import type { PropertyValues } from "lit";
import { html, nothing } from "lit";
import type { Cell, ColumnType, DataframeValue } from "spacecraft";
import type { Delimiter } from "spacecraft/table";
import { checkRectangular, guessCell, parseDelimited, TableShapeError, toDelimited } from "spacecraft/table";
import { ScElement, ScInputElement } from "../base/base-element.js";
import { customElement, property, state } from "../base/decorators.js";
import { SelectEvent } from "../base/select-event.js";
import { dataframeStyles } from "./dataframe.styles.js";

/** Height of a row in pixels: fixed, so the rows in view follow from the scroll position alone. */
const ROW_HEIGHT = 32;
/** Rows drawn above and below the visible ones, so a quick scroll shows no gap. */
const OVERSCAN = 8;

type SortOrder = "ascending" | "descending";

/** Compares two cells: empty last, numbers by value, anything else as text in the page's locale. */
function compareCells(a: Cell, b: Cell): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/** Spreadsheet column names: A … Z, AA … */
function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/**
 * Fired as `sc-select` when the visitor picks a cell (a click, or Enter on it): its `[row, column]`
 * in the value's own order, whatever the sort shown, with its value and those of its row and column.
 */
export class CellSelectEvent extends SelectEvent {
  constructor(
    /** The cell's `[row, column]`. */
    readonly cell: [number, number],
    value: Cell,
    /** The cells of its row. */
    readonly rowValue: Cell[],
    /** The cells of its column. */
    readonly columnValue: Cell[],
  ) {
    super(cell[0], value);
  }

  /** What the Space's `select` listener gets as `ctx.event`: Gradio's SelectData for a table. */
  override get eventData(): {
    index: [number, number];
    value: unknown;
    row_value: Cell[];
    col_value: Cell[];
    selected: boolean;
  } {
    return {
      index: this.cell,
      value: this.value,
      row_value: this.rowValue,
      col_value: this.columnValue,
      selected: true,
    };
  }
}

/**
 * @summary A table: sort by a header (click, Enter or Space), edit a cell (double-click, Enter or
 * typing; Enter commits, Escape cancels), paste a range from a spreadsheet, import and export
 * CSV/TSV. Only the rows in view are in the DOM, so 100,000 rows scroll smoothly.
 *
 * @event input - After an edit, a paste or an import.
 * @event change - When the value is committed.
 * @event sc-select - A cell picked (a click, or Enter on it): `eventData` is `{ index: [row, column], value, row_value, col_value, selected }`.
 *
 * @csspart label - The label.
 * @csspart toolbar - The import and export buttons.
 * @csspart grid - The scrolling table.
 * @csspart header - A column header.
 * @csspart cell - A cell.
 * @csspart error - The error message (a refused paste or file).
 *
 * @cssproperty --sc-color-surface - Background of the cells.
 * @cssproperty --sc-color-border - Lines between cells.
 */
@customElement("sc-dataframe")
export class ScDataframe extends ScInputElement {
  static override styles = [...ScElement.styles, dataframeStyles];

  /** The table: column names and rows (Gradio's `{ headers, data, metadata }`). */
  @property({ attribute: false }) value: DataframeValue = {
    headers: ["A", "B", "C"],
    data: [],
    metadata: null,
  };
  /** Column names when the value gives none. */
  @property({ attribute: false }) headers: string[] = ["A", "B", "C"];
  /** The type of every column, or one per column. */
  @property({ attribute: false }) datatype: ColumnType | ColumnType[] = "str";
  /** Highest the table grows, in pixels, before it scrolls. */
  @property({ type: Number }) maxHeight = 500;

  @state() private sortColumn: number | null = null;
  @state() private sortOrder: SortOrder = "ascending";
  @state() private firstRow = 0;
  @state() private viewRows = 20;
  /** The active cell, in displayed (sorted) rows. */
  @state() private active: { row: number; column: number } = { row: 0, column: 0 };
  @state() private editing = false;
  /** Displayed row → row of `value.data` (null: the value's own order). */
  #order: number[] | null = null;
  #sortedFor: unknown = null;

  /** Rows in the order they are shown (sorted by the header the visitor picked). */
  private get order(): number[] | null {
    if (this.sortColumn === null) return null;
    if (this.#sortedFor !== this.value || !this.#order) {
      const column = this.sortColumn;
      const sign = this.sortOrder === "ascending" ? 1 : -1;
      const data = this.value.data;
      this.#order = data
        .map((_, i) => i)
        .sort((a, b) => sign * compareCells(data[a]?.[column] ?? null, data[b]?.[column] ?? null) || a - b);
      this.#sortedFor = this.value;
    }
    return this.#order;
  }

  private dataRow(displayed: number): number {
    return this.order?.[displayed] ?? displayed;
  }

  private typeOf(column: number): ColumnType {
    return Array.isArray(this.datatype) ? (this.datatype[column] ?? "str") : this.datatype;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed as PropertyValues<this>);
    if (changed.has("sortColumn") || changed.has("sortOrder")) this.#order = null;
    if (changed.has("value")) {
      const last = Math.max(0, this.value.data.length - 1);
      if (this.active.row > last) this.active = { ...this.active, row: last };
    }
  }

  override render() {
    const { headers, data } = this.value;
    const columns = `repeat(${headers.length}, minmax(7rem, 1fr))`;
    const bodyHeight = data.length * ROW_HEIGHT;
    const height = Math.min(this.maxHeight, bodyHeight + ROW_HEIGHT + 2);
    const last = Math.min(data.length, this.firstRow + this.viewRows + 2 * OVERSCAN);
    const rows = [];
    for (let shown = this.firstRow; shown < last; shown++) rows.push(this.renderRow(shown, columns));
    return html`${this.renderLabel(null)}${this.renderInfo()}
      <div part="toolbar" class="toolbar">
        ${
          this.interactive
            ? html`<label class="button">Import CSV/TSV<input type="file" class="visually-hidden" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" @change=${this.onImport} /></label>`
            : nothing
        }
        <button type="button" class="button" @click=${() => this.download(",")}>Export CSV</button>
        <button type="button" class="button" @click=${() => this.download("\t")}>Export TSV</button>
        <span class="count">${data.length.toLocaleString()} row${data.length === 1 ? "" : "s"}</span>
      </div>
      <div
        part="grid"
        class="grid"
        role="grid"
        aria-label=${this.label || "Table"}
        aria-rowcount=${data.length + 1}
        aria-colcount=${headers.length}
        aria-describedby=${this.describedBy || nothing}
        style="height: ${height}px"
        @scroll=${this.onScroll}
        @keydown=${this.onKeyDown}
        @paste=${this.onPaste}
      >
        <div class="row head" role="row" aria-rowindex="1" style="grid-template-columns: ${columns}">
          ${headers.map((name, column) => this.renderHeader(name, column))}
        </div>
        <div class="body" role="rowgroup" style="height: ${bodyHeight}px">${rows}</div>
      </div>
      ${this.renderError()}`;
  }

  private renderHeader(name: string, column: number) {
    const sorted = this.sortColumn === column ? this.sortOrder : "none";
    const arrow = sorted === "ascending" ? "▲" : sorted === "descending" ? "▼" : "";
    return html`<div part="header" class="header" role="columnheader" aria-colindex=${column + 1} aria-sort=${sorted}>
      <button type="button" class="sort" title="Sort by ${name}" @click=${() => this.sortBy(column)}>
        <span class="name">${name}</span><span class="arrow" aria-hidden="true">${arrow}</span>
      </button>
    </div>`;
  }

  private renderRow(shown: number, columns: string) {
    const row = this.value.data[this.dataRow(shown)] ?? [];
    return html`<div
      class="row"
      role="row"
      aria-rowindex=${shown + 2}
      style="top: ${shown * ROW_HEIGHT}px; grid-template-columns: ${columns}"
    >
      ${row.map((cell, column) => this.renderCell(shown, column, cell))}
    </div>`;
  }

  private renderCell(shown: number, column: number, cell: Cell) {
    const active = this.active.row === shown && this.active.column === column;
    const type = this.typeOf(column);
    if (active && this.editing) {
      return html`<div part="cell" class="cell editing" role="gridcell" aria-colindex=${column + 1}>
        <input
          class="editor"
          aria-label="Edit ${this.value.headers[column]}, row ${shown + 1}"
          .value=${cell === null ? "" : String(cell)}
          @keydown=${this.onEditorKey}
          @blur=${this.onEditorBlur}
        />
      </div>`;
    }
    const text = cell === null ? "" : type === "bool" ? (cell ? "✓" : "✗") : String(cell);
    return html`<div
      part="cell"
      class="cell ${type === "number" ? "number" : ""}"
      role="gridcell"
      aria-colindex=${column + 1}
      aria-selected=${active ? "true" : "false"}
      tabindex=${active ? 0 : -1}
      title=${text}
      @click=${() => this.pick(shown, column)}
      @dblclick=${() => this.startEdit(shown, column)}
    >${text}</div>`;
  }

  protected override firstUpdated(): void {
    const grid = this.renderRoot.querySelector(".grid") as HTMLElement | null;
    if (!grid) return;
    const measure = () => {
      this.viewRows = Math.ceil(grid.clientHeight / ROW_HEIGHT) + 1;
    };
    new ResizeObserver(measure).observe(grid);
    measure();
  }

  private onScroll(event: Event): void {
    const grid = event.currentTarget as HTMLElement;
    const first = Math.max(0, Math.floor(grid.scrollTop / ROW_HEIGHT) - OVERSCAN);
    if (first !== this.firstRow) this.firstRow = first;
  }

  /** Sorts by a column: ascending, then descending, then the value's own order. */
  private sortBy(column: number): void {
    if (this.sortColumn !== column) {
      this.sortColumn = column;
      this.sortOrder = "ascending";
    } else if (this.sortOrder === "ascending") this.sortOrder = "descending";
    else this.sortColumn = null;
  }

  private activate(row: number, column: number, focus = false): void {
    const rows = this.value.data.length;
    const columns = this.value.headers.length;
    if (rows === 0 || columns === 0) return;
    this.active = {
      row: Math.min(Math.max(row, 0), rows - 1),
      column: Math.min(Math.max(column, 0), columns - 1),
    };
    if (!focus) return;
    const grid = this.renderRoot.querySelector(".grid") as HTMLElement;
    const top = this.active.row * ROW_HEIGHT;
    const bottom = top + 2 * ROW_HEIGHT;
    if (top < grid.scrollTop) grid.scrollTop = top;
    else if (bottom > grid.scrollTop + grid.clientHeight) grid.scrollTop = bottom - grid.clientHeight;
    this.firstRow = Math.max(0, Math.floor(grid.scrollTop / ROW_HEIGHT) - OVERSCAN);
    void this.updateComplete.then(() =>
      (this.renderRoot.querySelector('.cell[tabindex="0"]') as HTMLElement | null)?.focus(),
    );
  }

  /** A click on a cell: makes it the active one and tells the Space it was picked. */
  private pick(row: number, column: number): void {
    this.activate(row, column);
    this.select(row, column);
  }

  /** Fires `sc-select` for the cell shown at `row` (a displayed row) and `column`. */
  private select(row: number, column: number): void {
    const data = this.value.data;
    const index = this.dataRow(row);
    const cells = data[index];
    if (!cells || column >= cells.length) return;
    const columnValue = data.map((cellsOfRow) => cellsOfRow[column] ?? null);
    this.dispatchEvent(new CellSelectEvent([index, column], cells[column] ?? null, [...cells], columnValue));
  }

  private startEdit(row: number, column: number): void {
    if (!this.interactive) return;
    this.activate(row, column);
    this.editing = true;
    void this.updateComplete.then(() => {
      const editor = this.renderRoot.querySelector(".editor") as HTMLInputElement | null;
      editor?.focus();
      editor?.select();
    });
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (this.editing || (event.target as HTMLElement).closest(".toolbar, .sort")) return;
    const { row, column } = this.active;
    const page = Math.max(1, this.viewRows - 1);
    const moves: Record<string, [number, number]> = {
      ArrowUp: [row - 1, column],
      ArrowDown: [row + 1, column],
      ArrowLeft: [row, column - 1],
      ArrowRight: [row, column + 1],
      PageUp: [row - page, column],
      PageDown: [row + page, column],
      Home: event.ctrlKey ? [0, 0] : [row, 0],
      End: event.ctrlKey ? [this.value.data.length - 1, column] : [row, this.value.headers.length - 1],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      this.activate(move[0], move[1], true);
    } else if (event.key === "Enter" || event.key === "F2") {
      event.preventDefault();
      if (event.key === "Enter") this.select(row, column);
      this.startEdit(row, column);
    }
  }

  private onEditorKey(event: KeyboardEvent): void {
    event.stopPropagation();
    if (event.key === "Enter") {
      event.preventDefault();
      this.commitEdit(event.currentTarget as HTMLInputElement);
      this.activate(this.active.row + 1, this.active.column, true);
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.editing = false;
      this.activate(this.active.row, this.active.column, true);
    }
  }

  private onEditorBlur(event: FocusEvent): void {
    if (this.editing) this.commitEdit(event.currentTarget as HTMLInputElement);
  }

  private commitEdit(editor: HTMLInputElement): void {
    this.editing = false;
    const { row, column } = this.active;
    this.writeCells(this.dataRow(row), column, [[editor.value]]);
  }

  /** A cell's text read as its column's type. */
  private readCell(text: string, column: number): Cell {
    const type = this.typeOf(column);
    if (type === "str") return text;
    const guessed = guessCell(text);
    if (type === "bool")
      return guessed === null ? null : guessed === true || guessed === 1 || /^(yes|y|✓)$/i.test(text.trim());
    return guessed;
  }

  /** Writes a block of texts with its top-left at `row`, `column` of `value.data`, growing the table. */
  private writeCells(row: number, column: number, block: string[][]): void {
    const headers = [...this.value.headers];
    const width = Math.max(headers.length, column + (block[0]?.length ?? 0));
    for (let i = headers.length; i < width; i++) headers.push(columnName(i));
    const data = this.value.data.slice();
    for (let r = 0; r < block.length; r++) {
      const target = row + r;
      const cells = (data[target] ?? []).slice();
      while (cells.length < width) cells.push(null);
      block[r]?.forEach((text, c) => {
        cells[column + c] = this.readCell(text, column + c);
      });
      data[target] = cells;
    }
    for (const [r, cells] of data.entries()) {
      if (cells.length < width) data[r] = [...cells, ...Array<Cell>(width - cells.length).fill(null)];
    }
    this.setValue({ headers, data, metadata: this.value.metadata ?? null });
  }

  private setValue(value: DataframeValue): void {
    this.error = "";
    this.value = value;
    this.emit("input");
    this.emit("change");
  }

  private onPaste(event: ClipboardEvent): void {
    if (!this.interactive || this.editing) return;
    const text = event.clipboardData?.getData("text/plain") ?? "";
    if (!text) return;
    event.preventDefault();
    this.pasteText(text);
  }

  /**
   * Pastes a range copied from a spreadsheet (tab-separated; comma-separated when no line has a
   * tab) at the active cell; a range with ragged rows is refused, naming the row.
   */
  pasteText(text: string): void {
    const delimiter: Delimiter = text.includes("\t") || !text.includes(",") ? "\t" : ",";
    try {
      const block = parseDelimited(text, delimiter);
      checkRectangular(block, block[0]?.length ?? 0);
      const start = this.value.data.length === 0 ? 0 : this.dataRow(this.active.row);
      this.writeCells(start, this.value.data.length === 0 ? 0 : this.active.column, block);
    } catch (error) {
      if (!(error instanceof TableShapeError)) throw error;
      this.error = `Paste refused: ${error.message.replace(/^Row (\d+)/, "row $1 of the pasted range")}`;
    }
  }

  private async onImport(event: Event): Promise<void> {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    const text = await file.text();
    const firstLine = text.slice(0, text.indexOf("\n") >>> 0);
    const delimiter: Delimiter = /\.tsv$/i.test(file.name) || firstLine.includes("\t") ? "\t" : ",";
    try {
      const [head = [], ...body] = parseDelimited(text, delimiter);
      checkRectangular(body, head.length, 2);
      this.sortColumn = null;
      this.setValue({
        headers: head,
        data: body.map((row) => row.map((cell, column) => this.readCell(cell, column))),
        metadata: null,
      });
    } catch (error) {
      if (!(error instanceof TableShapeError)) throw error;
      this.error = `${file.name} was not imported: ${error.message}`;
    }
  }

  /** The table as CSV (`,`) or TSV (tab), headers first, rows in the order shown. */
  toText(delimiter: Delimiter): string {
    const rows = this.value.data.map((_, shown) => this.value.data[this.dataRow(shown)] ?? []);
    return toDelimited([this.value.headers, ...rows], delimiter);
  }

  private download(delimiter: Delimiter): void {
    const csv = delimiter === ",";
    const blob = new Blob([this.toText(delimiter)], { type: csv ? "text/csv" : "text/tab-separated-values" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `${this.label || "table"}.${csv ? "csv" : "tsv"}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-dataframe": ScDataframe;
  }
}
