import type { RawImage } from "@huggingface/transformers";
import type { Listeners } from "../events.js";
import type { Schema } from "../schema.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent, requireIO } from "./component.js";
import type { FileData, FileIO } from "./file-data.js";
import { fileDataSchema, sampleFile } from "./file-data.js";
import type { ImageType, ImageValues } from "./image.js";
import { IMAGE_ACCEPT } from "./image.js";
import type { ImageLike } from "./media.js";
import { storeImage } from "./media.js";

/** Two images on the wire, in Gradio's shape: `[before, after]`, either may be null. */
export type ImageSliderData = [FileData | null, FileData | null];

/** Props of {@link ImageSlider}. */
export interface ImageSliderProps<T extends ImageType> extends SharedProps {
  /** What `fn` receives for each image (default `"rawimage"`, as {@link Image}). */
  type?: T;
  /** Where the divider starts, 0–100 (% from the left; default 50). */
  sliderPosition?: number;
  /** Display height in CSS pixels. */
  height?: number;
  /** The initial pair of images. */
  value?: ImageSliderData;
}

/** Two images compared with a divider: a pair in, a pair out. */
export type ImageSlider<T extends ImageType = "rawimage"> = Component<
  "imageslider",
  ImageSliderProps<T>,
  [ImageValues[T] | null, ImageValues[T] | null],
  readonly [ImageLike | null, ImageLike | null],
  ImageSliderData | null
> &
  Listeners<"change" | "upload" | "clear">;

const pairSchema = v.pipe(
  v.custom(
    (value) => value === null || (Array.isArray(value) && value.length === 2),
    "must be a pair of images: [FileData | null, FileData | null], or null",
  ),
  v.nullable(v.tuple([v.nullable(fileDataSchema), v.nullable(fileDataSchema)])),
) as unknown as Schema<ImageSliderData | null>;

async function readImage<T extends ImageType>(
  file: FileData | null,
  type: T,
  io: FileIO | undefined,
): Promise<ImageValues[T] | null> {
  if (!file || type === "file") return file as ImageValues[T] | null;
  const { bytes, mimeType } = await requireIO(io, "ImageSlider").read(file);
  if (type === "bytes") return { bytes, mimeType } as ImageValues[T];
  const { RawImage } = await import("@huggingface/transformers");
  return (await RawImage.fromBlob(
    new Blob([bytes as BlobPart], { type: mimeType }),
  )) as RawImage as ImageValues[T];
}

/**
 * Two images shown one over the other with a divider to drag (or move with the arrow keys), to
 * compare a before and an after. As an input, an uploaded image becomes the first of the pair.
 * @example ImageSlider({ label: "Before / after", sliderPosition: 30 })
 */
export function ImageSlider<T extends ImageType = "rawimage">(
  props: ImageSliderProps<T> = {},
): ImageSlider<T> {
  return defineComponent("imageslider", props, {
    displayName: "ImageSlider",
    events: ["change", "upload", "clear"],
    api: {
      pythonType: "tuple[filepath | None, filepath | None]",
      example: [
        sampleFile("https://github.com/gradio-app/gradio/raw/main/test/test_files/bus.png"),
        sampleFile("https://github.com/gradio-app/gradio/raw/main/test/test_files/bus.png"),
      ],
    },
    defaults: {
      type: "rawimage" as T,
      sliderPosition: 50,
      height: undefined as number | undefined,
      value: undefined as ImageSliderData | undefined,
      accept: IMAGE_ACCEPT as readonly string[],
    },
    check: (p) =>
      p.sliderPosition >= 0 && p.sliderPosition <= 100 ? undefined : "`sliderPosition` must be 0–100",
    schema: () => pairSchema,
    preprocess: async (pair, p, io) => {
      const [before, after] = pair ?? [null, null];
      return Promise.all([readImage(before, p.type, io), readImage(after, p.type, io)]);
    },
    postprocess: async (pair, _p, io) => {
      if (pair === null || pair === undefined) return null;
      if (!Array.isArray(pair) || pair.length !== 2)
        throw new TypeError("expected a pair of images: [before, after]");
      const store = (image: ImageLike | null) =>
        image === null || image === undefined ? null : storeImage(image, requireIO(io, "ImageSlider"));
      return Promise.all([store(pair[0]), store(pair[1])]);
    },
  });
}
