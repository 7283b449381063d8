import { describe, expect, it } from "vitest";
import { clientMessageSchema, wellFormedMessage } from "./protocol.js";
import { validate } from "./schema.js";

/** Messages the schema accepts, and ones it refuses, each for a different reason. */
const accepted: unknown[] = [
  { type: "predict", id: "a", data: [] },
  { type: "predict", id: "x".repeat(64), endpoint: 3, data: [1, "two", null] },
  { type: "predict", id: "b", endpoint: "/greet", data: [{}], eventData: { index: 1 } },
  { type: "predict", id: "c", endpoint: undefined, data: [], extra: "dropped" },
  { type: "cancel", id: "a" },
  { type: "cancel", id: "a", data: [1] },
];
const refused: unknown[] = [
  null,
  "predict",
  [],
  {},
  { type: "predict", data: [] },
  { type: "predict", id: "", data: [] },
  { type: "predict", id: "x".repeat(65), data: [] },
  { type: "predict", id: 7, data: [] },
  { type: "predict", id: "a" },
  { type: "predict", id: "a", data: "text" },
  { type: "predict", id: "a", endpoint: -1, data: [] },
  { type: "predict", id: "a", endpoint: 1.5, data: [] },
  { type: "predict", id: "a", endpoint: null, data: [] },
  { type: "cancel" },
  { type: "cancel", id: "" },
  { type: "run", id: "a", data: [] },
];

describe("wellFormedMessage", () => {
  it("gives what the schema outputs for every message the schema accepts", () => {
    for (const message of accepted) {
      const result = validate(clientMessageSchema, message);
      expect(result.success, JSON.stringify(message)).toBe(true);
      expect(wellFormedMessage(message), JSON.stringify(message)).toEqual(result.success && result.data);
    }
  });

  it("refuses every message the schema refuses", () => {
    for (const message of refused) {
      expect(validate(clientMessageSchema, message).success, JSON.stringify(message)).toBe(false);
      expect(wellFormedMessage(message), JSON.stringify(message)).toBeUndefined();
    }
  });
});
