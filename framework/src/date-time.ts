/**
 * DateTime's text (`YYYY-MM-DD HH:MM:SS`, `now - 2h`) and wall-clock times in an IANA time zone,
 * with the platform's `Intl` (no zone data of our own): used by DateTime on the server and by
 * `<sc-datetime>` in the page.
 */

/** A time as a clock on the wall shows it: year, month (1–12), day, hour, minute, second. */
export type WallClock = [
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
];

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Whether `name` is a time zone this platform knows (an IANA name such as `Europe/Paris`, or `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    formatIn(name);
    return true;
  } catch {
    return false;
  }
}

/** What a clock in `timeZone` shows at `ms` (milliseconds since 1970). */
export function wallClockAt(ms: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatIn(timeZone).formatToParts(ms)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  // Years before 1 come out as era years; DateTime's four-digit years never are.
  return [
    parts.year ?? 0,
    parts.month ?? 0,
    parts.day ?? 0,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  ];
}

/** How far `timeZone`'s clocks are ahead of UTC at `ms`, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const [year, month, day, hour, minute, second] = wallClockAt(ms, timeZone);
  return Date.UTC(year, month - 1, day, hour, minute, second) - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant (milliseconds since 1970) at which a clock in `timeZone` shows `clock`. A time
 * skipped when the clocks go forward is read with the offset from before the change (02:30 is
 * 03:30); a time shown twice when they go back is its first showing.
 */
export function instantOf(clock: WallClock, timeZone: string): number {
  const [year, month, day, hour, minute, second] = clock;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const oneDay = 86_400_000;
  const before = asUtc - offsetAt(asUtc - oneDay, timeZone);
  const after = asUtc - offsetAt(asUtc + oneDay, timeZone);
  const shows = (ms: number) => asUtc - offsetAt(ms, timeZone) === ms;
  if (shows(before) && shows(after)) return Math.min(before, after);
  if (shows(after)) return after;
  return before;
}

const absolute = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const relative = /^now(?:\s*-\s*(\d+(?:\.\d+)?)\s*([smhdw]))?$/;
const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * Reads a DateTime's text as milliseconds since 1970, or `undefined` when it is no date:
 * `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` (a wall-clock time in `timeZone`, default UTC), `now`, or
 * `now - <n><s|m|h|d|w>` (Gradio's forms).
 */
export function parseDateTime(text: string, now = Date.now(), timeZone = "UTC"): number | undefined {
  const trimmed = text.trim();
  const ago = relative.exec(trimmed);
  if (ago) return now - (ago[1] ? Number(ago[1]) * (unitSeconds[ago[2] as string] ?? 0) * 1000 : 0);
  const parts = absolute.exec(trimmed);
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
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
  return timeZone === "UTC" ? ms : instantOf([year, month, day, hour, minute, second], timeZone);
}

/**
 * Writes a time as Gradio does: `YYYY-MM-DD HH:MM:SS`, or `YYYY-MM-DD` without the time, as a clock
 * in `timeZone` (default UTC) shows it.
 */
export function formatDateTime(ms: number, includeTime: boolean, timeZone = "UTC"): string {
  if (timeZone === "UTC") {
    const iso = new Date(ms).toISOString();
    return includeTime ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso.slice(0, 10);
  }
  const [year, month, day, hour, minute, second] = wallClockAt(ms, timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  const date = `${String(year).padStart(4, "0")}-${two(month)}-${two(day)}`;
  return includeTime ? `${date} ${two(hour)}:${two(minute)}:${two(second)}` : date;
}
