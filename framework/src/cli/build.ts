import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import { customElementsOf } from "../components/custom.js";
import type { FileData } from "../components/file-data.js";
import { sniffMimeType } from "../components/file-data.js";
import type { SpaceConfig } from "../config.js";
import { buildCustomElements } from "../server/custom-elements.js";
import { embeddingDisabled, spaceIdFrom } from "../server/embedding.js";
import { exampleFileCells } from "../server/examples.js";
import { elementChunks, prerenderPage } from "../server/page.js";
import type { Space } from "../space.js";
import type { WorkerOptions } from "../worker/runtime.js";
import { withIsolationHeaders } from "./headers.js";
import { UsageError } from "./load.js";

/** Options of {@link buildStatic}. */
export interface StaticBuildOptions {
  /** The app file (`app.ts`). */
  app: string;
  /** Output folder (default `dist` beside the app). */
  outDir?: string;
  /** Load models from this URL (a folder laid out by model id) instead of the Hub. */
  modelsUrl?: string;
}

const uiDir = fileURLToPath(new URL("../../ui/", import.meta.url));
const SERVER_ONLY_DEVICES = new Set(["cpu", "cuda", "dml", "gpu"]);

/**
 * `spacecraft build --static`: the page, a Web Worker holding the engine, the app's `fn` and its
 * models, and (when a model is declared) the onnxruntime-web WASM files — all from one origin.
 */
export async function buildStatic(
  space: Space,
  options: StaticBuildOptions,
): Promise<{ outDir: string; files: string[]; readmeUpdated: boolean }> {
  const app = resolve(options.app);
  const outDir = resolve(options.outDir ?? join(dirname(app), "dist"));
  checkBrowserModels(space);
  if (!existsSync(join(uiDir, "index.html"))) {
    throw new UsageError(`The page is not built (${uiDir}). Run "npm run build" in the Spacecraft repo.`);
  }
  rmSync(outDir, { recursive: true, force: true });
  // The page's server rendering and its build manifest serve here, not on the Space.
  const serverOnly = [join(uiDir, "ssr"), join(uiDir, ".vite")];
  cpSync(uiDir, outDir, { recursive: true, filter: (source) => !serverOnly.includes(source) });

  const config = space.toConfig({ runtime: "worker" });
  if (space.flagging) {
    console.warn(
      `Note: flagging is off in a static Space (no server to write flags to), so its page has no Flag button. Deploy with --sdk docker to collect flags.`,
    );
  }
  // A build on the Space itself has its id; elsewhere the page reads window.huggingface.variables.
  const spaceId = spaceIdFrom(process.env);
  if (spaceId) config.spacecraft.spaceId = spaceId;
  if (await embeddingDisabled(dirname(app))) config.spacecraft.disableEmbedding = true;
  // A Space's own components: their elements checked and bundled as a server does, beside the page.
  const customSources = customElementsOf(config.components.map((component) => component.type));
  if (customSources.length > 0) {
    const chunks = await buildCustomElements(customSources, uiDir);
    for (const chunk of chunks) {
      mkdirSync(dirname(join(outDir, chunk.path)), { recursive: true });
      writeFileSync(join(outDir, chunk.path), chunk.code);
    }
    config.spacecraft.customElements = Object.fromEntries(chunks.map((chunk) => [chunk.type, chunk.path]));
  }
  const exampleFiles = [
    ...copyExampleFiles(config, dirname(app), outDir),
    ...(await writeCachedExamples(space, dirname(app), outDir)),
  ];
  const elements = await elementChunks(uiDir, new Set(config.components.map((component) => component.type)));
  if (Object.keys(elements).length > 0) config.spacecraft.elements = elements;
  writeFileSync(join(outDir, "config.json"), JSON.stringify(config));
  // The page server-rendered now, as a server renders it (shown before any script runs); if it
  // cannot be, the page draws itself in the browser, as it did before.
  const index = join(outDir, "index.html");
  const page = await prerenderPage(uiDir, config).catch((error: unknown) => {
    console.warn(
      `Could not pre-render the page (${error instanceof Error ? error.message : String(error)}); it will render in the browser.`,
    );
    return readFileSync(index, "utf8").replace('href="config"', 'href="config.json"');
  });
  writeFileSync(index, page.replace(/<sc-app\b/, '<sc-app src="config.json"'));

  const workerOptions: WorkerOptions & { exampleFiles: FileData[] } = {
    ...(options.modelsUrl ? { modelsUrl: options.modelsUrl } : {}),
    exampleFiles,
  };
  await bundleWorker(app, outDir, workerOptions, space.models.length > 0);
  if (space.models.length > 0) copyOnnxRuntime(join(outDir, "ort"));
  const readme = join(dirname(app), "README.md");
  const isolated = existsSync(readme) ? withIsolationHeaders(readFileSync(readme, "utf8")) : undefined;
  if (isolated && space.models.length > 0) writeFileSync(readme, isolated);
  return {
    outDir,
    files: listFiles(outDir),
    readmeUpdated: isolated !== undefined && space.models.length > 0,
  };
}

/** Refuses model options that only a server can honour, and remote models (their token must stay on one). */
function checkBrowserModels(space: Space): void {
  const remote = space.endpoints.find((endpoint) => endpoint.model && "remote" in endpoint.model)?.model;
  if (remote) {
    throw new UsageError(
      `"${remote.model}" runs remotely (inference() or ChatInterface.fromOpenAI) with a token that must ` +
        "stay on a server: a static page would give it away. Run it on a server: spacecraft start, or a " +
        "Docker Space (sdk: docker).",
    );
  }
  for (const model of space.models) {
    const device = model.options.device;
    if (device && SERVER_ONLY_DEVICES.has(device)) {
      throw new UsageError(
        `pipeline("${model.task}", "${model.model}") asks for device "${device}", which only a server has. ` +
          'Leave device out (WebGPU when the browser has it, WASM otherwise), or use "webgpu" or "wasm".',
      );
    }
  }
}

/** Copies files named by examples into `files/` and gives the page their FileData. */
function copyExampleFiles(config: SpaceConfig, root: string, outDir: string): FileData[] {
  const copied: FileData[] = [];
  for (const { row, column, value } of exampleFileCells(config)) {
    if (/^https?:\/\//.test(value)) continue;
    const source = resolve(root, value);
    if (!existsSync(source)) {
      throw new UsageError(
        `Example file "${value}" not found (looked for ${source}). Fix the path in examples.`,
      );
    }
    const name = `${copied.length}-${basename(source)}`;
    mkdirSync(join(outDir, "files"), { recursive: true });
    copyFileSync(source, join(outDir, "files", name));
    const bytes = readFileSync(source);
    const file: FileData = {
      path: `example/${name}`,
      url: `files/${name}`,
      size: bytes.byteLength,
      orig_name: basename(source),
      mime_type: sniffMimeType(bytes) ?? "application/octet-stream",
      meta: { _type: "gradio.FileData" },
    };
    row[column] = file;
    copied.push(file);
  }
  return copied;
}

/**
 * Runs the examples declared with `cacheExamples` on Node, as a server would (lazy ones too: a
 * static Space's visitors share no server), and writes each row's outputs where the page asks a
 * server for them (`gradio_api/cached_examples/<table>/<row>.json`), their files under `files/`.
 * A row that fails is reported and left out: the page runs it in the worker when clicked.
 * Gives the FileData of the files written, which the worker accepts as inputs like examples'.
 */
async function writeCachedExamples(space: Space, root: string, outDir: string): Promise<FileData[]> {
  const config = space.toConfig();
  if (!config.components.some((component) => component.type === "dataset" && component.props.cache))
    return [];
  const [{ NodeFileStore }, { Engine }, { ExampleCache }, { storeExampleFiles }] = await Promise.all([
    import("../server/files.js"),
    import("../engine/engine.js"),
    import("../server/example-cache.js"),
    import("../server/examples.js"),
  ]);
  const files = new NodeFileStore();
  const engine = new Engine(space, { files });
  const warn = (message: string) => console.warn(message);
  try {
    await storeExampleFiles(config, files, root);
    const rows = await new ExampleCache(config, engine, warn).computeAll();
    const written: FileData[] = [];
    // Each file output becomes a file of the build, once however often the outputs name it.
    const copies = new Map<string, FileData>();
    const copy = async (file: FileData): Promise<FileData> => {
      const known = copies.get(file.path);
      if (known) return known;
      const { bytes, mimeType } = await files.read(file);
      const name = `cached-${copies.size}-${basename(file.orig_name ?? "file")}`;
      mkdirSync(join(outDir, "files"), { recursive: true });
      writeFileSync(join(outDir, "files", name), bytes);
      const copied: FileData = {
        path: `example/${name}`,
        url: `files/${name}`,
        size: bytes.byteLength,
        orig_name: file.orig_name ?? name,
        mime_type: mimeType,
        meta: { _type: "gradio.FileData" },
      };
      copies.set(file.path, copied);
      written.push(copied);
      return copied;
    };
    for (const { dataset, index, outputs } of rows) {
      const data = await mapFiles(outputs, copy);
      mkdirSync(join(outDir, "gradio_api", "cached_examples", String(dataset)), { recursive: true });
      writeFileSync(
        join(outDir, "gradio_api", "cached_examples", String(dataset), `${index}.json`),
        JSON.stringify({ data }),
      );
    }
    return written;
  } finally {
    await engine.close(0);
    files.clear();
  }
}

/** A copy of `value` with every FileData in it replaced by what `replace` gives. */
async function mapFiles(value: unknown, replace: (file: FileData) => Promise<FileData>): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((item) => mapFiles(item, replace)));
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (
    (record.meta as { _type?: unknown } | undefined)?._type === "gradio.FileData" &&
    typeof record.path === "string"
  )
    return replace(record as unknown as FileData);
  const entries = await Promise.all(
    Object.entries(record).map(async ([key, item]) => [key, await mapFiles(item, replace)] as const),
  );
  return Object.fromEntries(entries);
}

async function bundleWorker(
  app: string,
  outDir: string,
  options: WorkerOptions & { exampleFiles: FileData[] },
  withModels: boolean,
): Promise<void> {
  const { build } = await import("vite");
  const entryId = "\0spacecraft-worker-entry";
  const entry: Plugin = {
    name: "spacecraft:worker-entry",
    resolveId: (source) => (source === "spacecraft:worker" ? entryId : undefined),
    load: (id) =>
      id === entryId
        ? [
            `import space from ${JSON.stringify(app)};`,
            `import { runWorker } from "spacecraft/worker";`,
            `runWorker(space, ${JSON.stringify(options)});`,
          ].join("\n")
        : undefined,
  };
  await build({
    configFile: false,
    root: dirname(app),
    logLevel: "warn",
    plugins: [entry, browserOnly(app), litWithoutDom(), dropBundledWasm()],
    // Without a model, the model code in Interface is dead and goes (see interface.ts); what
    // only a server shared by many visitors needs goes too (see engine.ts).
    define: { __SPACECRAFT_MODELS__: JSON.stringify(withModels), __SPACECRAFT_SERVER__: "false" },
    build: {
      outDir,
      emptyOutDir: false,
      target: "es2022",
      copyPublicDir: false,
      minify: process.env.SPACECRAFT_NO_MINIFY ? false : "oxc",
      rolldownOptions: {
        input: { worker: "spacecraft:worker" },
        output: { entryFileNames: "[name].js", chunkFileNames: "assets/worker-[name]-[hash].js" },
      },
    },
  });
}

/** A clear build error when app code imports something that exists only in Node. */
function browserOnly(app: string): Plugin {
  const builtins = new Set(builtinModules);
  return {
    name: "spacecraft:browser-only",
    enforce: "pre",
    resolveId(source, importer) {
      if (!importer || importer.includes("/node_modules/") || importer.startsWith("\0")) {
        if (source !== "spacecraft/server") return undefined;
      }
      const where = importer && !importer.startsWith("\0") ? relative(dirname(app), importer) : basename(app);
      if (source === "spacecraft/server" || source === "spacecraft/cli") {
        this.error(
          `${where} imports "${source}", which runs only on a server. A static Space runs in the browser: import from "spacecraft" only.`,
        );
      }
      if (source.startsWith("node:") || builtins.has(source) || builtins.has(source.split("/")[0] ?? "")) {
        this.error(
          `${where} imports "${source}", a Node built-in that does not exist in a browser. ` +
            "Remove it for a static Space, or deploy with a server (sdk: docker).",
        );
      }
      return undefined;
    },
  };
}

/**
 * A Space's own component file defines its Lit element beside its spec, and the worker runs the
 * spec. A worker has no DOM, so there Lit comes from its Node build (with its DOM shim), resolved
 * as Node resolves it; only Spaces whose code imports Lit bundle it.
 */
function litWithoutDom(): Plugin {
  const lit = /^(lit|lit-html|lit-element|@lit\/reactive-element|@lit-labs\/ssr-dom-shim)(\/|$)/;
  return {
    name: "spacecraft:lit-without-dom",
    enforce: "pre",
    resolveId(source, importer) {
      if (!importer || importer.startsWith("\0") || !lit.test(source)) return undefined;
      try {
        return createRequire(importer).resolve(source);
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * transformers.js names onnxruntime's WASM with `new URL(…, import.meta.url)`, so bundlers copy
 * 27 MB into every build. The worker points onnxruntime at `ort/` instead, copied only when
 * the Space declares a model, so the bundled copy goes.
 */
function dropBundledWasm(): Plugin {
  return {
    name: "spacecraft:drop-bundled-wasm",
    generateBundle(_options, bundle) {
      for (const name of Object.keys(bundle)) {
        if (/ort-wasm[^/]*\.(wasm|mjs)$/.test(name) && bundle[name]?.type === "asset") delete bundle[name];
      }
    },
  };
}

function copyOnnxRuntime(target: string): void {
  const dist = dirname(fileURLToPath(import.meta.resolve("onnxruntime-web")));
  mkdirSync(target, { recursive: true });
  for (const file of ["ort-wasm-simd-threaded.asyncify.mjs", "ort-wasm-simd-threaded.asyncify.wasm"]) {
    copyFileSync(join(dist, file), join(target, file));
  }
}

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}
