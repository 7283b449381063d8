import type { Listeners } from "../events.js";
import type { Schema } from "../schema.js";
import { v } from "../schema.js";
import type { Cell } from "../table.js";
import { checkRectangular } from "../table.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";
import type { DataframeOutput } from "./dataframe.js";
import { toDataframeValue } from "./dataframe.js";

/** How a column's values are read: numbers, categories, or times. */
export type PlotDataType = "quantitative" | "nominal" | "temporal";

/** A plot's value on the wire, as Gradio's native plots send it. */
export interface PlotData {
  columns: string[];
  data: Cell[][];
  datatypes: Record<string, PlotDataType>;
  mark: "bar" | "line" | "point";
}

/** Props of {@link BarPlot}, {@link LinePlot} and {@link ScatterPlot}. */
export interface PlotProps extends SharedProps {
  /** The column on the x axis (required). */
  x: string;
  /** The column on the y axis: numbers (required). */
  y: string;
  /** A column whose values each get a colour (a series). */
  color?: string | null;
  /** A title above the plot. */
  title?: string;
  /** The x axis's title (default: the `x` column's name). */
  xTitle?: string | null;
  /** The y axis's title (default: the `y` column's name). */
  yTitle?: string | null;
  /** The plot's height in pixels (default 300). */
  height?: number;
  /** The initial table. */
  value?: DataframeOutput | null;
}

type PlotType<T> = Component<
  "nativeplot",
  PlotProps,
  PlotData | null,
  DataframeOutput | null,
  PlotData | null
> &
  Listeners<"change"> & { readonly "~plot"?: T };

/** A bar chart of a table. */
export type BarPlot = PlotType<"bar">;
/** A line chart of a table. */
export type LinePlot = PlotType<"line">;
/** A scatter plot of a table. */
export type ScatterPlot = PlotType<"point">;

const plotSchema: Schema<PlotData | null> = v.nullable(
  v.pipe(
    v.object({
      columns: v.array(v.string()),
      data: v.array(v.array(v.union([v.string(), v.pipe(v.number(), v.finite()), v.boolean(), v.null()]))),
      datatypes: v.record(v.string(), v.picklist(["quantitative", "nominal", "temporal"])),
      mark: v.picklist(["bar", "line", "point"]),
    }),
    v.check(
      (plot) => plot.data.every((row) => row.length === plot.columns.length),
      (issue) => {
        const plot = issue.input as PlotData;
        try {
          checkRectangular(plot.data, plot.columns.length);
        } catch (error) {
          return (error as Error).message;
        }
        return "every row must have one cell per column";
      },
    ),
  ),
) as Schema<PlotData | null>;

/** A column's type, as Gradio infers it from its cells: numbers are quantitative, dates temporal. */
function columnType(cells: Cell[]): PlotDataType {
  const present = cells.filter((cell) => cell !== null);
  if (present.length > 0 && present.every((cell) => typeof cell === "number")) return "quantitative";
  const dated = (cell: Cell) =>
    typeof cell === "string" && /^\d{4}-\d{2}-\d{2}/.test(cell) && !Number.isNaN(Date.parse(cell));
  if (present.length > 0 && present.every(dated)) return "temporal";
  return "nominal";
}

function plot(mark: PlotData["mark"], displayName: string, props: PlotProps) {
  const toPlotData = (value: DataframeOutput | PlotData | null, p: PlotProps): PlotData | null => {
    if (value === null) return null;
    if (typeof value === "object" && !Array.isArray(value) && "columns" in value) return { ...value, mark };
    const table = toDataframeValue(value, [p.x, p.y, ...(p.color ? [p.color] : [])]);
    for (const column of [p.x, p.y, p.color]) {
      if (column && !table.headers.includes(column))
        throw new Error(
          `${displayName}: the table has no column "${column}" (it has ${table.headers.join(", ")}); return a table with it, or change the plot's props.`,
        );
    }
    const datatypes = Object.fromEntries(
      table.headers.map((name, i) => [name, columnType(table.data.map((row) => row[i] ?? null))]),
    );
    return { columns: table.headers, data: table.data, datatypes, mark };
  };
  const { value: initial, ...rest } = props;
  const given =
    initial === undefined || initial === null ? rest : { ...rest, value: toPlotData(initial, props) };
  return defineComponent("nativeplot", given, {
    events: ["change"],
    displayName,
    api: { pythonType: "dict(columns: list[str], data: list[list[Any]], datatypes: dict, mark: str) | None" },
    defaults: {
      x: props.x,
      y: props.y,
      color: null as string | null,
      title: "",
      xTitle: null as string | null,
      yTitle: null as string | null,
      height: 300,
      value: null as PlotData | null,
    },
    check: (p) => {
      if (typeof p.x !== "string" || typeof p.y !== "string" || !p.x || !p.y)
        return "needs `x` and `y`: the names of the columns to plot";
      return p.height > 0 ? undefined : "`height` must be positive";
    },
    schema: () => plotSchema,
    preprocess: (wire) => wire,
    postprocess: (output, p) => toPlotData(output as DataframeOutput | PlotData | null, p as PlotProps),
  }) as PlotType<never>;
}

/**
 * A bar chart: one bar per row (`x` the category, `y` its height), grouped by `color`. `fn`
 * returns a table as a Dataframe takes it (rows, records, `{ headers, data }`).
 * @example BarPlot({ label: "Sales", x: "fruit", y: "units" })
 */
export function BarPlot(props: PlotProps): BarPlot {
  return plot("bar", "BarPlot", props) as BarPlot;
}

/**
 * A line chart: `y` against `x`, one line per value of `color`.
 * @example LinePlot({ label: "Loss", x: "step", y: "loss", color: "run" })
 */
export function LinePlot(props: PlotProps): LinePlot {
  return plot("line", "LinePlot", props) as LinePlot;
}

/**
 * A scatter plot: a point per row, coloured by `color`.
 * @example ScatterPlot({ label: "Iris", x: "petal_length", y: "petal_width", color: "species" })
 */
export function ScatterPlot(props: PlotProps): ScatterPlot {
  return plot("point", "ScatterPlot", props) as ScatterPlot;
}
