import type { PipelineType } from "@huggingface/tasks";
import { PIPELINE_DATA } from "@huggingface/tasks";
import { describe, expect, it } from "vitest";
import { DeclarationError } from "../errors.js";
import { entitySpans, TASKS, taskRecipe } from "./tasks.js";

describe("task recipes", () => {
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
