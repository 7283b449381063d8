import type { Schema } from "../schema.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Props of {@link JSON}. */
export interface JSONProps extends SharedProps {
  /** The initial value. */
  value?: JsonValue;
  /** Depth shown expanded; deeper levels start folded. */
  openDepth?: number;
}

/** A JSON viewer. `fn` may return any JSON-serialisable value (typed arrays become lists). */
export type JSON = Component<"json", JSONProps, JsonValue, unknown, JsonValue>;

/** Whether `value` is plain JSON data: no functions, class instances, Infinity or undefined. */
function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every(isJsonValue);
}

/** Accepts JSON data as it is (every key kept); a custom check, so JSON Schema says nothing of it. */
const jsonSchema: Schema<JsonValue> = v.custom<JsonValue>(isJsonValue, "must be JSON data");

/**
 * A JSON value, shown as a foldable tree.
 * @example JSON({ label: "Raw output" })
 */
export function JSON(props: JSONProps = {}): JSON {
  return defineComponent("json", props, {
    defaults: { value: null as JsonValue, openDepth: 2 },
    schema: () => jsonSchema,
    postprocess: (value) => toJsonValue(value),
  });
}

function toJsonValue(value: unknown): JsonValue {
  const text = globalThis.JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      return Array.from(v as unknown as ArrayLike<number>);
    }
    return v;
  });
  return text === undefined ? null : (globalThis.JSON.parse(text) as JsonValue);
}
