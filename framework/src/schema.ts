// One schema library: valibot. Each schema and check is its own function, so a static Space's
// worker carries only the ones its components use (about 3 KB gzipped).
import * as v from "valibot";

export { v };

/** A schema that validates values of type `T`. */
export type Schema<T> = v.GenericSchema<T>;

/** A finite number (JSON has no Infinity or NaN; the page would get `null`). */
export function finiteNumber(message?: string): Schema<number> {
  return v.pipe(v.number(message), v.finite(message));
}

/** What {@link validate} found: the value (with defaults filled in) or one line saying what is wrong. */
export type Validation<T> = { success: true; data: T } | { success: false; error: string };

/** Validates `value` against `schema`; a failure is the first problem's message, with its path when nested. */
export function validate<S extends v.GenericSchema>(schema: S, value: unknown): Validation<v.InferOutput<S>> {
  const result = v.safeParse(schema, value, { abortEarly: true });
  if (result.success) return { success: true, data: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((item) => String(item.key)).join(".");
  // valibot reports a missing key with the object's message; name the key instead.
  if (issue.type === "object" && issue.input === undefined && path) {
    return { success: false, error: `\`${path}\` is missing` };
  }
  // A variant's issue points at its discriminator key, which its message names already.
  if (issue.type === "variant" || !path) return { success: false, error: issue.message };
  return { success: false, error: `${issue.message} at ${path}` };
}
