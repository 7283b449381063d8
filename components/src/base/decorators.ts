import type { PropertyDeclaration, ReactiveElement } from "lit";

// Lit's `@property`, `@state` and `@customElement` for TypeScript's experimental decorators, the
// only kind this package compiles with. Lit's own also handle standard decorators and accessors,
// which costs every Space's page about 0.5 KB gzipped.

/** A reactive property (Lit's `@property`, for class fields). */
export function property(options?: PropertyDeclaration) {
  return (proto: ReactiveElement, name: PropertyKey): void => {
    (proto.constructor as typeof ReactiveElement).createProperty(name, options);
  };
}

/** Internal reactive state: no attribute (Lit's `@state`, for class fields). */
export function state(options?: Pick<PropertyDeclaration, "hasChanged">) {
  return property({ ...options, state: true, attribute: false });
}

/** Registers the class as the custom element `tag` (Lit's `@customElement`). */
export function customElement(tag: string) {
  return (element: CustomElementConstructor): void => customElements.define(tag, element);
}
