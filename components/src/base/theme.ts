import { unsafeCSS } from "lit";

/** Colour tokens of the light theme, as `--sc-color-*` custom properties. */
export const light: Record<string, string> = {
  background: "#f8fafc",
  surface: "#ffffff",
  "surface-muted": "#f1f5f9",
  text: "#0f172a",
  "text-muted": "#475569",
  border: "#cbd5e1",
  primary: "#c2410c",
  "primary-hover": "#9a3412",
  "primary-text": "#ffffff",
  focus: "#2563eb",
  error: "#b91c1c",
  "error-surface": "#fef2f2",
  bar: "#fdba74",
  success: "#15803d",
};

/** Colour tokens of the dark theme. */
export const dark: Record<string, string> = {
  background: "#0b0f19",
  surface: "#111827",
  "surface-muted": "#1f2937",
  text: "#f1f5f9",
  "text-muted": "#94a3b8",
  border: "#374151",
  primary: "#f97316",
  "primary-hover": "#fb923c",
  "primary-text": "#111827",
  focus: "#60a5fa",
  error: "#f87171",
  "error-surface": "#2a1215",
  bar: "#c2410c",
  success: "#4ade80",
};

export const declarations = (tokens: Record<string, string>): string =>
  Object.entries(tokens)
    .map(([name, value]) => `--sc-color-${name}:${value};`)
    .join("");

/**
 * The page-wide tokens: light by default, dark when the system asks for it, and either one
 * forced with `<html data-theme="light|dark">` (set by `<sc-app>` from the config's `theme`).
 */
export const themeCss = `
:root{${declarations(light)}color-scheme:light;
--sc-font:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
--sc-font-mono:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
--sc-radius:8px;--sc-spacing:0.75rem;}
@media (prefers-color-scheme:dark){:root:not([data-theme="light"]){${declarations(dark)}color-scheme:dark;}}
:root[data-theme="dark"]{${declarations(dark)}color-scheme:dark;}
`;

/** A Space's own theme as its config carries it: custom properties for light and dark. */
export interface SpaceTheme {
  light: Record<string, string>;
  dark: Record<string, string>;
}

/** `--sc-*` declarations; anything else, or a value that could end the rule, is left out. */
const custom = (properties: Record<string, string>): string =>
  Object.entries(properties)
    .filter(([name, value]) => /^--sc-[a-z0-9-]+$/.test(name) && !/[;{}<>\\]|\/\*/.test(value))
    .map(([name, value]) => `${name}:${value};`)
    .join("");

/**
 * A Space's theme over the tokens above, in the same places (`root`: `:root`, or `sc-app` on
 * another site's page), and on an app whose `scheme` attribute forces a mode (`embedding.ts`).
 */
export function spaceThemeCss(theme: SpaceTheme | undefined, root = ":root"): string {
  if (!theme) return "";
  const light = custom(theme.light);
  const dark = custom(theme.dark);
  return `${root}{${light}}:root sc-app[scheme="light"]{${light}}
@media (prefers-color-scheme:dark){${root}:not([data-theme="light"]){${dark}}}
${root}[data-theme="dark"],:root sc-app[scheme="dark"]{${dark}}`;
}

let installed = false;

/**
 * Adds the theme tokens to the document once (every element calls this when defined); with a
 * Space's config, its theme and, on its own page, its `css` after them.
 */
export function installTheme(config?: { css?: string; spacecraft?: { theme?: SpaceTheme } }): void {
  if (typeof document === "undefined" || (installed && !config)) return;
  // Loaded by another site's page (embed.js): the tokens go on `<sc-app>`, not on that page's root.
  const foreign = new URL(import.meta.url).origin !== location.origin;
  const root = foreign ? "sc-app" : ":root";
  const text = [
    installed ? "" : themeCss.replaceAll(":root", root),
    spaceThemeCss(config?.spacecraft?.theme, root),
    foreign ? "" : (config?.css ?? ""),
  ].join("");
  installed = true;
  if (!text) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** Forces a colour scheme for the page, or follows the system with `"system"`. */
export function setTheme(theme: "system" | "light" | "dark"): void {
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/** The tokens as a Lit `CSSResult`, for documentation and tests. */
export const themeStyles = unsafeCSS(themeCss);
