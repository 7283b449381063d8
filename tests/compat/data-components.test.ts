import { Client } from "@gradio/client";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import data from "../fixtures/data.js";

let server: RunningServer;
beforeAll(async () => {
  server = await serve(data, { port: 0, logError: () => {} });
});
afterAll(async () => {
  await server?.close({ timeoutMs: 1000 });
});

describe("@gradio/client with Dataframe, Code and plots", () => {
  it("sends a Dataframe as { headers, data, metadata } and gets one back", async () => {
    const client = await Client.connect(server.url);
    const table = {
      headers: ["name", "score"],
      data: [
        ["Ada", 3],
        ["Bob", 4.5],
      ],
      metadata: null,
    };
    const result = await client.predict("/sum", [table]);
    expect(result.data).toEqual([7.5, { headers: ["name", "score"], data: table.data, metadata: null }]);
  });

  it("refuses a ragged table, naming the row", async () => {
    const client = await Client.connect(server.url);
    await expect(
      client.predict("/sum", [{ headers: ["name", "score"], data: [["Ada", 3], ["Bob"]], metadata: null }]),
    ).rejects.toMatchObject({
      message: expect.stringContaining("Row 2 has 1 cell but the table has 2 columns"),
    });
  });

  it("round-trips Code as text", async () => {
    const client = await Client.connect(server.url);
    const result = await client.predict("/shout", ["x = 1"]);
    expect(result.data).toEqual(["// 5 characters\nX = 1"]);
  });

  it("gets plots as Gradio's PlotData and sends one back", async () => {
    const client = await Client.connect(server.url);
    const result = await client.predict("/plot", [2]);
    const [bars, lines, points] = result.data as { columns: string[]; data: unknown[][]; mark: string }[];
    expect(bars).toEqual({
      columns: ["fruit", "units", "shop", "day"],
      data: [
        ["plum", 3, "north", 1],
        ["pear", 5, "north", 2],
      ],
      datatypes: { fruit: "nominal", units: "quantitative", shop: "nominal", day: "quantitative" },
      mark: "bar",
    });
    expect(lines?.mark).toBe("line");
    expect(points?.mark).toBe("point");
    expect((await client.predict("/count_points", [points])).data).toEqual([2]);
  });

  it("describes the values in /info", async () => {
    const client = await Client.connect(server.url);
    const info = await client.view_api();
    const sum = info.named_endpoints["/sum"];
    expect(sum?.parameters[0]).toMatchObject({ component: "Dataframe" });
    expect(info.named_endpoints["/plot"]?.returns.map((r: { component: string }) => r.component)).toEqual([
      "BarPlot",
      "LinePlot",
      "ScatterPlot",
    ]);
  });
});
