import { describe, expect, it } from "vitest";
import wavefile from "wavefile";
import { encodeWav, isWav } from "./wav.js";

describe("encodeWav", () => {
  it("writes mono 16-bit PCM that a WAV reader decodes to the same samples", () => {
    const samples = Float32Array.from([0, 0.5, -0.5, 1, -1, 2, -2]);
    const bytes = encodeWav(samples, 22_050);
    expect(isWav(bytes)).toBe(true);
    const wav = new wavefile.WaveFile(bytes);
    expect(wav.fmt).toMatchObject({ audioFormat: 1, numChannels: 1, sampleRate: 22_050, bitsPerSample: 16 });
    expect([...(wav.getSamples(false, Int16Array) as unknown as Int16Array)]).toEqual([
      0, 16384, -16384, 32767, -32768, 32767, -32768,
    ]);
  });

  it("tells WAV from other audio by its header", () => {
    expect(isWav(new TextEncoder().encode("OggS\0\0\0\0\0\0\0\0"))).toBe(false);
  });
});
