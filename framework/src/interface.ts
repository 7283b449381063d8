import {
  assemble,
  ClearButton,
  Column,
  checkExampleOptions,
  Dataset,
  isGeneratorFunction,
  on,
  Row,
} from "./blocks.js";
import { Button } from "./components/button.js";
import type { AnyComponent, WireOf } from "./components/component.js";
import { describeComponent, validate } from "./components/component.js";
import type { FileData } from "./components/file-data.js";
import { fileDataSchema } from "./components/file-data.js";
import type { LoginButton } from "./components/loginbutton.js";
import type { MultimodalValue } from "./components/multimodaltextbox.js";
import type { BatchOptions } from "./engine/queue.js";
import { DeclarationError, didYouMean } from "./errors.js";
import type { AnyModel, ApiVisibility, BatchFn, EventFn, Listener } from "./events.js";
import type { FlaggingOptions } from "./flagging.js";
import { checkFlagging, flaggingOptionNames } from "./flagging.js";
import type { InferenceHandle, InferenceOptions, InferenceTask } from "./models/inference.js";
import { INFERENCE_TASKS, inference, isRemote } from "./models/inference.js";
import type { ModelHandle, PipelineOptions } from "./models/pipeline.js";
import { POPULAR_MODELS, pipeline } from "./models/pipeline.js";
import { TASKS, taskRecipe } from "./models/tasks.js";
import type { ColorMode } from "./page-look.js";
import { Space } from "./space.js";
import type { Theme } from "./theme.js";

export type {
  AnyModel,
  BatchFn,
  BatchResult,
  FnResult,
  InputValues,
  ModelOf,
  OutputValues,
} from "./events.js";

declare const __SPACECRAFT_MODELS__: boolean | undefined;
/**
 * False only in the static build of a Space that declares no model (`spacecraft build` defines
 * it), so the bundler drops task recipes and pipelines (and the components only they use) from the worker.
 */
const WITH_MODELS = typeof __SPACECRAFT_MODELS__ === "undefined" || __SPACECRAFT_MODELS__;
declare const __SPACECRAFT_SERVER__: boolean | undefined;
/** False only in a static Space's worker: the build already checked the declaration on Node. */
const CHECK_NAMES = typeof __SPACECRAFT_SERVER__ === "undefined" || __SPACECRAFT_SERVER__;

/** The user's function: one parameter per input, then the context. */
export type InterfaceFn<
  I extends readonly AnyComponent[],
  O extends readonly AnyComponent[],
  M extends AnyModel = undefined,
> = EventFn<I, O, M>;

/** One example row: a wire value per input. */
export type ExampleRow<I extends readonly AnyComponent[]> = {
  readonly [K in keyof I]: ExampleOf<I[K]>;
};

/** The wire values of a list of components, as a client sends or receives them. */
export type WireValues<C extends readonly AnyComponent[]> = { -readonly [K in keyof C]: WireOf<C[K]> };

/** An example value: the wire value, or for a file input also a path relative to the app (or a URL). */
export type ExampleOf<C> =
  WireOf<C> extends FileData
    ? FileData | string
    : WireOf<C> extends MultimodalValue
      ? { text: string; files?: readonly (FileData | string)[] }
      : WireOf<C>;

/** Options of {@link Interface}. */
export interface InterfaceOptions<
  I extends readonly AnyComponent[],
  O extends readonly AnyComponent[],
  M extends AnyModel = undefined,
  B extends BatchOptions | undefined = undefined,
  N extends string = "predict",
> extends FlaggingOptions {
  /**
   * Runs a prediction: one parameter per input, then the context; returns the outputs. With a
   * `model` and no `fn`, the Space calls the model and maps its output to the output component.
   */
  fn?: B extends BatchOptions ? BatchFn<I, O, M> : InterfaceFn<I, O, M>;
  /** A model from `pipeline(task, id)`: loaded at start-up, passed to `fn` as `ctx.model`. */
  model?: M;
  /** Group queued requests into one call: `fn` gets a list per input (`maxSize`, `maxWaitMs`). */
  batch?: B;
  /** Input components, in `fn` parameter order. */
  inputs: I;
  /** Output components; with several, `fn` returns a tuple. */
  outputs: O;
  /** Page title. */
  title?: string;
  /** Markdown under the title. */
  description?: string;
  /** Markdown under the demo. */
  article?: string;
  /** Example rows, one value per input; clicking one fills the inputs. */
  examples?: readonly ExampleRow<I>[];
  /** Name of the endpoint in the API (default `"predict"`). */
  apiName?: N;
  /** Run on every change of an input, with no Submit button (the latest change wins). */
  live?: boolean;
  /** Runs at once; `null` for unlimited (default 1, as in Gradio). */
  concurrencyLimit?: number | null;
  /** Most requests waiting; more are refused with a clear error (default unlimited). */
  maxQueueSize?: number | null;
  /**
   * Longest run of `fn`, in seconds: past it the caller gets an error, `ctx.signal` aborts and the
   * slot is freed (default: the server's `timeLimit`, 15 minutes; `null` for none).
   */
  timeLimit?: number | null;
  /** Text of the submit button (default "Submit"). */
  submitLabel?: string;
  /** API access: `"public"` (listed), `"undocumented"` (callable, not listed), `"private"` (page only). */
  apiVisibility?: ApiVisibility;
  /** Also serve the endpoint as an MCP tool at `/gradio_api/mcp/` (or run with `--mcp`). */
  mcp?: boolean;
  /**
   * The page's theme (`sc.themes.soft`, `sc.theme({...})`), or a colour mode as before:
   * `"system"` (default: follow the visitor's system), `"light"` or `"dark"`.
   */
  theme?: Theme | ColorMode;
  /** Colour mode when `theme` is a theme: `"system"` (default), `"light"` or `"dark"`. */
  mode?: ColorMode;
  /** CSS added to the page after the theme (trusted: the Space's own). */
  css?: string;
  /** HTML added to the page's `<head>` (trusted; its inline scripts are allowed by hash). */
  head?: string;
  /** A Share button that copies a link reopening the demo with its inputs and outputs (default true). */
  deepLinks?: boolean;
  /**
   * A "Sign in with Hugging Face" button above the demo, for a Space with `hf_oauth: true`: `fn`
   * then gets `ctx.user` and `ctx.oauthToken`.
   * @example loginButton: LoginButton()
   */
  loginButton?: LoginButton;
  /**
   * Show each example's outputs at once when it is clicked: `true` computes them when the server
   * starts (in the background), `"lazy"` on an example's first click, for every visitor after.
   */
  cacheExamples?: boolean | "lazy";
  /** A label per example, shown in the table instead of its values. */
  exampleLabels?: readonly string[];
  /** Examples per page of the table (default 10). */
  examplesPerPage?: number;
}

const optionNames = [
  "fn",
  "model",
  "batch",
  "inputs",
  "outputs",
  "title",
  "description",
  "article",
  "examples",
  "apiName",
  "concurrencyLimit",
  "maxQueueSize",
  "timeLimit",
  "submitLabel",
  "theme",
  "apiVisibility",
  "mcp",
  "deepLinks",
  "loginButton",
  "live",
  ...flaggingOptionNames,
  "cacheExamples",
  "exampleLabels",
  "examplesPerPage",
  "mode",
  "css",
  "head",
];

/**
 * Declares a demo: inputs, a function, outputs. Types flow from the components into `fn`.
 * @example
 * export default Interface({
 *   fn: (text, times) => text.repeat(times),
 *   inputs: [Textbox({ label: "Text" }), Slider({ minimum: 1, maximum: 5, value: 2 })],
 *   outputs: [Textbox({ label: "Result" })],
 * })
 */
export function Interface<
  const I extends readonly AnyComponent[],
  const O extends readonly AnyComponent[],
  M extends AnyModel = undefined,
  B extends BatchOptions | undefined = undefined,
  const N extends string = "predict",
>(
  options: InterfaceOptions<I, O, M, B, N>,
): Space<{ [K in N]: { inputs: WireValues<I>; outputs: WireValues<O> } }> {
  // A static Space's worker runs a declaration the build checked already.
  if (CHECK_NAMES) checkOptionNames(options);
  const inputs = CHECK_NAMES ? checkComponents("inputs", options.inputs) : [...options.inputs];
  const outputs = CHECK_NAMES ? checkComponents("outputs", options.outputs) : [...options.outputs];
  const model = CHECK_NAMES ? checkModel(options.model) : options.model;
  const batched = options.batch !== undefined;
  const fn =
    WITH_MODELS && options.fn === undefined && model
      ? modelFn(model, batched)
      : CHECK_NAMES
        ? checkFn(options.fn, inputs.length, model !== undefined)
        : options.fn;
  const examples = CHECK_NAMES ? checkExamples(options.examples ?? [], inputs) : (options.examples ?? []);
  const loginButton = CHECK_NAMES ? checkLoginButton(options.loginButton) : options.loginButton;
  const exampleOptions = CHECK_NAMES ? checkExampleOptions("Interface", options, examples.length) : options;
  const live = options.live === true;
  const flagging = CHECK_NAMES ? checkFlagging("Interface", options) : undefined;
  const space = assemble(
    "interface",
    {
      title: options.title ?? "Spacecraft",
      description: options.description ?? "",
      article: options.article ?? "",
      ...pick(options, ["theme", "mode", "css", "head"]),
      mcp: options.mcp ?? false,
      deepLinks: options.deepLinks ?? true,
    },
    (events) => {
      // The event's checks name "Interface" in their messages (limits, batch, apiName …).
      const event = {
        fn: fn as never,
        inputs,
        outputs,
        apiName: options.apiName ?? "predict",
        ...pick(options, ["apiVisibility", "concurrencyLimit", "maxQueueSize", "timeLimit", "batch"]),
        ...(model ? { model } : {}),
      };
      const submit = live
        ? undefined
        : Button({ value: options.submitLabel ?? "Submit", variant: "primary" });
      events.extras = { examples, where: "Interface" };
      /** Each input's listener for `name`, where it has that event. */
      const each = (name: "submit" | "change") =>
        inputs.flatMap((input) => (input as Partial<Record<typeof name, Listener>>)[name] ?? []);
      if (submit) events.props.set(submit, { stopsWhileRunning: true });
      // As Gradio's Interface: Submit, or Enter in an input that has `submit` (a one-line text box,
      // a number…); live, each input's `change`, the latest winning.
      const wired = submit
        ? on([submit.click, ...each("submit")], event)
        : on(each("change"), { ...event, triggerMode: "always_last" });
      const { cacheExamples, exampleLabels, examplesPerPage } = exampleOptions;
      return [
        ...(loginButton ? [loginButton] : []),
        Row(
          { equalHeight: true },
          Column(
            { variant: "panel" },
            ...inputs,
            Row(ClearButton([...inputs, ...outputs]), ...(submit ? [submit] : [])),
          ),
          Column({ variant: "panel" }, ...outputs),
        ),
        ...(examples.length > 0
          ? [
              Dataset(inputs, examples, "Examples", {
                ...(exampleLabels ? { labels: exampleLabels } : {}),
                ...(examplesPerPage ? { samplesPerPage: examplesPerPage } : {}),
                ...(cacheExamples ? { cache: { mode: cacheExamples, event: wired } } : {}),
              }),
            ]
          : []),
      ];
    },
  );
  return (
    flagging
      ? new Space({ ...space.parts, flagging: { ...flagging, endpoint: options.apiName ?? "predict" } })
      : space
  ) as Space<{ [K in N]: { inputs: WireValues<I>; outputs: WireValues<O> } }>;
}

function checkOptionNames(options: object): void {
  if (typeof options !== "object" || options === null) {
    throw new DeclarationError("Interface: expected an options object: Interface({ fn, inputs, outputs }).");
  }
  for (const key of Object.keys(options)) {
    if (!optionNames.includes(key)) {
      const hint = didYouMean(key, optionNames);
      throw new DeclarationError(
        `Interface: unknown option "${key}".${hint ? ` Did you mean "${hint}"?` : ""}`,
      );
    }
  }
}

function checkComponents(where: "inputs" | "outputs", list: unknown): AnyComponent[] {
  if (!Array.isArray(list)) {
    throw new DeclarationError(`Interface: \`${where}\` must be a list of components, e.g. [Textbox()].`);
  }
  return list.map((item: unknown, i) => {
    if (typeof item === "function") {
      throw new DeclarationError(
        `Interface: ${where}[${i}] is the function ${item.name}, not a component. Call it: ${item.name}().`,
      );
    }
    if (!item || typeof item !== "object" || !("type" in item) || !("schema" in item)) {
      throw new DeclarationError(
        `Interface: ${where}[${i}] is not a component. Use one of the component functions, e.g. Textbox().`,
      );
    }
    if (item.type === "loginbutton") {
      throw new DeclarationError(
        `Interface: ${where}[${i}] is a LoginButton; place it with loginButton: LoginButton().`,
      );
    }
    return item as AnyComponent;
  });
}

function checkFn(fn: unknown, inputCount: number, hasModel: boolean): (...args: unknown[]) => unknown {
  if (typeof fn !== "function") {
    throw new DeclarationError(
      fn === undefined && !hasModel
        ? "Interface: give an `fn` that takes the inputs, or a `model` from pipeline(task, id) to call."
        : "Interface: `fn` must be a function that takes the inputs.",
    );
  }
  // `length` counts parameters before the first default or rest one.
  if (fn.length > inputCount + 1) {
    throw new DeclarationError(
      `Interface: fn takes ${fn.length} parameters but there ${inputCount === 1 ? "is 1 input" : `are ${inputCount} inputs`} ` +
        "(plus the context). Add inputs, or remove parameters.",
    );
  }
  if (fn.length > 0 && fn.length < inputCount) {
    throw new DeclarationError(
      `Interface: fn takes ${fn.length} parameter${fn.length === 1 ? "" : "s"} but ${inputCount} inputs are declared. ` +
        "Add parameters, or remove inputs.",
    );
  }
  return fn as (...args: unknown[]) => unknown;
}

function checkLoginButton(value: unknown): LoginButton | undefined {
  if (value === undefined || (value as { type?: unknown } | null)?.type === "loginbutton") {
    return value as LoginButton | undefined;
  }
  throw new DeclarationError("Interface: `loginButton` must be LoginButton().");
}

function checkModel(model: unknown): ModelHandle | InferenceHandle | undefined {
  if (model === undefined) return undefined;
  if (
    !model ||
    typeof model !== "object" ||
    !("task" in model) ||
    typeof (model as ModelHandle).load !== "function"
  ) {
    throw new DeclarationError(
      'Interface: `model` must come from pipeline(task, id), e.g. pipeline("text-classification", "Xenova/…"), ' +
        "or from inference(task, id).",
    );
  }
  return model as ModelHandle | InferenceHandle;
}

/** The fn of a Space that declares a model and no fn: the task's recipe. */
function modelFn(model: ModelHandle | InferenceHandle, batched: boolean): (...args: unknown[]) => unknown {
  // (A static Space's worker has no remote models: the build refuses them.)
  const recipe = CHECK_NAMES && isRemote(model) ? INFERENCE_TASKS[model.task] : taskRecipe(model.task);
  if (!batched) return recipe.run;
  if (isGeneratorFunction(recipe.run)) {
    throw new DeclarationError(
      `Interface: the ${model.task} task streams, so it cannot be batched; remove \`batch\`.`,
    );
  }
  const { runBatch } = recipe as { runBatch?: (...args: unknown[]) => Promise<unknown[]> };
  if (runBatch) return runBatch;
  return async (...args: unknown[]) => {
    const context = args.pop();
    const lists = args as unknown[][];
    const count = lists[0]?.length ?? 0;
    const results: unknown[] = [];
    for (let i = 0; i < count; i++) results.push(await recipe.run(...lists.map((list) => list[i]), context));
    return results;
  };
}

function checkExamples(rows: readonly unknown[], inputs: readonly AnyComponent[]): unknown[][] {
  if (!Array.isArray(rows)) throw new DeclarationError("Interface: `examples` must be a list of rows.");
  return rows.map((row: unknown, r) => {
    const values = Array.isArray(row) ? row : inputs.length === 1 ? [row] : undefined;
    if (!values || values.length !== inputs.length) {
      throw new DeclarationError(
        `Interface: examples[${r}] has ${Array.isArray(row) ? row.length : 1} value(s) but there ` +
          `${inputs.length === 1 ? "is 1 input" : `are ${inputs.length} inputs`}; give one value per input.`,
      );
    }
    return values.map((value: unknown, i) => {
      const input = inputs[i] as AnyComponent;
      // A file input's example may name a file; the server stores it at start-up.
      if (typeof value === "string" && isFileInput(input)) return value;
      // So may a multimodal box's files: the text is checked, the paths kept for the server.
      const files = (value as { files?: unknown } | null)?.files;
      const named = input.type === "multimodaltextbox" && Array.isArray(files);
      const result = validate(
        input.schema,
        named ? { ...(value as object), files: files.filter((file) => typeof file !== "string") } : value,
      );
      if (!result.success) {
        throw new DeclarationError(
          `Interface: examples[${r}][${i}] for ${describeComponent(input)} ${result.error} (got ${JSON.stringify(value)}).`,
        );
      }
      return named ? { ...(result.data as object), files } : result.data;
    });
  });
}

/** The options among `names` that are set. */
function pick<T extends object, K extends keyof T>(options: T, names: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(
    names.filter((name) => options[name] !== undefined).map((name) => [name, options[name]]),
  ) as Partial<Pick<T, K>>;
}

/** Whether a component's value is a file (Image, Audio, File). */
export function isFileInput(component: AnyComponent): boolean {
  return component.schema === fileDataSchema;
}

/** Options of {@link fromPipeline}: the Interface's options, minus the parts the task decides. */
export type FromPipelineOptions = Omit<
  InterfaceOptions<readonly AnyComponent[], readonly AnyComponent[]>,
  "fn" | "inputs" | "outputs" | "model" | "examples" | "batch"
> & {
  /** Passed to transformers.js (`dtype`, `device`, `revision`). */
  pipeline?: PipelineOptions;
  /** Example rows for the task's inputs. */
  examples?: readonly (readonly unknown[])[];
};

/**
 * A whole demo from a task and a model: the task picks the inputs and outputs, the model runs.
 * @example export default fromPipeline("text-classification", "Xenova/distilbert-base-uncased-finetuned-sst-2-english")
 */
export function fromPipeline(task: string, model: string, options: FromPipelineOptions = {}): Space {
  const recipe = taskRecipe(task);
  const { pipeline: pipelineOptions, examples, ...rest } = options;
  return Interface({
    title: model,
    description: `${recipe.name} with [${model}](https://huggingface.co/${model}).`,
    ...rest,
    inputs: recipe.inputs(),
    outputs: recipe.outputs(),
    model: pipeline(task as never, model, pipelineOptions),
    ...(examples ? { examples: examples as never } : {}),
  });
}

/** Options of {@link fromInference}: the Interface's options, minus the parts the task decides. */
export type FromInferenceOptions = Omit<FromPipelineOptions, "pipeline"> & {
  /** Where and on whose account the model runs (`provider`, `endpointUrl`, `billTo`). */
  inference?: InferenceOptions;
};

/**
 * A whole demo from a task and a model run by Inference Providers: the task picks the inputs and
 * outputs (as {@link fromPipeline}'s), the provider runs the model with the server's `HF_TOKEN`.
 * @example export default fromInference("text-to-image", "black-forest-labs/FLUX.1-schnell")
 */
export function fromInference(task: InferenceTask, model: string, options: FromInferenceOptions = {}): Space {
  const handle = inference(task, model, options.inference);
  const recipe = INFERENCE_TASKS[task];
  const { inference: _inference, examples, ...rest } = options;
  return Interface({
    title: model,
    description: `${TASKS[task as keyof typeof TASKS]?.name ?? task} with [${model}](https://huggingface.co/${model}) through Inference Providers.`,
    ...rest,
    inputs: recipe.inputs(),
    outputs: recipe.outputs(),
    model: handle,
    ...(examples ? { examples: examples as never } : {}),
  });
}

/**
 * A whole demo from a model id; the task comes from `options.task`, or is known for popular models.
 * @example export default fromModel("Xenova/bert-base-NER")
 */
export function fromModel(model: string, options: FromPipelineOptions & { task?: string } = {}): Space {
  const { task = POPULAR_MODELS[model], ...rest } = options;
  if (!task) {
    throw new DeclarationError(
      `Which task should "${model}" run? Pass it: fromModel("${model}", { task: "text-classification" }). ` +
        `Supported tasks: ${Object.keys(TASKS).join(", ")}.`,
    );
  }
  return fromPipeline(task, model, rest);
}

if (WITH_MODELS) {
  Interface.fromModel = fromModel;
  Interface.fromPipeline = fromPipeline;
}
if (CHECK_NAMES) Interface.fromInference = fromInference;
