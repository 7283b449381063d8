import type { Listeners } from "../events.js";
import type { Schema } from "../schema.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent, requireIO } from "./component.js";
import type { FileOutput, FileValues } from "./file.js";
import { storeFile } from "./file.js";
import type { FileData, FileIO } from "./file-data.js";
import { fileDataSchema, sampleFile } from "./file-data.js";

/** One file or several. */
export type FileCount = "single" | "multiple";

/** What `fn` receives from an {@link UploadButton}: FileData (or bytes), one or a list by `fileCount`. */
export type UploadButtonValue<T extends "file" | "bytes", N extends FileCount> = N extends "multiple"
  ? FileValues[T][]
  : FileValues[T] | null;

/** Props of {@link UploadButton}. */
export interface UploadButtonProps<T extends "file" | "bytes", N extends FileCount> extends SharedProps {
  /** What `fn` receives for each file (default `"file"`: its FileData). */
  type?: T;
  /** One file, or several at once (default `"single"`). */
  fileCount?: N;
  /** Accepted types: MIME types, `image/*` or extensions like `.pdf` (default: any). */
  fileTypes?: readonly string[];
  /** Its look. */
  variant?: "primary" | "secondary" | "stop";
  /** Its size. */
  size?: "sm" | "md" | "lg";
  /** The initial file(s). */
  value?: FileData | FileData[] | null;
}

/** A button that uploads files and fires `upload`; its `label` is the button's text. */
export type UploadButton<T extends "file" | "bytes" = "file", N extends FileCount = "single"> = Component<
  "uploadbutton",
  UploadButtonProps<T, N>,
  UploadButtonValue<T, N>,
  FileOutput | FileOutput[] | null,
  FileData | FileData[] | null
> &
  Listeners<"click" | "upload">;

async function readFile(file: FileData, type: "file" | "bytes", io: FileIO | undefined) {
  if (type === "file") return file;
  const { bytes, mimeType } = await requireIO(io, "UploadButton").read(file);
  return { bytes, mimeType, name: file.orig_name ?? "file" };
}

/**
 * A button that opens the file picker and uploads what is chosen; wire `fn` to its `upload`.
 * `label` is its text (default "Upload a File").
 * @example const pick = UploadButton({ label: "Add photos", fileCount: "multiple", fileTypes: ["image/*"] }); pick.upload({ fn, inputs: [pick], outputs })
 */
export function UploadButton<T extends "file" | "bytes" = "file", N extends FileCount = "single">(
  props: UploadButtonProps<T, N> = {},
): UploadButton<T, N> {
  return defineComponent(
    "uploadbutton",
    { label: "Upload a File", ...props },
    {
      displayName: "UploadButton",
      events: ["click", "upload"],
      api: {
        pythonType: (p) => (p.fileCount === "multiple" ? "list[filepath]" : "filepath | None"),
        example: sampleFile("https://github.com/gradio-app/gradio/raw/main/test/test_files/sample_file.pdf"),
      },
      defaults: {
        type: "file" as T,
        fileCount: "single" as N,
        fileTypes: [] as readonly string[],
        variant: "secondary" as "primary" | "secondary" | "stop",
        size: "md" as "sm" | "md" | "lg",
        value: null as FileData | FileData[] | null,
      },
      check: (p) =>
        p.fileCount === "single" || p.fileCount === "multiple"
          ? undefined
          : '`fileCount` must be "single" or "multiple"',
      schema: (p) =>
        (p.fileCount === "multiple"
          ? v.nullable(v.array(fileDataSchema, "must be a list of files"))
          : v.pipe(
              v.custom(
                (value) => !Array.isArray(value),
                'must be one file, not a list (set `fileCount: "multiple"` for several)',
              ),
              v.nullable(fileDataSchema),
            )) as unknown as Schema<FileData | FileData[] | null>,
      preprocess: async (value, p, io) => {
        if (p.fileCount === "multiple") {
          const files = Array.isArray(value) ? value : value ? [value] : [];
          return (await Promise.all(files.map((file) => readFile(file, p.type, io)))) as UploadButtonValue<
            T,
            N
          >;
        }
        const file = Array.isArray(value) ? value[0] : value;
        return (file ? await readFile(file, p.type, io) : null) as UploadButtonValue<T, N>;
      },
      postprocess: async (value, _p, io) => {
        if (value === null || value === undefined) return null;
        if (Array.isArray(value))
          return Promise.all(value.map((file) => storeFile(file, io, "UploadButton")));
        return storeFile(value as FileOutput, io, "UploadButton");
      },
    },
  );
}
