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
  const types = new Map(config.components.map((component) => [component.id, component.type]));
  for (const dataset of config.components.filter((component) => component.type === "dataset")) {
    const columns = dataset.props.components as number[];
    const samples = dataset.props.samples as unknown[][];
    for (const row of samples) {
      for (const [i, value] of row.entries()) {
        if (typeof value !== "string" || !FILE_TYPES.has(types.get(columns[i] as number) ?? "")) continue;
        if (/^https?:\/\//.test(value)) {
          row[i] = {
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
        row[i] = await files.write(bytes, {
          name: basename(absolute),
          mimeType: sniffMimeType(bytes) ?? "application/octet-stream",
        });
      }
    }
  }
}
