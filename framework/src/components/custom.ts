import { layoutTypes } from "../blocks.js";
import type { EventName } from "../config.js";
import { DeclarationError } from "../errors.js";
import type { Listeners } from "../events.js";
import type { Schema } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent as defineSpec } from "./component.js";

/**
 * Type names the page already gives to its own elements or draws itself: a Space's component may
 * take none of them (its `<sc-TYPE>` would clash with a built-in element).
 */
const BUILT_IN_TYPES = new Set([
  // Components (framework/src/components, components/src/<type>/)
  "annotatedimage",
  "audio",
  "button",
  "chatbot",
  "chathistory",
  "checkbox",
  "checkboxgroup",
  "dropdown",
  "file",
  "gallery",
  "highlightedtext",
  "image",
  "json",
  "label",
  "loginbutton",
  "markdown",
  "multimodaltextbox",
  "number",
  "radio",
  "slider",
  "state",
  "textbox",
  "colorpicker",
  "datetime",
  "downloadbutton",
  "html",
  "imageslider",
  "timer",
  "uploadbutton",
  "video",
  "dataframe",
  "code",
  "nativeplot",
  // Layout blocks (framework/src/blocks.ts) and the shell's own elements
  ...layoutTypes,
  "app",
  "examples",
  "status",
  "api-page",
  "flag-bar",
]);

/** What makes a Space's own component: its spec, as built-ins have, and the file of its element. */
export interface CustomComponentDefinition<Props extends object, In, Out, Wire, E extends EventName> {
  /**
   * The file that defines the element, `import.meta.url` in it: the server bundles it for the
   * page and checks at start-up that it registers `<sc-TYPE>`.
   */
  file: string;
  /** The name in messages and on the API page, when it is not the capitalised type. */
  displayName?: string;
  /** What the API says about the value (`/info`, the API page). Default: `Any`. */
  api?: {
    pythonType: string | ((props: Props & SharedProps) => string);
    description?: string;
    example?: unknown;
  };
  /** Props with their defaults (a `value` among them is the initial value); any other key is refused. */
  defaults: Props;
  /** Checks the props as a whole; returns an error message or nothing. */
  check?: (props: Props & SharedProps) => string | undefined;
  /** The wire value's schema (`sc.v`), or one made from the props. */
  schema: Schema<Wire> | ((props: Props & SharedProps) => Schema<Wire>);
  /** Wire value → what `fn` receives. Default: the wire value itself. */
  preprocess?: (value: Wire, props: Props & SharedProps) => In | Promise<In>;
  /** What `fn` returns → the wire value (then checked by `schema`). Default: the value itself. */
  postprocess?: (value: Out, props: Props & SharedProps) => Wire | Promise<Wire>;
  /** The events the element fires (Gradio's names): each becomes a listener method, as on built-ins. */
  events?: readonly E[];
}

/** `unknown` (nothing to infer from: no pre/postprocess) becomes the wire type. */
type Or<T, Wire> = unknown extends T ? Wire : T;

/** Where a Space's own component's element is: its type, tag and file (a path). */
export interface CustomElementSource {
  readonly type: string;
  /** `sc-TYPE`. */
  readonly tag: string;
  /** The component file, an absolute path. */
  readonly file: string;
}

/** A factory of a Space's own component, called like a built-in: `StarRating({ label: "Rating" })`. */
export type CustomComponent<
  Type extends string,
  Props extends object,
  In,
  Out,
  Wire,
  E extends EventName,
> = ((props?: Partial<Props> & SharedProps) => Component<Type, Props, In, Out, Wire> & Listeners<E>) & {
  /** Its type name and element. */
  readonly source: CustomElementSource;
};

/** Every custom component defined in this process, by type. */
const defined = new Map<string, CustomElementSource>();

/** A `file:` URL or a path → a path (`import.meta.url` is a URL under Node, a path nowhere). */
function pathOf(file: string): string {
  if (!file.startsWith("file:")) return file;
  let path = decodeURIComponent(new URL(file).pathname);
  // A Windows URL's path starts /C:/.
  if (/^\/[A-Za-z]:\//.test(path)) path = path.slice(1);
  return path;
}

/**
 * Defines a Space's own component: a spec (props, value schema, pre/postprocess, events) whose
 * element `<sc-TYPE>` lives in `definition.file`. Returns a factory used like a built-in.
 * @example export const StarRating = sc.defineComponent("star-rating", { file: import.meta.url, defaults: { value: 0 }, schema: sc.v.number() });
 */
export function defineComponent<
  const Type extends string,
  Props extends object,
  Wire,
  In = unknown,
  Out = unknown,
  E extends EventName = never,
>(
  type: Type,
  definition: CustomComponentDefinition<Props, In, Out, Wire, E>,
): CustomComponent<Type, Props, Or<In, Wire>, Or<Out, Wire>, Wire, E> {
  if (typeof type !== "string" || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(type)) {
    throw new DeclarationError(
      `defineComponent: the type name ${JSON.stringify(type)} is not valid. Use lowercase letters and ` +
        'digits, words joined by "-", starting with a letter (e.g. "star-rating"); the element is <sc-TYPE>.',
    );
  }
  if (BUILT_IN_TYPES.has(type)) {
    throw new DeclarationError(
      `defineComponent: "${type}" is the type name of a built-in component (<sc-${type}>). ` +
        `Give yours another name, e.g. "my-${type}", and register its element under that tag.`,
    );
  }
  if (typeof definition?.file !== "string" || definition.file === "") {
    throw new DeclarationError(
      `defineComponent("${type}"): \`file\` is missing. Add \`file: import.meta.url\`, so the server ` +
        "finds the element to bundle for the page.",
    );
  }
  const source: CustomElementSource = { type, tag: `sc-${type}`, file: pathOf(definition.file) };
  const earlier = defined.get(type);
  if (earlier && earlier.file !== source.file) {
    throw new DeclarationError(
      `defineComponent: "${type}" is defined twice, in ${earlier.file} and in ${source.file}. ` +
        "Give each component its own type name.",
    );
  }
  defined.set(type, source);
  const { schema, preprocess, postprocess, file: _file, ...rest } = definition;
  const factory = (props: Partial<Props> & SharedProps = {}) =>
    defineSpec<Type, Props, In, Out, Wire, E>(type, props, {
      displayName: type.replace(/(?:^|-)([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()),
      ...rest,
      schema: typeof schema === "function" ? schema : () => schema,
      ...(preprocess ? { preprocess: (value, p) => preprocess(value, p) } : {}),
      ...(postprocess ? { postprocess: (value, p) => postprocess(value, p) } : {}),
    });
  return Object.assign(factory, { source }) as unknown as CustomComponent<
    Type,
    Props,
    Or<In, Wire>,
    Or<Out, Wire>,
    Wire,
    E
  >;
}

/** The custom components among `types` (a config's component types), in the order given. */
export function customElementsOf(types: Iterable<string>): CustomElementSource[] {
  const found: CustomElementSource[] = [];
  for (const type of new Set(types)) {
    const source = defined.get(type);
    if (source) found.push(source);
  }
  return found;
}
