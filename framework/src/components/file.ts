import type { Listeners } from "../events.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent, requireIO } from "./component.js";
import type { FileData, FileIO } from "./file-data.js";
import { fileDataSchema, isFileData, sampleFile } from "./file-data.js";

/** What `fn` receives from a {@link File}: the FileData, or its bytes. */
export type FileType = "file" | "bytes";

/** The value of each {@link FileType}. */
export interface FileValues {
  file: FileData;
  bytes: { bytes: Uint8Array; mimeType: string; name: string };
}

/** What `fn` may return for a {@link File}. */
export type FileOutput = FileData | { bytes: Uint8Array; name: string; mimeType?: string };

/** Props of {@link File}. */
export interface FileProps<T extends FileType> extends SharedProps {
  /** What `fn` receives (default `"file"`). */
  type?: T;
  /** Accepted types: MIME types, `image/*` or extensions like `.pdf` (default: any). */
  fileTypes?: readonly string[];
  /** The initial file. */
  value?: FileData;
}

/** A file: upload in, download out. */
export type File<T extends FileType = "file"> = Component<
  "file",
  FileProps<T>,
  FileValues[T],
  FileOutput,
  FileData
> &
  Listeners<"change" | "upload" | "clear">;

/**
 * A file to upload or download.
 * @example File({ label: "Document", fileTypes: [".pdf", "text/plain"] })
 */
export function File<T extends FileType = "file">(props: FileProps<T> = {}): File<T> {
  return defineComponent("file", props, {
    events: ["change", "upload", "clear"],
    api: {
      pythonType: "filepath",
      example: sampleFile("https://github.com/gradio-app/gradio/raw/main/test/test_files/sample_file.pdf"),
    },
    defaults: {
      type: "file" as T,
      fileTypes: [] as readonly string[],
      value: undefined as FileData | undefined,
    },
    schema: () => fileDataSchema,
    preprocess: async (file, p, io) => {
      if (p.type === "file") return file as FileValues[T];
      const { bytes, mimeType } = await requireIO(io, "File").read(file);
      return { bytes, mimeType, name: file.orig_name ?? "file" } as FileValues[T];
    },
    postprocess: (value, _p, io) => storeFile(value, io, "File"),
  });
}

/** Stores a file `fn` returned (bytes, or FileData as it is) and gives its FileData; `name` names the component in errors. */
export function storeFile(
  value: FileOutput,
  io: FileIO | undefined,
  name: string,
): FileData | Promise<FileData> {
  if (isFileData(value)) return value;
  if (!(value?.bytes instanceof Uint8Array) || typeof value.name !== "string") {
    throw new TypeError("expected a file: FileData, or { bytes: Uint8Array, name, mimeType? }");
  }
  return requireIO(io, name).write(value.bytes, {
    name: value.name,
    mimeType: value.mimeType ?? "application/octet-stream",
  });
}
