import { html, nothing } from "lit";
import type { SpaceConfig } from "spacecraft";
import { embedded, spaceUrl } from "../base/space-url.js";
import { dark, declarations, light, setTheme } from "../base/theme.js";

/**
 * What a page adds when it is embedded, framed or on a Space, loaded only by such a page: the
 * `theme` attribute's colour scheme, the frame's side (its height to the parent, the scheme the
 * parent asks for, its URL to huggingface.co), a static Space shown in a frame that sizes
 * itself, `disable_embedding`, and the Space's links in the footer.
 */

/** The message a framed page posts to its parent with its height in CSS pixels. */
export const HEIGHT_MESSAGE = "spacecraft:height";
/** The message a parent posts to the frame to set its colour scheme (`light` or `dark`). */
export const THEME_MESSAGE = "spacecraft:theme";
/** The Hub's origin: the Space's page there frames the app. */
const HUB = "https://huggingface.co";

/** The `<sc-app>` this module works for. */
interface App extends HTMLElement {
  theme: "light" | "dark" | "auto" | undefined;
  frame: HTMLIFrameElement | undefined;
}

/**
 * Starts what the page needs. Gives the message to show instead of the app when the Space may
 * not be shown here (`disable_embedding` on another site's page), else undefined.
 */
export function start(app: App, config: SpaceConfig): string | undefined {
  const foreignParent = window.parent !== window && !embedded() ? startFramed(app) : false;
  if (config.spacecraft?.disableEmbedding && (embedded() || foreignParent)) {
    return `This Space does not let other sites embed it (its README says disable_embedding: true). Open it at ${spaceUrl(".").href}`;
  }
  if (!embedded()) {
    const asked = new URLSearchParams(location.search).get("__theme");
    if (asked === "light" || asked === "dark") app.theme ??= asked;
    return undefined;
  }
  // Without `theme`, an embedded app takes the Space's theme ("system" follows the page around it).
  app.theme ??= config.theme === "system" ? "auto" : config.theme;
  if (config.spacecraft?.runtime === "worker") {
    // A static Space's worker must come from its own origin: it runs in a frame that sizes itself.
    app.frame = frameSpace(spaceUrl("."), config.title || "Space", schemeOf(app));
    app.style.cssText = "max-width:none;padding:0";
  }
  return undefined;
}

/** The origin of the page that frames this one, when the browser says. */
function parentOrigin(): string | undefined {
  const ancestor = location.ancestorOrigins?.[0];
  if (ancestor) return ancestor;
  try {
    return document.referrer ? new URL(document.referrer).origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The framed page's side: posts its height to the parent (so the frame grows to the app, with
 * no inner scrollbar), takes the colour scheme the parent asks for, and inside huggingface.co
 * posts its query string and hash to the Hub, as the Hub documents. True when the parent is
 * another site (not this origin, not huggingface.co).
 */
function startFramed(app: App): boolean {
  const parent = window.parent;
  let last = -1;
  const postHeight = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // A height tells nothing private: any parent may have it.
    parent.postMessage({ type: HEIGHT_MESSAGE, height }, "*");
  };
  new ResizeObserver(postHeight).observe(document.documentElement);
  postHeight();
  addEventListener("message", (event: MessageEvent) => {
    const data = event.data as { type?: unknown; scheme?: unknown } | null;
    if (event.source !== parent || data?.type !== THEME_MESSAGE) return;
    if (data.scheme === "light" || data.scheme === "dark") app.theme = data.scheme;
  });
  const origin = parentOrigin();
  if (origin === HUB) {
    // The Space's page on huggingface.co keeps the app's URL state in its own address bar.
    const postUrl = () =>
      parent.postMessage({ queryString: location.search.replace(/^\?/, ""), hash: location.hash }, HUB);
    postUrl();
    addEventListener("hashchange", postUrl);
    addEventListener("popstate", postUrl);
    // pushState/replaceState fire no event; the Navigation API (Chromium) reports them.
    (globalThis as { navigation?: EventTarget }).navigation?.addEventListener("currententrychange", postUrl);
  }
  return origin !== undefined && origin !== location.origin && origin !== HUB;
}

/**
 * The parent's side of a framed Space (a static Space): an iframe of `base` that takes the
 * height the page inside posts.
 */
function frameSpace(base: URL, title: string, scheme: "light" | "dark" | undefined): HTMLIFrameElement {
  const frame = document.createElement("iframe");
  const url = new URL(base);
  if (scheme) url.searchParams.set("__theme", scheme);
  frame.src = url.href;
  frame.title = title;
  frame.setAttribute("allow", "clipboard-write; microphone; camera; cross-origin-isolated");
  frame.style.cssText = "display:block;width:100%;height:300px;border:0;";
  addEventListener("message", (event: MessageEvent) => {
    const data = event.data as { type?: unknown; height?: unknown } | null;
    if (event.source !== frame.contentWindow || event.origin !== base.origin) return;
    if (data?.type === HEIGHT_MESSAGE && typeof data.height === "number" && data.height > 0) {
      frame.style.height = `${Math.ceil(data.height)}px`;
    }
  });
  return frame;
}

/** The colour scheme of the page around `element`: its `color-scheme` if it picks one, else the system's. */
function schemeAround(element: HTMLElement): "light" | "dark" {
  const declared = getComputedStyle(element.parentElement ?? document.documentElement).colorScheme;
  const dark = /\bdark\b/.test(declared);
  if (dark !== /\blight\b/.test(declared)) return dark ? "dark" : "light";
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** The scheme the app's `theme` asks for now (`auto`: the page around it), if any. */
function schemeOf(app: App): "light" | "dark" | undefined {
  return app.theme === "auto" ? schemeAround(app) : app.theme;
}

const following = new WeakSet<App>();
let schemes: CSSStyleSheet | undefined;

/**
 * The rules that give an `<sc-app scheme="light|dark">` its own scheme and background, whatever
 * the page's; added once, by the first such app.
 */
function installSchemes(): void {
  if (schemes) return;
  schemes = new CSSStyleSheet();
  schemes.replaceSync(
    `sc-app[scheme="light"]{${declarations(light)}color-scheme:light;}
sc-app[scheme="dark"]{${declarations(dark)}color-scheme:dark;}
sc-app[scheme]{background:var(--sc-color-background);color:var(--sc-color-text);font-family:var(--sc-font);}`,
  );
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, schemes];
}

/**
 * Applies the app's `theme` as its `scheme` attribute (which the theme's CSS reads; on the
 * Space's own page the whole page takes it) and passes it to a framed Space; with `auto` it
 * keeps following the page around it.
 */
export function applyTheme(app: App): void {
  const apply = () => {
    const scheme = schemeOf(app);
    if (!scheme || app.getAttribute("scheme") === scheme) return;
    installSchemes();
    app.setAttribute("scheme", scheme);
    // Another site's page keeps its own colours.
    if (!embedded()) setTheme(scheme);
    app.frame?.contentWindow?.postMessage({ type: THEME_MESSAGE, scheme }, spaceUrl(".").origin);
  };
  apply();
  if (app.theme !== "auto" || following.has(app)) return;
  following.add(app);
  // The page's system scheme, and its classes or styles that set color-scheme.
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", apply);
  const observer = new MutationObserver(apply);
  for (const element of [document.documentElement, document.body])
    observer.observe(element, { attributes: true, attributeFilter: ["class", "style", "data-theme"] });
}

/**
 * On a Space (its id from `SPACE_ID`, or a static Space's `window.huggingface.variables`):
 * "Built with Spacecraft", the Space's page and "Duplicate this Space".
 */
export function renderSpaceLinks(config: SpaceConfig) {
  const variables = (window as { huggingface?: { variables?: { SPACE_ID?: unknown } } }).huggingface
    ?.variables;
  const id = config.spacecraft?.spaceId ?? variables?.SPACE_ID;
  if (typeof id !== "string" || !/^[\w.-]+\/[\w.-]+$/.test(id)) return nothing;
  const page = `${HUB}/spaces/${id}`;
  return html`<span>Built with Spacecraft</span>
    <a class="link" href=${page} target="_blank" rel="noopener">${id} on Hugging Face</a>
    <a class="link" href=${`${page}?duplicate=true`} target="_blank" rel="noopener">Duplicate this Space</a>`;
}
