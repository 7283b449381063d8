import type { Listeners } from "../events.js";
import type { Schema } from "../schema.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";
import type { FileOutput } from "./file.js";
import { storeFile } from "./file.js";
import type { FileData } from "./file-data.js";
import { fileDataSchema, sampleFile } from "./file-data.js";

/** Props of {@link DownloadButton}. */
export interface DownloadButtonProps extends SharedProps {
  /** The file to download (none: the button is disabled). */
  value?: FileData | null;
  /** Its look. */
  variant?: "primary" | "secondary" | "stop";
  /** Its size. */
  size?: "sm" | "md" | "lg";
}

/** A button that downloads a file; its `label` is the button's text. */
export type DownloadButton = Component<
  "downloadbutton",
  DownloadButtonProps,
  FileData | null,
  FileOutput | null,
  FileData | null
> &
  Listeners<"click">;

/**
 * A button that downloads the file it holds: return a file (bytes and a name, or a FileData) to
 * it from `fn`. `label` is its text (default "Download").
 * @example DownloadButton({ label: "Download the report" })
 */
export function DownloadButton(props: DownloadButtonProps = {}): DownloadButton {
  return defineComponent(
    "downloadbutton",
    { label: "Download", ...props },
    {
      displayName: "DownloadButton",
      events: ["click"],
      api: {
        pythonType: "filepath | None",
        example: sampleFile("https://github.com/gradio-app/gradio/raw/main/test/test_files/sample_file.pdf"),
      },
      defaults: {
        value: null as FileData | null,
        variant: "secondary",
        size: "md",
      } as Required<Omit<DownloadButtonProps, keyof SharedProps>>,
      schema: () => v.nullable(fileDataSchema) as Schema<FileData | null>,
      postprocess: (value, _p, io) =>
        value === null || value === undefined ? null : storeFile(value, io, "DownloadButton"),
    },
  );
}
