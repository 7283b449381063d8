import type { Listeners } from "../events.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** Props of {@link ColorPicker}. */
export interface ColorPickerProps extends SharedProps {
  /** The initial colour, `#rrggbb`. */
  value?: string;
}

/** A colour picker: a `#rrggbb` string in, a `#rrggbb` string out. */
export type ColorPicker = Component<"colorpicker", ColorPickerProps, string, string, string> &
  Listeners<"change" | "input" | "submit" | "focus" | "blur">;

/** A `#rrggbb` colour. */
const hexColour = v.pipe(
  v.string("must be a colour like #ff8800"),
  v.regex(/^#[0-9a-fA-F]{6}$/, "must be a colour written #rrggbb, like #ff8800"),
);

/**
 * A colour picker with a hex field; `fn` receives the colour as lowercase `#rrggbb`.
 * @example ColorPicker({ label: "Tint", value: "#ff8800" })
 */
export function ColorPicker(props: ColorPickerProps = {}): ColorPicker {
  return defineComponent("colorpicker", props, {
    displayName: "ColorPicker",
    events: ["change", "input", "submit", "focus", "blur"],
    api: { pythonType: "str", example: "#000000" },
    defaults: { value: "#000000" } satisfies ColorPickerProps,
    schema: () => hexColour,
    preprocess: (value) => value.toLowerCase(),
    postprocess: (value) => (typeof value === "string" ? value.toLowerCase() : value),
  });
}
