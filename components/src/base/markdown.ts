import type { TemplateResult } from "lit";
import { html } from "lit";
import type { Token } from "marked";

/** Markdown's parser (`marked`'s lexer and parser) and the sanitiser its HTML goes through. */
export interface MarkdownParser {
  lexer(text: string): Token[];
  parser(tokens: Token[]): string;
  walkTokens(tokens: Token[], visit: (token: Token) => void): unknown;
  sanitize(html: string): string;
}

let parser: Promise<MarkdownParser> | undefined;

/**
 * Loads `marked` and `DOMPurify` once, on first use, so pages without Markdown never download
 * them.
 */
export function loadMarkdown(): Promise<MarkdownParser> {
  parser ??= Promise.all([import("marked"), import("dompurify")]).then(
    ([{ marked }, { default: DOMPurify }]) => ({
      lexer: (text) => marked.lexer(text, { gfm: true }),
      parser: (tokens) => marked.parser(tokens, { gfm: true }),
      walkTokens: (tokens, visit) => marked.walkTokens(tokens, visit),
      sanitize: (html) => DOMPurify.sanitize(html),
    }),
  );
  return parser;
}

/** Renders Markdown to sanitised HTML (the parser loads on first use). */
export async function renderMarkdown(text: string): Promise<string> {
  const { lexer, parser, sanitize } = await loadMarkdown();
  return sanitize(parser(lexer(text)));
}

/** Syntax the small renderer below leaves to `marked`: blocks, HTML, images, entities, escapes, bare URLs. */
const needsParser =
  /^\s{0,3}(#|>|[-*+]\s|\d+[.)]\s|\||```|~~~)|^ {4}|[<&\\~]|!\[|_|https?:\/\/(?![^\s)]*\))/m;
const inline = /\*\*([^*`[\]]+)\*\*|\*([^*`[\]\s][^*`[\]]*)\*|`([^`]+)`|\[([^\]*`]+)\]\(([^)\s]+)\)/g;
const safeHref = /^(https?:|mailto:|\/|\.\/|#)/;

/**
 * Renders the common, simple Markdown of titles and descriptions (paragraphs, `**strong**`,
 * `*em*`, `` `code` ``, `[links](https://…)`) straight to a Lit template: no parser to load, no
 * HTML to sanitise. Returns `undefined` for anything else; use {@link renderMarkdown} then.
 */
export function simpleMarkdown(text: string): TemplateResult | undefined {
  if (needsParser.test(text)) return undefined;
  const paragraphs: TemplateResult[] = [];
  for (const paragraph of text.trim().split(/\n\s*\n/)) {
    const parts: (string | TemplateResult)[] = [];
    let at = 0;
    for (const match of paragraph.matchAll(inline)) {
      const [whole, strong, em, code, linkText, href] = match;
      parts.push(paragraph.slice(at, match.index));
      at = match.index + whole.length;
      if (strong !== undefined) parts.push(html`<strong>${strong}</strong>`);
      else if (em !== undefined) parts.push(html`<em>${em}</em>`);
      else if (code !== undefined) parts.push(html`<code>${code}</code>`);
      else if (href !== undefined && safeHref.test(href)) parts.push(html`<a href=${href}>${linkText}</a>`);
      else return undefined;
    }
    const rest = paragraph.slice(at);
    // Stray markers mean syntax this renderer doesn't know (nesting, unclosed emphasis).
    if (/[*`[\]]/.test(parts.filter((part) => typeof part === "string").join("") + rest)) return undefined;
    parts.push(rest);
    paragraphs.push(html`<p>${parts}</p>`);
  }
  return html`${paragraphs}`;
}
