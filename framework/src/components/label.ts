import type { Listeners } from "../events.js";
import { finiteNumber, v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** Props of {@link Label}. */
export interface LabelProps extends SharedProps {
  /** Show only this many of the top classes. */
  numTopClasses?: number;
  /** Show the top class as a heading above the bars (default true). */
  showHeading?: boolean;
  /** The initial label. */
  value?: LabelData;
}

/** A label on the wire (Gradio's shape). */
export interface LabelData {
  label?: string | number | null;
  confidences?: { label: string | number; confidence: number }[];
}

/** What `fn` may return for a {@link Label}. */
export type LabelInput =
  | string
  | number
  | Readonly<Record<string, number>>
  | readonly { readonly label: string | number; readonly score: number }[]
  | LabelData;

/** A classification result: a class name, or classes with confidences. */
export type Label = Component<"label", LabelProps, LabelData, LabelInput, LabelData> &
  Listeners<"change" | "select">;

const labelDataSchema = v.object({
  label: v.optional(v.union([v.string(), finiteNumber(), v.null()])),
  confidences: v.optional(
    v.array(v.object({ label: v.union([v.string(), finiteNumber()]), confidence: finiteNumber() })),
  ),
});

/**
 * A class label with confidence bars. Accepts a class name, `{ class: confidence }`, or
 * transformers.js classifier output (`[{ label, score }]`).
 * @example Label({ numTopClasses: 3 })
 */
export function Label(props: LabelProps = {}): Label {
  return defineComponent("label", props, {
    events: ["change", "select"],
    api: { pythonType: "dict", description: "{label, confidences: [{label, confidence}]}" },
    defaults: {
      numTopClasses: undefined as number | undefined,
      showHeading: true,
      value: undefined as LabelData | undefined,
    },
    schema: () => labelDataSchema,
    postprocess: (value, p) => toLabelData(value, p.numTopClasses),
  });
}

function toLabelData(value: LabelInput, top: number | undefined): LabelData {
  if (typeof value === "string" || typeof value === "number") return { label: value };
  let confidences: { label: string | number; confidence: number }[];
  if (Array.isArray(value)) {
    confidences = value.map((item: { label: string | number; score: number }) => ({
      label: item.label,
      confidence: item.score,
    }));
  } else if (value && typeof value === "object" && ("confidences" in value || "label" in value)) {
    const data = value as LabelData;
    confidences = [...(data.confidences ?? [])];
    if (confidences.length === 0) return { label: data.label ?? null };
  } else if (value && typeof value === "object") {
    confidences = Object.entries(value as Record<string, number>).map(([label, confidence]) => ({
      label,
      confidence,
    }));
  } else {
    throw new TypeError("expected a class name, { class: confidence }, or [{ label, score }]");
  }
  confidences.sort((a, b) => b.confidence - a.confidence);
  if (top !== undefined) confidences = confidences.slice(0, top);
  return { label: confidences[0]?.label ?? null, confidences };
}
