// A Space's own components (`sc.defineComponent`): each file is checked for its element when the
// server starts (or `spacecraft build` runs) and bundled for the page with esbuild: one
// content-hashed chunk per component, which the page imports only when its config has that type.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import type { CustomElementSource } from "../components/custom.js";
import { DeclarationError } from "../errors.js";

/** A custom component's element, bundled for the browser. */
export interface CustomElementChunk {
  readonly type: string;
  /** The chunk's path under the page, `assets/custom/star-rating-1a2b3c4d.js`. */
  readonly path: string;
  /** Its code (an ES module that registers the element). */
  readonly code: string;
}

/** Tags a file registers in its source: `customElements.define("x", …)`, `@customElement("x")`. */
function tagsIn(code: string): string[] {
  const found = code.matchAll(/(?:customElements\.define|@customElement)\(\s*(["'`])([^"'`]+)\1/g);
  return [...new Set([...found].map((match) => match[2] as string))];
}

/**
 * Checks that the component's file registers its element `<sc-TYPE>` (in Node's registry, which
 * Lit's DOM shim provides once the file ran, or in its source), else throws saying what to change.
 */
export async function checkCustomElement(source: CustomElementSource): Promise<void> {
  const { type, tag, file } = source;
  let code: string;
  try {
    code = await readFile(file, "utf8");
  } catch {
    throw new DeclarationError(
      `The component "${type}" names its file as ${file}, which cannot be read. ` +
        "Pass `file: import.meta.url` from the file that defines its element.",
    );
  }
  const registry = (globalThis as { customElements?: { get(name: string): unknown } }).customElements;
  const tags = tagsIn(code);
  if (registry?.get(tag) !== undefined || tags.includes(tag)) return;
  if (tags.length > 0) {
    throw new DeclarationError(
      `${file}: the element is registered as <${tags.join(">, <")}>, but the spec's type is "${type}", ` +
        `so the page looks for <${tag}>. Make them agree: register it with customElements.define("${tag}", …) ` +
        `or rename the type to defineComponent("${(tags[0] as string).replace(/^sc-/, "")}", …).`,
    );
  }
  throw new DeclarationError(
    `${file} defines the component "${type}" but no element for it. Define a Lit element in that ` +
      `file and register it: customElements.define("${tag}", YourElement).`,
  );
}

/**
 * What a component file's `spacecraft` import becomes in the browser chunk: every export a
 * harmless stand-in, so the spec's declaration runs there without bundling the framework.
 */
function specStandIn(names: readonly string[]): string {
  const exports = names.filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default");
  return [
    "const any = new Proxy(function () {}, { get: (_, key) => (key === Symbol.toPrimitive ? () => '' : any), apply: () => any, construct: () => any });",
    `export { ${exports.map((name) => `any as ${name}`).join(", ")} };`,
    "export default any;",
  ].join("\n");
}

/** The page build's modules of its own Lit for custom elements (paths under the page). */
interface SharedLit {
  /** `lit`, `lit/decorators.js`, `spacecraft/element` (components/src/lit.ts). */
  readonly lit: string;
  /** `lit/directive.js`, `lit/async-directive.js`, `lit/directives/*` (components/src/lit-directives.ts). */
  readonly directives: string;
}

/** Where the page build put its Lit modules, from its manifest; none in a build without them. */
async function sharedLitOf(uiDir: string): Promise<SharedLit | undefined> {
  let manifest: Record<string, { file?: string }>;
  try {
    manifest = JSON.parse(await readFile(join(uiDir, ".vite/manifest.json"), "utf8"));
  } catch {
    return undefined;
  }
  const lit = manifest["../src/lit.ts"]?.file;
  const directives = manifest["../src/lit-directives.ts"]?.file;
  return lit && directives ? { lit, directives } : undefined;
}

/**
 * Bare imports served by the page's `lit.ts`: Lit's core and decorators, by any of its packages,
 * and the built-ins' base class (`spacecraft/element`).
 */
const LIT_CORE =
  /^(?:spacecraft\/element|lit(?:\/index\.js|\/html\.js)?|lit-html(?:\/lit-html\.js)?|lit-element(?:\/lit-element\.js)?|@lit\/reactive-element(?:\/reactive-element\.js)?|(?:lit|@lit\/reactive-element)\/decorators(?:\.js|\/[\w-]+\.js))$/;
/** Bare imports served by the page's `lit-directives.ts`. */
const LIT_DIRECTIVES = /^(?:lit|lit-html)\/(?:directive\.js|async-directive\.js|directives\/[\w-]+\.js)$/;

/**
 * Bundles the element of each custom component for the page, after checking it is there:
 * `spacecraft` is replaced by a stand-in, Lit's imports point at the page's own Lit modules
 * (relative to the chunk, so they work under any root path; without them in `uiDir`'s build,
 * Lit is bundled in), and anything else it imports is bundled in.
 */
export async function buildCustomElements(
  sources: readonly CustomElementSource[],
  uiDir?: string,
): Promise<CustomElementChunk[]> {
  for (const source of sources) await checkCustomElement(source);
  const [esbuild, framework, shared] = await Promise.all([
    import("esbuild"),
    import("../index.js"),
    uiDir ? sharedLitOf(uiDir) : undefined,
  ]);
  const standIn = specStandIn(Object.keys(framework));
  // Chunks are written to assets/custom/: the page's modules are one folder up.
  const fromChunk = (file: string) => posix.relative("assets/custom", file);
  return Promise.all(
    sources.map(async ({ type, file }) => {
      const result = await esbuild
        .build({
          entryPoints: [file],
          bundle: true,
          write: false,
          format: "esm",
          platform: "browser",
          target: "es2022",
          minify: true,
          legalComments: "none",
          logLevel: "silent",
          define: { "process.env.NODE_ENV": '"production"' },
          plugins: [
            {
              name: "spacecraft-spec",
              setup(build) {
                build.onResolve({ filter: /^spacecraft$/ }, () => ({
                  path: "spacecraft",
                  namespace: "spec",
                }));
                build.onLoad({ filter: /.*/, namespace: "spec" }, () => ({
                  contents: standIn,
                  loader: "js",
                }));
              },
            },
            ...(shared
              ? [
                  {
                    name: "spacecraft-shared-lit",
                    setup(build: import("esbuild").PluginBuild) {
                      build.onResolve(
                        {
                          filter:
                            /^(?:lit|lit-html|lit-element|@lit\/reactive-element|spacecraft\/element)(?:\/|$)/,
                        },
                        ({ path }) => {
                          if (LIT_CORE.test(path)) return { path: fromChunk(shared.lit), external: true };
                          if (LIT_DIRECTIVES.test(path))
                            return { path: fromChunk(shared.directives), external: true };
                          // Rarer modules (lit/static-html.js, directive helpers): bundled, as Lit was before.
                          return undefined;
                        },
                      );
                    },
                  },
                ]
              : []),
          ],
        })
        .catch((error: { errors?: { text: string; location?: { file: string; line: number } | null }[] }) => {
          const first = error.errors?.[0];
          const where = first?.location ? `${first.location.file}:${first.location.line}: ` : `${file}: `;
          throw new DeclarationError(
            `Could not bundle the element of "${type}" for the page: ${where}${first?.text ?? String(error)}`,
          );
        });
      const code = result.outputFiles[0]?.text ?? "";
      const hash = createHash("sha256").update(code).digest("hex").slice(0, 8);
      // The type is lowercase words and "-" (checked by defineComponent): safe in a path.
      return { type, path: `assets/custom/${type}-${hash}.js`, code };
    }),
  );
}
