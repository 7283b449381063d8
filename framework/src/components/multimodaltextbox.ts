import type { Listeners } from "../events.js";
import type { Schema } from "../schema.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";
import type { FileOutput } from "./file.js";
import { storeFile } from "./file.js";
import type { FileData } from "./file-data.js";
import { fileDataSchema, sampleFile } from "./file-data.js";

/** Text with attachments: the value of a {@link MultimodalTextbox} (Gradio's `{text, files}`). */
export interface MultimodalValue {
  text: string;
  files: FileData[];
}

/** What `fn` may return for a {@link MultimodalTextbox}: text, or text and files (bytes are stored). */
export type MultimodalOutput = string | { text?: string; files?: readonly FileOutput[] };

/** Props of {@link MultimodalTextbox}. */
export interface MultimodalTextboxProps extends SharedProps {
  /** The initial text and files. */
  value?: MultimodalValue;
  /** Visible lines of the text box. */
  lines?: number;
  /** Lines the box grows to before it scrolls. */
  maxLines?: number;
  /** Grey hint shown while the box is empty. */
  placeholder?: string;
  /** Longest text accepted, in characters. */
  maxLength?: number;
  /** Accepted file types: MIME types, `image/*` or extensions like `.pdf` (default: any). */
  fileTypes?: readonly string[];
  /** One attachment (a new one replaces it) or several (default `"multiple"`). */
  fileCount?: "single" | "multiple";
  /** Most attachments in one message (default 10). */
  maxFiles?: number;
  /** Show a send button beside the box (default true); Enter sends either way. */
  submitButton?: boolean;
}

/** A text box with attachments: `{ text, files }` in and out. */
export type MultimodalTextbox = Component<
  "multimodaltextbox",
  MultimodalTextboxProps,
  MultimodalValue,
  MultimodalOutput,
  MultimodalValue
> &
  Listeners<"change" | "input" | "submit" | "focus" | "blur">;

/** The schema of a `{ text, files }` value: each problem names its field. */
export function multimodalSchema(options: { maxLength?: number; maxFiles: number }): Schema<MultimodalValue> {
  const text = v.string("`text` must be text");
  return v.object(
    {
      text:
        options.maxLength === undefined
          ? text
          : v.pipe(
              text,
              v.maxLength(options.maxLength, `\`text\` must be at most ${options.maxLength} characters long`),
            ),
      files: v.optional(
        v.pipe(
          v.array(fileDataSchema, "`files` must be a list of files (FileData from the upload endpoint)"),
          v.maxLength(
            options.maxFiles,
            options.maxFiles === 1
              ? "`files` takes one file"
              : `\`files\` takes at most ${options.maxFiles} files`,
          ),
        ),
        [],
      ),
    },
    "must be a message with attachments: { text, files }",
  ) as Schema<MultimodalValue>;
}

/**
 * A text box that takes files too: attach, paste or drop images and other files beside the text.
 * `fn` receives `{ text, files }` (each file a FileData, as a File input gives it).
 * @example MultimodalTextbox({ placeholder: "Ask about a picture", fileTypes: ["image/*"] })
 */
export function MultimodalTextbox(props: MultimodalTextboxProps = {}): MultimodalTextbox {
  return defineComponent("multimodaltextbox", props, {
    events: ["change", "input", "submit", "focus", "blur"],
    displayName: "MultimodalTextbox",
    api: {
      pythonType: "dict",
      description: '{"text": str, "files": list[filepath]}',
      example: {
        text: "What is in this picture?",
        files: [sampleFile("https://github.com/gradio-app/gradio/raw/main/test/test_files/bus.png")],
      },
    },
    defaults: {
      value: { text: "", files: [] } as MultimodalValue,
      lines: 1,
      maxLines: 20,
      placeholder: "",
      maxLength: undefined as number | undefined,
      fileTypes: [] as readonly string[],
      fileCount: "multiple" as "single" | "multiple",
      maxFiles: 10,
      submitButton: true,
    } satisfies MultimodalTextboxProps,
    check: (p) => {
      if (p.lines < 1 || p.maxLines < p.lines) return "`lines` must be ≥ 1 and ≤ `maxLines`";
      if (p.fileCount !== "single" && p.fileCount !== "multiple")
        return '`fileCount` must be "single" or "multiple"';
      if (!Number.isInteger(p.maxFiles) || p.maxFiles < 1) return "`maxFiles` must be a whole number ≥ 1";
      return undefined;
    },
    schema: (p) =>
      multimodalSchema({
        ...(p.maxLength === undefined ? {} : { maxLength: p.maxLength }),
        maxFiles: p.fileCount === "single" ? 1 : p.maxFiles,
      }),
    postprocess: async (value, _p, io) => {
      if (typeof value === "string") return { text: value, files: [] };
      const files = await Promise.all(
        (value.files ?? []).map((file) => storeFile(file, io, "MultimodalTextbox")),
      );
      return { text: value.text ?? "", files };
    },
  });
}
