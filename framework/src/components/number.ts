import type { Schema } from "../schema.js";
import { z } from "../schema.js";
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
export type Number = Component<"number", NumberProps, number, number, number>;

/** A schema for a finite number between optional bounds. */
export function boundedNumber(minimum?: number, maximum?: number): Schema<number> {
  const schema = z.number({ error: "must be a number" });
  const checks = [
    ...(minimum === undefined ? [] : [z.gte(minimum, { error: `must be at least ${minimum}` })]),
    ...(maximum === undefined ? [] : [z.lte(maximum, { error: `must be at most ${maximum}` })]),
  ];
  return checks.length > 0 ? schema.check(...checks) : schema;
}

/**
 * A number field with optional bounds and rounding.
 * @example Number({ label: "Seed", precision: 0, minimum: 0 })
 */
export function Number(props: NumberProps = {}): Number {
  return defineComponent("number", props, {
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
