import type { Listeners } from "../events.js";
import type { Schema } from "../schema.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** Props of {@link Timer}. */
export interface TimerProps extends SharedProps {
  /** Seconds between ticks (default 1). */
  value?: number;
  /** Whether it ticks (default true); `sc.update({ active: false })` stops it. */
  active?: boolean;
}

/** A Blocks event source: `tick` every `value` seconds while `active`; as an input, its interval. */
export type Timer = Component<"timer", TimerProps, number, number, number> & Listeners<"tick">;

const interval: Schema<number> = v.pipe(
  v.number("must be the seconds between ticks"),
  v.finite("must be a finite number of seconds"),
  v.minValue(0.05, "must be at least 0.05 seconds between ticks"),
);

/**
 * Ticks in the page every `value` seconds while `active`, running the events wired to its `tick`
 * (Gradio's `gr.Timer`). Place it in the layout; it shows nothing.
 * @example const timer = Timer(5); timer.tick({ fn: () => new Date().toISOString(), outputs: [clock] })
 */
export function Timer(value = 1, props: Omit<TimerProps, "value"> = {}): Timer {
  return defineComponent(
    "timer",
    { ...props, value },
    {
      events: ["tick"],
      api: { pythonType: "float", example: 1 },
      defaults: { value: 1, active: true } satisfies TimerProps,
      schema: () => interval,
    },
  );
}
