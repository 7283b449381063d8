import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DeclarationError } from "../errors.js";
import { v } from "../schema.js";
import { customElementsOf, defineComponent } from "./custom.js";

describe("defineComponent (a Space's own component)", () => {
  it("makes a factory of specs like a built-in's, with its element's source", async () => {
    const Stars = defineComponent("unit-stars", {
      file: "file:///space/components/unit-stars.ts",
      defaults: { value: 0 },
      schema: v.pipe(v.number(), v.maxValue(5, "at most 5 stars")),
      preprocess: (value: number) => value * 2,
      events: ["change"],
    });
    expect(Stars.source).toEqual({
      type: "unit-stars",
      tag: "sc-unit-stars",
      file: "/space/components/unit-stars.ts",
    });
    const spec = Stars({ label: "Rating", value: 3 });
    expect(spec.type).toBe("unit-stars");
    expect(spec.displayName).toBe("UnitStars");
    expect(spec.props).toMatchObject({ label: "Rating", value: 3 });
    expect(await spec.preprocess(4)).toBe(8);
    expect(typeof spec.change).toBe("function");
    expect(() => Stars({ value: 6 })).toThrow("UnitStars: the default value is invalid: at most 5 stars");
    expect(() => Stars({ valeu: 1 } as never)).toThrow('unknown prop "valeu". Did you mean "value"?');
    expect(customElementsOf(["textbox", "unit-stars", "unit-stars"])).toEqual([Stars.source]);
  });

  it("refuses a built-in's type name, a malformed one, and a missing file", () => {
    const definition = { file: "/x.ts", defaults: {}, schema: v.number() };
    expect(() => defineComponent("slider", definition)).toThrow(DeclarationError);
    expect(() => defineComponent("slider", definition)).toThrow(
      '"slider" is the type name of a built-in component (<sc-slider>). Give yours another name',
    );
    expect(() => defineComponent("Star Rating", definition)).toThrow(
      'the type name "Star Rating" is not valid',
    );
    expect(() => defineComponent("stars", { ...definition, file: "" })).toThrow(
      "`file` is missing. Add `file: import.meta.url`",
    );
  });

  it("refuses the type name of every element the components package defines", () => {
    const source = fileURLToPath(new URL("../../../components/src/", import.meta.url));
    const types = readdirSync(source, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== "app" && entry.name !== "base")
      .map((entry) => entry.name);
    for (const file of readdirSync(`${source}app`)) {
      for (const [, tag] of readFileSync(`${source}app/${file}`, "utf8").matchAll(
        /@customElement\("sc-([a-z-]+)"\)/g,
      ))
        types.push(tag as string);
    }
    expect(types.length).toBeGreaterThan(25);
    const definition = { file: "/x.ts", defaults: {}, schema: v.number() };
    for (const type of types) {
      expect(() => defineComponent(type, definition), `<sc-${type}> is built in`).toThrow(
        "built-in component",
      );
    }
  });

  it("refuses one type name defined in two files", () => {
    const definition = { defaults: {}, schema: v.number() };
    defineComponent("unit-twice", { ...definition, file: "/a.ts" });
    // The same file again (a module evaluated twice) is the same component.
    expect(() => defineComponent("unit-twice", { ...definition, file: "/a.ts" })).not.toThrow();
    expect(() => defineComponent("unit-twice", { ...definition, file: "/b.ts" })).toThrow(
      '"unit-twice" is defined twice, in /a.ts and in /b.ts',
    );
  });
});
