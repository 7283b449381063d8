import { DeclarationError } from "../errors.js";
import { v } from "../schema.js";
import type { Component } from "./component.js";
import { defineComponent } from "./component.js";

/**
 * A value kept per session (one browser tab, or one API client session) and never sent to the
 * page: an event's input gets the session's value, an event's output replaces it.
 */
export type State<T> = Component<"state", object, T, T, null> & {
  /** The value every session starts from (each gets a deep copy). */
  readonly initial: T;
};

/**
 * Per-session state for Blocks: starts from a deep copy of `initial`, freed when the session ends.
 * @example const history = State<string[]>([]); button.click({ fn: (h) => [...h, "x"], inputs: [history], outputs: [history] })
 */
export function State<T>(initial: T): State<T> {
  try {
    structuredClone(initial);
  } catch {
    throw new DeclarationError(
      "State: the initial value cannot be copied for each session (it holds a function or a class " +
        "instance). Keep plain data in State: objects, arrays, strings, numbers, Maps, Sets, Dates.",
    );
  }
  const spec = defineComponent("state", {}, { defaults: {}, schema: () => v.unknown() }) as Component<
    "state",
    object,
    T,
    T,
    null
  >;
  return Object.assign(spec, { initial });
}

/** Whether a component is a {@link State}. */
export function isState(component: { type: string }): component is State<unknown> {
  return component.type === "state";
}
