import type { Listeners } from "../events.js";
import type { Schema } from "../schema.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** Props of {@link Number}. */
export interface NumberProps extends SharedProps {
  /** The initial number. */
  value?: number;
  /** Smallest number accepted. */
  minimum?: number;
  /** Largest number accepted. */
  maximum?: number;
  /** Step of the arrow keys and spinner. */
  step?: number;
  /** Decimal places `fn` receives (0 gives integers); unset keeps the number as typed. */
  precision?: number;
}

/** A number field. */
export type Number = Component<"number", NumberProps, number, number, number> &
  Listeners<"change" | "input" | "submit" | "focus" | "blur">;

/** A schema for a finite number between optional bounds. */
export function boundedNumber(minimum?: number, maximum?: number): Schema<number> {
  let schema: Schema<number> = v.pipe(v.number("must be a number"), v.finite("must be a finite number"));
  if (minimum !== undefined) {
    schema = v.pipe(schema, v.minValue<number, number, string>(minimum, `must be at least ${minimum}`));
  }
  if (maximum !== undefined) {
    schema = v.pipe(schema, v.maxValue<number, number, string>(maximum, `must be at most ${maximum}`));
  }
  return schema;
}

/**
 * A number field with optional bounds and rounding.
 * @example Number({ label: "Seed", precision: 0, minimum: 0 })
 */
export function Number(props: NumberProps = {}): Number {
  return defineComponent("number", props, {
    events: ["change", "input", "submit", "focus", "blur"],
    api: { pythonType: (p) => (p.precision === 0 ? "int" : "float") },
    defaults: {
      value: 0,
      minimum: undefined as number | undefined,
      maximum: undefined as number | undefined,
      step: 1,
      precision: undefined as number | undefined,
    } satisfies NumberProps,
    check: (p) =>
      p.minimum !== undefined && p.maximum !== undefined && p.minimum > p.maximum
        ? "`minimum` is larger than `maximum`"
        : undefined,
    schema: (p) => boundedNumber(p.minimum, p.maximum),
    preprocess: (value, p) =>
      p.precision === undefined ? value : globalThis.Number(value.toFixed(p.precision)),
  });
}
