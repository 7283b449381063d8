import { afterAll, beforeAll, describe, expect, it } from "vitest";
import audio from "../fixtures/audio.js";
import { makeWav } from "../models/wav.js";
import type { SpacePage, SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

let browser: TestBrowser;
let space: SpaceServer;

beforeAll(async () => {
  browser = await launchBrowser({ fakeMedia: true });
  space = await serveSpace(browser, audio);
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

/** The format fields of a WAV file's header. */
function wavHeader(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (offset: number, length: number) =>
    String.fromCharCode(...bytes.subarray(offset, offset + length));
  return {
    riff: `${ascii(0, 4)}/${ascii(8, 4)}`,
    format: view.getUint16(20, true),
    channels: view.getUint16(22, true),
    sampleRate: view.getUint32(24, true),
    bitsPerSample: view.getUint16(34, true),
  };
}

/** The bytes of a file the server stores, fetched at its FileData url. */
async function download(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(`${space.server.url}${url}`)).arrayBuffer());
}

/**
 * Records `seconds` of a tone in the page with MediaRecorder: WebM/Opus bytes, not WAV, and how
 * long the recording plays (a busy machine may stop it late, so it can be longer than asked).
 */
function recordTone(page: SpacePage, seconds: number): Promise<{ bytes: number[]; duration: number }> {
  return page.page.evaluate(async (ms) => {
    const context = new AudioContext({ sampleRate: 48_000 });
    const oscillator = context.createOscillator();
    const destination = context.createMediaStreamDestination();
    oscillator.connect(destination);
    oscillator.start();
    const recorder = new MediaRecorder(destination.stream);
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => {
      recorder.onstop = resolve;
    });
    recorder.start();
    // The recording's length, not a wait for something to happen.
    await new Promise((resolve) => setTimeout(resolve, ms));
    recorder.stop();
    await stopped;
    oscillator.stop();
    const bytes = await new Blob(chunks).arrayBuffer();
    const { duration } = await context.decodeAudioData(bytes.slice(0));
    await context.close();
    return { bytes: [...new Uint8Array(bytes)], duration };
  }, seconds * 1000);
}

describe("audio input", () => {
  it("uploads a WAV as it is; the server resamples it to 16 kHz", async () => {
    const page = await space.open();
    const wav = makeWav(
      Float32Array.from({ length: 8000 }, (_, i) => Math.sin(i / 5) * 0.5),
      8000,
    );
    await page.chooseFile("Sound", { name: "tone.wav", mimeType: "audio/wav", buffer: Buffer.from(wav) });
    const value = await page.uploaded("Sound");
    expect(value).toMatchObject({ orig_name: "tone.wav", size: wav.byteLength });
    expect(wavHeader(await download(value.url ?? ""))).toMatchObject({ sampleRate: 8000 });
    const preview = page.component("Sound").locator('[part="audio"]');
    await eventually(() => preview.evaluate((element) => (element as HTMLAudioElement).duration)).toBeCloseTo(
      1,
      1,
    );

    await page.button("Submit").click();
    await eventually(() => page.valueOf("Summary")).toBe("16000 samples at 16000 Hz");
    const playback = page.component("Playback").locator('[part="audio"]');
    await eventually(() =>
      playback.evaluate((element) => (element as HTMLAudioElement).duration),
    ).toBeCloseTo(1, 1);
    expect(page.errors).toEqual([]);
  });

  it("converts other audio to mono 16-bit WAV at the input's sample rate before upload", async () => {
    const page = await space.open();
    const webm = await recordTone(page, 0.6);
    expect(webm.duration, "the recording holds sound").toBeGreaterThan(0.1);
    await page.chooseFile("Sound", {
      name: "tone.webm",
      mimeType: "audio/webm",
      buffer: Buffer.from(webm.bytes),
    });
    const value = await page.uploaded("Sound");
    expect(value).toMatchObject({ orig_name: "tone.wav", mime_type: "audio/wav" });
    const bytes = await download(value.url ?? "");
    expect(wavHeader(bytes)).toEqual({
      riff: "RIFF/WAVE",
      format: 1,
      channels: 1,
      sampleRate: 16_000,
      bitsPerSample: 16,
    });
    const samples = (bytes.byteLength - 44) / 2;
    // As long as the recording (within 0.1 s), whatever time the busy machine took to stop it.
    expect(
      Math.abs(samples - 16_000 * webm.duration),
      `${samples} samples for ${webm.duration} s`,
    ).toBeLessThan(1600);
    await page.button("Submit").click();
    await eventually(() => page.valueOf("Summary")).toBe(`${samples} samples at 16000 Hz`);
  });

  it("records from the microphone and uploads the recording as WAV", async () => {
    const page = await space.open();
    const sound = page.component("Sound");
    await sound.getByRole("button", { name: "Record" }).click();
    await eventually(() => sound.getAttribute("recording")).toBe("");
    await eventually(() => sound.getByRole("timer").textContent()).toBe("1 s");
    await sound.getByRole("button", { name: "Stop recording" }).click();
    const value = await page.uploaded("Sound");
    expect(value).toMatchObject({ orig_name: "recording.wav", mime_type: "audio/wav" });
    const bytes = await download(value.url ?? "");
    expect(wavHeader(bytes)).toMatchObject({ channels: 1, sampleRate: 16_000 });
    expect((bytes.byteLength - 44) / 2).toBeGreaterThan(16_000);
    await page.button("Submit").click();
    await eventually(() => page.valueOf("Summary")).toMatch(/^\d{4,5} samples at 16000 Hz$/);
  });

  it("says so when a file cannot be read as audio", async () => {
    const page = await space.open();
    await page.chooseFile("Sound", {
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("not audio"),
    });
    await eventually(() => page.errorOf("Sound")).toBe(
      'Could not read "notes.txt" as audio. Try a WAV, MP3 or OGG file.',
    );
    expect(await page.valueOf("Sound")).toBeNull();
  });
});
