import { formatDateTime, isTimeZone, parseDateTime } from "../date-time.js";
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
  /**
   * The IANA time zone its times are in, such as `"Europe/Paris"` (default `"UTC"`): the text on
   * the wire and in the page is that zone's wall-clock time.
   */
  timezone?: string;
}

/** A date (and time): text on the wire, read in its `timezone` (UTC by default). */
export type DateTime<T extends DateTimeType = "timestamp"> = Component<
  "datetime",
  DateTimeProps<T>,
  DateTimeValues[T],
  number | Date | string,
  string
> &
  Listeners<"change" | "submit">;

export { formatDateTime, parseDateTime } from "../date-time.js";

const dateText: Schema<string> = v.pipe(
  v.string("must be a date as text, like 2024-05-01 13:45:00"),
  v.check(
    (text) => parseDateTime(text) !== undefined,
    "must be a date like 2024-05-01 or 2024-05-01 13:45:00, or now, or now - 2h",
  ),
);

/**
 * A date and time picker. Its text is a wall-clock time in `timezone` (UTC by default); `fn`
 * receives seconds since 1970 by default (`type: "date"` gives a `Date`, `"string"` the text);
 * return seconds, a `Date` or text.
 * @example DateTime({ label: "Since", value: "now - 1d", includeTime: false, type: "date" })
 * @example DateTime({ label: "Meeting", timezone: "Europe/Paris" })
 */
export function DateTime<T extends DateTimeType = "timestamp">(props: DateTimeProps<T> = {}): DateTime<T> {
  return defineComponent("datetime", props, {
    displayName: "DateTime",
    events: ["change", "submit"],
    api: { pythonType: "str", example: "2020-10-01 05:20:15" },
    defaults: { value: "", includeTime: true, type: "timestamp" as T, timezone: "UTC" },
    check: (p) => {
      if (!["timestamp", "date", "string"].includes(p.type as string))
        return '`type` must be "timestamp", "date" or "string"';
      if (typeof p.timezone !== "string" || !isTimeZone(p.timezone))
        return `\`timezone\` ${JSON.stringify(p.timezone)} is no time zone: give an IANA name such as "Europe/Paris", "America/New_York" or "UTC"`;
      return undefined;
    },
    // An empty box is no date: `fn` gets it only as `type: "string"`.
    schema: () =>
      v.union(
        [v.literal(""), dateText],
        "must be a date like 2024-05-01 13:45:00, or empty",
      ) as Schema<string>,
    preprocess: (text, p) => {
      if (p.type === "string") return text as DateTimeValues[T];
      const ms = parseDateTime(text, Date.now(), p.timezone);
      if (ms === undefined) throw new TypeError(`${JSON.stringify(text)} is not a date`);
      return (p.type === "date" ? new Date(ms) : ms / 1000) as DateTimeValues[T];
    },
    postprocess: (value, p) => {
      if (typeof value === "string") {
        const ms = parseDateTime(value, Date.now(), p.timezone);
        return ms === undefined ? value : formatDateTime(ms, p.includeTime, p.timezone);
      }
      const ms = value instanceof Date ? value.getTime() : value * 1000;
      if (!globalThis.Number.isFinite(ms))
        throw new TypeError("expected a date: seconds since 1970, a Date, or text");
      return formatDateTime(ms, p.includeTime, p.timezone);
    },
  });
}
