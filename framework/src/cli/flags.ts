import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Upload } from "../deploy/deploy.js";
import { explainHubError, uploadWithProgress, writerOf } from "../deploy/deploy.js";
import { UsageError } from "./usage-error.js";

/** One flagged run as the server writes it (a line of `<endpoint>.jsonl`). */
interface FlaggedLine {
  flagged_at?: unknown;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  reason?: unknown;
  username?: unknown;
}

/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: a string that a spreadsheet would take as a formula gets a leading `'`; a cell with
 * a quote, comma, line break or edge space is quoted, its quotes doubled. Numbers stay numbers.
 */
export function csvCell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = "";
  else if (typeof value === "number" || typeof value === "boolean") return String(value);
  else if (typeof value === "string") text = value;
  else if (isFlaggedFile(value)) text = value.path;
  else text = JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The CSV of flagged lines: `flagged_at`, each input and output by name (an output named like an
 * input gets " (output)"), `reason`, `username`; files as their paths in the flagging folder.
 */
export function flagsToCsv(lines: readonly FlaggedLine[]): string {
  const inputs: string[] = [];
  const outputs: string[] = [];
  for (const line of lines) {
    for (const key of Object.keys(line.inputs ?? {})) if (!inputs.includes(key)) inputs.push(key);
    for (const key of Object.keys(line.outputs ?? {})) if (!outputs.includes(key)) outputs.push(key);
  }
  const header = [
    "flagged_at",
    ...inputs,
    ...outputs.map((key) => (inputs.includes(key) ? `${key} (output)` : key)),
    "reason",
    "username",
  ];
  const rows = lines.map((line) => [
    line.flagged_at,
    ...inputs.map((key) => line.inputs?.[key]),
    ...outputs.map((key) => line.outputs?.[key]),
    line.reason,
    line.username,
  ]);
  return `${[header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

/** The flagged lines of a JSONL file; a damaged line is refused with its number. */
export function readFlags(file: string): FlaggedLine[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((text, i) => {
      if (text.trim() === "") return [];
      try {
        const line = JSON.parse(text) as unknown;
        if (typeof line !== "object" || line === null || Array.isArray(line))
          throw new Error("not an object");
        return [line as FlaggedLine];
      } catch {
        throw new UsageError(
          `${file}, line ${i + 1}: not a flagged run (a JSON object). Fix or remove that line.`,
        );
      }
    });
}

/** The JSONL file of a flagging folder (or the file given); a folder with several must be named. */
export function flagsFile(target: string): string {
  const path = resolve(target);
  if (!existsSync(path)) {
    throw new UsageError(
      `${target} does not exist. Give the flagging folder (default "flagged") or its .jsonl file.`,
    );
  }
  if (!statSync(path).isDirectory()) return path;
  const found = readdirSync(path).filter((name) => name.endsWith(".jsonl"));
  if (found.length === 1) return join(path, found[0] as string);
  if (found.length === 0)
    throw new UsageError(`${target} holds no flags (no .jsonl file). Flag a result first.`);
  throw new UsageError(
    `${target} holds flags of several endpoints (${found.join(", ")}): give one, e.g. ${join(target, found[0] as string)}.`,
  );
}

/** `spacecraft flags export [dir] --csv out.csv`: writes the CSV, returns how many rows. */
export function exportFlags(target: string, out: string): number {
  const lines = readFlags(flagsFile(target));
  writeFileSync(out, flagsToCsv(lines));
  return lines.length;
}

/** Options of {@link pushFlags}. */
export interface PushOptions {
  /** `owner/name` of the dataset; created when missing. */
  dataset: string;
  /** The flagging folder. */
  dir: string;
  /** A write token (`hf_…`); never printed. */
  token: string;
  hubUrl?: string;
  /** Create the dataset private. */
  private?: boolean;
  log: (line: string) => void;
}

/**
 * `spacecraft flags push owner/dataset [dir]`: creates the dataset repo if missing and uploads the
 * flagging folder's JSONL files and copied files in one commit, with deploy's progress lines.
 */
export async function pushFlags(options: PushOptions): Promise<{ url: string; files: string[] }> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(options.dataset)) {
    throw new UsageError(`The dataset must look like owner/name, not "${options.dataset}".`);
  }
  const dir = resolve(options.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`${options.dir} is not a folder. Give the flagging folder (default "flagged").`);
  }
  const paths = listFiles(dir);
  if (!paths.some((path) => path.endsWith(".jsonl"))) {
    throw new UsageError(`${options.dir} holds no flags (no .jsonl file). Flag a result first.`);
  }
  for (const path of paths.filter((path) => path.endsWith(".jsonl"))) readFlags(join(dir, path));
  const hubUrl = (options.hubUrl ?? "https://huggingface.co").replace(/\/+$/, "");
  const hub = await import("@huggingface/hub");
  const credentials = { accessToken: options.token, hubUrl };
  await writerOf(hub, credentials);
  const repo = { type: "dataset" as const, name: options.dataset };
  try {
    await hub.createRepo({ repo, ...(options.private ? { private: true } : {}), ...credentials });
    options.log(`Created the dataset ${options.dataset}.`);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 409) {
      throw explainHubError(error, `create the dataset ${options.dataset}`);
    }
    options.log(`The dataset ${options.dataset} exists: adding to it.`);
  }
  const uploads: Upload[] = paths.map((path) => ({ path, content: pathToFileURL(join(dir, path)) }));
  await uploadWithProgress(
    hub,
    repo,
    uploads,
    credentials,
    "Flagged runs, pushed with Spacecraft",
    options.log,
  );
  const url = `${hubUrl}/datasets/${options.dataset}`;
  options.log(`Dataset: ${url}`);
  return { url, files: paths };
}

/** Every file under a folder, as `/`-separated paths relative to it; dotfiles left out. */
function listFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) found.push(relative(dir, path).split(sep).join("/"));
    }
  };
  walk(dir);
  return found.sort();
}

function isFlaggedFile(value: unknown): value is { path: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { path?: unknown }).path === "string" &&
    "orig_name" in value
  );
}
