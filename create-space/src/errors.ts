/** A mistake in the command line or an answer: printed without a stack, exit code 1. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The user cancelled a prompt: exit code 1, nothing written. */
export class CancelledError extends Error {
  override name = "CancelledError";
  constructor() {
    super("Cancelled: nothing was written.");
  }
}
