/** Whether bytes start like a WAV file (`RIFF....WAVE`). */
export function isWav(head: Uint8Array): boolean {
  const ascii = (offset: number, text: string) =>
    [...text].every((char, i) => head[offset + i] === char.charCodeAt(0));
  return ascii(0, "RIFF") && ascii(8, "WAVE");
}

/** Encodes mono samples in [-1, 1] as a 16-bit PCM WAV file. */
export function encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
  const bytes = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + samples.length * 2, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true); // size of the fmt chunk
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // bytes per second
  view.setUint16(32, 2, true); // bytes per frame
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const sample = Math.max(-1, Math.min(1, samples[i] ?? 0));
    view.setInt16(44 + i * 2, Math.round(sample < 0 ? sample * 0x8000 : sample * 0x7fff), true);
  }
  return bytes;
}

/**
 * Decodes any audio the browser can play (MP3, OGG, WebM, a WAV at another rate…) to mono
 * 16-bit WAV at `sampleRate`, the one format the server reads.
 */
export async function toWav(audio: Blob, sampleRate: number): Promise<Uint8Array> {
  // decodeAudioData resamples to its context's rate.
  const decoded = await new OfflineAudioContext(1, 1, sampleRate).decodeAudioData(await audio.arrayBuffer());
  let mono = decoded.getChannelData(0);
  if (decoded.numberOfChannels > 1 || decoded.sampleRate !== sampleRate) {
    // Rendering into one channel at the target rate mixes the channels down and resamples.
    const length = Math.max(1, Math.ceil(decoded.duration * sampleRate));
    const context = new OfflineAudioContext(1, length, sampleRate);
    const source = context.createBufferSource();
    source.buffer = decoded;
    source.connect(context.destination);
    source.start();
    mono = (await context.startRendering()).getChannelData(0);
  }
  return encodeWav(mono, sampleRate);
}
