import type { Schema } from "../schema.js";
import { v } from "../schema.js";
import { isFileData } from "./file-shape.js";

export { FILE_ROUTE, isFileData } from "./file-shape.js";

/** A file on the wire, in Gradio's shape. `path` is a server-side id from the upload endpoint. */
export interface FileData {
  path: string;
  url?: string | null;
  size?: number | null;
  orig_name?: string | null;
  mime_type?: string | null;
  is_stream?: boolean;
  meta: { _type: "gradio.FileData" };
}

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** Validates a FileData value (its shape only; ownership is checked by the engine's file store). */
export const fileDataSchema = v.object(
  {
    path: v.pipe(
      v.string("a file needs a `path` from the upload endpoint"),
      v.minLength(1),
      v.maxLength(1024),
    ),
    url: v.nullish(text(4096)),
    size: v.nullish(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
    orig_name: v.nullish(text(1024)),
    mime_type: v.nullish(text(255)),
    is_stream: v.optional(v.boolean()),
    meta: v.optional(v.object({ _type: v.literal("gradio.FileData") }), { _type: "gradio.FileData" }),
  },
  "must be a file: upload it first, then send its FileData",
) as Schema<FileData>;

/** A file at a public URL as FileData, for API examples (as Gradio's `/info` gives them). */
export function sampleFile(url: string): FileData {
  return {
    path: url,
    url,
    orig_name: url.slice(url.lastIndexOf("/") + 1),
    meta: { _type: "gradio.FileData" },
  };
}

/** Stores and reads files for the engine: a temp folder on a server, blob URLs in a browser. */
export interface FileIO {
  /** Whether `path` names a file this store received or produced (never a client-given path). */
  owns(path: string): boolean;
  /** The sniffed media type of an owned file. */
  mimeTypeOf(path: string): string;
  /** The bytes and type of a file this store owns. */
  read(file: FileData): Promise<{ bytes: Uint8Array; mimeType: string }>;
  /**
   * Stores bytes a function produced and returns their FileData, with a URL to fetch them;
   * `owner` (a session or user) may send it back as an input.
   */
  write(bytes: Uint8Array, options: { name?: string; mimeType: string; owner?: string }): Promise<FileData>;
  /** Encodes raw pixels as PNG and stores them. */
  writeImage(pixels: Pixels, owner?: string): Promise<FileData>;
  /**
   * The store's own record of a file a caller sends, which `owner` may use: an unclaimed upload
   * becomes theirs; "taken" when it belongs to someone else; undefined when unknown. A store
   * without owners (a browser's) leaves this out.
   */
  claim?(path: string, owner: string): FileData | "taken" | undefined;
  /** This store as one owner's job sees it: what the job writes belongs to `owner`. */
  scoped?(owner: string): FileIO;
}

/** Raw pixels, row by row (transformers.js `RawImage` has this shape). */
export interface Pixels {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA). */
  channels: number;
}

/** Every FileData inside a wire value (files can nest, e.g. in a gallery). */
export function findFiles(value: unknown, found: FileData[] = []): FileData[] {
  if (isFileData(value)) found.push(value);
  else if (Array.isArray(value)) for (const item of value) findFiles(item, found);
  else if (value && typeof value === "object")
    for (const item of Object.values(value)) findFiles(item, found);
  return found;
}

/** A copy of a wire value with each FileData replaced. */
export function replaceFiles(value: unknown, replace: (file: FileData) => FileData): unknown {
  if (isFileData(value)) return replace(value);
  if (Array.isArray(value)) return value.map((item) => replaceFiles(item, replace));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceFiles(item, replace)]));
  }
  return value;
}

/** The sniffed type a file with this extension must have (extensions whose bytes can be checked). */
const EXTENSION_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".bmp": "image/bmp",
  ".wav": "audio/wav",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
  ".flac": "audio/flac",
  ".webm": "video/webm",
  ".mp4": "video/mp4",
  ".pdf": "application/pdf",
  ".zip": "application/zip",
  ".txt": "text/plain",
  ".csv": "text/plain",
  ".tsv": "text/plain",
  ".json": "text/plain",
  ".jsonl": "text/plain",
  ".md": "text/plain",
};

/**
 * Whether a file matches an `accept` list like `["image/*", ".pdf", "application/json"]`.
 * `mimeType` is the sniffed type; an extension rule needs the name's extension and, where the
 * bytes can tell, a sniffed type that agrees with it (a `.png` must be a PNG).
 */
export function mimeAccepted(mimeType: string, name: string, accept: readonly string[]): boolean {
  if (accept.length === 0) return true;
  const lowerName = name.toLowerCase();
  return accept.some((rule) => {
    const pattern = rule.trim().toLowerCase();
    if (pattern.startsWith(".")) {
      const expected = EXTENSION_TYPES[pattern];
      return lowerName.endsWith(pattern) && (expected === undefined || mimeType === expected);
    }
    if (pattern.endsWith("/*")) return mimeType.startsWith(pattern.slice(0, -1));
    return mimeType === pattern;
  });
}

/** The media type of some bytes, from their first bytes (never from what a client claims). */
export function sniffMimeType(bytes: Uint8Array): string | undefined {
  const starts = (offset: number, ...signature: number[]) =>
    signature.every((byte, i) => bytes[offset + i] === byte);
  const ascii = (offset: number, text: string) => starts(offset, ...[...text].map((c) => c.charCodeAt(0)));
  if (starts(0, 0x89, 0x50, 0x4e, 0x47)) return "image/png";
  if (starts(0, 0xff, 0xd8, 0xff)) return "image/jpeg";
  if (ascii(0, "GIF8")) return "image/gif";
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "image/webp";
  if (ascii(0, "BM")) return "image/bmp";
  if (ascii(0, "RIFF") && ascii(8, "WAVE")) return "audio/wav";
  if (ascii(0, "ID3") || starts(0, 0xff, 0xfb) || starts(0, 0xff, 0xf3) || starts(0, 0xff, 0xf2))
    return "audio/mpeg";
  if (ascii(0, "OggS")) return "audio/ogg";
  if (ascii(0, "fLaC")) return "audio/flac";
  if (starts(0, 0x1a, 0x45, 0xdf, 0xa3)) return "video/webm";
  if (ascii(4, "ftyp")) return "video/mp4";
  if (ascii(0, "%PDF")) return "application/pdf";
  if (starts(0, 0x50, 0x4b, 0x03, 0x04)) return "application/zip";
  return undefined;
}
