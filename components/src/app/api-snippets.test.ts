import type { ApiEndpoint, ApiParameter } from "spacecraft/api-info";
import { describe, expect, it } from "vitest";
import { codeSnippets, describeDefault, describeType, exampleValue, openaiSnippet } from "./api-snippets.js";

const fileSchema = {
  type: "object",
  properties: { path: { type: "string" }, meta: { type: "object" } },
  required: ["path", "meta"],
};

function parameter(name: string, type: Record<string, unknown>, extra: Partial<ApiParameter> = {}) {
  return {
    label: name,
    parameter_name: name,
    parameter_has_default: false,
    parameter_default: null,
    type,
    component: "Textbox",
    example_input: null,
    ...extra,
  } satisfies ApiParameter;
}

const url = "https://owner-name.hf.space";

describe("describeType", () => {
  it("renders ranges, enums, unions, arrays and files readably", () => {
    expect(describeType({ type: "number", minimum: 1, maximum: 5 })).toBe("number (1 – 5)");
    expect(describeType({ type: "integer", minimum: 0 })).toBe("integer ≥ 0");
    expect(describeType({ type: "string", enum: ["small", "large"] })).toBe('"small" | "large"');
    expect(describeType({ type: ["string", "number"] })).toBe("string | number");
    expect(describeType({ type: "array", items: { type: ["string", "number"] } })).toBe(
      "(string | number)[]",
    );
    expect(describeType({ anyOf: [{ type: "string" }, { type: "null" }] })).toBe("string | null");
    expect(describeType(fileSchema)).toBe("file (FileData)");
    expect(describeType({})).toBe("any");
  });
});

describe("exampleValue and describeDefault", () => {
  it("prefers the example, then the default, then a placeholder of the type", () => {
    expect(exampleValue(parameter("a", { type: "string" }, { example_input: "hi" }))).toBe("hi");
    expect(
      exampleValue(parameter("b", { type: "number" }, { parameter_has_default: true, parameter_default: 3 })),
    ).toBe(3);
    expect(exampleValue(parameter("c", { type: "string" }, { example_input: "" }))).toBe("Hello!!");
    expect(exampleValue(parameter("d", { type: "number", minimum: 4 }))).toBe(4);
    expect(exampleValue(parameter("e", { type: "boolean" }))).toBe(false);
    expect(describeDefault(parameter("f", { type: "string" }))).toBe("required");
    expect(
      describeDefault(
        parameter("g", { type: "string" }, { parameter_has_default: true, parameter_default: "" }),
      ),
    ).toBe('""');
  });
});

describe("codeSnippets", () => {
  const endpoint: ApiEndpoint = {
    parameters: [
      parameter("text", { type: "string" }, { example_input: "it's" }),
      parameter("loud", { type: "boolean" }, { parameter_has_default: true, parameter_default: true }),
      parameter("options", { type: "object" }, { example_input: { a: null, "b-c": [false] } }),
    ],
    returns: [
      { label: "Result", type: { type: "string" }, component: "Textbox" },
      { label: "Extra info", type: { type: "string" }, component: "Textbox" },
    ],
  };
  const snippets = codeSnippets("/predict", endpoint, `${url}/`);

  it("writes Python literals", () => {
    expect(snippets.python).toContain(`client = Client("${url}")`);
    expect(snippets.python).toContain(
      `    text="it's",\n    loud=True,\n    options={"a": None, "b-c": [False]},`,
    );
    expect(snippets.python).not.toContain("handle_file");
  });

  it("writes JavaScript keyword arguments", () => {
    expect(snippets.javascript).toContain(`import { Client } from "@gradio/client";`);
    expect(snippets.javascript).toContain(`options: { a: null, "b-c": [false] },`);
  });

  it("quotes the curl payload for the shell", () => {
    expect(snippets.curl).toContain(`-d '{"data": ["it'\\''s", true, {"a": null, "b-c": [false]}]}'`);
    expect(snippets.curl).toContain(`curl -N ${url}/gradio_api/call/predict/$EVENT_ID`);
  });

  it("names each return value in the Spacecraft snippet", () => {
    expect(snippets.spacecraft).toContain("const [result, extraInfo] = await space.predict(");
  });

  it("passes files through handle_file, and as an uploaded FileData for curl", () => {
    const bus = "https://github.com/gradio-app/gradio/raw/main/test/test_files/bus.png";
    const sample = { path: bus, url: bus, orig_name: "bus.png", meta: { _type: "gradio.FileData" } };
    const withFile = codeSnippets(
      "/caption",
      {
        parameters: [parameter("photo", fileSchema, { component: "Image", example_input: sample })],
        returns: [{ label: "Caption", type: { type: "string" }, component: "Textbox" }],
      },
      url,
    );
    expect(withFile.javascript).toContain(`import { Client, handle_file } from "@gradio/client";`);
    expect(withFile.javascript).toContain(`photo: handle_file("${bus}"),`);
    expect(withFile.python).toContain(`from gradio_client import Client, handle_file`);
    expect(withFile.python).toContain(`photo=handle_file("${bus}"),`);
    expect(withFile.curl).toContain(`curl -F files=@photo.png ${url}/gradio_api/upload`);
    expect(withFile.curl).toContain(
      `{"data": [{"path": "<uploaded path>", "meta": {"_type": "gradio.FileData"}}]}`,
    );
    expect(withFile.curl).toContain(`${url}/gradio_api/call/caption`);
    const withoutSample = codeSnippets(
      "/read",
      { parameters: [parameter("document", fileSchema, { component: "File" })], returns: [] },
      url,
    );
    expect(withoutSample.python).toContain("test_files/sample_file.pdf");
  });

  it("passes the files of a multimodal message through handle_file too", () => {
    const bus = "https://github.com/gradio-app/gradio/raw/main/test/test_files/bus.png";
    const sample = { path: bus, url: bus, orig_name: "bus.png", meta: { _type: "gradio.FileData" } };
    const message = parameter(
      "message",
      { type: "object" },
      {
        component: "MultimodalTextbox",
        example_input: { text: "What is this?", files: [sample] },
      },
    );
    const snippets = codeSnippets("/chat", { parameters: [message], returns: [] }, url);
    expect(snippets.javascript).toContain(`import { Client, handle_file } from "@gradio/client";`);
    expect(snippets.javascript).toContain(
      `message: { text: "What is this?", files: [handle_file("${bus}")] },`,
    );
    expect(snippets.python).toContain(`message={"text": "What is this?", "files": [handle_file("${bus}")]},`);
    expect(snippets.curl).toContain(
      `"files": [{"path": "<uploaded path>", "meta": {"_type": "gradio.FileData"}}]`,
    );
  });
});

describe("openaiSnippet", () => {
  it("points the openai package at the Space's /v1 and streams the reply", () => {
    const code = openaiSnippet("https://me-chat.hf.space/", "word-echo");
    expect(code).toContain('baseURL: "https://me-chat.hf.space/v1"');
    expect(code).toContain('model: "word-echo"');
    expect(code).toContain("stream: true");
  });
});
