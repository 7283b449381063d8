/** A recording under way, from `recordStream`. */
export interface Recording {
  /**
   * Stops the seconds timer and the recorder; `keep` hands what was recorded to `onRecorded`, else
   * it is dropped (also one stopped with `keep` before but not handed over yet).
   */
  stop(keep: boolean): void;
}

/**
 * Records a stream with `MediaRecorder` for `<sc-audio>`'s microphone and `<sc-video>`'s webcam:
 * `onSeconds` gets the time recorded (0 at once, then four times a second); once stopped with
 * `keep`, `onRecorded` gets the data and its type (the recorder's, else the first of `types` the
 * browser records, else ""). `onStopped` runs when the recorder has stopped, kept or dropped.
 */
export function recordStream(
  stream: MediaStream,
  {
    types = [],
    onSeconds,
    onRecorded,
    onStopped,
  }: {
    types?: readonly string[];
    onSeconds: (seconds: number) => void;
    onRecorded: (chunks: Blob[], type: string) => void;
    onStopped?: () => void;
  },
): Recording {
  const mimeType = types.find((type) => MediaRecorder.isTypeSupported(type));
  const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
  const chunks: Blob[] = [];
  let dropped = false;
  recorder.ondataavailable = (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  };
  recorder.onstop = () => {
    onStopped?.();
    if (!dropped) onRecorded(chunks, recorder.mimeType || mimeType || "");
  };
  recorder.start();
  const started = performance.now();
  onSeconds(0);
  const timer = setInterval(() => onSeconds((performance.now() - started) / 1000), 250);
  return {
    stop(keep) {
      clearInterval(timer);
      if (!keep) dropped = true;
      if (recorder.state !== "inactive") recorder.stop();
    },
  };
}
