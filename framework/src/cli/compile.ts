import { createHash } from "node:crypto";
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Loader, Message, Plugin } from "esbuild";
import { UsageError } from "./usage-error.js";

/**
 * What the cache records for one app: the key of its inputs, the files its output was built
 * from (the app's own modules, their tsconfig files, any JSON or text they import), and the
 * output's name, or `null` when the app needs the loader hooks (see {@link needsLoaderHooks}).
 */
interface Manifest {
  key: string;
  inputs: string[];
  output: string | null;
}

/** Changes whenever the build below changes, so old cache entries are not reused. */
const BUILD_ID = "1";

const require = createRequire(import.meta.url);

/**
 * Compiles a TypeScript app once with esbuild and caches the result by the content of every
 * file bundled into it (with esbuild's version, Node's and the build's options), so a start
 * with nothing changed only reads and hashes those files. Only the app's own modules (relative
 * imports, tsconfig `paths`) are bundled; packages stay imports, resolved at run time from the
 * app's folder as before, because the cache lives in the nearest `node_modules/.cache/spacecraft/`.
 * Each module's `import.meta.url`, `import.meta.dirname`/`filename` and `__dirname`/`__filename`
 * keep naming its own file, and errors name `file:line:column`. Returns the compiled module's path.
 *
 * `undefined` when the app cannot be run this way and needs tsx's loader hooks: no writable
 * `node_modules` above it (where the cache must be for packages to resolve the same), or code
 * whose meaning depends on where the module file is (`import(variable)`, other `import.meta` uses).
 */
export async function compileApp(app: string): Promise<string | undefined> {
  const path = resolve(app);
  const cacheDir = writableCacheDir(dirname(path));
  if (!cacheDir) return undefined;
  const stem = `${basename(path, extname(path))}-${sha256(path).slice(0, 12)}`;
  const manifestFile = join(cacheDir, `${stem}.json`);
  const previous = readManifest(manifestFile);
  if (previous && previous.key === keyOf(previous.inputs.map((input) => [input, readIfThere(input)]))) {
    if (previous.output === null) return undefined;
    const file = join(cacheDir, previous.output);
    if (existsSync(file)) return file;
  }
  const { code, inputs } = await bundle(path, cacheDir);
  const key = keyOf(inputs);
  const output = needsLoaderHooks(code) ? null : `${stem}-${key.slice(0, 16)}.mjs`;
  const manifest: Manifest = { key, inputs: inputs.map(([input]) => input), output };
  try {
    if (output !== null) writeAtomically(join(cacheDir, output), code);
    writeAtomically(manifestFile, JSON.stringify(manifest));
  } catch {
    return undefined; // A full disk, say: tsx loads the app as before.
  }
  if (previous?.output && previous.output !== output)
    rmSync(join(cacheDir, previous.output), { force: true });
  return output === null ? undefined : join(cacheDir, output);
}

/**
 * True for code whose meaning depends on where its module file is, which the compiled copy
 * would change: `import.meta` beyond `url`/`dirname`/`filename` (`import.meta.resolve`), and
 * `import()` of a computed specifier (a relative one would resolve from the cache).
 */
function needsLoaderHooks(code: string): boolean {
  return /\bimport\.meta\b/.test(code) || /\bimport\s*\(\s*[^"'\s]/.test(code);
}

/**
 * The cache folder: `.cache/spacecraft/` in the nearest `node_modules` above the app, where a
 * package import resolves exactly as it does from the app's own folder. `undefined` when there
 * is none or it is not writable.
 */
function writableCacheDir(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const modules = join(dir, "node_modules");
    if (isDirectory(modules)) {
      const cacheDir = join(modules, ".cache", "spacecraft");
      try {
        mkdirSync(cacheDir, { recursive: true });
        accessSync(cacheDir, constants.W_OK);
        return cacheDir;
      } catch {
        return undefined;
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Bundles the app's own modules into one ES module; returns it and each input with its content. */
async function bundle(
  app: string,
  cacheDir: string,
): Promise<{ code: string; inputs: [string, string | undefined][] }> {
  const esbuild = await import("esbuild");
  const contents = new Map<string, string>();
  const tsconfigs = new Set<string>();
  const target = `node${process.versions.node}`;
  const plugin: Plugin = {
    name: "spacecraft-app",
    setup(build) {
      // Packages stay imports; a bare name that is no package (a tsconfig `paths` alias) or a
      // `#` import is resolved here and, when it leads to the app's own files, bundled.
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === "resolving" || args.kind === "entry-point") return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        if (!args.path.startsWith("#") && hasPackageDir(args.path, args.resolveDir)) {
          return { path: args.path, external: true };
        }
        const found = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: "resolving",
        });
        if (found.errors.length > 0 || !found.path) return { path: args.path, external: true };
        if (found.path.split(sep).includes("node_modules")) {
          return { path: pathToFileURL(found.path).href, external: true };
        }
        return { path: found.path };
      });
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        const source = readFileSync(args.path, "utf8");
        contents.set(args.path, source);
        const tsconfig = nearestTsconfig(dirname(args.path));
        if (tsconfig) for (const file of tsconfigChain(tsconfig)) tsconfigs.add(file);
        const url = pathToFileURL(args.path).href;
        const file = JSON.stringify(args.path);
        const folder = JSON.stringify(dirname(args.path));
        try {
          // One module at a time, so each gets its own file's import.meta and __dirname.
          const result = await esbuild.build({
            // Source map paths relative to the module's folder, as the bundle reads them.
            absWorkingDir: dirname(args.path),
            stdin: {
              contents: source,
              sourcefile: args.path,
              resolveDir: dirname(args.path),
              loader: loaderOf(args.path),
            },
            ...(tsconfig ? { tsconfig } : {}),
            bundle: false,
            write: false,
            platform: "node",
            target,
            // The bundle keeps names (once, for every module); nothing is renamed here.
            sourcemap: "inline",
            sourcesContent: false,
            logLevel: "silent",
            define: {
              "import.meta.url": JSON.stringify(url),
              "import.meta.dirname": folder,
              "import.meta.filename": file,
              __dirname: folder,
              __filename: file,
            },
          });
          return {
            contents: result.outputFiles[0]?.text ?? "",
            loader: "js",
            resolveDir: dirname(args.path),
          };
        } catch (error) {
          const errors = (error as { errors?: Message[] }).errors;
          if (errors) return { errors };
          throw error;
        }
      });
    },
  };
  try {
    const result = await esbuild.build({
      entryPoints: [app],
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      target,
      keepNames: true,
      sourcemap: "inline",
      sourcesContent: false,
      metafile: true,
      logLevel: "silent",
      // Where the output goes (its name aside), so the source map's paths lead back to the app.
      outfile: join(cacheDir, "app.mjs"),
      plugins: [plugin],
    });
    const code = result.outputFiles[0]?.text ?? "";
    // A package imported by require() resolves from the app's folder too. On the first line (in
    // place of a hashbang), so the source map's lines still match.
    const requireLine = `import { createRequire as __spacecraftCreateRequire } from "node:module"; const require = __spacecraftCreateRequire(${JSON.stringify(pathToFileURL(app).href)});`;
    const withRequire = !code.includes("__require")
      ? code
      : code.startsWith("#!")
        ? `${requireLine}${code.slice(code.indexOf("\n"))}`
        : `${requireLine} ${code}`;
    // Files esbuild loaded itself (JSON, text) are hashed as they are now.
    const loaded = Object.keys(result.metafile.inputs).map((input) => resolve(input));
    const others = [...loaded.filter((file) => !contents.has(file)), ...tsconfigs];
    const inputs: [string, string | undefined][] = [
      ...[...contents].sort(([a], [b]) => a.localeCompare(b)),
      ...[...new Set(others)].sort().map((file): [string, string | undefined] => [file, readIfThere(file)]),
    ];
    return { code: withRequire, inputs };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (errors && errors.length > 0) throw new UsageError(describeErrors(errors));
    throw error;
  } finally {
    // esbuild's service is a child process: a server that runs for days has no use for it.
    await esbuild.stop();
  }
}

/** esbuild's errors as `file:line:column: message`, with the line and a caret, and what to do. */
export function describeErrors(errors: readonly Message[]): string {
  const lines = errors.slice(0, 5).map((error) => {
    const where = error.location;
    if (!where) return error.text;
    const file = relative(process.cwd(), resolve(where.file)) || where.file;
    return (
      `${file}:${where.line}:${where.column + 1}: ${error.text}\n` +
      `    ${where.lineText}\n    ${" ".repeat(where.column)}^`
    );
  });
  const more = errors.length > 5 ? `\n… and ${errors.length - 5} more.` : "";
  return `The app does not compile:\n${lines.join("\n")}${more}\nFix the code there and start again.`;
}

function loaderOf(path: string): Loader {
  const extension = extname(path);
  if (extension === ".tsx") return "tsx";
  if (extension === ".jsx") return "jsx";
  return /^\.[cm]?ts$/.test(extension) ? "ts" : "js";
}

/** Whether Node would find `specifier`'s package in a `node_modules` above `from`. */
function hasPackageDir(specifier: string, from: string): boolean {
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules", name))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/** The tsconfig.json (or jsconfig.json) esbuild applies to files in `dir`, as it finds it. */
function nearestTsconfig(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    for (const name of ["tsconfig.json", "jsconfig.json"]) {
      const file = join(dir, name);
      if (existsSync(file)) return file;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** A tsconfig and the ones it extends by relative path (those from packages are not followed). */
function tsconfigChain(file: string): string[] {
  const chain = [file];
  for (let current = file; chain.length < 10; ) {
    const extended = /"extends"\s*:\s*"(\.{1,2}\/[^"]+)"/.exec(readIfThere(current) ?? "")?.[1];
    if (!extended) break;
    const next = resolve(dirname(current), extended.endsWith(".json") ? extended : `${extended}.json`);
    if (chain.includes(next)) break;
    chain.push(next);
    current = next;
  }
  return chain;
}

function keyOf(inputs: readonly (readonly [string, string | undefined])[]): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify([BUILD_ID, esbuildVersion(), process.versions.node]));
  for (const [file, text] of inputs)
    hash.update(`\0${file}\0${text === undefined ? "(none)" : sha256(text)}`);
  return hash.digest("hex");
}

let version: string | undefined;
function esbuildVersion(): string {
  version ??= (
    JSON.parse(readFileSync(require.resolve("esbuild/package.json"), "utf8")) as { version: string }
  ).version;
  return version;
}

function readManifest(file: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(file, "utf8")) as Partial<Manifest>;
    const valid =
      typeof manifest.key === "string" &&
      Array.isArray(manifest.inputs) &&
      manifest.inputs.every((input) => typeof input === "string") &&
      (manifest.output === null || typeof manifest.output === "string");
    return valid ? (manifest as Manifest) : undefined;
  } catch {
    return undefined;
  }
}

/** A file's text; `undefined` for one that is gone (so a key that had it no longer matches). */
function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Writes beside the target, then renames: a start running at the same time never reads half a file. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
