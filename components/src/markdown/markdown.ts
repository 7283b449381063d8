import type { PropertyValues, TemplateResult } from "lit";
import { html } from "lit";
import { ScElement } from "../base/base-element.js";
import { customElement, property, state } from "../base/decorators.js";
import { renderMarkdown, simpleMarkdown } from "../base/markdown.js";
import { markdownStyles } from "./markdown.styles.js";

/**
 * @summary Markdown rendered as HTML, sanitised with DOMPurify. The parser loads on first use.
 *
 * @csspart label - The element's label.
 * @csspart content - The rendered Markdown.
 */
@customElement("sc-markdown")
export class ScMarkdown extends ScElement {
  static override styles = [...ScElement.styles, markdownStyles];

  /** The Markdown text. */
  @property() value = "";

  /** Sanitised HTML of the current value, when it needs the full parser. */
  @state() private rendered = "";
  /** The current value as a template, when it is simple enough to skip the parser. */
  #simple: TemplateResult | undefined;
  #generation = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (!changed.has("value")) return;
    this.#simple = simpleMarkdown(this.value ?? "");
    if (!this.#simple) void this.renderValue(this.value ?? "");
  }

  override render() {
    // Sanitised HTML goes in as `innerHTML` of its own container (no directive in the entry chunk).
    return html`${this.renderLabel(null)}${
      this.#simple
        ? html`<div part="content" class="prose">${this.#simple}</div>`
        : html`<div part="content" class="prose" .innerHTML=${this.rendered}></div>`
    }`;
  }

  private async renderValue(text: string): Promise<void> {
    const generation = ++this.#generation;
    const sanitised = await renderMarkdown(text);
    if (generation !== this.#generation) return;
    this.rendered = sanitised;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-markdown": ScMarkdown;
  }
}
