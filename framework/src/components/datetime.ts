import type { Listeners } from "../events.js";
import type { Schema } from "../schema.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** What `fn` receives from a {@link DateTime}: seconds since 1970 (Gradio's default), a `Date`, or the text. */
export type DateTimeType = "timestamp" | "date" | "string";

/** The value of each {@link DateTimeType}. */
export interface DateTimeValues {
  timestamp: number;
  date: Date;
  string: string;
}

/** Props of {@link DateTime}. */
export interface DateTimeProps<T extends DateTimeType> extends SharedProps {
  /** The initial date, as `YYYY-MM-DD HH:MM:SS` (or `YYYY-MM-DD`), or `now`, `now - 2h`. */
  value?: string;
  /** Take a time of day as well as a date (default true). */
  includeTime?: boolean;
  /** What `fn` receives (default `"timestamp"`: seconds since 1970, as Gradio gives). */
  type?: T;
}

/** A date (and time): text on the wire, read as UTC. */
export type DateTime<T extends DateTimeType = "timestamp"> = Component<
  "datetime",
  DateTimeProps<T>,
  DateTimeValues[T],
  number | Date | string,
  string
> &
  Listeners<"change" | "submit">;

const absolute = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const relative = /^now(?:\s*-\s*(\d+(?:\.\d+)?)\s*([smhdw]))?$/;
const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * Reads a DateTime's text as milliseconds since 1970 (UTC), or `undefined` when it is no date:
 * `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`, `now`, or `now - <n><s|m|h|d|w>` (Gradio's forms).
 */
export function parseDateTime(text: string, now = Date.now()): number | undefined {
  const trimmed = text.trim();
  const ago = relative.exec(trimmed);
  if (ago)
    return now - (ago[1] ? globalThis.Number(ago[1]) * (unitSeconds[ago[2] as string] ?? 0) * 1000 : 0);
  const parts = absolute.exec(trimmed);
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts
    .slice(1)
    .map((part) => globalThis.Number(part ?? 0)) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(ms);
  // 2024-02-31 rolls over to March: refuse it rather than guess.
  if (
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return undefined;
  return ms;
}

/** Writes a time as Gradio does: `YYYY-MM-DD HH:MM:SS` (UTC), or `YYYY-MM-DD` without the time. */
export function formatDateTime(ms: number, includeTime: boolean): string {
  const iso = new Date(ms).toISOString();
  return includeTime ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso.slice(0, 10);
}

const dateText: Schema<string> = v.pipe(
  v.string("must be a date as text, like 2024-05-01 13:45:00"),
  v.check(
    (text) => parseDateTime(text) !== undefined,
    "must be a date like 2024-05-01 or 2024-05-01 13:45:00 (UTC), or now, or now - 2h",
  ),
);

/**
 * A date and time picker. Its text is read as UTC; `fn` receives seconds since 1970 by
 * default (`type: "date"` gives a `Date`, `"string"` the text); return seconds, a `Date` or text.
 * @example DateTime({ label: "Since", value: "now - 1d", includeTime: false, type: "date" })
 */
export function DateTime<T extends DateTimeType = "timestamp">(props: DateTimeProps<T> = {}): DateTime<T> {
  return defineComponent("datetime", props, {
    displayName: "DateTime",
    events: ["change", "submit"],
    api: { pythonType: "str", example: "2020-10-01 05:20:15" },
    defaults: { value: "", includeTime: true, type: "timestamp" as T },
    check: (p) =>
      ["timestamp", "date", "string"].includes(p.type as string)
        ? undefined
        : '`type` must be "timestamp", "date" or "string"',
    // An empty box is no date: `fn` gets it only as `type: "string"`.
    schema: () =>
      v.union(
        [v.literal(""), dateText],
        "must be a date like 2024-05-01 13:45:00, or empty",
      ) as Schema<string>,
    preprocess: (text, p) => {
      if (p.type === "string") return text as DateTimeValues[T];
      const ms = parseDateTime(text);
      if (ms === undefined) throw new TypeError(`${JSON.stringify(text)} is not a date`);
      return (p.type === "date" ? new Date(ms) : ms / 1000) as DateTimeValues[T];
    },
    postprocess: (value, p) => {
      if (typeof value === "string") {
        const ms = parseDateTime(value);
        return ms === undefined ? value : formatDateTime(ms, p.includeTime);
      }
      const ms = value instanceof Date ? value.getTime() : value * 1000;
      if (!globalThis.Number.isFinite(ms))
        throw new TypeError("expected a date: seconds since 1970, a Date, or text");
      return formatDateTime(ms, p.includeTime);
    },
  });
}
