import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import * as sc from "spacecraft";
import { serve } from "spacecraft/server";
import { afterAll, describe, expect, it } from "vitest";
import { connect } from "./ws-client.js";

const root = mkdtempSync(join(tmpdir(), "spacecraft-examples-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const space = () =>
  sc.Interface({
    fn: (image) => `${image.width}x${image.height}`,
    inputs: [sc.Image()],
    outputs: [sc.Textbox()],
    examples: [["./green.png"]],
  });

describe("media examples", () => {
  it("stores example files named by path and serves them like uploads", async () => {
    const png = await sharp({
      create: { width: 5, height: 4, channels: 3, background: { r: 0, g: 255, b: 0 } },
    })
      .png()
      .toBuffer();
    writeFileSync(join(root, "green.png"), png);
    const server = await serve(space(), { port: 0, root });
    const config = (await (await fetch(`${server.url}/config`)).json()) as sc.SpaceConfig;
    const dataset = config.components.find((component) => component.type === "dataset");
    const samples = (dataset?.props.samples ?? []) as sc.FileData[][];
    const example = samples[0]?.[0] as sc.FileData;
    expect(example).toMatchObject({ orig_name: "green.png", mime_type: "image/png" });
    expect((await fetch(`${server.url}${example.url}`)).headers.get("content-type")).toBe("image/png");
    const client = await connect(server.url);
    client.send({ type: "predict", id: "e", endpoint: 0, data: [example] });
    expect(await client.end("e")).toMatchObject({ type: "complete", data: ["5x4"] });
    await client.close();
    await server.close({ timeoutMs: 100 });
  });

  it("fails at start-up when an example file is missing, saying where it looked", async () => {
    await expect(serve(space(), { port: 0, root: join(root, "nowhere") })).rejects.toThrow(
      /Example file "\.\/green\.png" not found \(looked for .*nowhere\/green\.png\)/,
    );
  });
});
