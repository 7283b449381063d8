import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { sniffMimeType } from "../components/file-data.js";
import type { SpaceConfig } from "../config.js";
import { DeclarationError } from "../errors.js";
import type { NodeFileStore } from "./files.js";

const FILE_TYPES = new Set(["image", "audio", "file"]);

/**
 * Stores the files that examples name (`examples: [["./cat.jpg"]]`, relative to `root`) and puts
 * their FileData in the config, so clicking an example fills a media input like an upload would.
 * URLs stay as they are: the page shows and fetches them itself.
 */
export async function storeExampleFiles(
  config: SpaceConfig,
  files: NodeFileStore,
  root: string,
): Promise<void> {
  for (const { row, column, value } of exampleFileCells(config)) {
    if (isUrl(value)) {
      row[column] = {
        path: value,
        url: value,
        orig_name: basename(new URL(value).pathname),
        meta: { _type: "gradio.FileData" },
      };
      continue;
    }
    const absolute = resolve(root, value);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(absolute);
    } catch {
      throw new DeclarationError(
        `Example file "${value}" not found (looked for ${absolute}). Fix the path in examples.`,
      );
    }
    // Anyone may run an example: it is not the first session's that sends it.
    row[column] = await files.writePublic(bytes, {
      name: basename(absolute),
      mimeType: sniffMimeType(bytes) ?? "application/octet-stream",
    });
  }
}

/** The absolute paths of the local files that examples name (URLs left out), e.g. to watch them. */
export function exampleFilePaths(config: SpaceConfig, root: string): string[] {
  return [...exampleFileCells(config)]
    .filter(({ value }) => !isUrl(value))
    .map(({ value }) => resolve(root, value));
}

/**
 * The example cells that hold a file path or URL: a string in an image, audio or file column, or
 * in the `files` of a multimodal text box's `{ text, files }`. Setting `row[column]` replaces it.
 */
export function* exampleFileCells(
  config: SpaceConfig,
): Generator<{ row: unknown[]; column: number; value: string }> {
  const types = new Map(config.components.map((component) => [component.id, component.type]));
  for (const dataset of config.components.filter((component) => component.type === "dataset")) {
    const columns = dataset.props.components as number[];
    const samples = dataset.props.samples as unknown[][];
    for (const row of samples) {
      for (const [column, value] of row.entries()) {
        const type = types.get(columns[column] as number) ?? "";
        if (typeof value === "string" && FILE_TYPES.has(type)) yield { row, column, value };
        const files = (value as { files?: unknown } | null)?.files;
        if (type === "multimodaltextbox" && Array.isArray(files)) {
          for (const [index, file] of files.entries())
            if (typeof file === "string") yield { row: files, column: index, value: file };
        }
      }
    }
  }
}

function isUrl(value: string): boolean {
  return /^https?:\/\//.test(value);
}
