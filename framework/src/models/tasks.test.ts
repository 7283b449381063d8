import type { PipelineType } from "@huggingface/tasks";
import { PIPELINE_DATA } from "@huggingface/tasks";
import { describe, expect, it } from "vitest";
import { DeclarationError } from "../errors.js";
import { entitySpans, TASKS, taskRecipe } from "./tasks.js";

/** The parts of a transformers.js text-classification pipeline the recipe calls, with fixed logits. */
function classifier(rows: number[][], config: { problem_type?: string; id2label?: Record<number, string> }) {
  const model = async () => ({
    logits: { data: Float32Array.from(rows.flat()), dims: [rows.length, rows[0]?.length ?? 0] },
  });
  return { tokenizer: () => ({}), model: Object.assign(model, { config }) };
}

describe("task recipes", () => {
  it("classify texts: softmax and the 5 best, sigmoid for multi-label, LABEL_i without names", async () => {
    const recipe = taskRecipe("text-classification");
    const logits = [
      [0, 1, 2, 3, 4, 5, 6],
      [6, 5, 4, 3, 2, 1, 0],
    ];
    const names = Object.fromEntries(logits[0]?.map((i) => [i, `c${i}`]) ?? []);
    const batch = (await recipe.runBatch?.(["a", "b"], {
      model: classifier(logits, { id2label: names }),
    })) as { label: string; score: number }[][];
    const [first, second] = batch;
    expect(first?.map((entry) => entry.label)).toEqual(["c6", "c5", "c4", "c3", "c2"]);
    expect(second?.map((entry) => entry.label)).toEqual(["c0", "c1", "c2", "c3", "c4"]);
    const total = logits[0]?.reduce((sum, x) => sum + Math.exp(x), 0) ?? 1;
    expect(first?.[0]?.score).toBeCloseTo(Math.exp(6) / total, 6);

    const multi = (await recipe.run("a", {
      model: classifier([[0, 2]], { problem_type: "multi_label_classification" }),
    })) as { label: string; score: number }[];
    expect(multi).toEqual([
      { label: "LABEL_1", score: expect.closeTo(1 / (1 + Math.exp(-2)), 6) },
      { label: "LABEL_0", score: 0.5 },
    ]);
  });

  it("use the Hub's task ids and names", () => {
    for (const [task, recipe] of Object.entries(TASKS)) {
      if (task === "text2text-generation") continue; // a transformers.js task the Hub folds into text-generation
      expect(PIPELINE_DATA[task as PipelineType]?.name, task).toBe(recipe.name);
    }
  });

  it("cover the tasks a demo is expected to build from a model id", () => {
    expect(Object.keys(TASKS)).toEqual(
      expect.arrayContaining([
        "text-classification",
        "token-classification",
        "zero-shot-classification",
        "text-generation",
        "summarization",
        "translation",
        "text2text-generation",
        "fill-mask",
        "question-answering",
        "feature-extraction",
      ]),
    );
  });

  it("refuse an unsupported task, listing the supported ones", () => {
    expect(() => taskRecipe("depth-estimation")).toThrow(DeclarationError);
    expect(() => taskRecipe("depth-estimation")).toThrow(
      /"depth-estimation" is not supported yet. Supported tasks: text-classification, /,
    );
  });

  it("place token-classification words on the text", () => {
    expect(
      entitySpans("Ada Lovelace met Charles in London", [
        { entity: "B-PER", word: "Ada" },
        { entity: "I-PER", word: "Love" },
        { entity: "I-PER", word: "##lace" },
        { entity: "B-PER", word: "Charles" },
        { entity: "B-LOC", word: "London" },
      ]),
    ).toEqual([
      { token: "Ada", class_or_confidence: "PER" },
      { token: " ", class_or_confidence: null },
      { token: "Lovelace", class_or_confidence: "PER" },
      { token: " met ", class_or_confidence: null },
      { token: "Charles", class_or_confidence: "PER" },
      { token: " in ", class_or_confidence: null },
      { token: "London", class_or_confidence: "LOC" },
    ]);
  });
});
