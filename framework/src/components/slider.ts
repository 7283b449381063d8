import type { Listeners } from "../events.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";
import { boundedNumber } from "./number.js";

/** Props of {@link Slider}. */
export interface SliderProps extends SharedProps {
  /** Left end (default 0). */
  minimum?: number;
  /** Right end (default 100). */
  maximum?: number;
  /** Distance between stops (default 1). */
  step?: number;
  /** The initial value (default `minimum`). */
  value?: number;
}

/** A slider over a range of numbers. */
export type Slider = Component<"slider", SliderProps, number, number, number> & Listeners<"change" | "input">;

/**
 * A slider; also editable as a number field beside it.
 * @example Slider({ label: "Temperature", minimum: 0, maximum: 2, step: 0.1, value: 0.7 })
 */
export function Slider(props: SliderProps = {}): Slider {
  const minimum = props.minimum ?? 0;
  return defineComponent("slider", props, {
    events: ["change", "input"],
    api: { pythonType: "float" },
    defaults: { minimum, maximum: 100, step: 1, value: minimum } satisfies SliderProps,
    check: (p) => {
      if (!(p.minimum < p.maximum)) return "`minimum` must be smaller than `maximum`";
      if (!(p.step > 0)) return "`step` must be positive";
      return undefined;
    },
    schema: (p) => boundedNumber(p.minimum, p.maximum),
  });
}
