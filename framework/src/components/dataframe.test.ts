import { describe, expect, it } from "vitest";
import * as sc from "../index.js";
import { validate } from "./component.js";

describe("Dataframe", () => {
  const frame = sc.Dataframe({ label: "Scores", headers: ["name", "score"], datatype: ["str", "number"] });

  it("takes Gradio's { headers, data, metadata } and hands fn { headers, data }", async () => {
    const wire = {
      headers: ["name", "score"],
      data: [
        ["Ada", 3],
        ["Bob", null],
      ],
      metadata: null,
    };
    expect(validate(frame.schema, wire)).toEqual({ success: true, data: wire });
    expect(await frame.preprocess(wire)).toEqual({ headers: ["name", "score"], data: wire.data });
    expect(frame.props.value).toEqual({ headers: ["name", "score"], data: [], metadata: null });
  });

  it("refuses a ragged row by its number, and cells that are not scalars", () => {
    const ragged = validate(frame.schema, { headers: ["name", "score"], data: [["Ada", 3], ["Bob"]] });
    expect(ragged).toEqual({
      success: false,
      error: "Row 2 has 1 cell but the table has 2 columns; give every row the same number of cells.",
    });
    expect(validate(frame.schema, { headers: ["a"], data: [[{ x: 1 }]] }).success).toBe(false);
    expect(validate(frame.schema, { headers: ["a"], data: [[Number.NaN]] }).success).toBe(false);
    expect(validate(frame.schema, { data: [] })).toEqual({ success: false, error: "`headers` is missing" });
  });

  it("turns rows, records and CSV text from fn into the wire shape", async () => {
    expect(await frame.postprocess([["Ada", 3]])).toEqual({ headers: ["name", "score"], data: [["Ada", 3]] });
    expect(await frame.postprocess([{ name: "Ada", score: 3 }, { name: "Bob" }])).toEqual({
      headers: ["name", "score"],
      data: [
        ["Ada", 3],
        ["Bob", null],
      ],
    });
    expect(await frame.postprocess('name,score\n"Lovelace, Ada",3\n')).toEqual({
      headers: ["name", "score"],
      data: [["Lovelace, Ada", 3]],
    });
    await expect(async () => frame.postprocess("name,score\nAda\n")).rejects.toThrow(
      "Dataframe: Row 2 has 1 cell but the table has 2 columns",
    );
    expect(await sc.Dataframe().postprocess([[1, 2, 3, 4]])).toMatchObject({ headers: ["A", "B", "C", "D"] });
  });

  it("checks its props and its default value", () => {
    expect(() => sc.Dataframe({ headers: ["a", "b"], datatype: ["str"] })).toThrow(
      "`datatype` lists 1 types for 2 columns",
    );
    expect(() => sc.Dataframe({ label: "T", headers: ["a", "b"], value: [[1, 2], [3]] })).toThrow(
      'Dataframe "T": the default value is invalid: Row 2 has 1 cell',
    );
    expect(sc.Dataframe({ value: { headers: ["x"], data: [[1]] } }).props.headers).toEqual(["x"]);
  });
});

describe("Code", () => {
  it("takes text and checks its language", () => {
    const code = sc.Code({ language: "javascript", value: "1 + 1" });
    expect(code.type).toBe("code");
    expect(validate(code.schema, "x = 1").success).toBe(true);
    expect(validate(code.schema, 3)).toEqual({ success: false, error: "must be text" });
    expect(() => sc.Code({ language: "cobol" as never })).toThrow(
      /unknown `language` "cobol"; use one of python/,
    );
    expect(sc.Code({ language: null }).props.language).toBeNull();
  });
});

describe("plots", () => {
  const bars = sc.BarPlot({ label: "Sales", x: "fruit", y: "units", color: "shop" });

  it("share Gradio's nativeplot type and say which plot they are", () => {
    expect(bars.type).toBe("nativeplot");
    expect(bars.displayName).toBe("BarPlot");
    expect(sc.LinePlot({ x: "a", y: "b" }).displayName).toBe("LinePlot");
    expect(sc.ScatterPlot({ x: "a", y: "b" }).displayName).toBe("ScatterPlot");
  });

  it("turn a table from fn into PlotData with each column's type", async () => {
    const value = await bars.postprocess([
      { fruit: "plum", units: 3, shop: "north", day: "2026-01-02" },
      { fruit: "pear", units: 5, shop: "south", day: "2026-01-03" },
    ]);
    expect(value).toEqual({
      columns: ["fruit", "units", "shop", "day"],
      data: [
        ["plum", 3, "north", "2026-01-02"],
        ["pear", 5, "south", "2026-01-03"],
      ],
      datatypes: { fruit: "nominal", units: "quantitative", shop: "nominal", day: "temporal" },
      mark: "bar",
    });
    expect(validate(bars.schema, value).success).toBe(true);
    expect(await sc.LinePlot({ x: "t", y: "v" }).postprocess([[1, 2]])).toMatchObject({
      columns: ["t", "v"],
      mark: "line",
    });
  });

  it("refuse a table without the plotted columns, and props without x and y", async () => {
    await expect(async () => bars.postprocess([{ fruit: "plum", units: 3 }])).rejects.toThrow(
      'BarPlot: the table has no column "shop" (it has fruit, units)',
    );
    expect(() => sc.ScatterPlot({ y: "b" } as never)).toThrow("needs `x` and `y`");
    expect(
      validate(bars.schema, { columns: ["a"], data: [[1, 2]], datatypes: {}, mark: "bar" }),
    ).toMatchObject({ success: false, error: expect.stringMatching(/^Row 1 has 2 cells/) });
  });
});
