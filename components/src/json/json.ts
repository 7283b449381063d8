import type { TemplateResult } from "lit";
import { html } from "lit";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { jsonStyles } from "./json.styles.js";

const count = (n: number, noun: string) => ` ${n} ${noun}${n === 1 ? "" : "s"} `;

/**
 * @summary A JSON value as a foldable tree (`<details>`, so folding works with the keyboard).
 *
 * @csspart label - The element's label.
 * @csspart tree - The tree.
 */
@customElement("sc-json")
export class ScJson extends ScElement {
  static override styles = [...ScElement.styles, jsonStyles];

  /** The value to show. */
  @property({ attribute: false }) value: unknown = null;
  /** Depth shown expanded; deeper levels start folded. */
  @property({ type: Number }) openDepth = 2;

  override render() {
    return html`${this.renderLabel(null)}
      <div part="tree" class="tree" role="group" aria-label=${this.label || "JSON"}>${this.node(undefined, this.value, 0, true)}</div>`;
  }

  private node(key: string | undefined, value: unknown, depth: number, last: boolean): TemplateResult {
    const name = key === undefined ? null : html`<span class="key">${JSON.stringify(key)}</span>: `;
    const comma = last ? "" : ",";
    if (value !== null && typeof value === "object") {
      const entries: [string | undefined, unknown][] = Array.isArray(value)
        ? value.map((item) => [undefined, item])
        : Object.entries(value);
      const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
      if (entries.length === 0) return html`<div class="leaf">${name}${open}${close}${comma}</div>`;
      return html`<details ?open=${depth < this.openDepth}>
        <summary>
          ${name}${open}<span class="count">${count(entries.length, Array.isArray(value) ? "item" : "key")}</span>
        </summary>
        <ul class="children">
          ${entries.map(([k, v], i) => html`<li>${this.node(k, v, depth + 1, i === entries.length - 1)}</li>`)}
        </ul>
        <div class="leaf">${close}${comma}</div>
      </details>`;
    }
    const kind = value === null ? "null" : typeof value;
    return html`<div class="leaf">${name}<span class=${kind}>${JSON.stringify(value) ?? "null"}</span>${comma}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-json": ScJson;
  }
}
