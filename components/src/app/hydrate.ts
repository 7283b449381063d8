// The server page's hydration (its own chunk, run as a script only by a page the server drew with
// Lit's markers, `server/page.ts`, before the elements' chunks): elements render onto the server's
// DOM instead of drawing it again, and `<sc-app>` renders its components from the templates the
// server drew them with. What `@lit-labs/ssr-client`'s `lit-element-hydrate-support` does for
// LitElement, for our elements only (whose base already keeps a server-drawn shadow root).
import { hydrate } from "@lit-labs/ssr-client";
import type { LitElement, PropertyValues } from "lit";
import { adoptStyles, ReactiveElement } from "lit";
import { ScElement } from "../base/base-element.js";
import { hydration } from "../base/hydration.js";
import { componentTemplate } from "./component-template.js";

/** What the first render reaches of an element (protected members). */
type Drawn = LitElement & {
  render(): unknown;
  renderOptions: { isConnected?: boolean };
  /** Whether its first render is what the server drew (ScApp's and ScMarkdown's may not be). */
  hydrates?(): boolean;
};

hydration.update = (element, changed) => {
  const drawn = element as unknown as Drawn;
  const root = drawn.renderRoot as ShadowRoot;
  if (drawn.hydrates?.() ?? true) {
    const value = drawn.render();
    drawn.renderOptions.isConnected = drawn.isConnected;
    (ReactiveElement.prototype as unknown as { update(changed: PropertyValues): void }).update.call(
      drawn,
      changed,
    );
    try {
      hydrate(value, root, drawn.renderOptions);
      return;
    } catch (error) {
      console.warn(
        `[spacecraft] <${drawn.localName}> differs from the server's drawing; drawn again.`,
        error,
      );
    }
  }
  // Drawn afresh in place of the server's drawing, with the styles it did not adopt.
  root.replaceChildren();
  adoptStyles(root, [...(drawn.constructor as typeof LitElement).elementStyles, ...root.adoptedStyleSheets]);
  (Object.getPrototypeOf(ScElement.prototype) as { update(changed: PropertyValues): void }).update.call(
    drawn,
    changed,
  );
};
hydration.componentTemplate = componentTemplate;

// An element the server drew inside another waits (`defer-hydration`) until its host's hydration
// has given it its props: all of its `connectedCallback` (its class's too: a chat observes its
// list, the sign-in button checks its runtime) runs then, as for an element created with its
// props. The elements' chunks run after this one, so each class is wrapped as it is defined.
const observed = Object.getOwnPropertyDescriptor(ReactiveElement, "observedAttributes")
  ?.get as () => string[];
const define = customElements.define.bind(customElements);
customElements.define = (name, constructor, options) => {
  if (constructor.prototype instanceof ScElement) {
    const prototype = constructor.prototype as ScElement;
    const { connectedCallback, attributeChangedCallback } = prototype;
    prototype.connectedCallback = function (this: ScElement) {
      if (!this.hasAttribute("defer-hydration")) connectedCallback.call(this);
    };
    prototype.attributeChangedCallback = function (this: ScElement, attribute, old, value) {
      if (attribute === "defer-hydration" && value === null && this.isConnected) connectedCallback.call(this);
      attributeChangedCallback.call(this, attribute, old, value);
    };
    Object.defineProperty(constructor, "observedAttributes", {
      get(this: typeof ScElement) {
        return [...observed.call(this), "defer-hydration"];
      },
    });
  }
  define(name, constructor, options);
};
