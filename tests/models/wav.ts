import wavefile from "wavefile";

const { WaveFile } = wavefile;

/** The sample rate Whisper-style feature extractors expect. */
export const ASR_SAMPLE_RATE = 16_000;

/**
 * Decodes a WAV file of any bit depth, rate and channel count into 16 kHz mono float samples in [-1, 1],
 * the input the transformers.js ASR pipeline takes in Node (it cannot decode audio files there).
 */
export function readWav16k(bytes: Uint8Array): Float32Array {
  const wav = new WaveFile(bytes);
  wav.toBitDepth("32f");
  // wavefile low-pass filters even when the rate already matches, which would change the samples.
  if (sampleRateOf(wav) !== ASR_SAMPLE_RATE) wav.toSampleRate(ASR_SAMPLE_RATE);
  return downmix(wav.getSamples(false, Float32Array) as unknown as Float32Array | Float32Array[]);
}

/** Encodes mono float samples in [-1, 1] as a 16-bit PCM WAV file. */
export function makeWav(samples: Float32Array, sampleRate: number): Uint8Array {
  const wav = new WaveFile();
  wav.fromScratch(1, sampleRate, "16", Int16Array.from(samples, toInt16));
  return wav.toBuffer();
}

function sampleRateOf(wav: InstanceType<typeof WaveFile>): number {
  return (wav.fmt as { sampleRate: number }).sampleRate;
}

function toInt16(sample: number): number {
  const clamped = Math.max(-1, Math.min(1, sample));
  return Math.round(clamped < 0 ? clamped * 0x8000 : clamped * 0x7fff);
}

// getSamples returns one array for mono audio and one array per channel otherwise.
function downmix(samples: Float32Array | Float32Array[]): Float32Array {
  if (!Array.isArray(samples)) return samples;
  const [first, ...rest] = samples;
  if (!first) return new Float32Array(0);
  const mono = Float32Array.from(first);
  for (const channel of rest) {
    for (let i = 0; i < mono.length; i++) mono[i] = (mono[i] ?? 0) + (channel[i] ?? 0);
  }
  return mono.map((sample) => sample / samples.length);
}
