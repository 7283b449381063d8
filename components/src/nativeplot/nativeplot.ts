import type { PropertyValues } from "lit";
import { html, nothing } from "lit";
import type { PlotData } from "spacecraft";
import { ScElement } from "../base/base-element.js";
import { customElement, property, state } from "../base/decorators.js";
import type { PlotChart } from "./chart.js";
import { nativeplotStyles } from "./nativeplot.styles.js";

/**
 * @summary A bar, line or scatter plot of a table (Gradio's `BarPlot`, `LinePlot`,
 * `ScatterPlot`), drawn with Chart.js, which loads with the first plot on a page.
 *
 * @csspart label - The label.
 * @csspart plot - The plot's frame.
 * @csspart empty - Shown while there is no data.
 *
 * @cssproperty --sc-color-text - Colour of the axes' text.
 * @cssproperty --sc-color-border - Colour of the grid lines.
 */
@customElement("sc-nativeplot")
export class ScNativeplot extends ScElement {
  static override styles = [...ScElement.styles, nativeplotStyles];

  /** The table to plot (Gradio's `{ columns, data, datatypes, mark }`), or null. */
  @property({ attribute: false }) value: PlotData | null = null;
  /** The column on the x axis. */
  @property() x = "";
  /** The column on the y axis. */
  @property() y = "";
  /** A column whose values each get a colour. */
  @property({ attribute: false }) color: string | null = null;
  /** A title above the plot. */
  @property() override title = "";
  /** The x axis's title (default: the column's name). */
  @property({ attribute: false }) xTitle: string | null = null;
  /** The y axis's title (default: the column's name). */
  @property({ attribute: false }) yTitle: string | null = null;
  /** The plot's height in pixels. */
  @property({ type: Number }) height = 300;

  /** Set once the chart shows the current value. */
  @state() drawn = false;
  #chart: PlotChart | null = null;
  #drawing: Promise<void> | null = null;

  /** How many marks (bars, points) the plot shows now; 0 before it is drawn. */
  get marks(): number {
    return this.drawn ? (this.#chart?.marks ?? 0) : 0;
  }

  override render() {
    const rows = this.value?.data.length ?? 0;
    return html`${this.renderLabel(null)}${this.renderInfo()}
      <div part="plot" class="plot" style="height: ${this.height}px">
        <canvas role="img" aria-label=${`${this.label || this.title || "Plot"}: ${rows} row${rows === 1 ? "" : "s"} of ${this.y} by ${this.x}`}></canvas>
        ${this.value && rows > 0 ? nothing : html`<div part="empty" class="empty">No data</div>`}
      </div>
      ${this.renderError()}`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const relevant = ["value", "x", "y", "color", "title", "xTitle", "yTitle"] as const;
    if (relevant.some((name) => changed.has(name))) void this.draw();
  }

  private async draw(): Promise<void> {
    // Chart.js loads with the first value, not with the element.
    if (!this.value && !this.#chart && !this.#drawing) return;
    this.drawn = false;
    const previous = this.#drawing;
    const drawing = (async () => {
      await previous;
      const { PlotChart, chartConfig } = await import("./chart.js");
      const value = this.value;
      if (!value) {
        this.#chart?.destroy();
        this.#chart = null;
        return;
      }
      const style = getComputedStyle(this);
      const config = chartConfig(value, {
        x: this.x,
        y: this.y,
        color: this.color,
        title: this.title,
        xTitle: this.xTitle,
        yTitle: this.yTitle,
        textColor: style.getPropertyValue("--sc-color-text").trim() || "#333",
        gridColor: style.getPropertyValue("--sc-color-border").trim() || "#ddd",
      });
      if (this.#chart) this.#chart.update(config);
      else this.#chart = new PlotChart(this.renderRoot.querySelector("canvas") as HTMLCanvasElement, config);
    })();
    this.#drawing = drawing;
    await drawing;
    if (this.#drawing === drawing) this.drawn = true;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#chart?.destroy();
    this.#chart = null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-nativeplot": ScNativeplot;
  }
}
