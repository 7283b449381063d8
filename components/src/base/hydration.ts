import type { PropertyValues } from "lit";
import type { ComponentConfig, SpaceConfig } from "spacecraft";
import type { ScElement } from "./base-element.js";

/**
 * What the server page's hydration chunk (`app/hydrate.ts`) registers when it runs: only a page the
 * server drew with Lit's markers loads it, so elements adopt the server's DOM instead of drawing
 * it again. Empty on other pages (a static build keeps the take-over that replaces the drawing).
 */
export const hydration: {
  /** A server-drawn element's first render: onto the server's drawing (or afresh in its place). */
  update?: (element: ScElement, changed: PropertyValues) => void;
  /** A component's element as the server drew it (`app/component-template.ts`). */
  componentTemplate?: (
    component: ComponentConfig,
    config: SpaceConfig,
    listening: string[],
    selectable: boolean,
  ) => unknown;
} = {};
