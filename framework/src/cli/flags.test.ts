import { describe, expect, it } from "vitest";
import { csvCell, flagsToCsv } from "./flags.js";

describe("CSV export of flags", () => {
  it("prefixes every cell a spreadsheet would run as a formula with a quote (OWASP)", () => {
    const attacks: [string, string][] = [
      ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
      ["+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"],
      ["-2+3", "'-2+3"],
      ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
      ["\t=1+1", "'\t=1+1"],
      ["\r=1+1", `"'\r=1+1"`],
    ];
    for (const [value, cell] of attacks) expect(csvCell(value), JSON.stringify(value)).toBe(cell);
  });

  it("quotes commas, quotes, line breaks and edge spaces, and leaves plain text and numbers alone", () => {
    expect(csvCell("plain words")).toBe("plain words");
    expect(csvCell("a, b")).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(" padded")).toBe('" padded"');
    expect(csvCell(-3.5), "a number is no formula").toBe("-3.5");
    expect(csvCell(null)).toBe("");
    expect(csvCell({ path: "files/u/cat.png", orig_name: "cat.png" }), "a file is its path").toBe(
      "files/u/cat.png",
    );
    expect(csvCell({ label: "=x", confidences: [] }), "other values as JSON").toBe(
      '"{""label"":""=x"",""confidences"":[]}"',
    );
  });

  it("has one column per input and output, in order, and escapes the names too", () => {
    const csv = flagsToCsv([
      {
        flagged_at: "2026-11-29T10:00:00.000Z",
        inputs: { Text: "=1+1", Doc: null },
        outputs: { Doc: { path: "files/a/d.txt", orig_name: "d.txt" }, "=Score": 0.5 },
        reason: "Wrong",
      },
      {
        flagged_at: "2026-11-29T11:00:00.000Z",
        inputs: { Text: "ok" },
        outputs: {},
        reason: null,
        username: "ann",
      },
    ]);
    expect(csv.split("\r\n")).toEqual([
      "flagged_at,Text,Doc,Doc (output),'=Score,reason,username",
      "2026-11-29T10:00:00.000Z,'=1+1,,files/a/d.txt,0.5,Wrong,",
      "2026-11-29T11:00:00.000Z,ok,,,,,ann",
      "",
    ]);
  });
});
