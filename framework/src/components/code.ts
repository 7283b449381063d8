import type { Listeners } from "../events.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** The languages `<sc-code>` highlights; each loads only when a page shows it. */
export const CODE_LANGUAGES = [
  "python",
  "javascript",
  "typescript",
  "json",
  "html",
  "css",
  "markdown",
  "sql",
] as const;

/** A language {@link Code} highlights, or `null` for plain text. */
export type CodeLanguage = (typeof CODE_LANGUAGES)[number];

/** Props of {@link Code}. */
export interface CodeProps extends SharedProps {
  /** The initial code. */
  value?: string;
  /** The language to highlight, or `null` for plain text (default `"python"`). */
  language?: CodeLanguage | null;
  /** Lines shown before the editor grows (default 5). */
  lines?: number;
  /** Lines the editor grows to before it scrolls (default 20). */
  maxLines?: number;
}

/** A code editor with syntax highlighting: a string in, a string out. */
export type Code = Component<"code", CodeProps, string, string, string> &
  Listeners<"change" | "input" | "focus" | "blur">;

/**
 * Code with syntax highlighting (CodeMirror, loaded only by pages that show code; each language
 * only when used). Editable as an input, read-only as an output.
 * @example Code({ label: "Snippet", language: "javascript", value: "console.log(1)" })
 */
export function Code(props: CodeProps = {}): Code {
  return defineComponent("code", props, {
    events: ["change", "input", "focus", "blur"],
    api: { pythonType: "str" },
    defaults: {
      value: "",
      language: "python" as CodeLanguage | null,
      lines: 5,
      maxLines: 20,
    } satisfies CodeProps,
    check: (p) => {
      if (p.language !== null && !CODE_LANGUAGES.includes(p.language))
        return `unknown \`language\` ${JSON.stringify(p.language)}; use one of ${CODE_LANGUAGES.join(", ")}, or null for plain text`;
      return p.lines < 1 || p.maxLines < p.lines ? "`lines` must be ≥ 1 and ≤ `maxLines`" : undefined;
    },
    schema: () => v.string("must be text"),
  });
}
