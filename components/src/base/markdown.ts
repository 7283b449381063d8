/**
 * Renders Markdown to sanitised HTML. `marked` and `DOMPurify` load on first use, so pages
 * without Markdown never download them.
 */
export async function renderMarkdown(text: string): Promise<string> {
  const [{ marked }, { default: DOMPurify }] = await Promise.all([import("marked"), import("dompurify")]);
  const html = await marked.parse(text, { async: true, gfm: true });
  return DOMPurify.sanitize(html);
}

/** True when `text` has no Markdown syntax, so it can be shown as plain text without loading the parser. */
export function isPlainText(text: string): boolean {
  return !/[*_`#>[\]<|~\\!-]|^\s*\d+\.|\n\n|https?:/m.test(text);
}
