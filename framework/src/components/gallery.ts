import type { Listeners } from "../events.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent, requireIO } from "./component.js";
import type { FileData } from "./file-data.js";
import { fileDataSchema } from "./file-data.js";
import type { ImageLike } from "./media.js";
import { storeImage } from "./media.js";

/** One gallery item on the wire (Gradio's shape). */
export interface GalleryItem {
  image: FileData;
  caption: string | null;
}

/** What `fn` may return: images, or `[image, caption]` pairs. */
export type GalleryInput = readonly (ImageLike | readonly [ImageLike, string])[];

/** Props of {@link Gallery}. */
export interface GalleryProps extends SharedProps {
  /** Images per row. */
  columns?: number;
  /** Display height in CSS pixels. */
  height?: number;
}

/** A grid of images with captions (output). */
export type Gallery = Component<"gallery", GalleryProps, GalleryItem[], GalleryInput, GalleryItem[]> &
  Listeners<"change" | "select">;

const gallerySchema = v.array(v.object({ image: fileDataSchema, caption: v.nullable(v.string()) }));

/**
 * A grid of images, each with an optional caption.
 * @example Gallery({ columns: 3 })
 */
export function Gallery(props: GalleryProps = {}): Gallery {
  return defineComponent("gallery", props, {
    events: ["change", "select"],
    api: { pythonType: "list[dict]", description: "[{image, caption}]" },
    defaults: { columns: 3, height: undefined as number | undefined },
    schema: () => gallerySchema,
    postprocess: (items, _p, io) =>
      Promise.all(
        items.map(async (item) => {
          const [image, caption] =
            Array.isArray(item) && item.length === 2 && typeof item[1] === "string"
              ? (item as readonly [ImageLike, string])
              : [item as ImageLike, null];
          return { image: await storeImage(image, requireIO(io, "Gallery")), caption };
        }),
      ),
  });
}
