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

  it("lets every session run an example file, not only the first", async () => {
    writeFileSync(
      join(root, "green.png"),
      await sharp({ create: { width: 2, height: 2, channels: 3, background: "#0f0" } })
        .png()
        .toBuffer(),
    );
    const server = await serve(space(), { port: 0, root });
    const config = (await (await fetch(`${server.url}/config`)).json()) as sc.SpaceConfig;
    const dataset = config.components.find((component) => component.type === "dataset");
    const example = ((dataset?.props.samples ?? []) as sc.FileData[][])[0]?.[0];
    for (const id of ["first", "second"]) {
      const client = await connect(server.url);
      client.send({ type: "predict", id, endpoint: 0, data: [example] });
      expect(await client.end(id), `the ${id} session`).toMatchObject({ type: "complete", data: ["2x2"] });
      await client.close();
    }
    await server.close({ timeoutMs: 100 });
  });

  it("fails at start-up when an example file is missing, saying where it looked", async () => {
    await expect(serve(space(), { port: 0, root: join(root, "nowhere") })).rejects.toThrow(
      /Example file "\.\/green\.png" not found \(looked for .*nowhere\/green\.png\)/,
    );
  });
});

describe("multimodal examples", () => {
  it("stores the files a MultimodalTextbox example names, which then run like uploads", async () => {
    const png = await sharp({ create: { width: 3, height: 2, channels: 3, background: "#00f" } })
      .png()
      .toBuffer();
    writeFileSync(join(root, "blue.png"), png);
    const multimodal = sc.Interface({
      fn: (message) =>
        `${message.text} ${message.files.map((file) => `${file.orig_name}:${file.size}`).join()}`,
      inputs: [sc.MultimodalTextbox({ fileTypes: ["image/*"] })],
      outputs: [sc.Textbox()],
      examples: [[{ text: "Which colour?", files: ["./blue.png"] }]],
    });
    const server = await serve(multimodal, { port: 0, root });
    const config = (await (await fetch(`${server.url}/config`)).json()) as sc.SpaceConfig;
    const dataset = config.components.find((component) => component.type === "dataset");
    const example = ((dataset?.props.samples ?? []) as sc.MultimodalValue[][])[0]?.[0];
    expect(example?.files[0]).toMatchObject({ orig_name: "blue.png", mime_type: "image/png" });
    const client = await connect(server.url);
    client.send({ type: "predict", id: "m", endpoint: 0, data: [example] });
    expect(await client.end("m")).toMatchObject({
      type: "complete",
      data: [`Which colour? blue.png:${png.length}`],
    });
    await client.close();
    await server.close({ timeoutMs: 100 });
  });

  it("checks an example's text, naming the input", () => {
    expect(() =>
      sc.Interface({
        fn: (message) => message.text,
        inputs: [sc.MultimodalTextbox({ label: "Ask" })],
        outputs: [sc.Textbox()],
        examples: [[{ text: 3, files: ["./blue.png"] } as never]],
      }),
    ).toThrow('Interface: examples[0][0] for MultimodalTextbox "Ask" `text` must be text');
  });
});
