import { Client } from "@gradio/client";
import * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpacePage, SpaceServer, TestBrowser } from "./harness.js";
import { launchBrowser, serveSpace } from "./harness.js";

/** Polls `read` with a generous deadline; `message` says what was waited for. */
const poll = <T>(read: () => Promise<T> | T, message: string) =>
  expect.poll(read, { timeout: 30_000, interval: 100, message });

/** What `fn` received: the video's size, type and first 8 bytes. */
const received: { size: number; mimeType: string; head: number[] }[] = [];
/** The output player's events, in the order the server saw them. */
const playback: string[] = [];

const app = sc.Blocks({ title: "Webcam video" }, () => {
  const clip = sc.Video({ label: "Clip", type: "bytes" });
  const echo = sc.Video({ label: "Echo", interactive: false });
  const log = sc.Textbox({ label: "Playback" });
  const send = sc.Button({ value: "Send" });
  send.click({
    fn: ({ bytes, mimeType }) => {
      received.push({ size: bytes.length, mimeType, head: [...bytes.subarray(0, 8)] });
      return new Blob([bytes as BlobPart], { type: mimeType });
    },
    inputs: [clip],
    outputs: [echo],
    apiName: "send",
  });
  for (const event of ["play", "pause", "end"] as const) {
    echo[event]({
      fn: () => {
        playback.push(event);
        return playback.join(" ");
      },
      outputs: [log],
      apiName: `echo_${event}`,
    });
  }
  return sc.Column(clip, send, echo, log);
});

const webcamOnly = sc.Interface({
  fn: (video: sc.FileData) => video.mime_type ?? "",
  inputs: [sc.Video({ label: "Selfie", sources: ["webcam"], mirrorWebcam: false, includeAudio: true })],
  outputs: [sc.Textbox({ label: "Type" })],
});

/** The first video of a component (the player or the live view), by its part. */
function video(page: SpacePage, label: string, part: "video" | "webcam") {
  return page.component(label).locator(`video[part="${part}"]`);
}

let browser: TestBrowser;
let space: SpaceServer;
beforeAll(async () => {
  browser = await launchBrowser({ fakeMedia: true });
  space = await serveSpace(browser, app);
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

describe("Video from the webcam", () => {
  it("records from the camera, uploads it as a file, gives fn a playable video, and plays it back", async () => {
    received.length = 0;
    playback.length = 0;
    const page = await space.open();
    const live = await page.openWebcam("Clip");
    expect(await live.evaluate((v) => getComputedStyle(v).transform), "the live view is mirrored").toBe(
      "matrix(-1, 0, 0, 1, 0, 0)",
    );
    // The live view's box does not wait for the camera's first frame (the buttons under it stay put).
    const heights = await live.evaluate((v) => {
      const player = v as HTMLVideoElement;
      const stream = player.srcObject;
      const withFrames = player.getBoundingClientRect().height;
      player.srcObject = null;
      const without = player.getBoundingClientRect().height;
      player.srcObject = stream;
      return { withFrames, without };
    });
    expect(heights.without, "the live view's height without frames").toBe(heights.withFrames);

    await page.recordSecond("Clip");

    const uploaded = async () => ((await page.valueOf("Clip")) as sc.VideoData | null)?.video;
    await poll(async () => (await uploaded())?.path ?? "", "the recording was uploaded").not.toBe("");
    expect(await uploaded()).toMatchObject({ orig_name: "webcam.webm", mime_type: "video/webm" });
    expect(await live.count(), "the camera is closed once the recording is uploaded").toBe(0);
    // The recording is in the player, as an uploaded video is.
    await poll(
      () => video(page, "Clip", "video").evaluate((v) => (v as HTMLVideoElement).readyState),
      "the recording loads in the player",
    ).toBeGreaterThanOrEqual(1);

    await page.button("Send").click();
    await poll(() => received.length, "fn ran").toBe(1);
    const [got] = received;
    expect(got?.mimeType).toBe("video/webm");
    expect(got?.size).toBeGreaterThan(1000);
    expect(got?.head.slice(0, 4), "the bytes are a WebM (EBML) file").toEqual([0x1a, 0x45, 0xdf, 0xa3]);

    const echo = video(page, "Echo", "video");
    await poll(() => echo.count(), "the output player appeared").toBe(1);
    await echo.evaluate((v) => {
      const player = v as HTMLVideoElement;
      player.muted = true;
      return player.play();
    });
    await poll(
      () => echo.evaluate((v) => (v as HTMLVideoElement).ended),
      "the output video played to its end",
    ).toBe(true);
    expect(await echo.evaluate((v) => (v as HTMLVideoElement).videoWidth)).toBeGreaterThan(0);
    await poll(() => page.valueOf("Playback"), "play, pause and end reached the server").toBe(
      "play pause end",
    );
    expect(page.errors).toEqual([]);
  });

  it("records MP4 in a browser that records no WebM (as Safari), and fn gets an MP4", async () => {
    received.length = 0;
    // Safari's MediaRecorder takes MP4 only.
    const page = await space.open(`{
      const supported = MediaRecorder.isTypeSupported.bind(MediaRecorder);
      MediaRecorder.isTypeSupported = (type) => !type.includes("webm") && supported(type);
    }`);
    await page.openWebcam("Clip");
    await page.recordSecond("Clip");
    const uploaded = async () => ((await page.valueOf("Clip")) as sc.VideoData | null)?.video;
    await poll(async () => (await uploaded())?.path ?? "", "the recording was uploaded").not.toBe("");
    expect(await uploaded()).toMatchObject({ orig_name: "webcam.mp4", mime_type: "video/mp4" });
    await page.button("Send").click();
    await poll(() => received.length, "fn ran").toBe(1);
    const [got] = received;
    expect(got?.mimeType).toBe("video/mp4");
    expect(
      String.fromCharCode(...(got?.head.slice(4) ?? [])),
      "the bytes are an MP4 (ISO BMFF: an ftyp box first)",
    ).toBe("ftyp");
    await poll(
      () => video(page, "Echo", "video").evaluate((v) => (v as HTMLVideoElement).readyState),
      "the MP4 loads in the output player",
    ).toBeGreaterThanOrEqual(1);
    expect(page.errors).toEqual([]);
  });

  it("drops a recording when the webcam is closed during it", async () => {
    const page = await space.open();
    const uploads: string[] = [];
    page.page.on("request", (request) => {
      if (new URL(request.url()).pathname.endsWith("/upload")) uploads.push(request.url());
    });
    const clip = page.component("Clip");
    await clip.getByRole("button", { name: "Record from webcam" }).click();
    await poll(() => video(page, "Clip", "webcam").count(), "the live view opened").toBe(1);
    await clip.getByRole("button", { name: "Start recording" }).click();
    await clip.getByRole("button", { name: "Close webcam" }).click();
    await poll(() => video(page, "Clip", "webcam").count(), "the live view closed").toBe(0);
    expect(await page.valueOf("Clip")).toBeNull();

    // A second recording, kept: it alone is uploaded.
    await clip.getByRole("button", { name: "Record from webcam" }).click();
    await poll(() => video(page, "Clip", "webcam").count(), "the live view opened again").toBe(1);
    await clip.getByRole("button", { name: "Start recording" }).click();
    await clip.getByRole("button", { name: "Stop recording" }).click();
    await poll(
      async () => ((await page.valueOf("Clip")) as sc.VideoData | null)?.video.path ?? "",
      "the kept recording was uploaded",
    ).not.toBe("");
    expect(uploads, "the dropped recording was never uploaded").toHaveLength(1);
  });

  it("fires play, pause and end as endpoints that @gradio/client can call too", async () => {
    playback.length = 0;
    const client = await Client.connect(space.server.url);
    expect((await client.predict("/echo_play", [])).data).toEqual(["play"]);
    expect((await client.predict("/echo_end", [])).data).toEqual(["play end"]);
  });
});

describe("Video with only the webcam", () => {
  it("offers no drop zone, labels the webcam button, records with sound and an unmirrored view", async () => {
    const server = await serveSpace(browser, webcamOnly);
    try {
      const page = await server.open();
      const selfie = page.component("Selfie");
      expect(await selfie.locator('[part="dropzone"]').count()).toBe(0);
      await page.page.getByLabel("Selfie", { exact: true }).click();
      const live = video(page, "Selfie", "webcam");
      await poll(
        () => live.evaluate((v) => (v as HTMLVideoElement).videoWidth),
        "the live view shows the camera",
      ).toBeGreaterThan(0);
      expect(await live.evaluate((v) => getComputedStyle(v).transform)).toBe("none");
      expect(
        await live.evaluate(
          (v) => ((v as HTMLVideoElement).srcObject as MediaStream).getAudioTracks().length,
        ),
        "includeAudio opens the microphone too",
      ).toBe(1);
      await selfie.getByRole("button", { name: "Start recording" }).click();
      await selfie.getByRole("button", { name: "Stop recording" }).click();
      await poll(
        async () => ((await page.valueOf("Selfie")) as sc.VideoData | null)?.video.path ?? "",
        "the recording was uploaded",
      ).not.toBe("");
      await page.button("Submit").click();
      await poll(() => page.valueOf("Type"), "fn got the recording").toBe("video/webm");
    } finally {
      await server.close();
    }
  });
});

describe("Video webcam errors", () => {
  for (const [name, args, expected] of [
    [
      "camera access is denied",
      ["--use-fake-device-for-media-stream"],
      "Camera access was denied. Allow the camera for this site",
    ],
    ["there is no camera", [], "No camera was found. Connect one and try again, or upload a video instead."],
  ] as const) {
    it(`says what to do when ${name}, and still takes an upload`, async () => {
      const other = await launchBrowser({ args: [...args] });
      const server = await serveSpace(other, app);
      try {
        const page = await server.open();
        await page.component("Clip").getByRole("button", { name: "Record from webcam" }).click();
        await poll(() => page.errorOf("Clip"), "the error is shown").toContain(expected);
        expect(await page.component("Clip").locator('[part="error"]').textContent()).toContain(expected);
        expect(await page.dropZone("Clip").count()).toBe(1);
      } finally {
        await server.close();
        await other.close();
      }
    });
  }
});
