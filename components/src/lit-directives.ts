/**
 * Lit's directives (`lit/directive.js`, `lit/async-directive.js`, `lit/directives/*`) from the
 * page's own Lit, for a Space's own elements that use any (see `lit.ts`): one module, loaded only
 * by those, named in the build's manifest under `../src/lit-directives.ts`.
 */

export * from "lit/async-directive.js";
export * from "lit/directive.js";
export * from "lit/directives/async-append.js";
export * from "lit/directives/async-replace.js";
export * from "lit/directives/cache.js";
export * from "lit/directives/choose.js";
export * from "lit/directives/class-map.js";
export * from "lit/directives/guard.js";
export * from "lit/directives/if-defined.js";
export * from "lit/directives/join.js";
export * from "lit/directives/keyed.js";
export * from "lit/directives/live.js";
export * from "lit/directives/map.js";
export * from "lit/directives/range.js";
export * from "lit/directives/ref.js";
export * from "lit/directives/repeat.js";
export * from "lit/directives/style-map.js";
export * from "lit/directives/template-content.js";
export * from "lit/directives/unsafe-html.js";
export * from "lit/directives/unsafe-mathml.js";
export * from "lit/directives/unsafe-svg.js";
export * from "lit/directives/until.js";
export * from "lit/directives/when.js";
