// The page's server rendering (Node only; built by `vite.ssr.config.ts` into `dist/ssr/page.js`,
// which `spacecraft`'s server and `spacecraft build --static` load): `<sc-app>` with the title,
// the layout and every component drawn from the config, as declarative shadow DOM, so the page
// shows before any script runs. A server's page keeps Lit's markers and hydrates: the browser's
// elements render onto this drawing (see `ScElement`'s `update`); a static build's page drops them,
// and its `<sc-app>` draws the live page and puts it in place of this one in one go.
import { render } from "@lit-labs/ssr";
import { collectResult } from "@lit-labs/ssr/lib/render-result.js";
import type { TemplateResult } from "lit";
import { html } from "lit";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import type { ComponentConfig, SpaceConfig } from "spacecraft";
import { simpleMarkdown } from "../base/markdown.js";
import { setSpaceBase } from "../base/space-url.js";
import { spaceThemeCss, themeCss } from "../base/theme.js";
import { ScMarkdown } from "../markdown/markdown.js";
import { parsedStyles } from "../markdown/parsed.js";
import { ScApp } from "./app.js";
import { renderers } from "./blocks.js";
import { componentTemplate } from "./component-template.js";
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

/** Markdown rendered to sanitised HTML, for text {@link simpleMarkdown} leaves alone. */
type RenderMarkdown = (text: string) => string;
let markdownToHtml: RenderMarkdown | undefined;

// On the server a Markdown element draws what the browser's would: simple text with the browser's
// template (it hydrates), anything else as the HTML the server made (marked and sanitize-html, as
// DOMPurify in the browser), which the browser's element draws again once its parser is in.
const renderMarkdown = ScMarkdown.prototype.render;
ScMarkdown.prototype.render = function (this: ScMarkdown) {
  const text = this.value ?? "";
  if (simpleMarkdown(text)) return renderMarkdown.call(this);
  const label = (this as unknown as { renderLabel(forId: null): unknown }).renderLabel(null);
  // renderApp loads the renderer whenever the config holds such text; this is a bug's guard.
  if (!markdownToHtml) throw new Error("Markdown that needs a parser, and no renderer given");
  // With the styles the browser adopts once the parser loads.
  const parsed = `<style>${parsedStyles.cssText}</style>${markdownToHtml(text)}`;
  return html`${label}<div part="content" class="prose parsed">${unsafeHTML(parsed)}</div>`;
};

/** What `<sc-app>` does on the server: the config's components, drawn as the browser would. */
interface ServerApp {
  config: SpaceConfig | undefined;
  components: Map<number, ComponentConfig>;
  shareIn: number | undefined;
  renderComponent(component: ComponentConfig): TemplateResult;
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
): TemplateResult {
  const listening = [...listened].filter((key) => key.startsWith(`${component.id}:`));
  const events = listening.map((key) => key.slice(key.indexOf(":") + 1));
  return componentTemplate(component, this.config as SpaceConfig, events, events.includes("select"));
};

/** What {@link renderApp} needs besides the config. */
export interface RenderAppOptions {
  /**
   * Loads Markdown → sanitised HTML; called only when the description, the article or a
   * Markdown component's value needs more than the simple renderer (`simpleMarkdown`).
   */
  loadMarkdown?: () => Promise<RenderMarkdown>;
  /**
   * Keep Lit's markers (`<!--lit-part …-->`, `<!--lit-node n-->`, `<?>`) and `defer-hydration`, so
   * the browser's elements hydrate this drawing (`app/hydrate.ts`); without, they go (a third of a
   * page's bytes) and the browser's page replaces the drawing.
   */
  hydrate?: boolean;
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

/** Lit's markers for hydration, and the attribute that holds a nested element until its host hydrated. */
const hydrationMarkers = /<!--\/?lit-part[^>]*-->|<!--lit-node \d+-->|<\?>| defer-hydration(?=[\s>])/g;

/** The page's `<sc-app>`, server-rendered from `config` (declarative shadow DOM), as HTML. */
export async function renderApp(config: SpaceConfig, options: RenderAppOptions = {}): Promise<string> {
  if (needsParser(config)) {
    if (!options.loadMarkdown)
      throw new Error("This page has Markdown that needs a parser: pass loadMarkdown.");
    markdownToHtml = await options.loadMarkdown();
  }
  try {
    const page = await collectResult(render(html`<sc-app .serverConfig=${config}></sc-app>`));
    return (options.hydrate ? page : page.replace(hydrationMarkers, "")).replaceAll(placeholderBase, "./");
  } finally {
    markdownToHtml = undefined;
  }
}

/** The page-wide theme tokens (the browser adds them from script; the server page needs them first). */
export const themeStyles = themeCss;

/** A Space's own theme (`config.spacecraft.theme`) over those tokens, "" for the default one. */
export const spaceThemeStyles = (config: SpaceConfig): string => spaceThemeCss(config.spacecraft?.theme);
