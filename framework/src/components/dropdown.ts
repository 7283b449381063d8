import type { Listeners } from "../events.js";
import type { Schema } from "../schema.js";
import { finiteNumber, v } from "../schema.js";
import type { Choice, ChoiceValue, Component, SharedProps } from "./component.js";
import { checkChoices, choiceSchema, choicesPythonType, choiceValues, defineComponent } from "./component.js";

/** Props of {@link Dropdown}. */
export interface DropdownProps<C extends readonly Choice[], M extends boolean, A extends boolean>
  extends SharedProps {
  /** The choices: values, or `[label, value]` pairs. */
  choices: C;
  /** Let the user pick several; `fn` then receives a list. */
  multiselect?: M;
  /** Accept text that is not one of the choices. */
  allowCustomValue?: A;
  /** The selection at first (default: the first choice, or none when `multiselect`). */
  value?: DropdownValue<C, M, A>;
  /** Most choices that can be picked when `multiselect`. */
  maxChoices?: number;
}

/** The value of a dropdown: one choice, or a list when `multiselect`. */
export type DropdownValue<C extends readonly Choice[], M extends boolean, A extends boolean> =
  | (true extends M ? (ChoiceValue<C> | (true extends A ? string : never))[] : never)
  | (false extends M ? ChoiceValue<C> | (true extends A ? string : never) : never);

/** A drop-down list of choices. */
export type Dropdown<
  C extends readonly Choice[] = readonly Choice[],
  M extends boolean = boolean,
  A extends boolean = boolean,
> = Component<
  "dropdown",
  DropdownProps<C, M, A>,
  DropdownValue<C, M, A>,
  DropdownValue<C, M, A>,
  DropdownValue<C, M, A>
> &
  Listeners<"change" | "input" | "select" | "focus" | "blur">;

/**
 * A drop-down list; with `multiselect` the value is a list.
 * @example Dropdown({ label: "Model", choices: ["small", "large"] })
 */
export function Dropdown<
  const C extends readonly Choice[],
  M extends boolean = false,
  A extends boolean = false,
>(props: DropdownProps<C, M, A>): Dropdown<C, M, A> {
  const multiselect = props.multiselect ?? false;
  const first = choiceValues(props.choices ?? [])[0];
  return defineComponent("dropdown", props, {
    events: ["change", "input", "select", "focus", "blur"],
    api: {
      pythonType: (p) => {
        const one = p.allowCustomValue ? "str | float" : choicesPythonType(p.choices);
        return p.multiselect ? `list[${one}]` : one;
      },
    },
    defaults: {
      choices: props.choices,
      multiselect: false as M,
      allowCustomValue: false as A,
      value: (multiselect ? [] : first) as DropdownValue<C, M, A>,
      maxChoices: undefined as number | undefined,
    },
    check: (p) => checkChoices(p.choices),
    schema: (p) => {
      const one = p.allowCustomValue
        ? v.union([v.string(), finiteNumber()], "must be text or a number")
        : choiceSchema(p.choices);
      if (!p.multiselect) return one as Schema<DropdownValue<C, M, A>>;
      const list = v.array(one, "must be a list of choices");
      const limited =
        p.maxChoices === undefined
          ? list
          : v.pipe(list, v.maxLength(p.maxChoices, `allows at most ${p.maxChoices} choices`));
      return limited as unknown as Schema<DropdownValue<C, M, A>>;
    },
  });
}
