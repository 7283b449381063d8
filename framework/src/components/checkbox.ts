import type { Listeners } from "../events.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** Props of {@link Checkbox}. */
export interface CheckboxProps extends SharedProps {
  /** Checked at first. */
  value?: boolean;
}

/** A single checkbox. */
export type Checkbox = Component<"checkbox", CheckboxProps, boolean, boolean, boolean> &
  Listeners<"change" | "input" | "select">;

/**
 * A checkbox: `true` when ticked.
 * @example Checkbox({ label: "Lower-case the text" })
 */
export function Checkbox(props: CheckboxProps = {}): Checkbox {
  return defineComponent("checkbox", props, {
    events: ["change", "input", "select"],
    api: { pythonType: "bool" },
    defaults: { value: false } satisfies CheckboxProps,
    schema: () => v.boolean("must be true or false"),
  });
}
