import type { Listeners } from "../events.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** Props of {@link HTML}. */
export interface HTMLProps extends SharedProps {
  /** The initial HTML. */
  value?: string;
}

/** HTML shown in the page, sanitised (scripts, event handlers and `javascript:` links are removed). */
export type HTML = Component<"html", HTMLProps, string, string, string> & Listeners<"change" | "click">;

/**
 * HTML rendered in the page after the same sanitiser as Markdown's (DOMPurify): markup and
 * inline styles stay, scripts and event handlers go.
 * @example HTML({ value: "<h2>Results</h2><p>Ready.</p>" })
 */
export function HTML(props: HTMLProps = {}): HTML {
  return defineComponent("html", props, {
    displayName: "HTML",
    events: ["change", "click"],
    api: { pythonType: "str" },
    defaults: { value: "" } satisfies HTMLProps,
    schema: () => v.string("must be HTML text"),
  });
}
