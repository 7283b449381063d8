import type { PropertyValues, TemplateResult } from "lit";
import { html } from "lit";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { loadMarkdown, simpleMarkdown } from "../base/markdown.js";
import type { MarkdownStream } from "../base/markdown-stream.js";
import { markdownStyles } from "./markdown.styles.js";

/** How long a code block's copy button says "Copied". */
const copiedMs = 1500;

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
  /** A new stream for a new container; set once the parser has loaded. */
  #newStream: (() => MarkdownStream) | undefined;
  #loading: Promise<void> | undefined;
  /** The container of the parsed Markdown, the stream rendering into it, and its open blocks' nodes. */
  #shown: { container: HTMLElement; stream: MarkdownStream; open: ChildNode[] } | undefined;
  readonly #copyButtons = new WeakSet<Element>();

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has("value")) this.#simple = simpleMarkdown(this.value ?? "");
  }

  override render() {
    return html`${this.renderLabel(null)}${
      this.#simple
        ? html`<div part="content" class="prose">${this.#simple}</div>`
        : html`<div part="content" class="prose parsed" @click=${this.onContentClick}></div>`
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

  /** Shows the value's sanitised HTML: the new complete blocks added, the open ones replaced. */
  #show(): void {
    const container = this.renderRoot.querySelector<HTMLElement>(".parsed");
    if (!container) return;
    if (!this.#newStream) {
      this.#loading ??= Promise.all([loadMarkdown(), import("../base/markdown-stream.js")]).then(
        ([parser, { MarkdownStream }]) => {
          this.#newStream = () => new MarkdownStream(parser);
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
    if (this.#shown?.container !== container)
      this.#shown = { container, stream: this.#newStream(), open: [] };
    const shown = this.#shown;
    const change = shown.stream.update(this.value ?? "");
    if (change.reset) {
      container.replaceChildren();
      shown.open = [];
    }
    for (const node of shown.open) node.remove();
    if (change.done) container.append(this.#fragment(change.done));
    const open = this.#fragment(change.open);
    shown.open = [...open.childNodes];
    container.append(open);
  }

  /** Sanitised HTML as inert nodes, each code block given its copy button. */
  #fragment(sanitised: string): DocumentFragment {
    const template = document.createElement("template");
    template.innerHTML = sanitised;
    for (const pre of template.content.querySelectorAll("pre")) {
      const block = document.createElement("div");
      block.className = "code-block";
      block.part.add("code-block");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "copy-code";
      button.part.add("copy-code");
      button.ariaLabel = "Copy code";
      button.textContent = "Copy";
      this.#copyButtons.add(button);
      pre.replaceWith(block);
      block.append(pre, button);
    }
    return template.content;
  }

  /** A click on a code block's copy button copies the code and says so for a moment. */
  private onContentClick(event: Event): void {
    const button = (event.target as Element | null)?.closest("button");
    if (!button || !this.#copyButtons.has(button)) return;
    const code = button.parentElement?.querySelector("pre")?.textContent ?? "";
    const say = (text: string, label: string) => {
      button.textContent = text;
      button.ariaLabel = label;
      setTimeout(() => {
        button.textContent = "Copy";
        button.ariaLabel = "Copy code";
      }, copiedMs);
    };
    navigator.clipboard.writeText(code).then(
      () => say("Copied", "Copied"),
      () => say("Copy failed", "Copying failed: select the code and copy it"),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-markdown": ScMarkdown;
  }
}
