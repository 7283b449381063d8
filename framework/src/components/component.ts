import type { EventName } from "../config.js";
import { DeclarationError, didYouMean } from "../errors.js";
import type { Listeners } from "../events.js";
import { listener } from "../events.js";
import type { Schema } from "../schema.js";
import { v, validate } from "../schema.js";
import type { FileIO } from "./file-data.js";

export { type Validation, validate } from "../schema.js";

/** Props every component accepts, as in Gradio. */
export interface SharedProps {
  /** Text shown above the component; also names it in error messages. */
  label?: string;
  /** A hint shown under the label. */
  info?: string;
  /** Show the label (default true). */
  showLabel?: boolean;
  /** Render the component at all (default true). */
  visible?: boolean;
  /** Let the user edit it; inputs default to true, outputs to false. */
  interactive?: boolean;
  /** An id for the element in the page, for custom CSS. */
  elemId?: string;
}

const sharedPropNames = ["label", "info", "showLabel", "visible", "interactive", "elemId"] as const;

/** The type-level facts of a component: what `fn` receives, what it may return, and the wire value. */
export interface ValueTypes<In, Out, Wire> {
  readonly input: In;
  readonly output: Out;
  readonly wire: Wire;
}

/**
 * A component spec: its Gradio type name, props with defaults filled in, the schema of its wire
 * value, and the conversions between the wire and what the user's function sees.
 */
export interface Component<
  Type extends string = string,
  Props extends object = object,
  In = unknown,
  Out = unknown,
  Wire = unknown,
> {
  /** Gradio's type name, e.g. `"textbox"`; the element is `<sc-${type}>`. */
  readonly type: Type;
  /** Its name in messages and on the API page: `Textbox`, `CheckboxGroup`. */
  readonly displayName: string;
  /** How the API describes its value to callers (`/info`, the API page). */
  readonly api: ApiFacts;
  /** Props as declared, with defaults filled in. */
  readonly props: Readonly<Props & SharedProps>;
  /** Validates a value that arrives from a client or an example, and what `fn` returns. */
  readonly schema: Schema<Wire>;
  /** Stricter checks for a value from a client than for a result (a chat message must not be empty). */
  readonly inputSchema?: Schema<Wire>;
  /** Wire value → the value `fn` receives (files are read through `io`). */
  preprocess(value: Wire, io?: FileIO): In | Promise<In>;
  /** The value `fn` returned → wire value, validated against `schema` afterwards (files are stored through `io`). */
  postprocess(value: Out, io?: FileIO): Wire | Promise<Wire>;
  /**
   * The same component with some props changed (an `sc.update` from `fn`: new choices change what
   * the schema accepts); throws a message naming the prop when they do not fit.
   */
  withProps?(changes: Record<string, unknown>): Component<Type, Props, In, Out, Wire>;
  /** Type-level only: never set at run time. */
  readonly "~types"?: ValueTypes<In, Out, Wire>;
}

/** Any component. */
// biome-ignore lint/suspicious/noExplicitAny: the widest component type, used only as a constraint
export type AnyComponent = Component<string, object, any, any, any>;

/** The value a component hands to `fn` when used as an input. */
export type InputOf<C> = C extends Component<string, object, infer In, unknown, unknown> ? In : never;
/** The value `fn` returns for a component used as an output. */
export type OutputOf<C> = C extends { readonly "~types"?: ValueTypes<unknown, infer Out, unknown> }
  ? Out
  : never;
/** The JSON value of a component on the wire (and in examples). */
export type WireOf<C> = C extends Component<string, object, unknown, unknown, infer W> ? W : never;

/** What the API says about a component's value: `/info`'s `python_type`, and an example. */
export interface ApiFacts {
  /** The value's type for Python callers, e.g. `"str"`, `"filepath"`, `Literal["a", "b"]`. */
  readonly pythonType: string;
  /** A note on the value for API callers ("" when the type says it all). */
  readonly description: string;
  /** A wire value that shows callers what to send, when the defaults do not (a sample file). */
  readonly example?: unknown;
}

interface Definition<Props extends object, In, Out, Wire, E extends EventName> {
  /** The name in messages and on the API page, when it is not the capitalised type (`CheckboxGroup`). */
  displayName?: string;
  /** What the API says about the value; the Python type may depend on the props. Default: `Any`. */
  api?: {
    pythonType: string | ((props: Props & SharedProps) => string);
    description?: string;
    example?: unknown;
  };
  /** Props with their defaults; any other key is refused. */
  defaults: Props;
  /** Checks the props as a whole; returns an error message or nothing. */
  check?: (props: Props & SharedProps) => string | undefined;
  schema: (props: Props & SharedProps) => Schema<Wire>;
  preprocess?: (value: Wire, props: Props & SharedProps, io?: FileIO) => In | Promise<In>;
  postprocess?: (value: Out, props: Props & SharedProps, io?: FileIO) => Wire | Promise<Wire>;
  /** The events it fires (Gradio's names); each becomes a method that wires a function to it in Blocks. */
  events?: readonly E[];
}

/** A component as messages name it: `Slider "Times"` or `Slider`. */
export function describeComponent(component: { displayName: string; props: SharedProps }): string {
  const name = component.displayName;
  return component.props.label ? `${name} "${component.props.label}"` : name;
}

declare const __SPACECRAFT_SERVER__: boolean | undefined;
/**
 * False only in a static Space's worker: `spacecraft build` already ran the declaration on Node,
 * so its checks for typos drop out of the bundle.
 */
const CHECK_NAMES = typeof __SPACECRAFT_SERVER__ === "undefined" || __SPACECRAFT_SERVER__;

/** Refuses props a component does not have, with the closest one it does. */
function checkPropNames(name: string, given: object, allowed: readonly string[]): void {
  for (const key of Object.keys(given)) {
    if (!allowed.includes(key)) {
      const hint = didYouMean(key, allowed);
      throw new DeclarationError(
        `${name}: unknown prop "${key}".${hint ? ` Did you mean "${hint}"?` : ""} ` +
          `Known props: ${allowed.join(", ")}.`,
      );
    }
  }
}

/** Builds a component spec, refusing unknown props with a did-you-mean hint. */
export function defineComponent<
  Type extends string,
  Props extends object,
  In,
  Out,
  Wire,
  E extends EventName = never,
>(
  type: Type,
  given: object,
  definition: Definition<Props, In, Out, Wire, E>,
  /** Check the default value (not for a session's copy, whose value the update checks). */
  checkValue = true,
): Component<Type, Props, In, Out, Wire> & Listeners<E> {
  const displayName = definition.displayName ?? type.charAt(0).toUpperCase() + type.slice(1);
  const allowed = [...sharedPropNames, ...Object.keys(definition.defaults)];
  if (CHECK_NAMES) checkPropNames(displayName, given, allowed);
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const props = Object.freeze({ ...definition.defaults, ...defined }) as Props & SharedProps;
  const problem = definition.check?.(props);
  const where = describeComponent({ displayName, props });
  if (problem) throw new DeclarationError(`${where}: ${problem}`);
  const schema = definition.schema(props);
  if (checkValue && "value" in props && props.value !== undefined && props.value !== null) {
    const result = validate(schema, props.value);
    if (!result.success) {
      throw new DeclarationError(`${where}: the default value is invalid: ${result.error}`);
    }
  }
  const { preprocess, postprocess, api } = definition;
  const pythonType = typeof api?.pythonType === "function" ? api.pythonType(props) : api?.pythonType;
  const spec: Component<Type, Props, In, Out, Wire> = {
    type,
    displayName,
    api: {
      pythonType: pythonType ?? "Any",
      description: api?.description ?? "",
      ...(api?.example === undefined ? {} : { example: api.example }),
    },
    props,
    schema,
    preprocess: preprocess ? (value, io) => preprocess(value, props, io) : (value) => value as unknown as In,
    postprocess: postprocess
      ? (value, io) => postprocess(value, props, io)
      : (value) => value as unknown as Wire,
  };
  spec.withProps = (changes) => defineComponent(type, { ...given, ...changes }, definition, false);
  for (const event of definition.events ?? []) {
    Object.defineProperty(spec, event, { value: listener(spec, event, () => where), enumerable: false });
  }
  return spec as Component<Type, Props, In, Out, Wire> & Listeners<E>;
}

/** A choice: a value shown as itself, or a `[label, value]` pair. */
export type Choice = string | number | readonly [label: string, value: string | number];
/** The value type of a list of choices. */
export type ChoiceValue<C extends readonly Choice[]> = C[number] extends infer E
  ? E extends readonly [string, infer V]
    ? V
    : E
  : never;

/** The value of each choice, in order. */
export function choiceValues(choices: readonly Choice[]): (string | number)[] {
  return choices.map((choice) => (Array.isArray(choice) ? choice[1] : (choice as string | number)));
}

/** A schema accepting exactly one of the choices' values. */
export function choiceSchema(choices: readonly Choice[]): Schema<string | number> {
  const values = choiceValues(choices);
  const listed = values.map((v) => JSON.stringify(v)).join(", ");
  // A literal set (not a refinement), so JSON Schema and the API page see the choices as an enum.
  return v.picklist(
    values,
    (issue) => `${JSON.stringify(issue.input)} is not one of the choices (${listed})`,
  ) as Schema<string | number>;
}

/** The Python type of one of the choices' values, as Gradio writes it: `Literal["a", "b"]`. */
export function choicesPythonType(choices: readonly Choice[]): string {
  return `Literal[${choiceValues(choices)
    .map((value) => JSON.stringify(value))
    .join(", ")}]`;
}

/** Props checks shared by choice components. */
export function checkChoices(choices: unknown): string | undefined {
  if (!Array.isArray(choices) || choices.length === 0) {
    return "needs a non-empty `choices` array";
  }
  const values = choiceValues(choices as Choice[]);
  if (new Set(values).size !== values.length) return "has duplicate choices";
  return undefined;
}

/** The file store, or a clear error naming the component (`Image`) when the engine runs without one. */
export function requireIO(io: FileIO | undefined, name: string): FileIO {
  if (!io) throw new Error(`${name} needs a file store; run the Space with serve() or the browser runtime.`);
  return io;
}
