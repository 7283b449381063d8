/**
 * Tables as text: CSV and TSV read and written (RFC 4180 quoting), and the one check that a table
 * is rectangular. Shared by the Dataframe spec (server, worker) and `<sc-dataframe>` (paste,
 * import, export), so both refuse the same ragged rows with the same words.
 */

/** A table cell: text, a number, a boolean, or empty. */
export type Cell = string | number | boolean | null;

/** The separator of a delimited text: `,` for CSV, a tab for TSV. */
export type Delimiter = "," | "\t";

/** Why a text or a table is not a rectangular table; `row` counts from 1 (the header is row 1 of a file). */
export class TableShapeError extends Error {
  constructor(
    message: string,
    /** The 1-based row that is wrong. */
    readonly row: number,
  ) {
    super(message);
    this.name = "TableShapeError";
  }
}

/**
 * Splits delimited text into rows of strings. Quoted fields (`"a,b"`, `"say ""hi"""`, line breaks
 * inside quotes) are read as RFC 4180 says; `\r\n` and `\n` both end a row; a final line break
 * adds no empty row. An unclosed quote throws, naming the row it opened on.
 * @example parseDelimited('a,b\n1,"x, y"\n', ",") // [["a", "b"], ["1", "x, y"]]
 */
export function parseDelimited(text: string, delimiter: Delimiter): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let quoteRow = 0;
  let i = 0;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (i < input.length) {
    const char = input[i];
    if (quoted) {
      if (char === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += char;
      i++;
      continue;
    }
    if (char === '"' && field === "") {
      quoted = true;
      quoteRow = rows.length + 1;
    } else if (char === delimiter) {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      if (char === "\r" && input[i + 1] === "\n") i++;
    } else field += char;
    i++;
  }
  if (quoted) {
    throw new TableShapeError(
      `Row ${quoteRow} opens a quoted field that never closes; add the closing quote (") and try again.`,
      quoteRow,
    );
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Quotes a field when it holds the delimiter, a quote or a line break. */
function quoteField(value: Cell, delimiter: Delimiter): string {
  const text = value === null ? "" : String(value);
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Writes rows as delimited text (`\r\n` between rows, as RFC 4180 says), quoting what needs it.
 * A text cell that starts with `=`, `+`, `-` or `@` gets a leading `'`, so a spreadsheet opening
 * the file shows it instead of running it as a formula.
 */
export function toDelimited(rows: readonly (readonly Cell[])[], delimiter: Delimiter): string {
  return rows
    .map((row) =>
      row
        .map((cell) =>
          quoteField(typeof cell === "string" && /^[=+\-@]/.test(cell) ? `'${cell}` : cell, delimiter),
        )
        .join(delimiter),
    )
    .join("\r\n");
}

/**
 * Throws a {@link TableShapeError} naming the first row whose length is not `width`;
 * `firstRow` is the number of `rows[0]` in what the user sees (2 when a header came first).
 */
export function checkRectangular(rows: readonly (readonly unknown[])[], width: number, firstRow = 1): void {
  for (let i = 0; i < rows.length; i++) {
    const length = rows[i]?.length ?? 0;
    if (length !== width) {
      const row = i + firstRow;
      throw new TableShapeError(
        `Row ${row} has ${length} cell${length === 1 ? "" : "s"} but the table has ${width} columns; ` +
          "give every row the same number of cells.",
        row,
      );
    }
  }
}

/** Reads a cell typed as text: a number when the whole text is one, `true`/`false`, "" as null. */
export function guessCell(text: string): Cell {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  if (trimmed === "true" || trimmed === "false") return trimmed === "true";
  const number = Number(trimmed);
  return Number.isFinite(number) && /^[-+]?(\d|\.\d)/.test(trimmed) ? number : text;
}
