import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { exampleFilePaths } from "../server/examples.js";
import type { Space } from "../space.js";
import { devWatchReporter } from "./dev.js";

let registered = false;

/** Imports `app.ts` (TypeScript through tsx) and returns its default export, checked. */
export async function loadSpace(file: string): Promise<Space> {
  const path = resolve(file);
  if (!existsSync(path)) {
    throw new UsageError(`Cannot find ${file}. Pass the path of your app, e.g. "spacecraft start app.ts".`);
  }
  const reportFiles = devWatchReporter();
  if (!registered) {
    const { register } = await import("tsx/esm/api");
    register(reportFiles ? { onImport: (url) => reportFiles([url]) } : {});
    registered = true;
  }
  const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  const space = module.default;
  if (!isSpace(space)) {
    throw new UsageError(
      `${file} must export a Space as its default export: "export default Interface({ ... })" or ` +
        '"export default Blocks({ title }, () => { ... })".',
    );
  }
  reportFiles?.(exampleFilePaths(space.toConfig(), dirname(path)));
  return space;
}

function isSpace(value: unknown): value is Space {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Space).toConfig === "function" &&
    Array.isArray((value as Space).endpoints)
  );
}

/** A mistake in how the CLI was called; printed without a stack. */
export class UsageError extends Error {
  override name = "UsageError";
}
