import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { Request, Response } from "express";
import type { IOptions } from "sanitize-html";
import type { SpaceConfig } from "../config.js";
import type { EarlyRuns } from "./early-input.js";
import { drawingActs, earlyInputScript, earlyRuns } from "./early-input.js";

/** What the page's server rendering (`ui/ssr/page.js`, built from `components/src/app/ssr.ts`) exports. */
interface PageRendering {
  renderApp(
    config: SpaceConfig,
    options: {
      loadMarkdown(): Promise<(text: string) => string>;
      loadSanitizer(): Promise<(html: string) => string>;
    },
  ): Promise<string>;
  themeStyles: string;
  spaceThemeStyles?(config: SpaceConfig): string;
}

/**
 * Markdown → sanitised HTML for the server-drawn page: `marked` with GFM, as the page parses it,
 * then `sanitize-html` with an allowlist close to DOMPurify's defaults (which the live page uses):
 * the tags Markdown and hand-written descriptions use, and their `style` attributes (a centred
 * description), but no script, `<style>`, event handler, form or frame, and links only to
 * http(s), mailto and tel (images also to `data:`). Not DOMPurify itself: on Node it needs jsdom,
 * whose load took seconds and ~75 MB of memory on a Space's first visit. Loaded only for a page
 * whose Markdown needs the parser.
 */
async function loadMarkdown(): Promise<(text: string) => string> {
  const [{ Marked }, sanitize] = await Promise.all([import("marked"), loadSanitizer()]);
  const marked = new Marked({ gfm: true });
  return (text) => sanitize(marked.parse(text, { async: false }));
}

/** HTML → sanitised HTML with `sanitize-html`: the allowlist above (Markdown's, and an HTML component's). */
async function loadSanitizer(): Promise<(html: string) => string> {
  const { default: sanitize } = await import("sanitize-html");
  const options: IOptions = {
    allowedTags: [
      ...sanitize.defaults.allowedTags,
      "img",
      "picture",
      "source",
      "details",
      "summary",
      "del",
      "ins",
      "center",
      "input",
    ],
    allowedAttributes: {
      "*": ["title", "lang", "dir", "align", "class", "style"],
      a: ["href", "name", "target", "rel"],
      img: ["src", "srcset", "alt", "width", "height", "loading"],
      source: ["srcset", "type", "media"],
      input: ["type", "checked", "disabled"],
      ol: ["start", "type"],
      td: ["colspan", "rowspan", "align"],
      th: ["colspan", "rowspan", "align", "scope"],
      details: ["open"],
    },
    allowedSchemes: ["http", "https", "mailto", "tel"],
    allowedSchemesByTag: { img: ["http", "https", "data"], source: ["http", "https", "data"] },
    allowProtocolRelative: true,
    // A GFM task list's box is the only input Markdown makes: anything else is dropped.
    exclusiveFilter: (frame) => frame.tag === "input" && frame.attribs.type !== "checkbox",
    // A link that opens a new window gets no handle on this page.
    transformTags: {
      a: (tagName, attribs) =>
        attribs.target
          ? { tagName, attribs: { ...attribs, rel: "noopener noreferrer" } }
          : { tagName, attribs },
    },
  };
  return (html) => sanitize(html, options);
}

const escapeHtml = (text: string): string => text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);

/** A chunk of Vite's manifest (`uiDir/.vite/manifest.json`). */
interface ManifestChunk {
  file: string;
  imports?: string[];
}

/**
 * The chunks the page needs at once for `config`, from the build's manifest (none without one):
 * `scripts` to run after the page's entry (its elements', the blocks', the WebSocket transport's:
 * they register themselves, see `components/src/app/ran.ts`) and `preloads`, the chunks those
 * import and a static Space's worker transport, fetched beside the entry.
 */
/**
 * Each built-in element type of `types` → its chunk in the built page (`assets/textbox-….js`), from
 * Vite's manifest: the config carries it (`spacecraft.elements`), so the page's entry needs no
 * table of every element's chunk, and loads only those its Space uses.
 */
export async function elementChunks(uiDir: string, types: Iterable<string>): Promise<Record<string, string>> {
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(await readFile(join(uiDir, ".vite/manifest.json"), "utf8"));
  } catch {
    return {};
  }
  const chunks: Record<string, string> = {};
  for (const type of types) {
    const chunk = manifest[`../src/${type}/${type}.ts`];
    if (chunk) chunks[type] = chunk.file;
  }
  return chunks;
}

async function chunksFor(
  uiDir: string,
  config: SpaceConfig,
): Promise<{ scripts: string[]; preloads: string[] }> {
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(await readFile(join(uiDir, ".vite/manifest.json"), "utf8"));
  } catch {
    return { scripts: [], preloads: [] };
  }
  const types = new Set(config.components.map((component) => component.type));
  const run = [...types].map((type) => `../src/${type}/${type}.ts`);
  if (["tabs", "accordion", "group"].some((type) => types.has(type))) run.push("../src/app/blocks.ts");
  const preload: string[] = [];
  if (config.spacecraft?.runtime === "worker")
    preload.push(...Object.keys(manifest).filter((key) => key.endsWith("/client/worker-transport.js")));
  else run.push("../src/app/websocket.ts");
  const scripts = run.filter((key) => manifest[key]).map((key) => (manifest[key] as ManifestChunk).file);
  // A Space's own components' chunks (built by the server or `spacecraft build`) run too.
  scripts.push(...Object.values(config.spacecraft?.customElements ?? {}));
  const files = new Set<string>(scripts);
  const preloads: string[] = [];
  const visit = (key: string, top: boolean) => {
    const chunk = manifest[key];
    if (!chunk || key === "index.html" || (!top && files.has(chunk.file))) return;
    if (!top) preloads.push(chunk.file);
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported, false);
  };
  for (const key of run) visit(key, true);
  for (const key of preload) visit(key, false);
  return { scripts, preloads };
}

/**
 * The built page (`uiDir/index.html`) with `<sc-app>` server-rendered from `config` (declarative
 * shadow DOM: title, layout, labels, initial values and examples show before any script runs),
 * the config inline (no `/config` round trip), the theme's tokens (and the Space's theme, `css` and
 * `head`), the Space's title, and the
 * chunks its config needs as module scripts after the entry (fetched beside it, run before
 * `<sc-app>` draws the live page, without an import's wait) with `modulepreload` for theirs.
 * `plans`: what the drawing runs itself (`earlyRuns`), when the caller has it already.
 */
export async function prerenderPage(
  uiDir: string,
  config: SpaceConfig,
  plans: EarlyRuns = earlyRuns(config),
): Promise<string> {
  const [page, rendering, chunks] = await Promise.all([
    readFile(join(uiDir, "index.html"), "utf8"),
    import(pathToFileURL(join(uiDir, "ssr/page.js")).href) as Promise<PageRendering>,
    chunksFor(uiDir, config),
  ]);
  const preloads = [
    ...chunks.preloads.map((file) => `<link rel="modulepreload" href="./${escapeHtml(file)}" />`),
    ...chunks.scripts.map((file) => `<script type="module" src="./${escapeHtml(file)}"></script>`),
  ].join("");
  const app = await rendering.renderApp(config, { loadMarkdown, loadSanitizer });
  if (!page.includes("<sc-app></sc-app>")) throw new Error(`${uiDir}/index.html has no <sc-app></sc-app>`);
  // `<` escaped, so no value in the config can close the script element.
  const json = JSON.stringify(config).replace(/</g, "\\u003c");
  const theme = config.theme === "light" || config.theme === "dark" ? ` data-theme="${config.theme}"` : "";
  // The Space's theme and `css` after the tokens, its `head` last: in the first paint, no flash.
  const styles = `<style>${rendering.themeStyles}${rendering.spaceThemeStyles?.(config) ?? ""}</style>`;
  const css = config.css ? `<style>${config.css.replace(/<\/style/gi, "<\\/style")}</style>` : "";
  // What the drawing runs itself (a Space on a server: the first script opens its socket then).
  const early =
    config.spacecraft?.runtime === "server"
      ? `<script type="application/json" id="sc-early">${JSON.stringify(plans)}</script>`
      : "";
  return page
    .replace(/<html([^>]*)>/, `<html$1${theme}>`)
    .replace(/<title>[^<]*<\/title>/, () => `<title>${escapeHtml(config.title ?? "")}</title>`)
    .replace(/\s*<link rel="preload" href="config"[^>]*>/, "")
    .replace(
      "</head>",
      () =>
        `${early}<script>${earlyInputScript}</script>${preloads}${styles}${css}<script type="application/json" id="sc-config">${json}</script>${config.head ?? ""}</head>`,
    )
    .replace("<sc-app></sc-app>", () => app);
}

/** The page, twice: as a first visit gets it, and as a browser that has its chunks gets it. */
interface ServedPage {
  /** Paints the server's drawing at once, its scripts fetched beside it (a first visit waits for none). */
  first: string;
  /**
   * For a browser with the chunks in its cache: its scripts run after the drawing's first frame
   * where the drawing runs its buttons itself; else they block rendering (see `pageHandler`).
   */
  again: string;
  /** The weak ETag of `first`; `again`'s is the same with `.r` added. */
  tag: string;
  /** Each form brotli- or gzip-compressed, once asked for (`compressed`). */
  compressed: Partial<Record<`${"first" | "again"}.${"br" | "gzip"}`, Promise<Buffer>>>;
}

/** The page of `pageHandler` in both forms, and their ETag; `acts`: the drawing runs its buttons. */
function servedPage(html: string, acts: boolean): ServedPage {
  const tag = createHash("sha256").update(html).digest("base64url").slice(0, 27);
  if (!acts)
    return {
      first: html,
      again: html.replace(/<script (type="module"|defer)/g, '<script blocking="render" $1'),
      tag,
      compressed: {},
    };
  // The page's own scripts and preloads (not those of the Space's `head`), kept for the first
  // script to add after the first frame (`earlyInputScript`).
  const later: string[] = [];
  const again = html
    .replace(
      /<script (?:defer|type="module") src="\.\/assets\/[^"]*"><\/script>|<link rel="modulepreload" href="\.\/assets\/[^"]*" \/>/g,
      (tag) => {
        later.push(tag);
        return "";
      },
    )
    .replace("</head>", () => `<template id="sc-scripts">${later.join("")}</template></head>`);
  return { first: html, again, tag, compressed: {} };
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * A form of the page compressed once, the first time a browser asks for it, off the event loop
 * (the compression middleware would compress the same bytes again for every visit: ~1 ms before
 * the first byte), as small as brotli makes it.
 */
function compressed(page: ServedPage, form: "first" | "again", encoding: "br" | "gzip"): Promise<Buffer> {
  const key = `${form}.${encoding}` as const;
  page.compressed[key] ??=
    encoding === "br"
      ? brotliAsync(page[form], { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
      : gzipAsync(page[form], { level: 9 });
  return page.compressed[key];
}

/** The page for `config`, rendered, in both forms. */
async function servePage(uiDir: string, config: SpaceConfig): Promise<ServedPage> {
  const plans = earlyRuns(config);
  return servedPage(await prerenderPage(uiDir, config, plans), drawingActs(config, plans));
}

/** The form of the page for a request's `If-None-Match`: `"again"` or `"first"`, or 304's `"cached"`. */
function pageFor(page: ServedPage, ifNoneMatch: string | undefined): "first" | "again" | "cached" {
  const tags = (ifNoneMatch ?? "").split(",").map((tag) => tag.trim().replace(/^W\//, ""));
  if (tags.includes(`"${page.tag}.r"`)) return "cached";
  return tags.includes(`"${page.tag}"`) ? "again" : "first";
}

/**
 * Serves the page at `/` server-rendered from `configJson` (the `/config` body), rendered on the
 * first request and kept (it changes only with the config; nothing in it depends on the request).
 * When it cannot render (an old build without `ssr/`, an element that throws), it logs why once
 * and hands the request on, to the plain page.
 *
 * A first visit gets the page that paints the server's drawing before any script runs, its
 * scripts fetched beside it. A browser that asks again with that page's ETag has it, and the
 * immutable chunks it loaded, in its cache. Where the drawing runs every button's click itself
 * (`drawingActs`: typing, and a run sent at once, see `earlyInputScript`), it gets the page whose
 * scripts wait in a `<template id="sc-scripts">` until the drawing's first frame (the page's first
 * script adds them then): from the cache they would otherwise run before that frame, and the
 * visitor would see nothing until the live page had taken over. Else it gets the page whose
 * scripts carry `blocking="render"`: it paints once, the live page, sooner than the drawing and
 * then the live page (browsers without `blocking` paint the drawing first).
 */
export function pageHandler(
  uiDir: string,
  configJson: string,
  logError: (message: string, error: unknown) => void,
): (request: Request, response: Response, next: () => void) => void {
  let page: Promise<ServedPage | undefined> | undefined;
  return (request, response, next) => {
    if (request.method !== "GET" && request.method !== "HEAD") return next();
    if (request.path !== "/" && request.path !== "/index.html") return next();
    page ??= servePage(uiDir, JSON.parse(configJson) as SpaceConfig).catch((error: unknown) => {
      logError("Could not server-render the page; serving it unrendered", error);
      return undefined;
    });
    void page.then((served) => {
      if (served === undefined) return next();
      const form = pageFor(served, request.get("If-None-Match"));
      response.type("html").setHeader("Cache-Control", "no-cache");
      response.setHeader("ETag", `W/"${served.tag}${form === "first" ? "" : ".r"}"`);
      response.vary("Accept-Encoding");
      if (form === "cached") return void response.status(304).end();
      // Brotli where the browser takes it (smaller), whatever order it lists them in.
      const encoding = (["br", "gzip"] as const).find((name) => request.acceptsEncodings(name) === name);
      if (!encoding) return void response.send(served[form]);
      void compressed(served, form, encoding).then(
        (body) => response.setHeader("Content-Encoding", encoding).send(body),
        next,
      );
    });
  };
}

/** What a Space's `head` needs the page's Content-Security-Policy to allow. */
export interface HeadSources {
  /** `'sha256-…'` of each inline script, and the URL of each script from another site. */
  scripts: string[];
  /** The URL of each stylesheet from another site. */
  styles: string[];
  /** Fonts from any https site (what those stylesheets load). */
  fonts: string[];
}

const attribute = (attributes: string, name: string): string | undefined =>
  new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i")
    .exec(attributes)
    ?.slice(1)
    .find((value) => value !== undefined);

/**
 * Absolute http(s) URLs only (the page's own, relative ones are `'self'` already), and none with
 * what would end a source or a directive.
 */
const remote = (url: string | undefined): string[] =>
  url && /^https?:\/\/[^\s;,'"]+$/i.test(url) ? [url] : [];

/**
 * The sources a Space's `head` (trusted: the developer's own HTML) needs: each inline script by
 * its hash (never `'unsafe-inline'`), each script and stylesheet from another site by its URL.
 * Scripts of a data type (`application/json`, `…+json`) run nothing and need nothing.
 */
export function headSources(head: string | undefined): HeadSources {
  const sources: HeadSources = { scripts: [], styles: [], fonts: [] };
  if (!head) return sources;
  for (const [, attributes = "", body = ""] of head.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const type = attribute(attributes, "type")?.toLowerCase() ?? "";
    if (/json$/.test(type)) continue;
    const src = attribute(attributes, "src");
    if (src !== undefined) sources.scripts.push(...remote(src));
    else sources.scripts.push(`'sha256-${createHash("sha256").update(body).digest("base64")}'`);
  }
  for (const [, attributes = ""] of head.matchAll(/<link\b([^>]*)>/gi)) {
    if (!/\bstylesheet\b/i.test(attribute(attributes, "rel") ?? "")) continue;
    const href = remote(attribute(attributes, "href"));
    sources.styles.push(...href);
    if (href.length > 0) sources.fonts = ["https:"];
  }
  return sources;
}
