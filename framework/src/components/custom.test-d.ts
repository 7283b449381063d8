// Type tests: checked by `tsc -b`. A Space's own component flows into fn like a built-in.
import { expectTypeOf } from "vitest";
import * as sc from "../index.js";

const Stars = sc.defineComponent("type-test-stars", {
  file: import.meta.url,
  defaults: { value: 0, max: 5 },
  schema: sc.v.number(),
  events: ["change"],
});

// No pre/postprocess: fn receives and returns the wire value.
sc.Interface({
  fn: (stars) => {
    expectTypeOf(stars).toEqualTypeOf<number>();
    return stars + 1;
  },
  inputs: [Stars({ label: "Stars", max: 10 })],
  outputs: [Stars()],
  examples: [[3]],
});

// @ts-expect-error a prop the spec does not declare
Stars({ maximum: 5 });
// @ts-expect-error a prop of the wrong type
Stars({ max: "five" });

// Pre- and postprocess change what fn receives and returns.
const Tags = sc.defineComponent("type-test-tags", {
  file: import.meta.url,
  defaults: { value: "" },
  schema: sc.v.string(),
  preprocess: (value: string) => value.split(",").filter(Boolean),
  postprocess: (tags: readonly string[]) => tags.join(","),
});
sc.Interface({
  fn: (tags) => {
    expectTypeOf(tags).toEqualTypeOf<string[]>();
    return [...tags].reverse();
  },
  inputs: [Tags()],
  outputs: [Tags()],
});
sc.Interface({
  // @ts-expect-error fn returns a number, the output takes a list of strings
  fn: () => 42,
  inputs: [],
  outputs: [Tags()],
});

// Its events are listener methods, as on built-ins.
sc.Blocks({}, () => {
  const stars = Stars();
  const out = sc.Textbox();
  stars.change({
    fn: (value) => {
      expectTypeOf(value).toEqualTypeOf<number>();
      return String(value);
    },
    inputs: [stars],
    outputs: [out],
  });
  return sc.Column(stars, out);
});
