import { parseDocument, stringify } from "yaml";

/** Colours a Space thumbnail may use (`colorFrom`, `colorTo`); the Hub rejects anything else. */
export const SPACE_COLORS = ["red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray"] as const;
/** A thumbnail colour. */
export type SpaceColor = (typeof SPACE_COLORS)[number];
/** The SDKs Spacecraft generates: a static Space runs the model in the browser, docker on a server. */
export const SCAFFOLD_SDKS = ["static", "docker"] as const;
/** An SDK Spacecraft generates. */
export type ScaffoldSdk = (typeof SCAFFOLD_SDKS)[number];
/** Every SDK the Hub accepts in `sdk` (streamlit is deprecated). */
export const SPACE_SDKS = ["gradio", "docker", "static"] as const;
/** Hardware a Space may suggest to people who duplicate it. */
export const SPACE_HARDWARE = [
  "cpu-basic",
  "cpu-upgrade",
  "t4-small",
  "t4-medium",
  "l4x1",
  "l4x4",
  "l40sx1",
  "l40sx4",
  "l40sx8",
  "a10g-small",
  "a10g-large",
  "a10g-largex2",
  "a10g-largex4",
  "a100-large",
  "a100x4",
  "a100x8",
  "zero-a10g",
] as const;
/** Licence ids the Hub knows (repo-card metadata). */
export const LICENSES: readonly string[] = (
  "apache-2.0 mit openrail bigscience-openrail-m creativeml-openrail-m bigscience-bloom-rail-1.0 bigcode-openrail-m " +
  "afl-3.0 artistic-2.0 bsl-1.0 bsd bsd-2-clause bsd-3-clause bsd-3-clause-clear c-uda cc cc0-1.0 cc-by-2.0 cc-by-2.5 " +
  "cc-by-3.0 cc-by-4.0 cc-by-sa-3.0 cc-by-sa-4.0 cc-by-nc-2.0 cc-by-nc-3.0 cc-by-nc-4.0 cc-by-nd-4.0 cc-by-nc-nd-3.0 " +
  "cc-by-nc-nd-4.0 cc-by-nc-sa-2.0 cc-by-nc-sa-3.0 cc-by-nc-sa-4.0 cdla-sharing-1.0 cdla-permissive-1.0 " +
  "cdla-permissive-2.0 wtfpl ecl-2.0 epl-1.0 epl-2.0 etalab-2.0 eupl-1.1 eupl-1.2 agpl-3.0 gfdl gpl gpl-2.0 gpl-3.0 lgpl " +
  "lgpl-2.1 lgpl-3.0 isc h-research intel-research lppl-1.3c ms-pl apple-ascl apple-amlr mpl-2.0 odc-by odbl " +
  "openmdw-1.0 openmdw-1.1 openrail++ osl-3.0 postgresql ofl-1.1 ncsa unlicense zlib pddl lgpl-lr deepfloyd-if-license " +
  "fair-noncommercial-research-license llama2 llama3 llama3.1 llama3.2 llama3.3 llama4 grok2-community gemma unknown other"
).split(" ");
/** The longest `short_description` the Hub accepts. */
export const SHORT_DESCRIPTION_MAX = 60;
/** The cross-origin headers a static Space may set, and their allowed values. */
export const CUSTOM_HEADER_VALUES: Readonly<Record<string, readonly string[]>> = {
  "cross-origin-embedder-policy": ["unsafe-none", "require-corp", "credentialless"],
  "cross-origin-opener-policy": ["same-origin", "same-origin-allow-popups", "unsafe-none"],
  "cross-origin-resource-policy": ["same-site", "same-origin", "cross-origin"],
};
/** Headers that make a static Space cross-origin isolated, so onnxruntime-web can use threads. */
export const ISOLATION_HEADERS = {
  "cross-origin-embedder-policy": "require-corp",
  "cross-origin-opener-policy": "same-origin",
} as const;

// A RegExp object, not a literal: the `v` flag (for emoji sequences) is newer than the ES2022 target.
const EMOJI_SOURCE = String.raw`^\p{RGI_Emoji}$`;
const EMOJI = new RegExp(EMOJI_SOURCE, "v");
const BOOLEAN_KEYS = ["pinned", "fullWidth", "hf_oauth", "disable_embedding"];
const STRING_LIST_KEYS = ["models", "datasets", "tags", "hf_oauth_scopes"];
const REPO_ID = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;

/** The front matter of a generated Space README, in the order it is written. */
export interface SpaceFrontMatter {
  title: string;
  emoji: string;
  colorFrom: SpaceColor;
  colorTo: SpaceColor;
  sdk: ScaffoldSdk;
  app_port?: number;
  app_file?: string;
  pinned: boolean;
  license: string;
  short_description: string;
  models?: string[];
  /** Docker Spaces: repos the Hub downloads into the image at build time (`repo [files] [commit]`). */
  preload_from_hub?: string[];
  suggested_hardware?: string;
  custom_headers?: Record<string, string>;
}

/** True when `text` is exactly one emoji (what the Hub allows in `emoji`). */
export function isEmoji(text: string): boolean {
  return EMOJI.test(text);
}

/**
 * Checks Space front matter the way the Hub does when it receives a commit, so a bad value is
 * caught before anything is written or sent. Returns one message per problem, each naming the key
 * and saying what to use instead; an empty list means the front matter is valid.
 */
export function validateFrontMatter(data: unknown): string[] {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return ["The front matter must be a YAML mapping of keys to values (title: …, sdk: …)."];
  }
  const fm = data as Record<string, unknown>;
  const problems: string[] = [];
  const isString = (value: unknown): value is string => typeof value === "string";
  const show = (value: unknown) => JSON.stringify(value);

  if (!isString(fm.title) || fm.title.trim() === "") problems.push("title: give the Space a title (text).");
  if (fm.emoji !== undefined && !(isString(fm.emoji) && isEmoji(fm.emoji))) {
    problems.push(`emoji: ${show(fm.emoji)} is not a single emoji. Use one emoji, e.g. 🚀.`);
  }
  for (const key of ["colorFrom", "colorTo"]) {
    const value = fm[key];
    if (value !== undefined && !SPACE_COLORS.includes(value as SpaceColor)) {
      problems.push(`${key}: ${show(value)} is not a Space colour. Use one of ${SPACE_COLORS.join(", ")}.`);
    }
  }
  if (fm.sdk === "streamlit") {
    problems.push("sdk: streamlit is deprecated on the Hub. Use static or docker.");
  } else if (!SPACE_SDKS.includes(fm.sdk as (typeof SPACE_SDKS)[number])) {
    problems.push(`sdk: ${show(fm.sdk)} is not a Space SDK. Use static or docker (or gradio).`);
  }
  if (fm.app_port !== undefined) {
    const port = fm.app_port;
    if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
      problems.push(`app_port: ${show(port)} is not a port. Use a whole number from 1 to 65535 (7860).`);
    } else if (fm.sdk !== "docker") {
      problems.push("app_port: only a docker Space has a port. Remove app_port, or use sdk: docker.");
    }
  }
  if (
    fm.app_file !== undefined &&
    (!isString(fm.app_file) || fm.app_file === "" || fm.app_file.startsWith("/"))
  ) {
    problems.push(`app_file: ${show(fm.app_file)} must be a path inside the repo, e.g. dist/index.html.`);
  }
  if (fm.short_description !== undefined) {
    if (!isString(fm.short_description)) {
      problems.push("short_description: must be text.");
    } else if ([...fm.short_description].length > SHORT_DESCRIPTION_MAX) {
      problems.push(
        `short_description: ${[...fm.short_description].length} characters is too long. The Hub allows ${SHORT_DESCRIPTION_MAX}.`,
      );
    }
  }
  if (fm.license !== undefined) {
    if (!isString(fm.license) || !LICENSES.includes(fm.license)) {
      problems.push(
        `license: ${show(fm.license)} is not a licence id the Hub knows. Use an id such as apache-2.0, mit or cc-by-4.0 (see https://huggingface.co/docs/hub/repositories-licenses).`,
      );
    } else if (fm.license === "other" && !isString(fm.license_name)) {
      problems.push("license: other needs license_name (and a LICENSE file). Add license_name: <short-id>.");
    }
  }
  for (const key of STRING_LIST_KEYS) {
    const value = fm[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || !value.every(isString)) {
      problems.push(`${key}: must be a list of text, e.g.\n${key}:\n  - owner/name`);
    } else if ((key === "models" || key === "datasets") && value.some((id) => !REPO_ID.test(id))) {
      problems.push(
        `${key}: ${show(value.find((id) => !REPO_ID.test(id)))} is not a Hub id. Use owner/name.`,
      );
    }
  }
  if (fm.preload_from_hub !== undefined) {
    const entries = fm.preload_from_hub;
    const bad = Array.isArray(entries) ? entries.find((entry) => !isPreloadEntry(entry)) : entries;
    if (!Array.isArray(entries) || bad !== undefined) {
      problems.push(
        `preload_from_hub: ${show(bad)} is not a repo to preload. Use a list of "owner/name", "owner/name file1,file2" or "owner/name file1,file2 <commit sha>".`,
      );
    }
  }
  for (const key of BOOLEAN_KEYS) {
    if (fm[key] !== undefined && typeof fm[key] !== "boolean")
      problems.push(`${key}: must be true or false.`);
  }
  if (fm.header !== undefined && fm.header !== "mini" && fm.header !== "default") {
    problems.push(`header: ${show(fm.header)} is not allowed. Use mini or default.`);
  }
  if (
    fm.suggested_hardware !== undefined &&
    !SPACE_HARDWARE.includes(fm.suggested_hardware as (typeof SPACE_HARDWARE)[number])
  ) {
    problems.push(
      `suggested_hardware: ${show(fm.suggested_hardware)} is not a Space hardware flavour. Use e.g. cpu-basic.`,
    );
  }
  if (fm.custom_headers !== undefined) {
    const headers = fm.custom_headers;
    if (typeof headers !== "object" || headers === null || Array.isArray(headers)) {
      problems.push("custom_headers: must be a mapping of header names to values.");
    } else {
      for (const [name, value] of Object.entries(headers)) {
        const allowed = CUSTOM_HEADER_VALUES[name];
        if (!allowed) {
          problems.push(
            `custom_headers: ${show(name)} is not allowed. Only ${Object.keys(CUSTOM_HEADER_VALUES).join(", ")} (lower case).`,
          );
        } else if (!allowed.includes(value as string)) {
          problems.push(
            `custom_headers: ${name}: ${show(value)} is not allowed. Use one of ${allowed.join(", ")}.`,
          );
        }
      }
    }
  }
  return problems;
}

/** One `preload_from_hub` entry: a Hub id, then optionally a comma-separated file list and a commit sha. */
function isPreloadEntry(entry: unknown): boolean {
  if (typeof entry !== "string") return false;
  const [repo, files, commit, ...rest] = entry.trim().split(/\s+/);
  return (
    repo !== undefined &&
    REPO_ID.test(repo) &&
    rest.length === 0 &&
    (files === undefined || files.split(",").every((file) => file !== "")) &&
    (commit === undefined || /^[0-9a-f]{40}$/.test(commit))
  );
}

/**
 * The `preload_from_hub` list for a Docker Space that uses these Hub models: the entries already
 * there, plus each model not named in them (whole repos). Ids that are not `owner/name` are left out.
 */
export function preloadList(models: readonly string[], existing: readonly string[] = []): string[] {
  const named = new Set(existing.map((entry) => entry.trim().split(/\s+/)[0]));
  const added = [...new Set(models)].filter((id) => /^[\w.-]+\/[\w.-]+$/.test(id) && !named.has(id));
  return [...existing, ...added];
}

/** Reads the front matter of a README (the YAML between the first two `---` lines). */
export function readFrontMatter(readme: string): unknown {
  const match = /^---\r?\n([\s\S]*?)\r?\n---(\r?\n|$)/.exec(readme);
  if (!match) throw new Error("README.md has no front matter: it must start with a --- YAML block ---.");
  const document = parseDocument(match[1] ?? "");
  if (document.errors.length > 0) {
    throw new Error(`README.md front matter is not valid YAML: ${document.errors[0]?.message}`);
  }
  return document.toJS();
}

/** The front matter as the `---` block that opens a README. */
export function writeFrontMatter(frontMatter: SpaceFrontMatter): string {
  const ordered = Object.fromEntries(Object.entries(frontMatter).filter(([, value]) => value !== undefined));
  return `---\n${stringify(ordered, { lineWidth: 0 })}---\n`;
}
