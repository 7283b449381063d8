import { DeclarationError, didYouMean } from "./errors.js";

export type { ColorMode } from "./page-look.js";

/** The colours a theme sets, each a `--sc-color-*` custom property of the page. */
export interface ThemeColors {
  /** The page behind everything. */
  background: string;
  /** Boxes, inputs and panels. */
  surface: string;
  /** Read-only fields, code, table stripes. */
  surfaceMuted: string;
  /** Body text. */
  text: string;
  /** Info lines, captions, placeholders: at least 4.5:1 on `surface`. */
  textMuted: string;
  /** Borders of fields and panels. */
  border: string;
  /** Primary buttons, links, selected items. */
  primary: string;
  /** A primary button under the pointer. */
  primaryHover: string;
  /** Text on `primary`: at least 4.5:1 on it. */
  primaryText: string;
  /** The focus ring. */
  focus: string;
  /** Error messages and invalid fields. */
  error: string;
  /** Behind error messages. */
  errorSurface: string;
  /** Progress bars. */
  bar: string;
  /** Good news, strings in JSON: at least 4.5:1 on `surface`. */
  success: string;
}

/** What {@link theme} takes for one colour mode: any of the colours, and shapes and fonts. */
export interface ThemeSettings {
  /** CSS colours: `#7c3aed`, `rgb(…)`, `hsl(…)`, `oklch(…)`, a colour name. */
  colors?: Partial<ThemeColors>;
  /** Corner radius of fields, buttons and panels (a CSS length: `8px`, `0.5rem`). */
  radius?: string;
  /** Font families: `body` for everything, `mono` for code (CSS `font-family` lists). */
  fonts?: { body?: string; mono?: string };
  /** The gap between components (a CSS length). */
  spacing?: string;
}

/**
 * A page theme: CSS custom properties for the light and the dark colour mode. Make one with
 * {@link theme} or take one of {@link themes}; give it as a Space's `theme`.
 */
export interface Theme {
  readonly kind: "theme";
  /** Shown nowhere; names the theme in messages. */
  readonly name: string;
  /** Custom properties (`--sc-…` → value) for the light mode, and the shapes and fonts of both. */
  readonly light: Readonly<Record<string, string>>;
  /** Custom properties for the dark mode (colours only). */
  readonly dark: Readonly<Record<string, string>>;
  /** The settings it was made from, so another theme can start from it (`base`). */
  readonly settings: { readonly light: ThemeSettings; readonly dark: ThemeSettings };
}

const colorNames = [
  "background",
  "surface",
  "surfaceMuted",
  "text",
  "textMuted",
  "border",
  "primary",
  "primaryHover",
  "primaryText",
  "focus",
  "error",
  "errorSurface",
  "bar",
  "success",
] as const satisfies readonly (keyof ThemeColors)[];

const settingNames = ["colors", "radius", "fonts", "spacing"];
const fontNames = ["body", "mono"];

// CSS Color 4's named colours.
/** Built on first use: a module-level `new Set(…)` would stay in every bundle that imports this file. */
let namedColors: Set<string> | undefined;
const cssColorNames = () =>
  (namedColors ??= new Set(
    (
      "aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown " +
      "burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan " +
      "darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid " +
      "darkred darksalmon darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet " +
      "deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro " +
      "ghostwhite gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki " +
      "lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow " +
      "lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray " +
      "lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine " +
      "mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen " +
      "mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace " +
      "olive olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred " +
      "papayawhip peachpuff peru pink plum powderblue purple rebeccapurple red rosybrown royalblue " +
      "saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray slategrey " +
      "snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow " +
      "yellowgreen transparent currentcolor"
    ).split(" "),
  ));

/** A CSS colour: hex, a colour function of numbers (no nesting), or a name. Nothing else gets in. */
function isColor(value: string): boolean {
  const text = value.trim().toLowerCase();
  if (/^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.test(text)) return true;
  if (/^(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(\s*[-+0-9.,%/\s a-z]*\)$/.test(text)) {
    // Inside the parentheses only numbers, units, `none` and separators.
    const inner = text.slice(text.indexOf("(") + 1, -1);
    return inner
      .split(/[\s,/]+/)
      .every((part) => part === "" || /^(?:[-+]?[0-9.]+(?:%|deg|rad|turn)?|none)$/.test(part));
  }
  return cssColorNames().has(text);
}

/** A CSS length: a number with a unit (or 0), or `calc()` of those. */
function isLength(value: string): boolean {
  const text = value.trim();
  const length = "[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:px|rem|em|%|ch|ex|vh|vw|vmin|vmax|pt)";
  return (
    new RegExp(`^(?:0|${length})$`).test(text) ||
    new RegExp(`^calc\\((?:\\s*(?:${length}|[-+*/]|\\d+\\.?\\d*)\\s*)+\\)$`).test(text)
  );
}

/** A `font-family` list: names, quoted or not, separated by commas. */
function isFontList(value: string): boolean {
  return value.split(",").every((name) => /^\s*(?:"[\w\s.-]+"|'[\w\s.-]+'|[A-Za-z][\w\s-]*)\s*$/.test(name));
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

function refuseUnknown(where: string, given: object, names: readonly string[]): void {
  for (const key of Object.keys(given)) {
    if (names.includes(key)) continue;
    const hint = didYouMean(key, names);
    throw new DeclarationError(
      `theme(): unknown ${where} "${key}".${hint ? ` Did you mean "${hint}"?` : ""} Known: ${names.join(", ")}.`,
    );
  }
}

/** Checks one mode's settings and turns them into custom properties. */
function properties(settings: ThemeSettings, mode: "light" | "dark"): Record<string, string> {
  const where = mode === "dark" ? "dark." : "";
  if (typeof settings !== "object" || settings === null)
    throw new DeclarationError(
      `theme(): ${where || "the settings"} must be an object like { colors: { primary: "#7c3aed" } }.`,
    );
  refuseUnknown(`${where}setting`, settings, settingNames);
  const result: Record<string, string> = {};
  refuseUnknown(`${where}colors key`, settings.colors ?? {}, colorNames);
  for (const [name, value] of Object.entries(settings.colors ?? {})) {
    if (value === undefined) continue;
    if (typeof value !== "string" || !isColor(value))
      throw new DeclarationError(
        `theme(): ${where}colors.${name} is ${JSON.stringify(value)}, not a CSS colour. Give a hex colour ("#7c3aed"), rgb()/hsl()/oklch() of numbers, or a colour name ("indigo").`,
      );
    result[`--sc-color-${kebab(name)}`] = value.trim();
  }
  const lengths = { radius: settings.radius, spacing: settings.spacing };
  for (const [name, value] of Object.entries(lengths)) {
    if (value === undefined) continue;
    if (mode === "dark")
      throw new DeclarationError(
        `theme(): dark.${name}: shapes are the same in both modes; give ${name} once, outside dark.`,
      );
    if (typeof value !== "string" || !isLength(value))
      throw new DeclarationError(
        `theme(): ${name} is ${JSON.stringify(value)}, not a CSS length. Give one like "8px" or "0.75rem".`,
      );
    result[`--sc-${name}`] = value.trim();
  }
  if (settings.fonts !== undefined) {
    if (mode === "dark")
      throw new DeclarationError(
        "theme(): dark.fonts: fonts are the same in both modes; give fonts once, outside dark.",
      );
    refuseUnknown("fonts key", settings.fonts, fontNames);
    for (const [name, value] of Object.entries(settings.fonts)) {
      if (value === undefined) continue;
      if (typeof value !== "string" || !isFontList(value))
        throw new DeclarationError(
          `theme(): fonts.${name} is ${JSON.stringify(value)}, not a font-family list. Give names separated by commas, e.g. '"Inter", system-ui, sans-serif'.`,
        );
      result[name === "body" ? "--sc-font" : "--sc-font-mono"] = value.trim();
    }
  }
  return result;
}

/**
 * Makes a page theme: colours for the light mode (`colors`) and, under `dark`, for the dark mode,
 * with the corner radius, fonts and spacing of both. What a setting leaves out keeps its value in
 * `base` (default: Spacecraft's own theme). A value that is not what its key takes (a colour, a
 * length, a font list) is a declaration error naming the key.
 * @example
 * theme({ colors: { primary: "#7c3aed", primaryHover: "#6d28d9" }, radius: "12px" },
 *   { dark: { colors: { primary: "#a78bfa", primaryHover: "#c4b5fd", primaryText: "#1e1b4b" } } })
 */
export function theme(
  settings: ThemeSettings,
  options: { dark?: ThemeSettings; base?: Theme; name?: string } = {},
): Theme {
  const base = options.base?.settings ?? { light: {}, dark: {} };
  const merge = (under: ThemeSettings, over: ThemeSettings): ThemeSettings => ({
    ...under,
    ...over,
    ...(under.colors || over.colors ? { colors: { ...under.colors, ...over.colors } } : {}),
    ...(under.fonts || over.fonts ? { fonts: { ...under.fonts, ...over.fonts } } : {}),
  });
  const light = merge(base.light, settings);
  const dark = merge(base.dark, options.dark ?? {});
  return Object.freeze({
    kind: "theme",
    name: options.name ?? "custom",
    light: Object.freeze(properties(light, "light")),
    dark: Object.freeze(properties(dark, "dark")),
    settings: Object.freeze({ light, dark }),
  });
}

/**
 * Built-in themes. Each keeps text at 4.5:1 or more on its backgrounds, in light and dark.
 * Only the one a Space chooses goes into its page.
 */
export const themes = /* @__PURE__ */ Object.freeze({
  /** Spacecraft's own: orange on slate. */
  default: /* @__PURE__ */ theme({}, { name: "default" }),
  /** Indigo, rounder corners, a softer page. */
  soft: /* @__PURE__ */ theme(
    {
      colors: {
        background: "#f5f5ff",
        surfaceMuted: "#eef0fb",
        border: "#c7c9e8",
        textMuted: "#4b5068",
        primary: "#4f46e5",
        primaryHover: "#4338ca",
        primaryText: "#ffffff",
        focus: "#7c3aed",
        bar: "#a5b4fc",
      },
      radius: "14px",
      spacing: "0.9rem",
    },
    {
      name: "soft",
      dark: {
        colors: {
          background: "#0f1020",
          surface: "#17182e",
          surfaceMuted: "#23254a",
          border: "#3a3d6b",
          textMuted: "#a5a9cf",
          primary: "#818cf8",
          primaryHover: "#a5b4fc",
          primaryText: "#0f1020",
          focus: "#c4b5fd",
          bar: "#4f46e5",
        },
      },
    },
  ),
  /** Black and white, square corners, a serif for text. */
  monochrome: /* @__PURE__ */ theme(
    {
      colors: {
        background: "#ffffff",
        surface: "#ffffff",
        surfaceMuted: "#f4f4f5",
        text: "#09090b",
        textMuted: "#52525b",
        border: "#a1a1aa",
        primary: "#18181b",
        primaryHover: "#3f3f46",
        primaryText: "#ffffff",
        focus: "#18181b",
        bar: "#a1a1aa",
      },
      radius: "2px",
      fonts: { body: 'Georgia, "Times New Roman", serif' },
    },
    {
      name: "monochrome",
      dark: {
        colors: {
          background: "#09090b",
          surface: "#18181b",
          surfaceMuted: "#27272a",
          text: "#fafafa",
          textMuted: "#a1a1aa",
          border: "#52525b",
          primary: "#fafafa",
          primaryHover: "#d4d4d8",
          primaryText: "#09090b",
          focus: "#fafafa",
          bar: "#71717a",
        },
      },
    },
  ),
  /** Sea blues and teal, on a pale blue page. */
  ocean: /* @__PURE__ */ theme(
    {
      colors: {
        background: "#f0f9ff",
        surfaceMuted: "#e0f2fe",
        border: "#93c5fd",
        textMuted: "#35516b",
        primary: "#0369a1",
        primaryHover: "#075985",
        primaryText: "#ffffff",
        focus: "#0d9488",
        bar: "#7dd3fc",
      },
      radius: "10px",
    },
    {
      name: "ocean",
      dark: {
        colors: {
          background: "#041c2c",
          surface: "#0a2a3f",
          surfaceMuted: "#0f3a55",
          border: "#1e5a80",
          textMuted: "#9ec3dc",
          primary: "#38bdf8",
          primaryHover: "#7dd3fc",
          primaryText: "#041c2c",
          focus: "#5eead4",
          bar: "#0369a1",
        },
      },
    },
  ),
} satisfies Record<string, Theme>);
