import type { Listeners } from "../events.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent, requireIO } from "./component.js";
import type { FileData } from "./file-data.js";
import { fileDataSchema, isFileData, sampleFile } from "./file-data.js";

/** Audio samples: mono, as floats in [-1, 1]. */
export interface AudioData {
  sampleRate: number;
  data: Float32Array;
}

/** What `fn` receives from an {@link Audio}: decoded samples, or the FileData. */
export type AudioType = "array" | "file";

/** The value of each {@link AudioType}. */
export interface AudioValues {
  array: AudioData;
  file: FileData;
}

/** Props of {@link Audio}. */
export interface AudioProps<T extends AudioType> extends SharedProps {
  /** What `fn` receives (default `"array"`: mono samples at `sampleRate`). */
  type?: T;
  /** Sample rate `fn` receives, in Hz (default 16000, what speech models expect). */
  sampleRate?: number;
  /** Where input audio can come from. */
  sources?: readonly ("upload" | "microphone")[];
  /** The initial audio. */
  value?: FileData;
}

/** Audio: upload or record in; samples or WAV bytes out. */
export type Audio<T extends AudioType = "array"> = Component<
  "audio",
  AudioProps<T>,
  AudioValues[T],
  AudioData | Uint8Array | FileData,
  FileData
> &
  Listeners<"change" | "upload" | "clear">;

/** The audio types an Audio input accepts (the page converts recordings to WAV before upload). */
export const AUDIO_ACCEPT = ["audio/wav"] as const;

/**
 * Audio. As an input, `fn` receives `{ sampleRate, data }` resampled to `sampleRate`; as an
 * output, return `{ sampleRate, data }` or WAV bytes.
 * @example Audio({ label: "Speech", sources: ["microphone", "upload"] })
 */
export function Audio<T extends AudioType = "array">(props: AudioProps<T> = {}): Audio<T> {
  return defineComponent("audio", props, {
    events: ["change", "upload", "clear"],
    api: {
      pythonType: "filepath",
      example: sampleFile("https://github.com/gradio-app/gradio/raw/main/test/test_files/audio_sample.wav"),
    },
    defaults: {
      type: "array" as T,
      sampleRate: 16_000,
      sources: ["upload", "microphone"] as AudioProps<T>["sources"],
      value: undefined as FileData | undefined,
      accept: AUDIO_ACCEPT as readonly string[],
    },
    check: (p) =>
      p.sampleRate >= 1000 && p.sampleRate <= 384_000 ? undefined : "`sampleRate` must be 1000–384000 Hz",
    schema: () => fileDataSchema,
    preprocess: async (file, p, io) => {
      if (p.type === "file") return file as AudioValues[T];
      const { bytes } = await requireIO(io, "Audio").read(file);
      return (await decodeWav(bytes, p.sampleRate)) as AudioValues[T];
    },
    postprocess: async (value, _p, io) => {
      const store = requireIO(io, "Audio");
      if (isFileData(value)) return value;
      const bytes = value instanceof Uint8Array ? value : await encodeWav(value);
      return store.write(bytes, { mimeType: "audio/wav", name: "audio.wav" });
    },
  });
}

/** Decodes WAV bytes to mono samples at `sampleRate`. */
export async function decodeWav(bytes: Uint8Array, sampleRate: number): Promise<AudioData> {
  const WaveFile = await loadWaveFile();
  const wav = new WaveFile(bytes);
  wav.toBitDepth("32f");
  if ((wav.fmt as { sampleRate: number }).sampleRate !== sampleRate) wav.toSampleRate(sampleRate);
  const samples = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const channels = Array.isArray(samples) ? samples : [samples];
  const first = channels[0] ?? new Float64Array();
  const data = new Float32Array(first.length);
  for (const channel of channels) {
    for (let i = 0; i < data.length; i++) data[i] = (data[i] ?? 0) + (channel[i] ?? 0) / channels.length;
  }
  return { sampleRate, data };
}

/** Encodes mono samples as 16-bit WAV. */
export async function encodeWav(audio: AudioData): Promise<Uint8Array> {
  const WaveFile = await loadWaveFile();
  const wav = new WaveFile();
  const pcm = Int16Array.from(audio.data, (x) => Math.max(-1, Math.min(1, x)) * 0x7fff);
  wav.fromScratch(1, audio.sampleRate, "16", pcm);
  return wav.toBuffer();
}

type WaveFileClass = typeof import("wavefile").WaveFile;

/** wavefile is CommonJS: Node's ESM gives it as the default export, bundlers as a named one. */
async function loadWaveFile(): Promise<WaveFileClass> {
  const module = (await import("wavefile")) as {
    WaveFile?: WaveFileClass;
    default?: { WaveFile: WaveFileClass };
  };
  const WaveFile = module.WaveFile ?? module.default?.WaveFile;
  if (!WaveFile) throw new Error("could not load the wavefile package");
  return WaveFile;
}
