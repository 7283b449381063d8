/** A mistake in how the CLI was called, or in the app it was given; printed without a stack. */
export class UsageError extends Error {
  override name = "UsageError";
}
