import type { Listeners } from "../events.js";
import type { Schema } from "../schema.js";
import type { Choice, ChoiceValue, Component, SharedProps } from "./component.js";
import { checkChoices, choiceSchema, choicesPythonType, choiceValues, defineComponent } from "./component.js";

/** Props of {@link Radio}. */
export interface RadioProps<C extends readonly Choice[]> extends SharedProps {
  /** The choices: values, or `[label, value]` pairs. */
  choices: C;
  /** The choice selected at first (default: the first). */
  value?: ChoiceValue<C>;
}

/** Radio buttons: exactly one of the choices. */
export type Radio<C extends readonly Choice[] = readonly Choice[]> = Component<
  "radio",
  RadioProps<C>,
  ChoiceValue<C>,
  ChoiceValue<C>,
  ChoiceValue<C>
> &
  Listeners<"change" | "input" | "select">;

/**
 * Radio buttons; `fn` receives the selected value.
 * @example Radio({ label: "Language", choices: [["English", "en"], ["French", "fr"]] })
 */
export function Radio<const C extends readonly Choice[]>(props: RadioProps<C>): Radio<C> {
  return defineComponent("radio", props, {
    events: ["change", "input", "select"],
    api: { pythonType: (p) => choicesPythonType(p.choices) },
    defaults: {
      choices: props.choices,
      value: choiceValues(props.choices ?? [])[0] as ChoiceValue<C>,
    },
    check: (p) => checkChoices(p.choices),
    schema: (p) => choiceSchema(p.choices) as Schema<ChoiceValue<C>>,
  });
}
