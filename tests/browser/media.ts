import type { Page } from "playwright-core";
import type { TestFile } from "./harness.js";

/** A short WebM clip, recorded in the page from a canvas with MediaRecorder (no video tools needed). */
export async function recordWebm(page: Page): Promise<TestFile> {
  const bytes = await page.evaluate(async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 32;
    canvas.height = 24;
    const context = canvas.getContext("2d") as CanvasRenderingContext2D;
    const stream = canvas.captureStream(10);
    const recorder = new MediaRecorder(stream, { mimeType: "video/webm" });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => {
      recorder.onstop = resolve;
    });
    recorder.start();
    for (let frame = 0; frame < 8; frame++) {
      context.fillStyle = frame % 2 ? "#c00" : "#00c";
      context.fillRect(0, 0, 32, 24);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    recorder.stop();
    await stopped;
    return [...new Uint8Array(await new Blob(chunks, { type: "video/webm" }).arrayBuffer())];
  });
  return { name: "clip.webm", mimeType: "video/webm", buffer: Buffer.from(bytes) };
}
