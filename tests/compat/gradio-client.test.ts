import { Client, handle_file } from "@gradio/client";
import sharp from "sharp";
import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let release: () => void = () => {};
let markStarted: () => void = () => {};
const waitStarted = new Promise<void>((resolve) => {
  markStarted = resolve;
});

const space = sc.Interface({
  fn: async (text, times, ctx) => {
    if (text === "fail") throw new sc.SpaceError("That word is not allowed.");
    if (text === "wait") {
      await new Promise<void>((resolve) => {
        release = resolve;
        markStarted();
        ctx.signal.addEventListener("abort", () => resolve());
      });
    }
    ctx.progress(0.5, "Halfway");
    return text.repeat(times);
  },
  inputs: [sc.Textbox({ label: "Text" }), sc.Slider({ label: "Times", minimum: 1, maximum: 5, value: 1 })],
  outputs: [sc.Textbox({ label: "Result" })],
});

const streaming = sc.Interface({
  fn: async function* (text) {
    let shown = "";
    for (const word of text.split(" ")) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      shown = shown ? `${shown} ${word}` : word;
      yield shown;
    }
  },
  inputs: [sc.Textbox({ label: "Words" })],
  outputs: [sc.Textbox({ label: "Echo" })],
});

const media = sc.Interface({
  fn: (image, file) => [`${image.width}x${image.height}`, image, file.orig_name ?? ""] as const,
  inputs: [sc.Image({ label: "Image" }), sc.File({ label: "Document" })],
  outputs: [sc.Textbox(), sc.Image(), sc.Textbox()],
});

const servers: RunningServer[] = [];
let repeatUrl = "";
let streamUrl = "";
let mediaUrl = "";
beforeAll(async () => {
  const started = await Promise.all(
    [space, streaming, media].map((s) => serve(s, { port: 0, logError: () => {} })),
  );
  servers.push(...started);
  [repeatUrl, streamUrl, mediaUrl] = started.map((server) => server.url) as [string, string, string];
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close({ timeoutMs: 100 })));
});

describe("@gradio/client against a Spacecraft server", () => {
  it("predicts with positional and keyword arguments", async () => {
    const client = await Client.connect(repeatUrl);
    expect((await client.predict("/predict", ["ab", 3])).data).toEqual(["ababab"]);
    expect((await client.predict("/predict", { text: "xy", times: 2 })).data).toEqual(["xyxy"]);
  });

  it("describes the endpoints with view_api", async () => {
    const client = await Client.connect(repeatUrl);
    const api = (await client.view_api()) as {
      named_endpoints: Record<string, { parameters: { parameter_name: string; component: string }[] }>;
    };
    expect(api.named_endpoints["/predict"]?.parameters.map((p) => [p.parameter_name, p.component])).toEqual([
      ["text", "Textbox"],
      ["times", "Slider"],
    ]);
  });

  it("reports a SpaceError as an error with its message", async () => {
    const client = await Client.connect(repeatUrl);
    await expect(client.predict("/predict", ["fail", 1])).rejects.toMatchObject({
      message: "That word is not allowed.",
    });
  });

  it("streams partial results and status events from submit()", async () => {
    const client = await Client.connect(streamUrl, { events: ["data", "status"] });
    const data: unknown[] = [];
    const stages: string[] = [];
    for await (const event of client.submit("/predict", ["one two three"])) {
      if (event.type === "data") data.push(event.data[0]);
      if (event.type === "status") stages.push(event.stage);
    }
    expect(data.at(-1)).toBe("one two three");
    expect(data).toContain("one");
    expect(stages).toContain("generating");
    expect(stages.at(-1)).toBe("complete");
  });

  it("shows queue position and progress, and cancels a job", async () => {
    const client = await Client.connect(repeatUrl, { events: ["data", "status"] });
    const first = client.submit("/predict", ["wait", 1]);
    const firstDone = (async () => {
      for await (const _event of first) {
        // drain until the job ends
      }
    })();
    await waitStarted;
    const second = client.submit("/predict", ["b", 2]);
    const progress: string[] = [];
    let position: number | undefined;
    let result: unknown;
    for await (const event of second) {
      if (
        event.type === "status" &&
        event.stage === "pending" &&
        typeof event.position === "number" &&
        position === undefined
      ) {
        position = event.position;
        await first.cancel();
      }
      if (event.type === "status" && event.progress_data) progress.push(String(event.progress_data[0]?.desc));
      if (event.type === "data") result = event.data[0];
    }
    expect(position).toBe(0);
    expect(result).toBe("bb");
    expect(progress).toContain("Halfway");
    release();
    await firstDone;
  });

  it("runs concurrent calls on one session", async () => {
    const client = await Client.connect(repeatUrl);
    const results = await Promise.all(
      ["a", "b", "c", "d"].map((text) => client.predict("/predict", [text, 2])),
    );
    expect(results.map((r: { data: unknown[] }) => r.data[0])).toEqual(["aa", "bb", "cc", "dd"]);
  });

  it("uploads files for media inputs and gets file outputs back", async () => {
    const client = await Client.connect(mediaUrl);
    const png = await sharp({ create: { width: 6, height: 2, channels: 3, background: "#f00" } })
      .png()
      .toBuffer();
    const result = await client.predict("/predict", [
      handle_file(new Blob([png])),
      handle_file(new Blob(["notes"])),
    ]);
    const [size, image] = result.data as [string, { url: string }, string];
    expect(size).toBe("6x2");
    const served = await fetch(image.url);
    expect(served.headers.get("content-type")).toBe("image/png");
  });
});

describe("curl-style API with fetch", () => {
  it("calls an endpoint and reads its result stream", async () => {
    const start = await fetch(`${repeatUrl}/gradio_api/call/predict`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: ["hi", 2] }),
    });
    const { event_id: eventId } = (await start.json()) as { event_id: string };
    const stream = await (await fetch(`${repeatUrl}/gradio_api/call/predict/${eventId}`)).text();
    expect(stream).toContain('event: complete\ndata: ["hihi"]');
  });

  it("reports an error event", async () => {
    const start = await fetch(`${repeatUrl}/gradio_api/call/predict`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: ["fail", 1] }),
    });
    const { event_id: eventId } = (await start.json()) as { event_id: string };
    const stream = await (await fetch(`${repeatUrl}/gradio_api/call/predict/${eventId}`)).text();
    expect(stream).toContain('event: error\ndata: "That word is not allowed."');
  });

  it("runs an endpoint without the queue through /run", async () => {
    const response = await fetch(`${repeatUrl}/gradio_api/run/predict`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: ["ok", 2] }),
    });
    expect(await response.json()).toMatchObject({ data: ["okok"] });
  });

  it("rejects bad input with 422 naming the field", async () => {
    const response = await fetch(`${repeatUrl}/gradio_api/call/predict`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: ["hi", 9] }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ error: 'Slider "Times": must be at most 5.' });
  });
});
