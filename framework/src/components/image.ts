import type { RawImage } from "@huggingface/transformers";
import type { Listeners } from "../events.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent, requireIO } from "./component.js";
import type { FileData } from "./file-data.js";
import { fileDataSchema, sampleFile } from "./file-data.js";
import type { ImageLike } from "./media.js";
import { storeImage } from "./media.js";

/** What `fn` receives from an {@link Image}: a transformers.js `RawImage`, the bytes, or the FileData. */
export type ImageType = "rawimage" | "bytes" | "file";

/** The value of each {@link ImageType}. */
export interface ImageValues {
  rawimage: RawImage;
  bytes: { bytes: Uint8Array; mimeType: string };
  file: FileData;
}

/** Props of {@link Image}. */
export interface ImageProps<T extends ImageType> extends SharedProps {
  /** What `fn` receives (default `"rawimage"`, ready for a transformers.js pipeline). */
  type?: T;
  /** Where an input image can come from. */
  sources?: readonly ("upload" | "webcam" | "clipboard")[];
  /** Display height in CSS pixels. */
  height?: number;
  /** The initial image. */
  value?: FileData;
}

/** An image: upload, drop, paste or webcam in; any image out. */
export type Image<T extends ImageType = "rawimage"> = Component<
  "image",
  ImageProps<T>,
  ImageValues[T],
  ImageLike,
  FileData
> &
  Listeners<"change" | "upload" | "clear">;

/** The image types an Image input accepts. */
export const IMAGE_ACCEPT = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"] as const;

/**
 * An image. As an input, `fn` receives a transformers.js `RawImage` by default; as an output, return a
 * `RawImage`, PNG/JPEG bytes or a Blob.
 * @example Image({ label: "Photo", sources: ["upload", "clipboard"] })
 */
export function Image<T extends ImageType = "rawimage">(props: ImageProps<T> = {}): Image<T> {
  return defineComponent("image", props, {
    events: ["change", "upload", "clear"],
    api: {
      pythonType: "filepath",
      example: sampleFile("https://github.com/gradio-app/gradio/raw/main/test/test_files/bus.png"),
    },
    defaults: {
      type: "rawimage" as T,
      sources: ["upload", "webcam", "clipboard"] as ImageProps<T>["sources"],
      height: undefined as number | undefined,
      value: undefined as FileData | undefined,
      accept: IMAGE_ACCEPT as readonly string[],
    },
    schema: () => fileDataSchema,
    preprocess: async (file, p, io) => {
      if (p.type === "file") return file as ImageValues[T];
      const { bytes, mimeType } = await requireIO(io, "Image").read(file);
      if (p.type === "bytes") return { bytes, mimeType } as ImageValues[T];
      const { RawImage } = await import("@huggingface/transformers");
      return (await RawImage.fromBlob(new Blob([bytes as BlobPart], { type: mimeType }))) as ImageValues[T];
    },
    postprocess: (value, _p, io) => storeImage(value, requireIO(io, "Image")),
  });
}
