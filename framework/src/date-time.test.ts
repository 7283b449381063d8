import { describe, expect, it } from "vitest";
import { DateTime } from "./components/datetime.js";
import { formatDateTime, instantOf, isTimeZone, parseDateTime, wallClockAt } from "./date-time.js";
import { DeclarationError } from "./errors.js";

describe("date-time in a time zone", () => {
  it("reads and writes wall-clock times of a zone, summer and winter", () => {
    // Paris is UTC+2 in summer, UTC+1 in winter; Tokyo is UTC+9 all year.
    expect(parseDateTime("2024-07-01 12:00:00", 0, "Europe/Paris")).toBe(Date.UTC(2024, 6, 1, 10));
    expect(parseDateTime("2024-01-15 12:00", 0, "Europe/Paris")).toBe(Date.UTC(2024, 0, 15, 11));
    expect(parseDateTime("2024-05-01", 0, "Asia/Tokyo")).toBe(Date.UTC(2024, 3, 30, 15));
    expect(formatDateTime(Date.UTC(2024, 6, 1, 10), true, "Europe/Paris")).toBe("2024-07-01 12:00:00");
    expect(formatDateTime(Date.UTC(2024, 3, 30, 15), false, "Asia/Tokyo")).toBe("2024-05-01");
    expect(formatDateTime(Date.UTC(2024, 3, 30, 15, 0, 7), true, "America/New_York")).toBe(
      "2024-04-30 11:00:07",
    );
    // "now" is an instant, whatever the zone.
    expect(parseDateTime("now - 1h", 10_000_000, "Asia/Tokyo")).toBe(10_000_000 - 3_600_000);
  });

  it("reads a time the clocks skip with the offset from before, and a time shown twice as its first showing", () => {
    // Paris, 2024-03-31: 02:00 CET became 03:00 CEST; 2024-10-27: 03:00 CEST became 02:00 CET.
    expect(instantOf([2024, 3, 31, 2, 30, 0], "Europe/Paris")).toBe(Date.UTC(2024, 2, 31, 1, 30));
    expect(wallClockAt(Date.UTC(2024, 2, 31, 1, 30), "Europe/Paris")).toEqual([2024, 3, 31, 3, 30, 0]);
    expect(instantOf([2024, 10, 27, 2, 30, 0], "Europe/Paris")).toBe(Date.UTC(2024, 9, 27, 0, 30));
    expect(instantOf([2024, 10, 27, 1, 59, 59], "Europe/Paris")).toBe(Date.UTC(2024, 9, 26, 23, 59, 59));
    expect(instantOf([2024, 10, 27, 3, 0, 0], "Europe/Paris")).toBe(Date.UTC(2024, 9, 27, 2));
  });

  it("round-trips every hour of a year in a zone with summer time", () => {
    const start = Date.UTC(2024, 0, 1);
    for (let ms = start; ms < start + 366 * 86_400_000; ms += 3_600_000) {
      const text = formatDateTime(ms, true, "America/New_York");
      const back = parseDateTime(text, 0, "America/New_York") as number;
      // The hour shown twice in November reads as its first showing.
      expect(back === ms || back === ms - 3_600_000, text).toBe(true);
      expect(formatDateTime(back, true, "America/New_York")).toBe(text);
    }
  });

  it("knows IANA names and refuses others", () => {
    expect(isTimeZone("Europe/Paris")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Europe/Pariss")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});

describe("DateTime's timezone", () => {
  it("gives fn the instant of the zone's wall-clock text, and writes outputs as that zone's clock", async () => {
    const tokyo = DateTime({ timezone: "Asia/Tokyo" });
    expect(await tokyo.preprocess("2024-05-01 09:00:00")).toBe(Date.UTC(2024, 4, 1) / 1000);
    expect(await tokyo.postprocess(Date.UTC(2024, 4, 1) / 1000)).toBe("2024-05-01 09:00:00");
    expect(await tokyo.postprocess(new Date(Date.UTC(2024, 4, 1)))).toBe("2024-05-01 09:00:00");
    const dates = DateTime({ timezone: "Europe/Paris", type: "date" });
    expect(await dates.preprocess("2024-07-01 12:00:00")).toEqual(new Date(Date.UTC(2024, 6, 1, 10)));
    // Without a zone, times are UTC as before.
    expect(await DateTime().preprocess("2024-05-01 09:00:00")).toBe(Date.UTC(2024, 4, 1, 9) / 1000);
    expect(DateTime().props.timezone).toBe("UTC");
  });

  it("refuses a name that is no time zone when declared, naming the prop and giving an example", () => {
    expect(() => DateTime({ label: "When", timezone: "Europe/Pariss" })).toThrow(DeclarationError);
    expect(() => DateTime({ label: "When", timezone: "Europe/Pariss" })).toThrow(
      'DateTime "When": `timezone` "Europe/Pariss" is no time zone: give an IANA name such as "Europe/Paris", "America/New_York" or "UTC"',
    );
  });
});
