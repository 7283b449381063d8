import { parseDocument } from "yaml";

/** Colours a Space thumbnail may use. */
export const SPACE_COLORS = ["red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray"] as const;
/** SDKs a Space may declare. */
export const SPACE_SDKS = ["docker", "static", "gradio"] as const;
/** Licence ids the Hub knows (repo-card metadata). */
export const LICENSES = new Set(
  (
    "apache-2.0 mit openrail bigscience-openrail-m creativeml-openrail-m bigscience-bloom-rail-1.0 bigcode-openrail-m " +
    "afl-3.0 artistic-2.0 bsl-1.0 bsd bsd-2-clause bsd-3-clause bsd-3-clause-clear c-uda cc cc0-1.0 cc-by-2.0 cc-by-2.5 " +
    "cc-by-3.0 cc-by-4.0 cc-by-sa-3.0 cc-by-sa-4.0 cc-by-nc-2.0 cc-by-nc-3.0 cc-by-nc-4.0 cc-by-nd-4.0 cc-by-nc-nd-3.0 " +
    "cc-by-nc-nd-4.0 cc-by-nc-sa-2.0 cc-by-nc-sa-3.0 cc-by-nc-sa-4.0 cdla-sharing-1.0 cdla-permissive-1.0 " +
    "cdla-permissive-2.0 wtfpl ecl-2.0 epl-1.0 epl-2.0 etalab-2.0 eupl-1.1 eupl-1.2 agpl-3.0 gfdl gpl gpl-2.0 gpl-3.0 lgpl " +
    "lgpl-2.1 lgpl-3.0 isc h-research intel-research lppl-1.3c ms-pl apple-ascl apple-amlr mpl-2.0 odc-by odbl " +
    "openmdw-1.0 openmdw-1.1 openrail++ osl-3.0 postgresql ofl-1.1 ncsa unlicense zlib pddl lgpl-lr deepfloyd-if-license " +
    "fair-noncommercial-research-license llama2 llama3 llama3.1 llama3.2 llama3.3 llama4 grok2-community gemma unknown other"
  ).split(" "),
);
const HEADER_VALUES: Record<string, readonly string[]> = {
  "cross-origin-embedder-policy": ["unsafe-none", "require-corp", "credentialless"],
  "cross-origin-opener-policy": ["same-origin", "same-origin-allow-popups", "unsafe-none"],
  "cross-origin-resource-policy": ["same-site", "same-origin", "cross-origin"],
};

/** The front matter of a Space README, as far as Spacecraft reads it. */
export interface SpaceFrontMatter {
  title?: string;
  sdk?: (typeof SPACE_SDKS)[number];
  app_port?: number;
  app_file?: string;
  license?: string;
  models?: string[];
  [key: string]: unknown;
}

/** The README's front matter and body. */
export interface SpaceReadme {
  frontMatter: SpaceFrontMatter;
  body: string;
}

/**
 * Reads a Space README and checks its front matter the way the Hub does at commit time, so a
 * bad value is caught before anything is sent. Throws an error listing every problem.
 */
export function readSpaceReadme(text: string): SpaceReadme {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!match)
    throw new FrontMatterError(["README.md has no front matter: it must start with a --- YAML block ---."]);
  const document = parseDocument(match[1] ?? "");
  if (document.errors.length > 0) {
    throw new FrontMatterError([`README.md front matter is not valid YAML: ${document.errors[0]?.message}`]);
  }
  const frontMatter = (document.toJS() ?? {}) as SpaceFrontMatter;
  const problems = checkFrontMatter(frontMatter);
  if (problems.length > 0) throw new FrontMatterError(problems);
  return { frontMatter, body: text.slice(match[0].length) };
}

/** Every problem with a Space's front matter, each naming the key and what is allowed. */
export function checkFrontMatter(data: SpaceFrontMatter): string[] {
  const problems: string[] = [];
  const oneOf = (key: string, allowed: readonly string[]) => {
    const value = data[key];
    if (value !== undefined && !allowed.includes(String(value))) {
      problems.push(`${key}: "${String(value)}" is not allowed; use one of ${allowed.join(", ")}.`);
    }
  };
  if (typeof data.title !== "string" || data.title.trim() === "")
    problems.push("title: give the Space a title.");
  if (data.sdk === undefined) problems.push("sdk: say how the Space runs: static or docker.");
  oneOf("sdk", SPACE_SDKS);
  oneOf("colorFrom", SPACE_COLORS);
  oneOf("colorTo", SPACE_COLORS);
  if (
    data.emoji !== undefined &&
    !/^\p{Extended_Pictographic}(\u200d?\p{Extended_Pictographic}|\ufe0f)*$/u.test(String(data.emoji))
  ) {
    problems.push(`emoji: "${String(data.emoji)}" must be a single emoji.`);
  }
  if (
    data.app_port !== undefined &&
    !(Number.isInteger(data.app_port) && data.app_port > 0 && data.app_port < 65536)
  ) {
    problems.push(`app_port: "${String(data.app_port)}" must be a port number such as 7860.`);
  }
  if (data.sdk === "static" && typeof data.app_file !== "string") {
    problems.push("app_file: a static Space needs the page to serve, e.g. dist/index.html.");
  }
  const short = data.short_description;
  if (short !== undefined && (typeof short !== "string" || short.length > 60)) {
    problems.push(`short_description: at most 60 characters (it has ${String(short).length}).`);
  }
  if (data.license !== undefined && !LICENSES.has(String(data.license))) {
    problems.push(
      `license: "${String(data.license)}" is not a Hub licence id (e.g. apache-2.0, mit, other).`,
    );
  }
  if (
    data.models !== undefined &&
    !(Array.isArray(data.models) && data.models.every((m) => typeof m === "string"))
  ) {
    problems.push(
      "models: a list of model ids, e.g. [Xenova/distilbert-base-uncased-finetuned-sst-2-english].",
    );
  }
  const headers = data.custom_headers;
  if (headers !== undefined) {
    if (typeof headers !== "object" || headers === null)
      problems.push("custom_headers: a map of header → value.");
    else {
      for (const [name, value] of Object.entries(headers)) {
        const allowed = HEADER_VALUES[name];
        if (!allowed)
          problems.push(`custom_headers: "${name}" is not allowed; only COEP, COOP and CORP (lower case).`);
        else if (!allowed.includes(String(value))) {
          problems.push(
            `custom_headers.${name}: "${String(value)}" is not allowed; use one of ${allowed.join(", ")}.`,
          );
        }
      }
    }
  }
  return problems;
}

/** The front matter cannot be deployed; `problems` names each key at fault. */
export class FrontMatterError extends Error {
  override name = "FrontMatterError";
  constructor(readonly problems: string[]) {
    super(`README.md front matter has problems:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}
