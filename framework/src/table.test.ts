import { describe, expect, it } from "vitest";
import { checkRectangular, guessCell, parseDelimited, TableShapeError, toDelimited } from "./table.js";

describe("delimited text", () => {
  it("reads quoted fields with delimiters, doubled quotes and line breaks", () => {
    const text = 'name,note\r\nAda,"likes ""maths"", mostly"\n"Bob","two\nlines"\n';
    expect(parseDelimited(text, ",")).toEqual([
      ["name", "note"],
      ["Ada", 'likes "maths", mostly'],
      ["Bob", "two\nlines"],
    ]);
  });

  it("reads TSV as a spreadsheet copies it, empty cells kept", () => {
    expect(parseDelimited("a\tb\tc\n1\t\t3", "\t")).toEqual([
      ["a", "b", "c"],
      ["1", "", "3"],
    ]);
    expect(parseDelimited("\uFEFFx,y\n", ",")).toEqual([["x", "y"]]);
  });

  it("refuses an unclosed quote, naming the row it opened on", () => {
    expect(() => parseDelimited('a,b\n1,"oops\n2,3', ",")).toThrow(/^Row 2 opens a quoted field/);
  });

  it("writes what it reads back, and defuses formulas", () => {
    const rows = [
      ["name", "note"],
      ["Ada", 'say "hi", then\nleave'],
      ["x", "=1+2"],
    ];
    const text = toDelimited(rows, ",");
    expect(text).toBe('name,note\r\nAda,"say ""hi"", then\nleave"\r\nx,\'=1+2');
    expect(parseDelimited(text, ",").slice(0, 2)).toEqual(rows.slice(0, 2));
    expect(toDelimited([[1, null, true]], "\t")).toBe("1\t\ttrue");
  });

  it("names the first ragged row", () => {
    expect(() => checkRectangular([[1, 2], [3]], 2)).toThrow(
      "Row 2 has 1 cell but the table has 2 columns; give every row the same number of cells.",
    );
    try {
      checkRectangular(
        [
          [1, 2],
          [3, 4],
          [5, 6, 7],
        ],
        2,
        2,
      );
      expect.unreachable("a ragged row passed");
    } catch (error) {
      expect(error).toBeInstanceOf(TableShapeError);
      expect((error as TableShapeError).row).toBe(4);
    }
    expect(() => checkRectangular([[1, 2]], 2)).not.toThrow();
  });

  it("guesses numbers and booleans in text cells", () => {
    expect(["3", "-1.5", ".5", "true", "", "1e3", "12abc", "Infinity", " 7 "].map(guessCell)).toEqual([
      3,
      -1.5,
      0.5,
      true,
      null,
      1000,
      "12abc",
      "Infinity",
      7,
    ]);
  });
});
