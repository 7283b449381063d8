import { toJsonSchema } from "@valibot/to-json-schema";
import { parameterNames } from "./api-names.js";
import type { AnyComponent } from "./components/component.js";
import { describeComponent } from "./components/component.js";
import { needsEventData } from "./event-data.js";
import { validate } from "./schema.js";
import type { Endpoint } from "./space.js";

/** A JSON Schema, as `/info` gives it for a parameter or a return value. */
export type JsonSchema = { [key: string]: unknown };

/** How `/info` describes a value to Python callers. */
export interface PythonType {
  type: string;
  description: string;
}

/** One parameter of an endpoint in `gradio_api/info`. */
export interface ApiParameter {
  label: string;
  /** Its keyword: snake_case from the label, unique in the endpoint. */
  parameter_name: string;
  parameter_has_default: boolean;
  parameter_default: unknown;
  type: JsonSchema;
  python_type?: PythonType;
  /** The component's display name, e.g. `Textbox`. */
  component: string;
  example_input?: unknown;
}

/** One return value of an endpoint in `gradio_api/info`. */
export interface ApiReturn {
  label: string;
  type: JsonSchema;
  python_type?: PythonType;
  component: string;
}

/** An endpoint in `gradio_api/info`. */
export interface ApiEndpoint {
  parameters: ApiParameter[];
  returns: ApiReturn[];
  api_visibility?: "public" | "undocumented" | "private";
  description?: string;
}

/** The answer of `GET gradio_api/info`. */
export interface ApiInfo {
  named_endpoints: Record<string, ApiEndpoint>;
  unnamed_endpoints: Record<string, ApiEndpoint>;
}

/** An endpoint as an MCP tool: its name, what it does, and its arguments' JSON Schema. */
export interface ApiTool {
  name: string;
  description: string;
  inputSchema: { type: "object"; properties: Record<string, JsonSchema>; required: string[] };
}

/** Whether a component is part of the API: State is kept by the server and never sent. */
function inApi(component: { type: string }): boolean {
  return component.type !== "state";
}

/** The endpoints `/info` and MCP list: public events that run a function. */
export function listedEndpoints(endpoints: readonly Endpoint[]): Endpoint[] {
  return endpoints.filter((endpoint) => endpoint.visibility === "public" && endpoint.backendFn);
}

/** Whether API callers may run an endpoint: it runs a function and is not private. */
export function callable(endpoint: Endpoint): boolean {
  return endpoint.backendFn && endpoint.visibility !== "private";
}

/**
 * The `/info` of a Space: each listed endpoint under `/<apiName>`, with its parameters (State
 * left out) and returns (State left out), JSON Schemas, Python types, defaults and examples.
 */
export function apiInfo(endpoints: readonly Endpoint[]): ApiInfo {
  const named: Record<string, ApiEndpoint> = {};
  for (const endpoint of listedEndpoints(endpoints)) named[`/${endpoint.apiName}`] = endpointInfo(endpoint);
  return { named_endpoints: named, unnamed_endpoints: {} };
}

/** One endpoint as `/info` lists it. */
function endpointInfo(endpoint: Endpoint): ApiEndpoint {
  const inputs = apiInputs(endpoint);
  const names = parameterNames(inputs.map(({ component }) => component.props.label));
  return {
    parameters: inputs.map(({ component, slot }, i) => {
      const value = defaultOf(component);
      return {
        label: component.props.label ?? `Input ${i + 1}`,
        parameter_name: names[i] as string,
        parameter_has_default: value !== undefined,
        parameter_default: value ?? null,
        type: jsonSchema(component),
        python_type: pythonType(component),
        component: component.displayName,
        example_input: exampleOf(component, endpoint.examples?.[0]?.[slot]),
      };
    }),
    returns: endpoint.outputs.filter(inApi).map((component, i) => ({
      label: component.props.label ?? `Output ${i + 1}`,
      type: jsonSchema(component),
      python_type: pythonType(component),
      component: component.displayName,
    })),
    api_visibility: endpoint.visibility,
    description: "",
  };
}

/**
 * Each listed endpoint as an MCP tool, with its non-State inputs as keyword arguments (but those
 * whose events need event data, which MCP cannot send).
 */
export function apiTools(title: string, endpoints: readonly Endpoint[]): ApiTool[] {
  // An MCP call has no event data: events that need it (a select's) are no tools.
  const callable = listedEndpoints(endpoints).filter(
    (endpoint) => !needsEventData(endpoint.targets.map(([, event]) => event)),
  );
  return callable.map((endpoint) => {
    const inputs = apiInputs(endpoint).map(({ component }) => component);
    const names = parameterNames(inputs.map((input) => input.props.label));
    const outputs = endpoint.outputs.filter(inApi);
    return {
      name: endpoint.apiName,
      description: `${title}: ${inputs.map(describeComponent).join(", ")} → ${outputs.map(describeComponent).join(", ")}`,
      inputSchema: {
        type: "object",
        properties: Object.fromEntries(
          inputs.map((input, i) => [
            names[i],
            { ...jsonSchema(input), description: describeComponent(input) },
          ]),
        ),
        required: names.filter((_, i) => defaultOf(inputs[i] as AnyComponent) === undefined),
      },
    };
  });
}

/**
 * The data of a call to `endpoint` from keyword arguments (as MCP sends them): each input's
 * argument, else its default; `null` in each State slot (the engine fills in the session's value).
 */
export function dataFromArguments(endpoint: Endpoint, args: Readonly<Record<string, unknown>>): unknown[] {
  const names = parameterNames(apiInputs(endpoint).map(({ component }) => component.props.label));
  let next = 0;
  return endpoint.inputs.map((input) => {
    if (!inApi(input)) return null;
    const name = names[next++] as string;
    return Object.hasOwn(args, name) ? args[name] : defaultOf(input);
  });
}

/**
 * The full data of a call from an API client: `@gradio/client` sends a value (null) in every
 * State slot, while curl and other callers send only the parameters `/info` lists; those get
 * `null` put in the State slots. Anything else is left for the engine to judge.
 */
export function withStateSlots(endpoint: Endpoint, data: readonly unknown[]): unknown[] {
  const listed = endpoint.inputs.filter(inApi).length;
  if (data.length === endpoint.inputs.length || data.length !== listed) return [...data];
  let next = 0;
  return endpoint.inputs.map((input) => (inApi(input) ? data[next++] : null));
}

/** The outputs an API caller sees: the endpoint's results without its State slots. */
export function withoutStateSlots(endpoint: Endpoint, data: readonly unknown[]): unknown[] {
  return data.filter((_, i) => {
    const output = endpoint.outputs[i];
    return output === undefined || inApi(output);
  });
}

/** The JSON Schema of a component's wire value (checks it cannot express, like uniqueness, are left out). */
export function jsonSchema(component: AnyComponent): JsonSchema {
  const { $schema: _ignored, ...schema } = toJsonSchema(component.schema, { errorMode: "ignore" });
  return schema as JsonSchema;
}

/** The inputs the API lists, with their slot in the endpoint's data. */
function apiInputs(endpoint: Endpoint): { component: AnyComponent; slot: number }[] {
  return endpoint.inputs.flatMap((component, slot) => (inApi(component) ? [{ component, slot }] : []));
}

function defaultOf(component: AnyComponent): unknown {
  return (component.props as { value?: unknown }).value;
}

function pythonType(component: AnyComponent): PythonType {
  return { type: component.api.pythonType, description: component.api.description };
}

/**
 * What `/info` shows callers to send: the first example row's value when it is a wire value (a
 * file example is a path on the server, not something a caller can send), else the component's
 * API example (a sample file), else its default.
 */
function exampleOf(component: AnyComponent, example: unknown): unknown {
  if (example !== undefined && validate(component.schema, example).success) return example;
  return component.api.example ?? defaultOf(component) ?? null;
}
