import type { ComponentConfig, SpaceConfig } from "spacecraft";

/**
 * What the server page's hydration chunk (`app/hydrate.ts`) registers when it runs: only a page the
 * server drew with Lit's markers loads it, so elements adopt the server's DOM instead of drawing
 * it again. Empty on other pages (a static build keeps the take-over that replaces the drawing).
 */
export const hydration: {
  /** `@lit-labs/ssr-client`'s `hydrate`: renders a template onto the DOM the server drew for it. */
  hydrate?: (value: unknown, container: HTMLElement | DocumentFragment, options?: object) => void;
  /** A component's element as the server drew it (`app/component-template.ts`). */
  componentTemplate?: (
    component: ComponentConfig,
    config: SpaceConfig,
    listening: string[],
    selectable: boolean,
  ) => unknown;
} = {};
