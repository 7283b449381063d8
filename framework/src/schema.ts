// One schema library: valibot. Each schema and check is its own function, so a static Space's
// worker carries only the ones its components use (about 3 KB gzipped, against 10 KB for zod/mini).
import * as v from "valibot";

export { v };

/** A schema that validates values of type `T`. */
export type Schema<T> = v.GenericSchema<T>;

/** What {@link validate} found: the value (with defaults filled in) or one line saying what is wrong. */
export type Validation<T> = { success: true; data: T } | { success: false; error: string };

/** Validates `value` against `schema`; a failure is the first problem's message, with its path when nested. */
export function validate<S extends v.GenericSchema>(schema: S, value: unknown): Validation<v.InferOutput<S>> {
  const result = v.safeParse(schema, value, { abortEarly: true });
  if (result.success) return { success: true, data: result.output };
  const issue = result.issues[0];
  // A variant's issue points at its discriminator key, which its message names already.
  const path = issue.type === "variant" ? "" : issue.path?.map((item) => String(item.key)).join(".");
  return { success: false, error: path ? `${issue.message} at ${path}` : issue.message };
}
