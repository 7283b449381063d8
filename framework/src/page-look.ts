import type { SpaceConfig } from "./config.js";
import { DeclarationError } from "./errors.js";
import type { Theme } from "./theme.js";

// Kept apart from `theme.ts`, so a Space that names no theme bundles neither its checks nor the
// built-in themes (a static Space's worker).

/** The colour mode of the page: follow the visitor's system, or force one. */
export type ColorMode = SpaceConfig["theme"];

/** What a Space's `theme`, `mode`, `css` and `head` options become in its config. */
export interface PageLook {
  /** The colour mode (`config.theme`). */
  mode: ColorMode;
  /** The theme's custom properties, left out for the default theme. */
  variables?: { light: Record<string, string>; dark: Record<string, string> };
  css?: string;
  head?: string;
}

const modes = ["system", "light", "dark"];

/**
 * Checks a Space's `theme` (a {@link Theme} or a colour mode), `mode`, `css` and `head`; `where`
 * names the caller in messages.
 */
export function pageLook(
  where: string,
  options: { theme?: Theme | ColorMode; mode?: ColorMode; css?: string; head?: string },
  fallback?: PageLook,
): PageLook {
  const { theme: given, mode } = options;
  if (mode !== undefined && !modes.includes(mode))
    throw new DeclarationError(
      `${where}: mode is ${JSON.stringify(mode)}; give "system", "light" or "dark".`,
    );
  for (const key of ["css", "head"] as const)
    if (options[key] !== undefined && typeof options[key] !== "string")
      throw new DeclarationError(`${where}: ${key} must be a string of ${key === "css" ? "CSS" : "HTML"}.`);
  const look: PageLook = fallback ? { ...fallback } : { mode: "system" };
  if (typeof given === "string") {
    if (!modes.includes(given))
      throw new DeclarationError(
        `${where}: theme is ${JSON.stringify(given)}; give a theme (sc.themes.soft, sc.theme({...})) or a colour mode: "system", "light" or "dark".`,
      );
    if (mode !== undefined)
      throw new DeclarationError(
        `${where}: theme "${given}" is a colour mode and mode is given too; keep one (mode: "${mode}").`,
      );
    look.mode = given;
  } else if (given !== undefined) {
    if (typeof given !== "object" || given === null || (given as Theme).kind !== "theme")
      throw new DeclarationError(
        `${where}: theme must be a theme (sc.themes.soft, sc.theme({...})) or a colour mode.`,
      );
    const empty = Object.keys(given.light).length === 0 && Object.keys(given.dark).length === 0;
    if (empty) delete look.variables;
    else look.variables = { light: { ...given.light }, dark: { ...given.dark } };
  }
  if (mode !== undefined) look.mode = mode;
  if (options.css !== undefined) look.css = options.css;
  if (options.head !== undefined) look.head = options.head;
  return look;
}

/** A {@link PageLook} as a Space's parts keep it: `theme` the mode, `look` the rest when any. */
export function lookParts(look: PageLook): { theme: ColorMode; look?: Omit<PageLook, "mode"> } {
  const { mode, ...rest } = look;
  return Object.keys(rest).length > 0 ? { theme: mode, look: rest } : { theme: mode };
}
