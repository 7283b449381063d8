// One schema library, loaded once: zod's tree-shakable "mini" build (a static Space ships it to
// the browser), with English messages.
import { en } from "zod/locales";
import * as z from "zod/mini";

z.config(en());

export { z };

/** A schema that validates values of type `T`. */
export type Schema<T> = z.ZodMiniType<T>;

/** A validation failure. */
export type SchemaError = z.core.$ZodError;
