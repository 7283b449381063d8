/** The front-matter lines that make a static Space cross-origin isolated, so WASM can use threads. */
export const ISOLATION_HEADERS = [
  "custom_headers:",
  "  cross-origin-embedder-policy: require-corp",
  "  cross-origin-opener-policy: same-origin",
];

/**
 * Adds `custom_headers` for cross-origin isolation to a Space README's front matter, unless it
 * already sets them. Returns the new text, or undefined when there is nothing to change.
 */
export function withIsolationHeaders(readme: string): string | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readme);
  if (!match || /^custom_headers\s*:/m.test(match[1] ?? "")) return undefined;
  const frontMatter = `${match[1]}\n${ISOLATION_HEADERS.join("\n")}`;
  return `---\n${frontMatter}\n---${readme.slice(match[0].length)}`;
}
