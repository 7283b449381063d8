import { existsSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { exampleFilePaths } from "../server/examples.js";
import type { Space } from "../space.js";
import { compileApp } from "./compile.js";
import { devWatchReporter } from "./dev.js";
import { UsageError } from "./usage-error.js";

export { UsageError } from "./usage-error.js";

let registered = false;

/**
 * Imports the app and returns its default export, checked. TypeScript is compiled once and
 * cached (`compile.ts`) and plain JavaScript is imported as it is, so a start runs no loader
 * hooks; under `spacecraft dev`, and for an app the cache cannot serve, tsx loads it (and
 * reports each module it imports, for the watcher).
 */
export async function loadSpace(file: string): Promise<Space> {
  const path = resolve(file);
  if (!existsSync(path)) {
    throw new UsageError(`Cannot find ${file}. Pass the path of your app, e.g. "spacecraft start app.ts".`);
  }
  const reportFiles = devWatchReporter();
  let url = pathToFileURL(path).href;
  const compiled = reportFiles || !/\.[cm]?tsx?$/.test(path) ? undefined : await compileApp(path);
  if (compiled) {
    // The framework loads before source maps are on (reading its maps costs ~30 ms of CPU); from
    // then on, stack traces point at the app's own files, as under tsx.
    if (importsThisSpacecraft(path)) await import("../index.js");
    process.setSourceMapsEnabled(true);
    url = pathToFileURL(compiled).href;
  } else if (!registered && (reportFiles || !/\.[cm]?js$/.test(path))) {
    const { register } = await import("tsx/esm/api");
    register(reportFiles ? { onImport: (url) => reportFiles([url]) } : {});
    registered = true;
  }
  const module = (await import(url).catch((error: unknown) => {
    // A package that is not installed: name the app, not its compiled copy, as the importer.
    if (
      compiled &&
      error instanceof Error &&
      (error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND"
    ) {
      error.message = error.message.replaceAll(compiled, path);
    }
    throw error;
  })) as { default?: unknown };
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

/** Whether `import "spacecraft"` from the app's folder is this copy of the package. */
function importsThisSpacecraft(app: string): boolean {
  try {
    const theirs = createRequire(app).resolve("spacecraft/package.json");
    return (
      realpathSync(theirs) === realpathSync(fileURLToPath(new URL("../../package.json", import.meta.url)))
    );
  } catch {
    return false;
  }
}

function isSpace(value: unknown): value is Space {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Space).toConfig === "function" &&
    Array.isArray((value as Space).endpoints)
  );
}
