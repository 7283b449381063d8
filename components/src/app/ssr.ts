// The page's server rendering (Node only; built by `vite.ssr.config.ts` into `dist/ssr/page.js`,
// which `spacecraft`'s server and `spacecraft build --static` load): `<sc-app>` with the title,
// the layout and every component drawn from the config, as declarative shadow DOM, so the page
// shows before any script runs. The browser's `<sc-app>` then draws the live page and puts it in
// place of this one in one go (see `ScApp`'s `update`).
import { render } from "@lit-labs/ssr";
import { collectResult } from "@lit-labs/ssr/lib/render-result.js";
import type { nothing, TemplateResult } from "lit";
import { html } from "lit";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import type { ComponentConfig, SpaceConfig } from "spacecraft";
import { simpleMarkdown } from "../base/markdown.js";
import { setSpaceBase } from "../base/space-url.js";
import { spaceThemeCss, themeCss } from "../base/theme.js";
import { ScHtml } from "../html/html.js";
import { ScMarkdown } from "../markdown/markdown.js";
import { parsedStyles } from "../markdown/parsed.js";
import { ScApp } from "./app.js";
import { renderers } from "./blocks.js";
import "./examples.js";
import { blockRenderers, columnOf } from "./layout.js";

// Every element, so each type in a config renders (the browser loads them one by one).
import.meta.glob(
  [
    "../*/*.ts",
    "!../*/*.styles.ts",
    "!../*/*.test.ts",
    "!../{app,base}/*",
    "!../audio/wav.ts",
    "!../chatbot/files.ts",
    "!../loginbutton/hub-oauth.ts",
    "!../markdown/parsed.ts",
    "!../code/editor.ts",
    "!../nativeplot/chart.ts",
  ],
  { eager: true },
);
for (const [type, renderer] of Object.entries(renderers)) blockRenderers.set(type, renderer);

// Constructors may set up observers; on the server they observe nothing.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

// File URLs (an example's thumbnail) are built against the Space's base, which the server knows
// only as "the page's folder": a placeholder base, made relative (`./`) in the output.
const placeholderBase = "http://spacecraft.invalid/";
setSpaceBase(new URL(placeholderBase));

/** A template with a tag and property names known only now (`html` needs them written out). */
function dynamicTemplate(strings: string[], values: unknown[]): TemplateResult {
  const array = Object.assign([...strings], { raw: [...strings] });
  return { ["_$litType$"]: 1, strings: array as unknown as TemplateStringsArray, values };
}

/** Markdown rendered to sanitised HTML, for text {@link simpleMarkdown} leaves alone. */
type RenderMarkdown = (text: string) => string;
let markdownToHtml: RenderMarkdown | undefined;

// On the server a Markdown element draws what the browser's would: simple text as a template,
// anything else as the HTML the server made (marked and DOMPurify, as in the browser).
ScMarkdown.prototype.render = function (this: ScMarkdown) {
  const text = this.value ?? "";
  const simple = simpleMarkdown(text);
  const label = (this as unknown as { renderLabel(forId: null): unknown }).renderLabel(null);
  if (simple) return html`${label}<div part="content" class="prose">${simple}</div>`;
  // renderApp loads the renderer whenever the config holds such text; this is a bug's guard.
  if (!markdownToHtml) throw new Error("Markdown that needs a parser, and no renderer given");
  // With the styles the browser adopts once the parser loads.
  const parsed = `<style>${parsedStyles.cssText}</style>${markdownToHtml(text)}`;
  return html`${label}<div part="content" class="prose parsed">${unsafeHTML(parsed)}</div>`;
};

/** HTML → sanitised HTML, for an HTML component's value. */
let sanitizeHtml: ((html: string) => string) | undefined;

// On the server an HTML element draws its value sanitised by the server's sanitiser (the browser's
// sanitises it again and puts it in place of this drawing); with none given, nothing.
ScHtml.prototype.render = function (this: ScHtml) {
  const element = this as unknown as { renderLabel(forId: null): unknown; renderError(): unknown };
  const content = this.value && sanitizeHtml ? unsafeHTML(sanitizeHtml(this.value)) : "";
  return html`${element.renderLabel(null)}<div part="content" class="content">${content}</div>${element.renderError()}`;
};

/** What `<sc-app>` does on the server: the config's components, drawn as the browser would. */
interface ServerApp {
  config: SpaceConfig | undefined;
  components: Map<number, ComponentConfig>;
  shareIn: number | undefined;
  renderComponent(component: ComponentConfig): TemplateResult | typeof nothing;
}

/** The events each component is the target of, as `id:event`. */
let listened = new Set<string>();

Object.defineProperty(ScApp.prototype, "serverConfig", {
  set(this: ServerApp, config: SpaceConfig) {
    for (const component of config.components) this.components.set(component.id, component);
    listened = new Set(
      config.dependencies.flatMap((dep) => dep.targets.map(([id, event]) => `${id}:${event}`)),
    );
    const output = config.dependencies.find((dependency) => dependency.outputs.length > 0)?.outputs[0];
    if (config.spacecraft.deepLinks && output !== undefined)
      this.shareIn = columnOf(config.layout, output, new Map(config.components.map((c) => [c.id, c.type])));
    this.config = config;
  },
});

/** A component's element with its props, as `<sc-app>`'s `createElementFor` sets them. */
(ScApp.prototype as unknown as ServerApp).renderComponent = function (
  this: ServerApp,
  component: ComponentConfig,
): TemplateResult | typeof nothing {
  const tag = `sc-${component.type}`;
  // A Space's own component is drawn by its chunk in the browser only: a space kept for it here.
  if (this.config?.spacecraft?.customElements?.[component.type])
    return html`<div class="custom-pending" data-component-id=${component.id}></div>`;
  if (!customElements.get(tag))
    return html`<p>This page cannot show components of type "${component.type}" yet.</p>`;
  const { value, ...props } = component.props;
  const properties: [string, unknown][] = Object.entries(props);
  if (value !== undefined) properties.push(["value", structuredClone(value)]);
  if (component.type === "loginbutton") properties.push(["runtime", this.config?.spacecraft?.runtime]);
  if (listened.has(`${component.id}:select`)) properties.push(["selectable", true]);
  const listening = [...listened].filter((key) => key.startsWith(`${component.id}:`));
  properties.push(["listening", listening.map((key) => key.slice(key.indexOf(":") + 1))]);
  // Property names are the config's (camelCase, never markup): only letters and digits pass.
  const names = properties.map(([name]) => name).filter((name) => /^[A-Za-z][A-Za-z0-9]*$/.test(name));
  const strings = [`<${tag} data-component-id="${component.id}"`];
  for (const name of names) {
    strings[strings.length - 1] += ` .${name}=`;
    strings.push("");
  }
  strings[strings.length - 1] += `></${tag}>`;
  const values = names.map((name) => properties.find(([key]) => key === name)?.[1]);
  return dynamicTemplate(strings, values);
};

/** What {@link renderApp} needs besides the config. */
export interface RenderAppOptions {
  /**
   * Loads Markdown → sanitised HTML; called only when the description, the article or a
   * Markdown component's value needs more than the simple renderer (`simpleMarkdown`).
   */
  loadMarkdown?: () => Promise<RenderMarkdown>;
  /** Loads HTML → sanitised HTML; called only when an HTML component has a value to show first. */
  loadSanitizer?: () => Promise<(html: string) => string>;
}

/** Whether any Markdown the page shows first needs the parser. */
function needsParser(config: SpaceConfig): boolean {
  const texts = [
    config.description,
    config.article,
    ...config.components
      .filter((c) => c.type === "markdown" || c.type === "chatbot")
      .map((c) => c.props.placeholder),
    ...config.components.filter((c) => c.type === "markdown").map((c) => c.props.value),
    ...config.components
      .filter((c) => c.type === "chatbot" && Array.isArray(c.props.value))
      .flatMap((c) => (c.props.value as { content?: unknown }[]).map((message) => message?.content)),
  ];
  return texts.some((text) => typeof text === "string" && text !== "" && simpleMarkdown(text) === undefined);
}

/**
 * Lit's markers for hydration (`<!--lit-part …-->`, `<!--lit-node n-->`, `<?>`): the browser's
 * page replaces this drawing instead of hydrating it, so they go (a third of a page's bytes).
 */
const hydrationMarkers = /<!--\/?lit-part[^>]*-->|<!--lit-node \d+-->|<\?>/g;

/**
 * A boolean property binding on a native element (`.checked=${false}` on a box, `.open=${false}`
 * on an accordion's `<details>`), which Lit SSR writes as an attribute with the value's text:
 * `checked="false"`, which HTML reads as checked. Written as HTML means it: the bare name, or none.
 */
const booleanProperty = / (checked|open)="(true|false)"/g;

/**
 * Puts each multi-line text box's initial text into its drawn `<textarea>`, which Lit SSR leaves
 * empty (it refuses a binding inside one): the first `<textarea>` inside the box's element. Text
 * escaped as the parser reads it there; a leading line break doubled, as the parser drops one.
 */
function fillTextareas(page: string, config: SpaceConfig): string {
  for (const { id, type, props } of config.components) {
    const text = props.value;
    if (type !== "textbox" || typeof text !== "string" || text === "") continue;
    const host = new RegExp(`<sc-textbox\\s[^>]*?data-component-id="${id}"`).exec(page);
    if (!host) continue;
    const end = page.indexOf("></textarea>", host.index);
    if (end < 0 || end > page.indexOf("</sc-textbox>", host.index)) continue;
    const content = (text.startsWith("\n") ? "\n" : "") + text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
    page = `${page.slice(0, end + 1)}${content}${page.slice(end + 1)}`;
  }
  return page;
}

/** The page's `<sc-app>`, server-rendered from `config` (declarative shadow DOM), as HTML. */
export async function renderApp(config: SpaceConfig, options: RenderAppOptions = {}): Promise<string> {
  if (needsParser(config)) {
    if (!options.loadMarkdown)
      throw new Error("This page has Markdown that needs a parser: pass loadMarkdown.");
    markdownToHtml = await options.loadMarkdown();
  }
  if (config.components.some((c) => c.type === "html" && typeof c.props.value === "string" && c.props.value))
    sanitizeHtml = await options.loadSanitizer?.();
  try {
    const page = await collectResult(render(html`<sc-app .serverConfig=${config}></sc-app>`));
    const drawn = page
      .replace(hydrationMarkers, "")
      .replace(booleanProperty, (_, name: string, on: string) => (on === "true" ? ` ${name}` : ""))
      .replaceAll(placeholderBase, "./");
    return fillTextareas(drawn, config);
  } finally {
    markdownToHtml = undefined;
    sanitizeHtml = undefined;
  }
}

/** The page-wide theme tokens (the browser adds them from script; the server page needs them first). */
export const themeStyles = themeCss;

/** A Space's own theme (`config.spacecraft.theme`) over those tokens, "" for the default one. */
export const spaceThemeStyles = (config: SpaceConfig): string => spaceThemeCss(config.spacecraft?.theme);
