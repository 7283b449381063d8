import type { FileData, FileIO, Pixels } from "./file-data.js";
import { isFileData } from "./file-data.js";

/** Something that can be shown as an image: pixels (e.g. a `RawImage`), encoded bytes, a Blob or a FileData. */
export type ImageLike = Pixels | Uint8Array | Blob | FileData;

/** Stores an image the function returned and gives its FileData. */
export async function storeImage(value: ImageLike, io: FileIO): Promise<FileData> {
  if (isFileData(value)) return value;
  if (value instanceof Uint8Array)
    return io.write(value, { mimeType: "application/octet-stream", name: "image" });
  if (typeof Blob !== "undefined" && value instanceof Blob) {
    return io.write(new Uint8Array(await value.arrayBuffer()), { mimeType: value.type, name: "image" });
  }
  if (isPixels(value)) return io.writeImage(value);
  throw new TypeError("expected an image: a RawImage, PNG/JPEG bytes, a Blob, or a FileData");
}

function isPixels(value: unknown): value is Pixels {
  const pixels = value as Pixels;
  return (
    typeof value === "object" &&
    value !== null &&
    (pixels.data instanceof Uint8Array || pixels.data instanceof Uint8ClampedArray) &&
    Number.isInteger(pixels.width) &&
    Number.isInteger(pixels.height) &&
    [1, 2, 3, 4].includes(pixels.channels)
  );
}
