import type { ApiEndpoint, ApiParameter, ApiReturn, JsonSchema } from "spacecraft/api-info";

/** The clients the API page shows a snippet for, in tab order. */
export const clientLanguages = ["javascript", "python", "curl", "spacecraft"] as const;
/** A client the API page shows a snippet for. */
export type ClientLanguage = (typeof clientLanguages)[number];
/** The tab names of the clients. */
export const clientNames: Record<ClientLanguage, string> = {
  javascript: "JavaScript",
  python: "Python",
  curl: "curl",
  spacecraft: "Spacecraft client",
};

/** A public file for a file input whose `/info` gives no sample. */
const sampleFile = "https://github.com/gradio-app/gradio/raw/main/test/test_files/sample_file.pdf";

/** A file input's place in a snippet: each client writes it its own way. */
class SampleFile {
  constructor(readonly url: string) {}
}

const isObject = (value: unknown): value is JsonSchema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The http(s) URL of an example FileData (a public sample file), if it is one. */
function publicUrl(example: unknown): string | undefined {
  if (!isObject(example)) return undefined;
  const url = example.url ?? example.path;
  return typeof url === "string" && /^https?:\/\//.test(url) ? url : undefined;
}

/** Whether a schema describes Gradio's FileData (`{path, meta: {_type: "gradio.FileData"}}`). */
export function isFileSchema(schema: JsonSchema): boolean {
  const properties = schema.properties;
  return isObject(properties) && "path" in properties && "meta" in properties;
}

/**
 * A schema as a short, readable type: `number (1 – 5)`, `"a" | "b"`, `string[]`, `file`.
 *
 * @example describeType({ type: "number", minimum: 1, maximum: 5 }) // "number (1 – 5)"
 */
export function describeType(schema: unknown): string {
  if (!isObject(schema)) return "any";
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if ("const" in schema) return JSON.stringify(schema.const);
  if (isFileSchema(schema)) return "file (FileData)";
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) {
    return [...new Set(union.map(describeType))].join(" | ");
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  if (types.length === 0) return "any";
  return types.map((type) => describeOne(String(type), schema)).join(" | ");
}

function describeOne(type: string, schema: JsonSchema): string {
  if (type === "array") {
    const items = describeType(schema.items);
    return items.includes(" ") ? `(${items})[]` : `${items}[]`;
  }
  if (type === "number" || type === "integer") {
    const { minimum, maximum } = schema;
    if (typeof minimum === "number" && typeof maximum === "number")
      return `${type} (${minimum} – ${maximum})`;
    if (typeof minimum === "number") return `${type} ≥ ${minimum}`;
    if (typeof maximum === "number") return `${type} ≤ ${maximum}`;
  }
  return type;
}

/** An example with each public file in it as a {@link SampleFile} (a multimodal message's `files`). */
function withSampleFiles(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSampleFiles);
  if (!isObject(value)) return value;
  if (isObject(value.meta) && value.meta._type === "gradio.FileData") {
    const url = publicUrl(value);
    return url ? new SampleFile(url) : value;
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withSampleFiles(item)]));
}

/** Whether a snippet's value holds a file anywhere. */
function hasSampleFile(value: unknown): boolean {
  if (value instanceof SampleFile) return true;
  if (Array.isArray(value)) return value.some(hasSampleFile);
  return isObject(value) && Object.values(value).some(hasSampleFile);
}

/** A parameter's default as the page shows it ("required" when it has none). */
export function describeDefault(parameter: ApiParameter): string {
  return parameter.parameter_has_default ? JSON.stringify(parameter.parameter_default) : "required";
}

/**
 * The value a snippet passes for a parameter: its `example_input`, else its default, else a
 * placeholder of its type (`"Hello!!"` for text; for a file input the public file its
 * `example_input` points at, or a sample PDF).
 */
export function exampleValue(parameter: ApiParameter): unknown {
  const schema = parameter.type;
  if (isFileSchema(schema)) return new SampleFile(publicUrl(parameter.example_input) ?? sampleFile);
  const useful = (value: unknown) => value !== undefined && value !== null && value !== "";
  if (useful(parameter.example_input)) return withSampleFiles(parameter.example_input);
  if (parameter.parameter_has_default && useful(parameter.parameter_default))
    return parameter.parameter_default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      return "Hello!!";
    case "number":
    case "integer":
      return typeof schema.minimum === "number" ? schema.minimum : 0;
    case "boolean":
      return false;
    case "array":
      return [];
    default:
      return parameter.parameter_has_default ? parameter.parameter_default : null;
  }
}

/** A value as a JavaScript literal; files through `handle_file`, or as FileData for Spacecraft. */
function jsLiteral(value: unknown, files: "handle_file" | "filedata"): string {
  if (value instanceof SampleFile) {
    return files === "handle_file"
      ? `handle_file(${JSON.stringify(value.url)})`
      : `{ path: "<uploaded path>", meta: { _type: "gradio.FileData" } }`;
  }
  if (Array.isArray(value)) return `[${value.map((item) => jsLiteral(item, files)).join(", ")}]`;
  if (isObject(value)) {
    const entries = Object.entries(value).map(([key, item]) => {
      const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
      return `${name}: ${jsLiteral(item, files)}`;
    });
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  return JSON.stringify(value ?? null);
}

/** A value as a Python literal (`True`, `None`, dicts); files through `handle_file`. */
function pythonLiteral(value: unknown): string {
  if (value instanceof SampleFile) return `handle_file(${JSON.stringify(value.url)})`;
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(", ")}]`;
  if (isObject(value)) {
    const entries = Object.entries(value).map(
      ([key, item]) => `${JSON.stringify(key)}: ${pythonLiteral(item)}`,
    );
    return `{${entries.join(", ")}}`;
  }
  return JSON.stringify(value);
}

/** A value as JSON for curl; a file as the FileData of an upload. */
function curlJson(value: unknown): unknown {
  if (value instanceof SampleFile) return { path: "<uploaded path>", meta: { _type: "gradio.FileData" } };
  if (Array.isArray(value)) return value.map(curlJson);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, curlJson(v)]));
  return value;
}

/** JSON on one line with a space after `:` and `,`, as people write it by hand. */
function spacedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(spacedJson).join(", ")}]`;
  if (isObject(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}: ${spacedJson(item)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Quotes a string for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Unique camelCase names for the return values, for `const [a, b] = …`. */
function resultNames(returns: readonly ApiReturn[]): string[] {
  if (returns.length <= 1) return ["result"];
  const seen = new Set<string>();
  return returns.map((value, i) => {
    const words = value.label.toLowerCase().match(/[a-z0-9]+/g) ?? [];
    let name = words.map((word, j) => (j === 0 ? word : word[0]?.toUpperCase() + word.slice(1))).join("");
    if (!/^[a-z_$]/.test(name) || ["const", "let", "var", "await", "for", "new"].includes(name))
      name = `output${i + 1}`;
    while (seen.has(name)) name = `${name}${i + 1}`;
    seen.add(name);
    return name;
  });
}

/**
 * The code that calls `endpoint` (its `/info` key, e.g. `/predict`) of the Space at `url`, for
 * each client, with example values filled in.
 *
 * @example codeSnippets("/predict", info.named_endpoints["/predict"], "https://owner-name.hf.space").curl
 */
export function codeSnippets(
  name: string,
  endpoint: ApiEndpoint,
  url: string,
): Record<ClientLanguage, string> {
  const values = endpoint.parameters.map(exampleValue);
  const hasFiles = values.some(hasSampleFile);
  const route = name.replace(/^\//, "");
  const root = url.replace(/\/+$/, "");
  const q = JSON.stringify;

  const jsArguments = endpoint.parameters
    .map((parameter, i) => `  ${parameter.parameter_name}: ${jsLiteral(values[i], "handle_file")},`)
    .join("\n");
  const javascript = `import { Client${hasFiles ? ", handle_file" : ""} } from "@gradio/client";

const client = await Client.connect(${q(root)});
const result = await client.predict(${q(name)}, {${jsArguments ? `\n${jsArguments}\n` : ""}});
console.log(result.data);
`;

  const pyArguments = endpoint.parameters
    .map((parameter, i) => `    ${parameter.parameter_name}=${pythonLiteral(values[i])},\n`)
    .join("");
  const python = `from gradio_client import Client${hasFiles ? ", handle_file" : ""}

client = Client(${q(root)})
result = client.predict(
${pyArguments}    api_name=${q(name)},
)
print(result)
`;

  const upload = hasFiles
    ? `# Upload each file first; the answer lists the paths to put in "<uploaded path>".
curl -F files=@photo.png ${root}/gradio_api/upload

`
    : "";
  const body = spacedJson({ data: values.map(curlJson) });
  const curl = `${upload}EVENT_ID=$(curl -s -X POST ${root}/gradio_api/call/${route} \\
  -H "Content-Type: application/json" \\
  -d ${shellQuote(body)} \\
  | awk -F'"' '{ print $4 }')
curl -N ${root}/gradio_api/call/${route}/$EVENT_ID
`;

  const list = `[${values.map((value) => jsLiteral(value, "filedata")).join(", ")}]`;
  const names = resultNames(endpoint.returns);
  const spacecraft = `import { connect } from "spacecraft/client";

const space = await connect(${q(root)});
const [${names.join(", ")}] = await space.predict(${q(name)}, ${list});
console.log(${names.join(", ")});

// Or follow the call as it runs (queue, progress, partial results):
for await (const event of space.submit(${q(name)}, ${list})) console.log(event.type, event);
`;

  return { javascript, python, curl, spacecraft };
}

/** The `openai` package's code for a chat Space's OpenAI-compatible API, streaming the reply. */
export function openaiSnippet(url: string, model: string): string {
  const root = url.replace(/\/+$/, "");
  return `import OpenAI from "openai";

const client = new OpenAI({ baseURL: ${JSON.stringify(`${root}/v1`)}, apiKey: "unused" });
const stream = await client.chat.completions.create({
  model: ${JSON.stringify(model)},
  messages: [{ role: "user", content: "Hello!" }],
  stream: true,
});
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? "");
`;
}
