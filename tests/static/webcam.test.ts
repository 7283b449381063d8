import { describe, expect, it } from "vitest";
import { staticSites } from "./static-site.js";

// Chromium's fake camera and microphone.
const sites = staticSites("webcam", { browser: { fakeMedia: true } });

const until = <T>(read: () => Promise<T> | T, message: string) =>
  expect.poll(read, { timeout: 30_000, interval: 100, message });

describe("the webcam in a static Space", { timeout: 180_000 }, () => {
  it("records a video, hands it to the worker's fn as a file, and plays the result back", async () => {
    const { dir } = await sites.build("tests/static/fixtures/webcam-echo.ts", "webcam-echo");
    const { view, external } = await sites.open(dir);
    await view.openWebcam("Clip");
    await view.recordSecond("Clip");
    await until(
      async () =>
        ((await view.valueOf("Clip")) as { video?: { orig_name?: string } } | null)?.video?.orig_name,
      "the recording is the input's file",
    ).toBe("webcam.webm");
    await view.button("Submit").click();
    await until(() => view.valueOf("Got"), "the worker's fn got a WebM (EBML) file").toBe(
      "video/webm, has frames, starts 1a45dfa3",
    );
    await until(
      () =>
        view
          .component("Echo")
          .locator('video[part="video"]')
          .evaluate((v) => (v as HTMLVideoElement).readyState),
      "the result loads in the output player",
    ).toBeGreaterThanOrEqual(1);
    expect(external).toEqual([]);
    expect(view.errors).toEqual([]);
  });
});
