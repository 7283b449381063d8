import type { Listeners } from "../events.js";
import { finiteNumber, v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent, requireIO } from "./component.js";
import type { FileData } from "./file-data.js";
import { fileDataSchema } from "./file-data.js";
import type { ImageLike } from "./media.js";
import { storeImage } from "./media.js";

/** A box in pixels. */
export interface Box {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/** One annotation on the wire: a label with a box (ours) or a mask image (Gradio's). */
export interface Annotation {
  label: string;
  box?: Box;
  score?: number;
  image?: FileData;
}

/** An annotated image on the wire. */
export interface AnnotatedImageData {
  image: FileData;
  annotations: Annotation[];
}

/** A detection as object-detection pipelines return it. */
export interface Detection {
  label: string;
  score?: number;
  box: Box | readonly [number, number, number, number];
}

/** What `fn` may return: an image with detections, as an object or a pair. */
export type AnnotatedImageInput =
  | { image: ImageLike; annotations: readonly Detection[] }
  | readonly [image: ImageLike, annotations: readonly Detection[]];

/** Props of {@link AnnotatedImage}. */
export interface AnnotatedImageProps extends SharedProps {
  /** Colours by label, e.g. `{ cat: "#f59e0b" }`. */
  colorMap?: Readonly<Record<string, string>>;
  /** Show a legend of the labels. */
  showLegend?: boolean;
  /** Display height in CSS pixels. */
  height?: number;
}

/** An image with labelled boxes drawn on it (output). */
export type AnnotatedImage = Component<
  "annotatedimage",
  AnnotatedImageProps,
  AnnotatedImageData,
  AnnotatedImageInput,
  AnnotatedImageData
> &
  Listeners<"change" | "select">;

const boxSchema = v.object({
  xmin: finiteNumber(),
  ymin: finiteNumber(),
  xmax: finiteNumber(),
  ymax: finiteNumber(),
});
const annotatedSchema = v.object({
  image: fileDataSchema,
  annotations: v.array(
    v.object({
      label: v.string(),
      box: v.optional(boxSchema),
      score: v.optional(finiteNumber()),
      image: v.optional(fileDataSchema),
    }),
  ),
});

/**
 * An image with labelled boxes, e.g. from an object-detection pipeline.
 * @example AnnotatedImage({ showLegend: true })
 */
export function AnnotatedImage(props: AnnotatedImageProps = {}): AnnotatedImage {
  return defineComponent("annotatedimage", props, {
    events: ["change", "select"],
    displayName: "AnnotatedImage",
    api: { pythonType: "dict", description: "{image, annotations: [{image, label}]}" },
    defaults: {
      colorMap: undefined as Readonly<Record<string, string>> | undefined,
      showLegend: true,
      height: undefined as number | undefined,
    },
    schema: () => annotatedSchema,
    postprocess: async (value, _p, io) => {
      const [image, detections] = Array.isArray(value)
        ? (value as readonly [ImageLike, readonly Detection[]])
        : [
            (value as { image: ImageLike }).image,
            (value as { annotations: readonly Detection[] }).annotations,
          ];
      return {
        image: await storeImage(image, requireIO(io, "AnnotatedImage")),
        annotations: detections.map((detection) => ({
          label: detection.label,
          box: toBox(detection.box),
          ...(detection.score === undefined ? {} : { score: detection.score }),
        })),
      };
    },
  });
}

function toBox(box: Detection["box"]): Box {
  if (Array.isArray(box)) {
    const [xmin, ymin, xmax, ymax] = box as readonly number[];
    return { xmin: xmin ?? 0, ymin: ymin ?? 0, xmax: xmax ?? 0, ymax: ymax ?? 0 };
  }
  return box as Box;
}
