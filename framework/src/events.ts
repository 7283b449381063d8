import type { AnyComponent, InputOf, OutputOf } from "./components/component.js";
import type { EventName, TriggerMode } from "./config.js";
import type { Context } from "./context.js";
import type { BatchOptions } from "./engine/queue.js";
import { DeclarationError } from "./errors.js";
import type { EventDataOf } from "./event-data.js";
import type { InferenceHandle, RemoteModel } from "./models/inference.js";
import type { LoadedPipeline, ModelHandle } from "./models/pipeline.js";

export type { EventName, TriggerMode } from "./config.js";

/** Any model handle, or none. */
// biome-ignore lint/suspicious/noExplicitAny: any task
export type AnyModel = ModelHandle<any> | InferenceHandle | undefined;

/** What `ctx.model` is for a model handle: the loaded pipeline of its task, or a remote model's client. */
export type ModelOf<M> =
  M extends ModelHandle<infer T> ? LoadedPipeline<T> : M extends InferenceHandle ? RemoteModel : undefined;

/** A result, a promise of it, or a stream of partial results (the last one is final). */
export type FnResult<R> = R | PromiseLike<R> | AsyncIterable<R> | Generator<R, unknown, undefined>;

/** The values `fn` receives for a list of input components. */
export type InputValues<I extends readonly AnyComponent[]> = {
  -readonly [K in keyof I]: InputOf<I[K]>;
};

/**
 * What `fn` returns for a list of outputs: the value for one, a tuple for several (anything for
 * none: it is not used). Any of them may be an {@link update} instead, which changes the
 * component's props.
 */
export type OutputValues<O extends readonly AnyComponent[]> = O extends readonly []
  ? unknown
  : O extends readonly [infer Only]
    ? OutputOf<Only> | Update
    : { readonly [K in keyof O]: OutputOf<O[K]> | Update };

/** One component or a list of them, as an event's `inputs` and `outputs` take them. */
export type Components = AnyComponent | readonly AnyComponent[];

/** `inputs: x` is `inputs: [x]`. */
export type ListOf<C> = C extends readonly AnyComponent[]
  ? C
  : C extends AnyComponent
    ? readonly [C]
    : readonly [];

/**
 * An event's function: one parameter per input, then the {@link Context} (whose `event` is the
 * data `D` the triggering event carries).
 */
export type EventFn<
  I extends readonly AnyComponent[],
  O extends readonly AnyComponent[],
  M extends AnyModel = undefined,
  D = undefined,
> = (...args: [...InputValues<I>, Context<ModelOf<M>, D>]) => FnResult<OutputValues<O>>;

/** A batched function: a list per input in, a list per output out (one item per request). */
export type BatchFn<
  I extends readonly AnyComponent[],
  O extends readonly AnyComponent[],
  M extends AnyModel = undefined,
  D = undefined,
> = (
  ...args: [...{ -readonly [K in keyof I]: InputOf<I[K]>[] }, Context<ModelOf<M>, D>]
) => BatchResult<O> | PromiseLike<BatchResult<O>>;

/** What a batched function returns: a list for one output, a tuple of lists for several. */
export type BatchResult<O extends readonly AnyComponent[]> = O extends readonly [infer Only]
  ? readonly OutputOf<Only>[]
  : { readonly [K in keyof O]: readonly OutputOf<O[K]>[] };

/** Who may call an event through the API. */
export type ApiVisibility = "public" | "undocumented" | "private";

/** Options of an event listener (`button.click({...})`, `sc.on(...)`, `.then(...)`). */
export interface EventOptions<
  I extends Components = readonly [],
  O extends Components = readonly [],
  M extends AnyModel = undefined,
  B extends BatchOptions | undefined = undefined,
  D = undefined,
> {
  /**
   * Runs when the event fires: one parameter per input, then the context (`ctx.event` is the
   * event's data); returns the outputs (or {@link update}s of them). Leave it out for an event
   * that only `cancels` others.
   */
  fn?: B extends BatchOptions ? BatchFn<ListOf<I>, ListOf<O>, M, D> : EventFn<ListOf<I>, ListOf<O>, M, D>;
  /** Components whose values `fn` receives, in parameter order. */
  inputs?: I;
  /** Components `fn`'s result goes to; with several, `fn` returns a tuple. */
  outputs?: O;
  /** Name in the API (`/name`); default: the function's name, else the event's, made unique. */
  apiName?: string;
  /** `"public"` (listed), `"undocumented"` (callable, not listed), `"private"` (page only). */
  apiVisibility?: ApiVisibility;
  /** Runs at once; `null` for unlimited (default 1, as in Gradio). */
  concurrencyLimit?: number | null;
  /** Most requests waiting; more are refused with a clear error (default unlimited). */
  maxQueueSize?: number | null;
  /** Go through the queue (default true); `false` runs at once with no concurrency limit. */
  queue?: boolean;
  /** Group queued requests into one call: `fn` gets a list per input (`maxSize`, `maxWaitMs`). */
  batch?: B;
  /**
   * A trigger while the event runs: `"once"` ignores it, `"multiple"` runs again alongside,
   * `"always_last"` runs once more afterwards with the latest values (default for `change` and
   * `input`; else `"once"`).
   */
  triggerMode?: TriggerMode;
  /** Events whose running jobs (from the same page) stop when this one fires. */
  cancels?: readonly Event[];
  /** Longest run of `fn`, in seconds (default: the server's, 15 minutes; `null` for none). */
  timeLimit?: number | null;
  /** A model from `pipeline(task, id)`: loaded at start-up, passed to `fn` as `ctx.model`. */
  model?: M;
  /** How the page shows the run: a full status, a minimal one, or none. */
  showProgress?: "full" | "minimal" | "hidden";
}

/**
 * Wires a function to an event of a component; call it inside `sc.Blocks`. `D` is the data the
 * event carries, which `fn` gets as `ctx.event`.
 */
export type Listener<D = undefined> = (<
  const I extends Components = readonly [],
  const O extends Components = readonly [],
  M extends AnyModel = undefined,
  B extends BatchOptions | undefined = undefined,
>(
  options: EventOptions<I, O, M, B, D>,
) => Event) & {
  /** Type-level only: the event's data, so `sc.on` can type `ctx.event`. */
  readonly "~data"?: [D];
};

/** The data a listener's event carries (a union for a list of them). */
export type DataOf<L> = L extends { readonly "~data"?: [infer D] } ? D : undefined;

/** The event methods of a component: `click`, `change`, … each a {@link Listener} typed with its data. */
export type Listeners<E extends EventName> = { readonly [K in E]: Listener<EventDataOf<K>> };

/** A wired event: chain more work after it, or name it in another event's `cancels`. */
export interface Event {
  /** Runs next in the page, whatever happened (completed, failed or cancelled). */
  then: Listener;
  /** Runs next in the page, only when this one completed without error. */
  success: Listener;
  /** Type-level marker and the dependency's index. */
  readonly "~event": number;
}

/** A trigger: a component and one of its events (`sc.on([textbox.submit, button.click], …)`). */
export interface Trigger {
  readonly component: AnyComponent;
  readonly event: EventName;
}

const TRIGGER = Symbol.for("spacecraft.trigger");

/** What `sc.Blocks` does with the events wired while it builds. */
export interface EventSink {
  listen(
    triggers: readonly Trigger[],
    options: EventOptions<Components, Components, AnyModel, BatchOptions | undefined>,
    after?: { event: number; onlyOnSuccess: boolean },
  ): Event;
}

const building: EventSink[] = [];

/** Runs `build` with `sink` receiving the events it wires (nested Blocks stack). */
export function collectEvents<T>(sink: EventSink, build: () => T): T {
  building.push(sink);
  try {
    return build();
  } finally {
    building.pop();
  }
}

/** The Blocks under construction, or a clear error naming what was called outside one. */
export function currentSink(what: string): EventSink {
  const sink = building.at(-1);
  if (!sink) {
    throw new DeclarationError(
      `${what} wires an event, which only works while a Blocks builds: ` +
        "call it inside sc.Blocks({ title }, () => { … }).",
    );
  }
  return sink;
}

/** The listener method `component[event]`, marked so `sc.on` can read its trigger. */
export function listener(component: AnyComponent, event: EventName, describe: () => string): Listener {
  const trigger: Trigger = { component, event };
  const listen = ((options: Parameters<Listener>[0]) =>
    currentSink(`${describe()}.${event}(…)`).listen([trigger], options as never)) as Listener;
  Object.defineProperty(listen, TRIGGER, { value: trigger });
  return listen;
}

/** The trigger behind a listener method, or undefined for anything else. */
export function triggerOf(value: unknown): Trigger | undefined {
  return typeof value === "function" ? (value as { [TRIGGER]?: Trigger })[TRIGGER] : undefined;
}

/** Props an {@link update} may set: any prop of the component, and its value. */
export interface UpdateProps {
  value?: unknown;
  visible?: boolean;
  label?: string;
  info?: string;
  interactive?: boolean;
  choices?: readonly unknown[];
  [prop: string]: unknown;
}

/** A result for an output that changes the component's props (and value, when given). */
export interface Update {
  readonly __type__: "update";
  readonly [prop: string]: unknown;
}

/**
 * Changes an output's props instead of only its value: hide it, relabel it, refill its choices.
 * @example return sc.update({ visible: false }) // or sc.update({ choices: ["a", "b"], value: "a" })
 */
export function update(props: UpdateProps = {}): Update {
  return { ...props, __type__: "update" };
}

/** Whether a value an `fn` returned is an {@link update}. */
export function isUpdate(value: unknown): value is Update {
  return (
    typeof value === "object" && value !== null && (value as { __type__?: unknown }).__type__ === "update"
  );
}
