import { ISOLATION_HEADERS } from "../space-card.js";

/** The front-matter lines that make a static Space cross-origin isolated, so WASM can use threads. */
const ISOLATION_LINES = [
  "custom_headers:",
  ...Object.entries(ISOLATION_HEADERS).map(([name, value]) => `  ${name}: ${value}`),
];

/**
 * Adds `custom_headers` for cross-origin isolation to a Space README's front matter, unless it
 * already sets them. Returns the new text, or undefined when there is nothing to change.
 */
export function withIsolationHeaders(readme: string): string | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readme);
  if (!match || /^custom_headers\s*:/m.test(match[1] ?? "")) return undefined;
  const frontMatter = `${match[1]}\n${ISOLATION_LINES.join("\n")}`;
  return `---\n${frontMatter}\n---${readme.slice(match[0].length)}`;
}
