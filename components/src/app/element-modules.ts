/**
 * Each element's module, by path: type `x` loads `../x/x.ts` on demand, so a page pays only for
 * what it shows. The button is in the entry (nearly every page has one); helper modules of element
 * folders are left out. This table is its own chunk: a page finds its elements' chunks in the
 * config (`spacecraft.elements`, which the server and `spacecraft build` write from the build's
 * manifest), and loads this only for a config without them. It is also what makes the build emit
 * a chunk per element, beside the entry.
 */
const elementModules = import.meta.glob([
  "../*/*.ts",
  "!../*/*.styles.ts",
  "!../*/*.test.ts",
  "!../{app,base,button}/*",
  "!../markdown/parsed.ts",
  "!../audio/wav.ts",
  "!../chatbot/files.ts",
  "!../loginbutton/hub-oauth.ts",
  "!../code/editor.ts",
  "!../nativeplot/chart.ts",
  // Not elements: the page's Lit for a Space's own elements (see lit.ts). Listed here, they are
  // dynamic entries of the build, so the Lit code they share stays in the page's entry.
  "../lit.ts",
  "../lit-directives.ts",
]);

/** Loads the element of `type`, if the package has one. */
export function loadElement(type: string): Promise<unknown> | undefined {
  return elementModules[`../${type}/${type}.ts`]?.();
}
