import type { Listeners } from "../events.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** Props of {@link Markdown}. */
export interface MarkdownProps extends SharedProps {
  /** The initial Markdown text. */
  value?: string;
}

/** Markdown text, rendered as sanitised HTML. */
export type Markdown = Component<"markdown", MarkdownProps, string, string, string> & Listeners<"change">;

/**
 * Markdown rendered in the page (raw HTML in it is sanitised).
 * @example Markdown({ value: "**Tip:** try the examples below." })
 */
export function Markdown(props: MarkdownProps = {}): Markdown {
  return defineComponent("markdown", props, {
    events: ["change"],
    api: { pythonType: "str" },
    defaults: { value: "" },
    schema: () => v.string("must be Markdown text"),
  });
}
