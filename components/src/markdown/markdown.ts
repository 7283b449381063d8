import type { PropertyValues, TemplateResult } from "lit";
import { html } from "lit";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { loadMarkdown, simpleMarkdown } from "../base/markdown.js";
import { markdownStyles } from "./markdown.styles.js";
import type { ParsedMarkdown } from "./parsed.js";

/**
 * @summary Markdown rendered as HTML, sanitised with DOMPurify; each code block has a copy
 * button. The parser loads on first use. A value that grows at its end (a streaming reply)
 * renders block by block: only the blocks after the last complete one are parsed again.
 *
 * @csspart label - The element's label.
 * @csspart content - The rendered Markdown.
 * @csspart code-block - A code block and its copy button.
 * @csspart copy-code - The copy button of a code block.
 */
@customElement("sc-markdown")
export class ScMarkdown extends ScElement {
  static override styles = [...ScElement.styles, markdownStyles];

  /** The Markdown text. */
  @property() value = "";

  /** The current value as a template, when it is simple enough to skip the parser. */
  #simple: TemplateResult | undefined;
  /** Parsed Markdown for a new container; set once the parser has loaded. */
  #newParsed: ((container: HTMLElement) => ParsedMarkdown) | undefined;
  #loading: Promise<void> | undefined;
  /** The container of the parsed Markdown and what renders into it. */
  #shown: { container: HTMLElement; parsed: ParsedMarkdown } | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has("value")) this.#simple = simpleMarkdown(this.value ?? "");
  }

  override render() {
    return html`${this.renderLabel(null)}${
      this.#simple
        ? html`<div part="content" class="prose">${this.#simple}</div>`
        : html`<div part="content" class="prose parsed"></div>`
    }`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has("value") && !this.#simple) this.#show();
  }

  /** Resolves once the value shows, the parser loaded if it needed it. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const complete = await super.getUpdateComplete();
    await this.#loading;
    return complete;
  }

  /** Shows the value's sanitised HTML (the parser, and what renders it, load on first use). */
  #show(): void {
    const container = this.renderRoot.querySelector<HTMLElement>(".parsed");
    if (!container) return;
    if (!this.#newParsed) {
      this.#loading ??= Promise.all([loadMarkdown(), import("./parsed.js")]).then(
        ([parser, { ParsedMarkdown, parsedStyles }]) => {
          const root = this.renderRoot as ShadowRoot;
          root.adoptedStyleSheets = [...root.adoptedStyleSheets, parsedStyles.styleSheet as CSSStyleSheet];
          this.#newParsed = (into) => new ParsedMarkdown(parser, into);
          this.#loading = undefined;
          if (!this.#simple) this.#show();
        },
        (error: unknown) => {
          // The parser did not load (the network went away): the text as it is beats nothing.
          this.#loading = undefined;
          container.textContent = this.value ?? "";
          console.error("[spacecraft] Markdown could not load; showing the text as it is.", error);
        },
      );
      return;
    }
    if (this.#shown?.container !== container) this.#shown = { container, parsed: this.#newParsed(container) };
    this.#shown.parsed.show(this.value ?? "");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-markdown": ScMarkdown;
  }
}
