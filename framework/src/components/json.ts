import type { Listeners } from "../events.js";
import { MAX_JSON_DEPTH } from "../limits.js";
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
export type JSON = Component<"json", JSONProps, JsonValue, unknown, JsonValue> & Listeners<"change">;

/**
 * Whether `value` is plain JSON data: no functions, class instances, Infinity or undefined, and
 * nested at most {@link MAX_JSON_DEPTH} levels (so checking it cannot overflow the stack).
 */
function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || depth >= MAX_JSON_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every((item) => isJsonValue(item, depth + 1));
}

/** Accepts JSON data as it is (every key kept); a custom check, so JSON Schema says nothing of it. */
const jsonSchema: Schema<JsonValue> = v.custom<JsonValue>(
  (value) => isJsonValue(value),
  `must be JSON data (numbers finite, nested at most ${MAX_JSON_DEPTH} levels)`,
);

/**
 * A JSON value, shown as a foldable tree.
 * @example JSON({ label: "Raw output" })
 */
export function JSON(props: JSONProps = {}): JSON {
  return defineComponent("json", props, {
    events: ["change"],
    displayName: "JSON",
    api: { pythonType: "dict | list | str | float | bool | None", description: "any valid JSON" },
    defaults: { value: null as JsonValue, openDepth: 2 },
    schema: () => jsonSchema,
    postprocess: (value) => toJsonValue(value),
  });
}

function toJsonValue(value: unknown): JsonValue {
  // A streamed text reply goes through here once per token: no round trip for what is JSON already.
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  const text = globalThis.JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      return Array.from(v as unknown as ArrayLike<number>);
    }
    return v;
  });
  return text === undefined ? null : (globalThis.JSON.parse(text) as JsonValue);
}
