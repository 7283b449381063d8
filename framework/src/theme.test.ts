import { describe, expect, it } from "vitest";
import { dark as baseDark, light as baseLight } from "../../components/src/base/theme.js";
import * as sc from "./index.js";
import { headSources } from "./server/page.js";

const echo = (options: Partial<sc.BlocksOptions>) =>
  sc.Blocks({ title: "Echo", ...options }, () => sc.Textbox({ label: "Text" }));

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

/** Text colour on background colour, by token name, that must read at 4.5:1. */
const pairs: [string, string][] = [
  ["text", "background"],
  ["text", "surface"],
  ["text", "surface-muted"],
  ["text-muted", "surface"],
  ["text-muted", "background"],
  ["primary-text", "primary"],
  ["primary-text", "primary-hover"],
  ["primary", "surface"],
  ["error", "error-surface"],
  ["success", "surface"],
];

describe("theme()", () => {
  it("turns settings into --sc-* custom properties for light and dark", () => {
    const purple = sc.theme(
      {
        colors: { primary: "#7c3aed", primaryHover: "rgb(109 40 217)" },
        radius: "12px",
        fonts: { body: '"Inter", sans-serif' },
      },
      { dark: { colors: { primary: "oklch(0.7 0.15 290)" } } },
    );
    expect(purple.light).toEqual({
      "--sc-color-primary": "#7c3aed",
      "--sc-color-primary-hover": "rgb(109 40 217)",
      "--sc-radius": "12px",
      "--sc-font": '"Inter", sans-serif',
    });
    expect(purple.dark).toEqual({ "--sc-color-primary": "oklch(0.7 0.15 290)" });
  });

  it("starts from a base theme", () => {
    const rounder = sc.theme({ radius: "20px" }, { base: sc.themes.soft });
    expect(rounder.light["--sc-radius"]).toBe("20px");
    expect(rounder.light["--sc-color-primary"]).toBe(sc.themes.soft.light["--sc-color-primary"]);
    expect(rounder.dark).toEqual(sc.themes.soft.dark);
  });

  it.each([
    [{ colors: { primary: "reddish" } }, /colors\.primary is "reddish", not a CSS colour/],
    [{ colors: { primary: "red;}body{display:none" } }, /colors\.primary is .*not a CSS colour/],
    [{ colors: { primary: "rgb(1 2 3);}x{" } }, /colors\.primary .*not a CSS colour/],
    [{ colors: { primary: "rgb(var(--x))" } }, /colors\.primary .*not a CSS colour/],
    [{ colors: { primry: "red" } }, /unknown colors key "primry"\. Did you mean "primary"\?/],
    [{ radius: "8px;}" }, /radius is "8px;}", not a CSS length/],
    [{ spacing: "lots" }, /spacing is "lots", not a CSS length/],
    [{ fonts: { body: "Inter;}</style>" } }, /fonts\.body is .*not a font-family list/],
    [{ font: "Inter" }, /unknown setting "font"\. Did you mean "fonts"\?/],
  ])("refuses %j, naming the key", (settings, message) => {
    expect(() => sc.theme(settings as sc.ThemeSettings)).toThrow(sc.DeclarationError);
    expect(() => sc.theme(settings as sc.ThemeSettings)).toThrow(message);
  });

  it("names dark settings as dark ones", () => {
    expect(() => sc.theme({}, { dark: { colors: { text: "nope" } } })).toThrow(
      /dark\.colors\.text is "nope"/,
    );
    expect(() => sc.theme({}, { dark: { radius: "2px" } })).toThrow(/dark\.radius: shapes are the same/);
  });

  it.each(Object.entries(sc.themes))("built-in %s keeps text at 4.5:1 in light and dark", (_name, theme) => {
    for (const [mode, base, own] of [
      ["light", baseLight, theme.light],
      ["dark", baseDark, theme.dark],
    ] as const) {
      const colors: Record<string, string> = { ...base };
      for (const [name, value] of Object.entries(own))
        if (name.startsWith("--sc-color-")) colors[name.slice("--sc-color-".length)] = value;
      for (const [text, background] of pairs) {
        const ratio = contrast(colors[text] as string, colors[background] as string);
        expect(ratio, `${mode}: ${text} on ${background}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });
});

describe("a Space's theme, mode, css and head", () => {
  it("keeps theme as the colour mode, as before", () => {
    const config = echo({ theme: "dark" }).toConfig();
    expect(config.theme).toBe("dark");
    expect(config.spacecraft.theme).toBeUndefined();
    expect(config.css).toBeUndefined();
    expect(config.head).toBeUndefined();
  });

  it("puts a theme's properties, the mode, css and head in the config", () => {
    const config = echo({
      theme: sc.themes.soft,
      mode: "light",
      css: "h1{color:red}",
      head: "<meta name=x>",
    }).toConfig();
    expect(config.theme).toBe("light");
    expect(config.spacecraft.theme?.light["--sc-color-primary"]).toBe("#4f46e5");
    expect(config.spacecraft.theme?.dark["--sc-color-primary"]).toBe("#818cf8");
    expect(config.css).toBe("h1{color:red}");
    expect(config.head).toBe("<meta name=x>");
  });

  it("leaves the default theme out of the config", () => {
    expect(echo({ theme: sc.themes.default }).toConfig().spacecraft.theme).toBeUndefined();
  });

  it("reaches Interface, ChatInterface and TabbedInterface", () => {
    const face = sc.Interface({
      fn: (text: string) => text,
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
      theme: sc.themes.ocean,
      css: ".a{}",
    });
    expect(face.toConfig().spacecraft.theme?.light["--sc-color-primary"]).toBe("#0369a1");
    const chat = sc.ChatInterface({
      fn: (message: string) => message,
      theme: sc.themes.monochrome,
      mode: "dark",
    });
    expect(chat.toConfig().theme).toBe("dark");
    expect(chat.toConfig().spacecraft.theme?.light["--sc-radius"]).toBe("2px");
    const tabs = sc.TabbedInterface([face, chat], ["One", "Two"]);
    expect(tabs.toConfig().css).toBe(".a{}");
    expect(tabs.toConfig().spacecraft.theme?.light["--sc-color-primary"]).toBe("#0369a1");
  });

  it("refuses a mode twice, an unknown mode and a theme that is neither", () => {
    expect(() => echo({ theme: "dark", mode: "light" })).toThrow(
      /theme "dark" is a colour mode and mode is given too/,
    );
    expect(() => echo({ mode: "dim" as never })).toThrow(/mode is "dim"; give "system", "light" or "dark"/);
    expect(() => echo({ theme: "soft" as never })).toThrow(
      /theme is "soft"; give a theme \(sc\.themes\.soft/,
    );
    expect(() => echo({ theme: { primary: "red" } as never })).toThrow(/theme must be a theme/);
    expect(() => echo({ css: 1 as never })).toThrow(/css must be a string of CSS/);
  });
});

describe("headSources", () => {
  it("allows inline scripts by hash and other sites' scripts and stylesheets by URL", () => {
    const sources = headSources(
      `<script>window.ready = true;</script><script type="application/ld+json">{}</script>
       <script src="https://cdn.example.com/a.js"></script><script src="./local.js"></script>
       <link rel="stylesheet" href="https://fonts.example.com/css?family=Inter"><link rel="icon" href="https://x.example/i.png">`,
    );
    // sha256 of `window.ready = true;`, as the browser computes it.
    expect(sources.scripts).toEqual([
      "'sha256-asm8aAmFS8uQhg2Eqy2o33b0pmZM8bVE6479NcKZ0mk='",
      "https://cdn.example.com/a.js",
    ]);
    expect(sources.styles).toEqual(["https://fonts.example.com/css?family=Inter"]);
    expect(sources.fonts).toEqual(["https:"]);
  });

  it("keeps anything that would end a source out", () => {
    expect(headSources(`<script src="https://x.example/a.js; script-src *"></script>`).scripts).toEqual([]);
    expect(headSources(undefined)).toEqual({ scripts: [], styles: [], fonts: [] });
  });
});
