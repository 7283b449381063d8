import type { Listeners } from "../events.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** Props of {@link Button}. */
export interface ButtonProps extends SharedProps {
  /** The button's text (also its value when it is an input). */
  value?: string;
  /** Its look: the main action, a secondary one, or one that stops or deletes. */
  variant?: "primary" | "secondary" | "stop";
  /** Its size. */
  size?: "sm" | "md" | "lg";
}

/** A button: fires `click`; as an input its value is its text. */
export type Button = Component<"button", ButtonProps, string, string, string> & Listeners<"click">;

/**
 * A button whose `click` runs an event.
 * @example const go = Button({ value: "Compute", variant: "primary" }); go.click({ fn, inputs, outputs })
 */
export function Button(props: ButtonProps = {}): Button {
  return defineComponent("button", props, {
    defaults: { value: "Run", variant: "secondary", size: "md" } satisfies ButtonProps,
    schema: () => v.string("must be the button's text"),
    events: ["click"],
  });
}
