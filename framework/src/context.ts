/** The last argument of every `fn`: cancellation, progress, the caller's session and the model. */
export interface Context<Model = unknown> {
  /** Aborts when the caller cancels, disconnects, or the server shuts down. */
  readonly signal: AbortSignal;
  /**
   * Reports progress: a fraction in [0, 1], or `[step, total]`.
   * @example ctx.progress(0.5, "Denoising") or ctx.progress([3, 10], "Chunks")
   */
  progress(value: number | readonly [step: number, total: number], desc?: string): void;
  /** Identifies the caller's connection; stable across its requests. */
  readonly session: string;
  /** The loaded pipeline of the Space's `model` (undefined when it declares none). */
  readonly model: Model;
}
