import type { Listeners } from "../events.js";
import { finiteNumber, v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** Props of {@link HighlightedText}. */
export interface HighlightedTextProps extends SharedProps {
  /** Colours by class name, e.g. `{ PER: "#f59e0b" }`. */
  colorMap?: Readonly<Record<string, string>>;
  /** Show a legend of the classes. */
  showLegend?: boolean;
  /** Merge neighbouring spans of the same class. */
  combineAdjacent?: boolean;
  /** The initial spans. */
  value?: HighlightedSpan[];
}

/** A span of text with its class or score (Gradio's wire shape). */
export interface HighlightedSpan {
  token: string;
  class_or_confidence: string | number | null;
}

/** An entity over character offsets, as token classifiers report it. */
export interface HighlightedEntity {
  entity?: string;
  entity_group?: string;
  start: number;
  end: number;
}

/** What `fn` may return for a {@link HighlightedText}. */
export type HighlightedTextInput =
  | readonly (readonly [string, string | number | null])[]
  | readonly HighlightedSpan[]
  | { readonly text: string; readonly entities: readonly HighlightedEntity[] };

/** Text with highlighted spans. */
export type HighlightedText = Component<
  "highlightedtext",
  HighlightedTextProps,
  HighlightedSpan[],
  HighlightedTextInput,
  HighlightedSpan[]
> &
  Listeners<"change" | "select">;

const spansSchema = v.array(
  v.object({
    token: v.string(),
    class_or_confidence: v.union([v.string(), finiteNumber(), v.null()]),
  }),
);

/**
 * Text with labelled spans. Accepts `[text, class]` pairs or `{ text, entities }`.
 * @example HighlightedText({ combineAdjacent: true, showLegend: true })
 */
export function HighlightedText(props: HighlightedTextProps = {}): HighlightedText {
  return defineComponent("highlightedtext", props, {
    events: ["change", "select"],
    displayName: "HighlightedText",
    api: { pythonType: "list[dict]", description: "[{token, class_or_confidence}]" },
    defaults: {
      colorMap: undefined as Readonly<Record<string, string>> | undefined,
      showLegend: false,
      combineAdjacent: false,
      value: undefined as HighlightedSpan[] | undefined,
    },
    schema: () => spansSchema,
    postprocess: (value, p) => {
      const spans = toSpans(value);
      return p.combineAdjacent ? combine(spans) : spans;
    },
  });
}

function toSpans(value: HighlightedTextInput): HighlightedSpan[] {
  if (Array.isArray(value)) {
    return value.map((item: readonly [string, string | number | null] | HighlightedSpan) =>
      Array.isArray(item) ? { token: item[0], class_or_confidence: item[1] } : (item as HighlightedSpan),
    );
  }
  const { text, entities } = value as { text: string; entities: readonly HighlightedEntity[] };
  const spans: HighlightedSpan[] = [];
  let at = 0;
  for (const entity of [...entities].sort((a, b) => a.start - b.start)) {
    if (entity.start > at) spans.push({ token: text.slice(at, entity.start), class_or_confidence: null });
    spans.push({
      token: text.slice(entity.start, entity.end),
      class_or_confidence: entity.entity_group ?? entity.entity ?? null,
    });
    at = Math.max(at, entity.end);
  }
  if (at < text.length) spans.push({ token: text.slice(at), class_or_confidence: null });
  return spans;
}

function combine(spans: HighlightedSpan[]): HighlightedSpan[] {
  const out: HighlightedSpan[] = [];
  for (const span of spans) {
    const last = out.at(-1);
    if (last && last.class_or_confidence === span.class_or_confidence) {
      last.token += span.token;
    } else {
      out.push({ ...span });
    }
  }
  return out;
}
