// What the browser suites do with the model templates' pages, shared by the monorepo's template
// tests and the scaffolded projects' end-to-end tests.
import sharp from "sharp";
import { makeWav } from "../models/wav.js";
import type { SpacePage } from "./harness.js";

/** Uploads a 16×16 red PNG to the image-classification template and submits it. */
export async function submitRedImage(page: SpacePage): Promise<void> {
  const red = await sharp({
    create: { width: 16, height: 16, channels: 3, background: { r: 255, g: 0, b: 0 } },
  })
    .png()
    .toBuffer();
  await page.chooseFile("Image", { name: "red.png", mimeType: "image/png", buffer: red });
  await page.uploaded("Image");
  await page.button("Submit").click();
}

/** Uploads a second of 8 kHz audio to the speech-recognition template and submits it. */
export async function submitSpeech(page: SpacePage): Promise<void> {
  const wav = makeWav(
    Float32Array.from({ length: 8000 }, (_, i) => Math.sin(i / 10) * 0.3),
    8000,
  );
  await page.chooseFile("Speech", { name: "speech.wav", mimeType: "audio/wav", buffer: Buffer.from(wav) });
  await page.uploaded("Speech");
  await page.button("Submit").click();
}
