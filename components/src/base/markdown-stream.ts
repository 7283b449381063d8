import type { Token } from "marked";
import type { MarkdownParser } from "./markdown.js";

/** How the rendering of a growing text changes: see {@link MarkdownStream.update}. */
export interface MarkdownChange {
  /** Drop all that was shown: the text does not continue the last one, or renders whole. */
  reset: boolean;
  /** Sanitised HTML of blocks that are now complete: shown once after the earlier ones, and kept. */
  done: string;
  /** Sanitised HTML of the open blocks at the end: it replaces the last `open`. */
  open: string;
}

/**
 * Renders a text that grows at its end (a streaming chat reply) block by block: blocks that
 * later text cannot change render once, and each update parses and sanitises only the blocks
 * after them. A block is complete when a blank line and a whole line of the next block follow
 * it. Raw HTML or a link reference definition can span or reach back across blocks: a text
 * with either renders whole each time.
 */
export class MarkdownStream {
  /** The text rendered as complete blocks. */
  #done = "";
  /** The last text had raw HTML or definitions: render the text whole until it starts over. */
  #whole = false;
  #last = "";

  constructor(private readonly markdown: MarkdownParser) {}

  /** The change to show for `text`, the whole text so far. */
  update(text: string): MarkdownChange {
    const { lexer, parser, sanitize } = this.markdown;
    const continues = text.startsWith(this.#last);
    this.#last = text;
    if (!continues) {
      this.#done = "";
      this.#whole = false;
    }
    if (!this.#whole) {
      const rest = text.slice(this.#done.length);
      const tokens = lexer(rest);
      const end = completeBlocks(tokens);
      const raw = tokens
        .slice(0, end)
        .map((token) => token.raw)
        .join("");
      // The lexer normalises some text (line endings): then its blocks don't map back to it.
      if (!this.#reachesBack(tokens) && rest.startsWith(raw)) {
        this.#done += raw;
        const done = end > 0 ? sanitize(parser(tokens.slice(0, end))) : "";
        return { reset: !continues, done, open: sanitize(parser(tokens.slice(end))) };
      }
      this.#done = "";
      this.#whole = true;
    }
    return { reset: true, done: "", open: sanitize(parser(lexer(text))) };
  }

  /** Whether the tokens hold raw HTML or link definitions, which can reach across blocks. */
  #reachesBack(tokens: Token[]): boolean {
    if (Object.keys((tokens as Token[] & { links?: object }).links ?? {}).length > 0) return true;
    let found = false;
    this.markdown.walkTokens(tokens, (token) => {
      found ||= token.type === "html" || token.type === "def";
    });
    return found;
  }
}

/**
 * How many of the leading tokens are complete: those before the last blank line (a `space`
 * token) that a whole line of another block follows.
 */
function completeBlocks(tokens: Token[]): number {
  for (let i = tokens.length - 2; i > 0; i--) {
    if (tokens[i]?.type === "space" && tokens[i + 1]?.raw.includes("\n")) return i + 1;
  }
  return 0;
}
