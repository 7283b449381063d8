import type { DataframeSelectData } from "../event-data.js";
import type { Listener, Listeners } from "../events.js";
import type { Schema } from "../schema.js";
import { v } from "../schema.js";
import type { Cell } from "../table.js";
import { checkRectangular, guessCell, parseDelimited, TableShapeError } from "../table.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

export type { Cell } from "../table.js";

/** A Dataframe's value on the wire, as Gradio sends it: column names and rows (`metadata` unused). */
export interface DataframeValue {
  headers: string[];
  data: Cell[][];
  metadata?: Record<string, unknown> | null;
}

/** What `fn` may return for a Dataframe: the wire shape, rows (headers kept), records, or CSV text. */
export type DataframeOutput = DataframeValue | Cell[][] | Record<string, Cell>[] | string;

/** The type of a column's cells: text, numbers, or booleans (shown as checkboxes). */
export type ColumnType = "str" | "number" | "bool";

/** Props of {@link Dataframe}. */
export interface DataframeProps extends SharedProps {
  /** Column names when the value gives none (default `["A", "B", "C"]`). */
  headers?: string[];
  /** The initial value: the wire shape, or rows under `headers`. */
  value?: DataframeValue | Cell[][];
  /** The type of every column, or one per column (default `"str"`). */
  datatype?: ColumnType | ColumnType[];
  /** Highest the table grows, in pixels, before it scrolls (default 500). */
  maxHeight?: number;
}

/** A table of cells: sortable, editable, pasted from a spreadsheet, CSV/TSV in and out. */
export type Dataframe = Component<
  "dataframe",
  DataframeProps,
  DataframeValue,
  DataframeOutput,
  DataframeValue
> &
  Listeners<"change" | "input"> & {
    /** A cell picked (clicked, or Enter on it): `ctx.event` is its {@link DataframeSelectData}. */
    readonly select: Listener<DataframeSelectData>;
  };

const cellSchema = v.union([v.string(), v.pipe(v.number(), v.finite()), v.boolean(), v.null()]);

/** `{ headers, data }` whose every row has one cell per header; a ragged row is refused by its number. */
function tableSchema(): Schema<DataframeValue> {
  return v.pipe(
    v.object({
      headers: v.array(v.string()),
      data: v.array(v.array(cellSchema)),
      metadata: v.optional(v.nullable(v.record(v.string(), v.unknown()))),
    }),
    v.check(
      (table) => {
        try {
          checkRectangular(table.data, table.headers.length);
          return true;
        } catch {
          return false;
        }
      },
      (issue) => raggedMessage(issue.input as DataframeValue),
    ),
  ) as Schema<DataframeValue>;
}

function raggedMessage(table: DataframeValue): string {
  try {
    checkRectangular(table.data, table.headers.length);
    return "every row must have one cell per header";
  } catch (error) {
    return (error as Error).message;
  }
}

/** Turns what `fn` returned into `{ headers, data }`; rows without names take `headers`. */
export function toDataframeValue(value: DataframeOutput, headers: readonly string[]): DataframeValue {
  if (typeof value === "string") {
    const rows = parseDelimited(value, value.includes("\t") && !value.includes(",") ? "\t" : ",");
    const [head = [], ...body] = rows;
    checkRectangular(body, head.length, 2);
    return { headers: head, data: body.map((row) => row.map(guessCell)) };
  }
  if (!Array.isArray(value))
    return { headers: [...value.headers], data: value.data, metadata: value.metadata ?? null };
  if (value.length > 0 && !Array.isArray(value[0])) {
    const records = value as Record<string, Cell>[];
    const names = [...new Set(records.flatMap((record) => Object.keys(record)))];
    return { headers: names, data: records.map((record) => names.map((name) => record[name] ?? null)) };
  }
  const rows = value as Cell[][];
  const width = rows[0]?.length ?? headers.length;
  const names = Array.from({ length: width }, (_, i) => headers[i] ?? columnName(i));
  return { headers: names, data: rows };
}

/** Spreadsheet column names: A … Z, AA, AB … */
function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/**
 * A table. `fn` receives `{ headers, data }`; it may return that, rows, records
 * (`[{ name: "Ada", age: 36 }]`) or CSV text. Visitors sort by clicking a header, edit cells, paste
 * a range from a spreadsheet, and import or export CSV/TSV; 100,000 rows scroll smoothly.
 * @example Dataframe({ label: "Scores", headers: ["name", "score"], datatype: ["str", "number"] })
 */
export function Dataframe(props: DataframeProps = {}): Dataframe {
  const headers = props.headers ??
    (Array.isArray(props.value) ? undefined : props.value?.headers) ?? ["A", "B", "C"];
  const value = Array.isArray(props.value) ? toDataframeValue(props.value, headers) : props.value;
  // A table's select carries a cell (`[row, column]`), not an item: the same listener at run time,
  // typed with DataframeSelectData here.
  const table = defineComponent(
    "dataframe",
    { ...props, ...(value === undefined ? {} : { value }) },
    {
      events: ["change", "input", "select"],
      api: {
        pythonType: "dict(headers: list[str], data: list[list[Any]], metadata: dict | None)",
        example: { headers, data: [headers.map(() => null)], metadata: null },
      },
      defaults: {
        headers,
        value: { headers, data: [] as Cell[][], metadata: null } as DataframeValue,
        datatype: "str" as ColumnType | ColumnType[],
        maxHeight: 500,
      },
      check: (p) => {
        if (Array.isArray(p.datatype) && p.datatype.length !== p.headers.length)
          return `\`datatype\` lists ${p.datatype.length} types for ${p.headers.length} columns; give one per column`;
        return p.maxHeight > 0 ? undefined : "`maxHeight` must be positive";
      },
      schema: () => tableSchema(),
      preprocess: (wire) => ({ headers: wire.headers, data: wire.data }),
      postprocess: (output: DataframeOutput, p) => {
        try {
          return toDataframeValue(output, p.headers);
        } catch (error) {
          if (error instanceof TableShapeError) throw new Error(`Dataframe: ${error.message}`);
          throw error;
        }
      },
    },
  );
  return table as unknown as Dataframe;
}
