import { readFrontMatter, validateFrontMatter } from "../space-card.js";

/** A README's front matter as deploy reads it: any valid keys, a few of which it uses. */
export interface ReadmeFrontMatter {
  sdk?: string;
  license?: string;
  app_port?: number;
  app_file?: string;
  [key: string]: unknown;
}

/** The README's front matter and body. */
export interface SpaceReadme {
  frontMatter: ReadmeFrontMatter;
  body: string;
}

/**
 * Reads a Space README and checks its front matter the way the Hub does at commit time, so a
 * bad value is caught before anything is sent. Throws an error listing every problem.
 */
export function readSpaceReadme(text: string): SpaceReadme {
  let data: unknown;
  try {
    data = readFrontMatter(text);
  } catch (error) {
    throw new FrontMatterError([error instanceof Error ? error.message : String(error)]);
  }
  const problems = validateFrontMatter(data);
  if (problems.length > 0) throw new FrontMatterError(problems);
  const end = /^---\r?\n[\s\S]*?\r?\n---\r?\n?/.exec(text)?.[0].length ?? 0;
  return { frontMatter: data as ReadmeFrontMatter, body: text.slice(end) };
}

/** The front matter cannot be deployed; `problems` names each key at fault. */
export class FrontMatterError extends Error {
  override name = "FrontMatterError";
  constructor(readonly problems: string[]) {
    super(`README.md front matter has problems:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}
