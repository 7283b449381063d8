/**
 * Lit's public API (`lit`, `lit/decorators.js`) from the page's own Lit, for a Space's own elements: the server
 * bundles each with its `lit` imports pointing here (`server/custom-elements.ts`), so a custom
 * element is a few KB and shares the page's Lit. A dynamic entry of the page's build
 * (`app/element-modules.ts` lists it), so the page never loads it itself; its chunk is named in
 * the build's manifest under `../src/lit.ts`. Named exports, not `export *`: each is already in
 * the page's entry (only `isServer`, from a module the page lacks, would split Lit out of it).
 * The decorators are here too: in a module of their own, the build split lit-html out of the
 * page's entry into a chunk of its own (one more request for every page).
 */
export {
  adoptStyles,
  CSSResult,
  css,
  defaultConverter,
  getCompatibleStyle,
  html,
  LitElement,
  mathml,
  noChange,
  notEqual,
  nothing,
  ReactiveElement,
  render,
  supportsAdoptingStyleSheets,
  svg,
  unsafeCSS,
} from "lit";
export * from "lit/decorators.js";
// The built-ins' base class (`spacecraft/element` in a Space's file): label, info, error,
// visible and interactive handled as built-ins handle them.
export { ScElement } from "./base/base-element.js";

/** Lit's `isServer`: this module runs only in the browser. */
export const isServer = false;
