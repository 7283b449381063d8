import * as sc from "spacecraft";

/** How many levels a JSON value nests (0 for a scalar), counted without recursion. */
export function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== "object") continue;
    deepest = Math.max(deepest, depth + 1);
    for (const item of Object.values(current)) stack.push([item, depth + 1]);
  }
  return deepest;
}

/**
 * Every kind of input the framework has, echoed back as a summary: the fuzz suite's target.
 * The JSON input is the one deep nesting can reach; the file inputs need an upload first.
 */
export default sc.Interface({
  title: "Everything",
  fn: (text, count, level, loud, toppings, size, model, languages, json, file, image, audio) => [
    {
      text,
      count,
      level,
      loud,
      toppings,
      size,
      model,
      languages,
      jsonDepth: depthOf(json),
      file: { name: file.orig_name ?? null, size: file.size ?? null },
      image: { width: image.width, height: image.height },
      audio: { sampleRate: audio.sampleRate, samples: audio.data.length },
    },
    file,
  ],
  inputs: [
    sc.Textbox({ label: "Text" }),
    sc.Number({ label: "Count", value: 3 }),
    sc.Slider({ label: "Level", minimum: 0, maximum: 10, step: 1, value: 5 }),
    sc.Checkbox({ label: "Loud" }),
    sc.CheckboxGroup({ label: "Toppings", choices: ["cheese", "olives", ["Basil leaves", "basil"]] }),
    sc.Radio({ label: "Size", choices: ["small", "medium", "large"] }),
    sc.Dropdown({
      label: "Model",
      choices: [
        ["Tiny", 1],
        ["Base", 2],
      ],
    }),
    sc.Dropdown({ label: "Languages", choices: ["en", "fr", "de"], multiselect: true }),
    sc.JSON({ label: "Settings" }),
    sc.File({ label: "Document" }),
    sc.Image({ label: "Photo" }),
    sc.Audio({ label: "Speech" }),
  ],
  outputs: [sc.JSON({ label: "Echo" }), sc.File({ label: "Copy" })],
  mcp: true,
  // Its route is fuzzed too; no fuzzed request runs the page, so nothing is ever written.
  flagging: "manual",
  flaggingOptions: ["Wrong"],
  flaggingDir: "fuzz-flagged",
});
