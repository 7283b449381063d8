import type { Listeners } from "../events.js";
import type { Schema } from "../schema.js";
import { v } from "../schema.js";
import type { Choice, ChoiceValue, Component, SharedProps } from "./component.js";
import { checkChoices, choiceSchema, choicesPythonType, defineComponent } from "./component.js";

/** Props of {@link CheckboxGroup}. */
export interface CheckboxGroupProps<C extends readonly Choice[]> extends SharedProps {
  /** The choices: values, or `[label, value]` pairs. */
  choices: C;
  /** The values ticked at first. */
  value?: readonly ChoiceValue<C>[];
}

/** A group of checkboxes: the list of ticked values. */
export type CheckboxGroup<C extends readonly Choice[] = readonly Choice[]> = Component<
  "checkboxgroup",
  CheckboxGroupProps<C>,
  ChoiceValue<C>[],
  readonly ChoiceValue<C>[],
  ChoiceValue<C>[]
> &
  Listeners<"change" | "input" | "select">;

/**
 * Checkboxes over a list of choices; `fn` receives the ticked values in choice order.
 * @example CheckboxGroup({ label: "Toppings", choices: ["cheese", "olives"] })
 */
export function CheckboxGroup<const C extends readonly Choice[]>(
  props: CheckboxGroupProps<C>,
): CheckboxGroup<C> {
  return defineComponent("checkboxgroup", props, {
    events: ["change", "input", "select"],
    displayName: "CheckboxGroup",
    api: { pythonType: (p) => `list[${choicesPythonType(p.choices)}]` },
    defaults: { choices: [] as unknown as C, value: [] as ChoiceValue<C>[] },
    check: (p) => checkChoices(p.choices),
    schema: (p) =>
      v.pipe(
        v.array(choiceSchema(p.choices), "must be a list of choices"),
        v.check((list) => new Set(list).size === list.length, "lists a choice twice"),
      ) as unknown as Schema<ChoiceValue<C>[]>,
  });
}
