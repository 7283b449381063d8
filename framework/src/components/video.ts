import type { Listeners } from "../events.js";
import type { Schema } from "../schema.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent, requireIO } from "./component.js";
import type { FileData } from "./file-data.js";
import { fileDataSchema, isFileData, sampleFile } from "./file-data.js";

/** A video on the wire, in Gradio's shape: the video file and optional subtitles. */
export interface VideoData {
  video: FileData;
  subtitles?: FileData | null;
}

/** What `fn` receives from a {@link Video}: the FileData, or its bytes. */
export type VideoType = "file" | "bytes";

/** The value of each {@link VideoType}. */
export interface VideoValues {
  file: FileData;
  bytes: { bytes: Uint8Array; mimeType: string };
}

/** What `fn` may return for a {@link Video}: a FileData, MP4/WebM bytes, or a Blob. */
export type VideoOutput = FileData | VideoData | Uint8Array | Blob;

/** Where an input video can come from: a file, or a recording from the webcam. */
export type VideoSource = "upload" | "webcam";

/** Props of {@link Video}. */
export interface VideoProps<T extends VideoType> extends SharedProps {
  /** What `fn` receives (default `"file"`). */
  type?: T;
  /** Where an input video can come from (default both: `["upload", "webcam"]`). */
  sources?: readonly VideoSource[];
  /** Record the microphone with the webcam (default false, as Gradio's webcam videos). */
  includeAudio?: boolean;
  /** Show the webcam's live view mirrored, as a mirror would (default true); the recording is not. */
  mirrorWebcam?: boolean;
  /** Display height in CSS pixels. */
  height?: number;
  /** Start playing when a new video arrives. */
  autoplay?: boolean;
  /** Play it again and again. */
  loop?: boolean;
  /** The initial video. */
  value?: VideoData;
}

/** A video: upload or record from the webcam in (MP4 or WebM), play out. */
export type Video<T extends VideoType = "file"> = Component<
  "video",
  VideoProps<T>,
  VideoValues[T],
  VideoOutput,
  VideoData
> &
  Listeners<"change" | "upload" | "clear" | "play" | "pause" | "end">;

/** The video types a Video input accepts (what every browser plays). */
export const VIDEO_ACCEPT = ["video/mp4", "video/webm"] as const;

const videoSchema = v.pipe(
  v.custom(
    (value) => typeof value === "object" && value !== null && "video" in value,
    "must be a video: { video: FileData, subtitles: null } (a bare FileData goes in `video`)",
  ),
  v.object({ video: fileDataSchema, subtitles: v.nullish(fileDataSchema) }),
) as unknown as Schema<VideoData>;

/**
 * A video (MP4 or WebM). As an input, uploaded or recorded from the webcam, `fn` receives its
 * FileData (or bytes with `type: "bytes"`); as an output, return a FileData, bytes or a Blob.
 * `play`, `pause` and `end` fire as the visitor plays it.
 * @example Video({ label: "Clip", autoplay: true })
 * @example Video({ label: "You", sources: ["webcam"], includeAudio: true })
 */
export function Video<T extends VideoType = "file">(props: VideoProps<T> = {}): Video<T> {
  return defineComponent("video", props, {
    events: ["change", "upload", "clear", "play", "pause", "end"],
    api: {
      pythonType: "Dict(video: filepath, subtitles: filepath | None)",
      example: {
        video: sampleFile(
          "https://github.com/gradio-app/gradio/raw/main/demo/video_component/files/world.mp4",
        ),
        subtitles: null,
      },
    },
    defaults: {
      type: "file" as T,
      sources: ["upload", "webcam"] as readonly VideoSource[],
      includeAudio: false,
      mirrorWebcam: true,
      height: undefined as number | undefined,
      autoplay: false,
      loop: false,
      value: undefined as VideoData | undefined,
      accept: VIDEO_ACCEPT as readonly string[],
    },
    check: (p) => {
      const unknown = p.sources.find((source) => source !== "upload" && source !== "webcam");
      if (unknown !== undefined)
        return `\`sources\` has ${JSON.stringify(unknown)}: a video comes from "upload" or "webcam"`;
      return p.sources.length > 0 ? undefined : '`sources` is empty: give "upload", "webcam" or both';
    },
    schema: () => videoSchema,
    preprocess: async ({ video }, p, io) => {
      if (p.type === "file") return video as VideoValues[T];
      const { bytes, mimeType } = await requireIO(io, "Video").read(video);
      return { bytes, mimeType } as VideoValues[T];
    },
    postprocess: async (value, _p, io) => {
      if (isFileData(value)) return { video: value, subtitles: null };
      if (typeof value === "object" && value !== null && isFileData((value as VideoData).video))
        return value as VideoData;
      const store = requireIO(io, "Video");
      if (value instanceof Uint8Array) {
        return {
          video: await store.write(value, { mimeType: "video/mp4", name: "video.mp4" }),
          subtitles: null,
        };
      }
      if (typeof Blob !== "undefined" && value instanceof Blob) {
        const type = value.type || "video/mp4";
        const name = type === "video/webm" ? "video.webm" : "video.mp4";
        const bytes = new Uint8Array(await value.arrayBuffer());
        return { video: await store.write(bytes, { mimeType: type, name }), subtitles: null };
      }
      throw new TypeError("expected a video: FileData, MP4/WebM bytes, or a Blob");
    },
  });
}
