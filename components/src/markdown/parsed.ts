import { css } from "lit";
import type { MarkdownParser } from "../base/markdown.js";
import { MarkdownStream } from "../base/markdown-stream.js";

/** How long a code block's copy button says "Copied". */
const copiedMs = 1500;

/** The styles of parsed Markdown's code blocks and their copy buttons, adopted with this module. */
export const parsedStyles = css`
  .prose .code-block {
    position: relative;
    margin: 1em 0;
  }
  .prose .code-block > pre {
    margin: 0;
    padding-right: 4.5rem;
  }
  .prose .copy-code {
    position: absolute;
    top: 0.35rem;
    right: 0.35rem;
    font: inherit;
    font-size: 0.8em;
    color: inherit;
    background: var(--sc-color-surface);
    border: 1px solid var(--sc-color-border);
    border-radius: 4px;
    padding: 0.1rem 0.5rem;
    cursor: pointer;
  }
  .prose .copy-code:focus-visible {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: 1px;
  }
`;

/**
 * Parsed Markdown in a container (loaded with the parser, so a page whose Markdown stays simple
 * never downloads it): the value's sanitised HTML, growing block by block as a streamed value
 * grows, each code block with a copy button.
 */
export class ParsedMarkdown {
  readonly #stream: MarkdownStream;
  /** The nodes of the open blocks at the end, replaced by the next update. */
  #open: ChildNode[] = [];
  readonly #copyButtons = new WeakSet<Element>();

  constructor(
    parser: MarkdownParser,
    private readonly container: HTMLElement,
  ) {
    this.#stream = new MarkdownStream(parser);
    container.addEventListener("click", (event) => this.#onClick(event));
  }

  /** Shows `text`: the new complete blocks added, the open ones replaced. */
  show(text: string): void {
    const change = this.#stream.update(text);
    if (change.reset) {
      this.container.replaceChildren();
      this.#open = [];
    }
    for (const node of this.#open) node.remove();
    if (change.done) this.container.append(this.#fragment(change.done));
    const open = this.#fragment(change.open);
    this.#open = [...open.childNodes];
    this.container.append(open);
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
  #onClick(event: Event): void {
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
