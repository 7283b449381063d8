import type { Listeners } from "../events.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** Props of {@link Textbox}. */
export interface TextboxProps extends SharedProps {
  /** The initial text. */
  value?: string;
  /** Visible lines; more than 1 makes a multi-line box. */
  lines?: number;
  /** Lines the box grows to before it scrolls. */
  maxLines?: number;
  /** Grey hint shown while the box is empty. */
  placeholder?: string;
  /** Input type of a one-line box. */
  type?: "text" | "password" | "email";
  /** Longest text accepted, in characters. */
  maxLength?: number;
  /** Show a button that copies the text. */
  showCopyButton?: boolean;
}

/** A text box: a string in, a string out. */
export type Textbox = Component<"textbox", TextboxProps, string, string, string> &
  Listeners<"change" | "input" | "submit" | "focus" | "blur">;

/**
 * A one- or multi-line text box.
 * @example Textbox({ label: "Prompt", lines: 3, placeholder: "Describe a picture" })
 */
export function Textbox(props: TextboxProps = {}): Textbox {
  return defineComponent("textbox", props, {
    events: ["change", "input", "submit", "focus", "blur"],
    api: { pythonType: "str" },
    defaults: {
      value: "",
      lines: 1,
      maxLines: 20,
      placeholder: "",
      type: "text",
      maxLength: undefined as number | undefined,
      showCopyButton: false,
    } satisfies TextboxProps,
    check: (p) => (p.lines < 1 || p.maxLines < p.lines ? "`lines` must be ≥ 1 and ≤ `maxLines`" : undefined),
    schema: (p) => {
      const text = v.string("must be text");
      return p.maxLength === undefined
        ? text
        : v.pipe(text, v.maxLength(p.maxLength, `must be at most ${p.maxLength} characters long`));
    },
  });
}
