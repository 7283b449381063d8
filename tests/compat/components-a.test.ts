import { Client, handle_file } from "@gradio/client";
import sharp from "sharp";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import app from "../fixtures/components-a.js";

let server: RunningServer;
let client: Client;

beforeAll(async () => {
  server = await serve(app, { port: 0, logError: () => {} });
  client = await Client.connect(server.url);
});
afterAll(async () => {
  await server?.close({ timeoutMs: 100 });
});

/** The message of a call's rejection (what `@gradio/client` users see). */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return `${String(error)} ${JSON.stringify(error)}`;
  }
  throw new Error("the call was not refused");
}

describe("@gradio/client round trips of the part A components", () => {
  it("ColorPicker: a #rrggbb in and out; anything else refused naming the field", async () => {
    expect((await client.predict("/tint", ["#AABBCC"])).data).toEqual(["#aabbcc", "Tint #aabbcc"]);
    const message = await refusal(client.predict("/tint", ["red"]));
    expect(message).toContain("Tint");
    expect(message).toContain("#rrggbb");
  });

  it("DateTime: Gradio's text in, the server's date out; a non-date refused naming the field", async () => {
    expect((await client.predict("/next_day", ["2024-05-01 13:45:00"])).data).toEqual([
      "2024-05-02 13:45:00",
      "1714571100",
    ]);
    const message = await refusal(client.predict("/next_day", ["next tuesday"]));
    expect(message).toContain("When");
    expect(message).toContain("must be a date like 2024-05-01");
  });

  it("HTML: the server sends the HTML as it is (the page sanitises it)", async () => {
    const [shown] = (await client.predict("/render_html", [])).data as [string];
    expect(shown).toContain("<h3");
    expect(shown).toContain("Hello <b>bold</b>");
  });

  it("Video: { video, subtitles } in with an uploaded WebM, the same shape out", async () => {
    const webm = new Uint8Array([
      0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01,
    ]);
    const result = await client.predict("/video_echo", [
      { video: handle_file(new Blob([webm], { type: "video/webm" })), subtitles: null },
    ]);
    const [video, info] = result.data as [
      { video: { url: string; mime_type: string }; subtitles: null },
      string,
    ];
    expect(info).toMatch(/^video\/webm /);
    expect(video.subtitles).toBeNull();
    const served = await fetch(video.video.url);
    expect(served.headers.get("content-type")).toBe("video/webm");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(webm);
  });

  it("Video: a file that is not a video is refused with what it accepts", async () => {
    const message = await refusal(
      client.predict("/video_echo", [{ video: handle_file(new Blob(["plain text"])), subtitles: null }]),
    );
    expect(message).toContain("video/mp4, video/webm");
  });

  it("DownloadButton: the file fn returned, downloadable", async () => {
    const [file] = (await client.predict("/report", [])).data as [{ url: string; orig_name: string }];
    expect(file.orig_name).toBe("report.csv");
    expect(await (await fetch(file.url)).text()).toBe("name,score\nada,3\n");
  });

  it("UploadButton: a list of files in", async () => {
    const result = await client.predict("/list_files", [
      [handle_file(new Blob(["aaa"])), handle_file(new Blob(["bbbbb"]))],
    ]);
    expect(result.data).toEqual([expect.stringMatching(/^\S+ \(3 B\), \S+ \(5 B\)$/)]);
  });

  it("ImageSlider: a pair in (one image), a pair out", async () => {
    const png = await sharp({ create: { width: 5, height: 4, channels: 3, background: "#0f0" } })
      .png()
      .toBuffer();
    const result = await client.predict("/pair", [[handle_file(new Blob([png])), null]]);
    const [pair] = result.data as [[{ url: string }, { url: string }]];
    expect(pair).toHaveLength(2);
    for (const image of pair) expect((await fetch(image.url)).headers.get("content-type")).toBe("image/png");
    const message = await refusal(client.predict("/pair", [["not a pair"]]));
    expect(message).toContain("must be a pair of images");
  });

  it("Timer: its interval in", async () => {
    expect((await client.predict("/tick", [0.5])).data).toEqual(["1 ticks every 0.5 s"]);
    expect(await refusal(client.predict("/tick", [0]))).toContain("at least 0.05 seconds");
  });
});
