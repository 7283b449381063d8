import type { LikeData, SelectData } from "./event-data.js";

/**
 * The last argument of every `fn`: cancellation, progress, the caller's session, the model and
 * the data of the event that triggered it.
 */
export interface Context<Model = unknown, Event = unknown> {
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
  /**
   * What the triggering event carries: a `select`'s {@link SelectData}, a `like`'s
   * {@link LikeData}, … (undefined for events that carry none, such as `click`). Checked on the
   * server before `fn` runs. A batched `fn` gets the first request's.
   */
  readonly event: Event;
  /** The signed-in person (password or Hugging Face sign-in); undefined when nobody signed in. */
  readonly user?: User;
  /** The Hugging Face access token of a visitor signed in with Hugging Face. */
  readonly oauthToken?: OAuthToken;
}

/** A signed-in person. */
export interface User {
  /** The login name (the Hugging Face username with Hugging Face sign-in). */
  readonly username: string;
  /** The display name, when known. */
  readonly name?: string;
  /** URL of the avatar picture, when known. */
  readonly avatar?: string;
}

/** A visitor's Hugging Face OAuth access token. */
export interface OAuthToken {
  readonly token: string;
  /** Space-separated scopes the visitor granted. */
  readonly scope: string;
  readonly expiresAt: Date;
}

/** Who sent a request, as the transport established it (sign-in); passed to `fn` in its context. */
export interface Caller {
  readonly user?: User;
  readonly oauthToken?: OAuthToken;
}
