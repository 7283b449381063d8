import type { ChartConfiguration, ChartDataset } from "chart.js";
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
} from "chart.js";
import type { Cell, PlotData } from "spacecraft";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Legend,
  Title,
  Tooltip,
);

/** Colours of the series, in order (readable on light and dark backgrounds). */
const PALETTE = ["#3b82f6", "#f97316", "#10b981", "#ef4444", "#8b5cf6", "#eab308", "#06b6d4", "#ec4899"];

/** What the plot draws from: the columns, their titles and the page's text colours. */
export interface PlotSpec {
  x: string;
  y: string;
  color: string | null;
  title: string;
  xTitle: string | null;
  yTitle: string | null;
  textColor: string;
  gridColor: string;
}

type Point = { x: number | string; y: number };

/** A cell on a numeric or time axis: numbers as they are, dates as milliseconds. */
function toNumber(cell: Cell, temporal: boolean): number | null {
  if (typeof cell === "number") return cell;
  if (temporal && typeof cell === "string") {
    const time = Date.parse(cell);
    return Number.isNaN(time) ? null : time;
  }
  return null;
}

/** Chart.js's configuration for a plot's value: one dataset per value of the `color` column. */
export function chartConfig(plot: PlotData, spec: PlotSpec): ChartConfiguration {
  const xIndex = plot.columns.indexOf(spec.x);
  const yIndex = plot.columns.indexOf(spec.y);
  const colorIndex = spec.color ? plot.columns.indexOf(spec.color) : -1;
  const xType = plot.datatypes[spec.x] ?? "nominal";
  const categorical = xType === "nominal" || plot.mark === "bar";
  const temporal = xType === "temporal";
  const series = new Map<string, Point[]>();
  const labels: string[] = [];
  for (const row of plot.data) {
    const y = typeof row[yIndex] === "number" ? (row[yIndex] as number) : null;
    if (y === null) continue;
    const name = colorIndex >= 0 ? String(row[colorIndex] ?? "") : spec.y;
    let x: number | string | null;
    if (categorical) {
      x = String(row[xIndex] ?? "");
      if (!labels.includes(x)) labels.push(x);
    } else x = toNumber(row[xIndex] ?? null, temporal);
    if (x === null) continue;
    if (!series.has(name)) series.set(name, []);
    series.get(name)?.push({ x, y });
  }
  const type = plot.mark === "bar" ? "bar" : plot.mark === "line" ? "line" : "scatter";
  const datasets = [...series].map(([name, points], i): ChartDataset => {
    const color = PALETTE[i % PALETTE.length];
    const data =
      type === "line" && !categorical ? points.sort((a, b) => (a.x as number) - (b.x as number)) : points;
    return {
      type,
      label: name,
      data: data as never,
      backgroundColor: type === "bar" ? color : `${color}cc`,
      borderColor: color,
      pointRadius: type === "line" ? 2 : 4,
    } as ChartDataset;
  });
  const tick = { color: spec.textColor };
  const formatTime = (value: number | string) => new Date(Number(value)).toISOString().slice(0, 10);
  return {
    type,
    data: { labels: categorical ? labels : undefined, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: categorical ? undefined : false,
      plugins: {
        legend: { display: colorIndex >= 0, labels: { color: spec.textColor } },
        title: { display: Boolean(spec.title), text: spec.title, color: spec.textColor },
      },
      scales: {
        x: {
          type: categorical ? "category" : "linear",
          title: { display: true, text: spec.xTitle ?? spec.x, color: spec.textColor },
          ticks: temporal && !categorical ? { ...tick, callback: formatTime } : tick,
          grid: { color: spec.gridColor },
        },
        y: {
          type: "linear",
          beginAtZero: type === "bar",
          title: { display: true, text: spec.yTitle ?? spec.y, color: spec.textColor },
          ticks: tick,
          grid: { color: spec.gridColor },
        },
      },
    },
  } as ChartConfiguration;
}

/** A drawn plot: redrawn for a new value, counted for tests and screen readers. */
export class PlotChart {
  readonly #chart: Chart;

  constructor(canvas: HTMLCanvasElement, config: ChartConfiguration) {
    this.#chart = new Chart(canvas, config);
  }

  /** Draws another value (or the same one with other props). */
  update(config: ChartConfiguration): void {
    (this.#chart.config as { type: string }).type = (config as { type: string }).type;
    this.#chart.data = config.data;
    this.#chart.options = config.options ?? {};
    this.#chart.update();
  }

  /** How many marks (bars, points) the chart drew, over every series. */
  get marks(): number {
    return this.#chart.data.datasets.reduce(
      (sum, _, i) => sum + this.#chart.getDatasetMeta(i).data.length,
      0,
    );
  }

  destroy(): void {
    this.#chart.destroy();
  }
}
