import type { InferenceClient, InferenceProviderOrPolicy } from "@huggingface/inference";
import type { AudioData } from "../components/audio.js";
import { encodeWav } from "../components/audio.js";
import type { AnyComponent } from "../components/component.js";
import { Image } from "../components/image.js";
import { Textbox } from "../components/textbox.js";
import type { Context } from "../context.js";
import { DeclarationError, SpaceError } from "../errors.js";
import type { ModelStatus } from "./pipeline.js";
import type { TaskRecipe } from "./tasks.js";
import { entitySpans, TASKS } from "./tasks.js";

/** The tasks {@link inference} runs through Inference Providers. */
export type InferenceTask =
  | "text-classification"
  | "token-classification"
  | "summarization"
  | "translation"
  | "automatic-speech-recognition"
  | "image-classification"
  | "feature-extraction"
  | "text-to-image"
  | "chat-completion";

/** Where and on whose account {@link inference} runs a model. */
export interface InferenceOptions {
  /**
   * The provider that runs the model (`"together"`, `"groq"`, `"hf-inference"`, …), or `"auto"`
   * (the default): the first one enabled in your Inference Providers settings that serves it.
   */
  provider?: InferenceProviderOrPolicy;
  /**
   * A server of your own instead of the providers (an Inference Endpoint, a TGI or vLLM server):
   * requests go to this URL (for chat, `<url>/chat/completions` when it ends in `/v1`).
   */
  endpointUrl?: string;
  /** An organization to bill instead of the token's owner (sent as `X-HF-Bill-To`). */
  billTo?: string;
}

/**
 * What `ctx.model` is for a model from {@link inference}: a client whose requests carry the
 * server's `HF_TOKEN` and whose failures are explained, and the arguments naming the model.
 * @example await ctx.model.client.summarization({ ...ctx.model.args, inputs: text })
 */
export interface RemoteModel {
  readonly client: InferenceClient;
  /** `model` and `provider`, to spread into each call. */
  readonly args: { readonly model: string; readonly provider?: InferenceProviderOrPolicy };
}

/**
 * A model that runs on Hugging Face's Inference Providers (or your own endpoint), declared like
 * a {@link pipeline}: nothing to download, always ready. The token is read from `HF_TOKEN` on
 * the server when the first request runs and never leaves it.
 */
export class InferenceHandle<T extends InferenceTask = InferenceTask> {
  /** Marks a handle whose model runs elsewhere: nothing to load at start-up. */
  readonly remote = true;
  readonly task: T;
  readonly model: string;
  readonly options: Readonly<InferenceOptions>;
  /** Always ready: the provider loads the model, and a cold one is explained when it answers 503. */
  readonly status: ModelStatus = { state: "ready" };
  #client: Promise<RemoteModel> | undefined;

  constructor(task: T, model: string, options: InferenceOptions = {}) {
    this.task = task;
    this.model = model;
    this.options = Object.freeze({ ...options });
  }

  /** Status never changes; returns a function that does nothing. */
  onStatus(_listener: (status: ModelStatus) => void): () => void {
    return () => {};
  }

  /**
   * The client `fn` gets as `ctx.model` (created once, on first use), or a clear error when the
   * providers cannot be called without a token.
   */
  load(): Promise<RemoteModel> {
    const { provider } = this.options;
    const endpointUrl = this.#endpointUrl();
    const token = environment().HF_TOKEN;
    if (!token && endpointUrl === undefined) return Promise.reject(new SpaceError(missingToken(this.model)));
    if (token && !token.startsWith("hf_") && (provider ?? "auto") === "auto") {
      return Promise.reject(
        new SpaceError(
          `HF_TOKEN does not look like a Hugging Face token (they start with "hf_"), so Inference Providers ` +
            `cannot route "${this.model}". Set HF_TOKEN to a token from https://huggingface.co/settings/tokens, ` +
            "or name the `provider` whose own key it is.",
        ),
      );
    }
    this.#client ??= this.#create(token || undefined, endpointUrl);
    return this.#client;
  }

  /**
   * The declared `endpointUrl`; else, for a model with no provider named, the server that
   * `SPACECRAFT_INFERENCE_URL` names, addressed as the router addresses hf-inference
   * (`<url>/v1/chat/completions` for chat, `<url>/models/<id>` for the other tasks).
   */
  #endpointUrl(): string | undefined {
    const { provider, endpointUrl } = this.options;
    const gateway = environment().SPACECRAFT_INFERENCE_URL?.replace(/\/+$/, "");
    if (endpointUrl !== undefined || provider !== undefined || !gateway) return endpointUrl;
    return this.task === "chat-completion" ? `${gateway}/v1` : `${gateway}/models/${this.model}`;
  }

  async #create(token: string | undefined, endpointUrl: string | undefined): Promise<RemoteModel> {
    const { InferenceClient, PROVIDERS_OR_POLICIES } = await import("@huggingface/inference");
    const { provider, billTo } = this.options;
    if (provider !== undefined && !(PROVIDERS_OR_POLICIES as readonly string[]).includes(provider)) {
      throw new SpaceError(
        `inference("${this.task}", "${this.model}"): unknown provider "${provider}". ` +
          `Use one of: ${PROVIDERS_OR_POLICIES.join(", ")}.`,
      );
    }
    const client = new InferenceClient(token, {
      ...(endpointUrl ? { endpointUrl } : {}),
      ...(billTo ? { billTo } : {}),
      // A 503 (a cold model) is explained to the visitor instead of retried at once, endlessly.
      retry_on_error: false,
      fetch: explainingFetch({
        model: this.model,
        token,
        hf: true,
        credential: "HF_TOKEN",
      }),
    });
    if (token) tokens.set(client, token);
    return { client, args: { model: this.model, ...(provider ? { provider } : {}) } };
  }
}

/**
 * Declares a model run remotely by Hugging Face Inference Providers, usable wherever
 * {@link pipeline} is: as an Interface's `model` (the task's recipe maps inputs and outputs) or,
 * for `"chat-completion"`, as a ChatInterface's (the reply streams in). Needs `HF_TOKEN` on the
 * server (a Space secret), unless `endpointUrl` points to a server that needs none.
 * @example model: inference("chat-completion", "meta-llama/Llama-3.1-8B-Instruct", { provider: "groq" })
 */
export function inference<T extends InferenceTask>(
  task: T,
  model: string,
  options: InferenceOptions = {},
): InferenceHandle<T> {
  const where = `inference("${task}", "${model}")`;
  if (!INFERENCE_TASKS[task]) {
    throw new DeclarationError(
      `${where}: the task "${task}" is not supported. Supported tasks: ${Object.keys(INFERENCE_TASKS).join(", ")}.`,
    );
  }
  if (typeof model !== "string" || model.trim() === "") {
    throw new DeclarationError(`${where}: give a model id such as "meta-llama/Llama-3.1-8B-Instruct".`);
  }
  const known = ["provider", "endpointUrl", "billTo"];
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      throw new DeclarationError(`${where}: unknown option "${name}". Options: ${known.join(", ")}.`);
    }
  }
  if (options.endpointUrl !== undefined && options.provider !== undefined) {
    throw new DeclarationError(
      `${where}: give either \`provider\` or \`endpointUrl\`, not both (an endpoint is its own provider).`,
    );
  }
  if (options.endpointUrl !== undefined && !/^https?:\/\//.test(options.endpointUrl)) {
    throw new DeclarationError(
      `${where}: \`endpointUrl\` must be an http(s) URL, not "${options.endpointUrl}".`,
    );
  }
  return new InferenceHandle(task, model, options);
}

/** Whether a declared model runs remotely (from {@link inference}). */
export function isRemote(model: unknown): model is InferenceHandle {
  return model instanceof InferenceHandle;
}

/** How a task runs remotely: its default components and the call through the client. */
export interface InferenceRecipe {
  inputs: () => AnyComponent[];
  outputs: () => AnyComponent[];
  run: (...args: unknown[]) => unknown;
}

/**
 * Calls the remote model of a run (`ctx.model`, the last argument) with the run's abort signal;
 * a failure of the client itself becomes a {@link SpaceError} naming the model.
 */
function callRemote<T>(
  args: unknown[],
  call: (model: RemoteModel, options: { signal: AbortSignal }) => Promise<T>,
): Promise<T> {
  const { model, signal } = args.at(-1) as Context<RemoteModel>;
  return call(model, { signal }).catch((error: unknown) => {
    throw explainClientError(error, model.args.model, tokens.get(model.client));
  });
}

/** The local recipe of a task, whose components the remote one shows (read when a Space is declared). */
const local = (task: keyof typeof TASKS) => TASKS[task] as TaskRecipe;

/** Recipes by task: the same components as the local models' ({@link TASKS}), the remote call. */
export const INFERENCE_TASKS: Record<InferenceTask, InferenceRecipe> = {
  "text-classification": {
    inputs: () => local("text-classification").inputs(),
    outputs: () => local("text-classification").outputs(),
    run: (input, ...rest) =>
      callRemote(rest, ({ client, args }, options) =>
        client.textClassification({ ...args, inputs: input as string }, options),
      ),
  },
  "token-classification": {
    inputs: () => local("token-classification").inputs(),
    outputs: () => local("token-classification").outputs(),
    run: (input, ...rest) =>
      callRemote(rest, async ({ client, args }, options) =>
        entitySpans(
          input as string,
          await client.tokenClassification({ ...args, inputs: input as string }, options),
        ),
      ),
  },
  summarization: {
    inputs: () => local("summarization").inputs(),
    outputs: () => local("summarization").outputs(),
    run: (input, ...rest) =>
      callRemote(
        rest,
        async ({ client, args }, options) =>
          (await client.summarization({ ...args, inputs: input as string }, options)).summary_text,
      ),
  },
  translation: {
    inputs: () => local("translation").inputs(),
    outputs: () => local("translation").outputs(),
    run: (input, ...rest) =>
      callRemote(rest, async ({ client, args }, options) => {
        const result = await client.translation({ ...args, inputs: input as string }, options);
        const first = (Array.isArray(result) ? result[0] : result) as
          | { translation_text?: string }
          | undefined;
        return first?.translation_text ?? "";
      }),
  },
  "automatic-speech-recognition": {
    inputs: () => local("automatic-speech-recognition").inputs(),
    outputs: () => local("automatic-speech-recognition").outputs(),
    run: (audio, ...rest) =>
      callRemote(rest, async ({ client, args }, options) => {
        // 16-bit PCM WAV, which every speech-recognition provider reads.
        const data = new Blob([(await encodeWav(audio as AudioData)) as BlobPart], { type: "audio/wav" });
        const request = { ...args, data } as Parameters<InferenceClient["automaticSpeechRecognition"]>[0];
        return (await client.automaticSpeechRecognition(request, options)).text.trim();
      }),
  },
  "image-classification": {
    inputs: () => [Image({ label: "Image", type: "bytes" })],
    outputs: () => local("image-classification").outputs(),
    run: (image, ...rest) =>
      callRemote(rest, ({ client, args }, options) =>
        client.imageClassification({ ...args, data: imageBlob(image) }, options),
      ),
  },
  "feature-extraction": {
    inputs: () => local("feature-extraction").inputs(),
    outputs: () => local("feature-extraction").outputs(),
    run: (input, ...rest) =>
      callRemote(rest, ({ client, args }, options) =>
        client.featureExtraction({ ...args, inputs: input as string }, options),
      ),
  },
  "text-to-image": {
    inputs: () => [Textbox({ label: "Prompt", lines: 3, placeholder: "Type prompt" })],
    outputs: () => [Image({ label: "Image" })],
    run: (prompt, ...rest) =>
      callRemote(rest, ({ client, args }, options) =>
        client.textToImage({ ...args, inputs: prompt as string }, options),
      ),
  },
  "chat-completion": {
    inputs: () => [Textbox({ label: "Message", lines: 3, placeholder: "Type message" })],
    outputs: () => [Textbox({ label: "Reply", lines: 8 })],
    run: async function* (message, ...rest) {
      const context = rest.at(-1) as Context<RemoteModel>;
      yield* streamChat(context.model, [{ role: "user", content: message as string }], {}, context.signal);
    },
  },
};

/** Sampling settings sent with a remote chat request (OpenAI's names). */
export interface ChatCompletionSettings {
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
}

/**
 * Streams a chat reply from a remote model (Inference Providers, or any OpenAI-compatible server
 * through the client's `endpointUrl`) as the text so far; the request stops when `signal` aborts.
 */
export async function* streamChat(
  remote: RemoteModel,
  messages: readonly { role: string; content: string }[],
  settings: ChatCompletionSettings,
  signal: AbortSignal,
): AsyncGenerator<string> {
  const stream = remote.client.chatCompletionStream(
    { ...remote.args, messages: [...messages], ...settings },
    { signal },
  );
  let text = "";
  try {
    for await (const chunk of stream) {
      const delta = chunk.choices?.[0]?.delta?.content;
      if (typeof delta === "string" && delta !== "") {
        text += delta;
        yield text;
      }
    }
  } catch (error) {
    throw explainClientError(error, remote.args.model, tokens.get(remote.client));
  }
  yield text;
}

/** Where an OpenAI-compatible server is, for `ChatInterface.fromOpenAI`. */
export interface OpenAIServer {
  /** The API's base URL, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8080/v1`; requests go to `<baseURL>/chat/completions`. */
  baseURL: string;
  /** The model name the server expects. */
  model: string;
  /** The server's API key, sent as `Authorization: Bearer`; kept on the server (leave out for a server that needs none). */
  apiKey?: string;
}

/**
 * A client for an OpenAI-compatible server, the same one {@link inference} uses: its
 * `endpointUrl` is the full chat URL, so the base URL is used as OpenAI clients use it.
 */
export async function openAIModel(server: OpenAIServer): Promise<RemoteModel> {
  const { InferenceClient } = await import("@huggingface/inference");
  const endpointUrl = `${server.baseURL.replace(/\/+$/, "")}/chat/completions`;
  const client = new InferenceClient(server.apiKey, {
    endpointUrl,
    retry_on_error: false,
    fetch: explainingFetch({
      model: server.model,
      token: server.apiKey,
      hf: false,
      credential: "the apiKey",
    }),
  });
  if (server.apiKey) tokens.set(client, server.apiKey);
  return { client, args: { model: server.model } };
}

/**
 * The chat model of an OpenAI-compatible server (`ChatInterface.fromOpenAI`): remote like an
 * {@link inference} one (nothing to load, never in a static build), with that server's client.
 */
export class OpenAIChatHandle extends InferenceHandle<"chat-completion"> {
  readonly #server: OpenAIServer;
  #remote: Promise<RemoteModel> | undefined;

  constructor(server: OpenAIServer) {
    super("chat-completion", server.model);
    this.#server = server;
  }

  /** The server's client, made on first use. */
  override load(): Promise<RemoteModel> {
    this.#remote ??= openAIModel(this.#server);
    return this.#remote;
  }
}

/** The token of each client this module made, to mask in messages should a server echo it. */
const tokens = new WeakMap<InferenceClient, string>();

/** What {@link explainingFetch} needs to explain a failure. */
interface ExplainOptions {
  model: string;
  /** Never put in a message (replaced if a server echoes it). */
  token: string | undefined;
  /** Hugging Face's Inference Providers (or an endpoint standing for them): credits, HF_TOKEN and billTo apply. */
  hf: boolean;
  /** What holds the credential, for the 401 advice. */
  credential: string;
}

/**
 * A fetch that turns failures into {@link SpaceError}s saying what happened and what to do next
 * (shown in the page): a missing or refused token, spent credits, rate limits, a cold model, an
 * unreachable server. The client sees only successes.
 */
function explainingFetch(options: ExplainOptions): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      if ((error as Error)?.name === "AbortError") throw error;
      const cause = (error as { cause?: { code?: string } })?.cause?.code ?? (error as Error)?.message;
      throw new SpaceError(
        `Cannot reach the inference server at ${url.host} (${cause}) to run "${options.model}". ` +
          "Check the server's network and the endpoint URL, then try again.",
      );
    }
    if (response.ok) return response;
    const body = await response.text().catch(() => "");
    throw new SpaceError(explainStatus(response.status, body, response.headers, options));
  };
}

function explainStatus(status: number, body: string, headers: Headers, options: ExplainOptions): string {
  const { model, hf: hub } = options;
  const said = scrub(providerMessage(body), options.token);
  const because = said ? ` The server said: “${said}”.` : "";
  switch (status) {
    case 401:
      return hub
        ? `The inference provider refused HF_TOKEN (HTTP 401) for "${model}": it is wrong, expired or lacks the ` +
            "“Make calls to Inference Providers” permission. Create a new token at " +
            "https://huggingface.co/settings/tokens and set it as the HF_TOKEN secret of the Space." +
            because
        : `The server refused the request for "${model}" (HTTP 401): check ${options.credential}.${because}`;
    case 402:
      return hub
        ? `Inference Providers credits are used up (HTTP 402) for "${model}". Add credits at ` +
            "https://huggingface.co/settings/billing (or subscribe to PRO), or set `billTo` to an " +
            `organization that pays for it.${because}`
        : `The server wants payment (HTTP 402) to run "${model}": add credits to the account of ${options.credential}.${because}`;
    case 403:
      return (
        `Access to "${model}" is forbidden (HTTP 403): the model may be gated (accept its terms on ` +
        `https://huggingface.co/${model}), or ${options.credential} may not be allowed to bill ` +
        `this account.${because}`
      );
    case 404:
      return (
        `"${model}" was not found (HTTP 404), or no provider serves it for this task. Check the model ` +
        `id and its Inference Providers panel on https://huggingface.co/${model}.${because}`
      );
    case 429: {
      const after = headers.get("retry-after");
      return (
        `Too many requests to the inference provider (HTTP 429) for "${model}". Wait ` +
        `${after && /^\d+$/.test(after) ? `${after} s` : "a minute"} and retry` +
        `${hub ? "; PRO or credits raise the limits" : ""}.${because}`
      );
    }
    case 503: {
      const seconds = estimatedTime(body);
      return (
        `The model "${model}" is loading on the provider (HTTP 503)` +
        `${seconds === undefined ? "" : `, about ${seconds} s more`}. Wait a moment and retry.${because}`
      );
    }
    default:
      return (
        `The inference provider failed to run "${model}" (HTTP ${status}).${because} ` +
        (status >= 500 ? "Try again later, or choose another provider." : "Check the inputs and the model.")
      );
  }
}

function missingToken(model: string): string {
  return (
    `Cannot call "${model}" through Inference Providers: HF_TOKEN is not set on the server. ` +
    "Create a token with the “Make calls to Inference Providers” permission at " +
    "https://huggingface.co/settings/tokens and set it as the HF_TOKEN secret of the Space " +
    "(Settings → Variables and secrets), or in the environment when running locally."
  );
}

/** The names of `@huggingface/inference`'s errors (`errors.ts`). */
const CLIENT_ERRORS = new Set([
  "InferenceClientError",
  "InputError",
  "RoutingError",
  "ProviderApiError",
  "HubApiError",
  "ProviderOutputError",
]);

/**
 * A failure of the client itself (a provider's answer of the wrong shape, a model no provider
 * serves) as a {@link SpaceError} naming the model; explained failures and aborts pass as they are.
 */
export function explainClientError(error: unknown, model: string, token?: string): unknown {
  if (error instanceof SpaceError || (error as Error)?.name === "AbortError") return error;
  if (!(error instanceof Error) || !CLIENT_ERRORS.has(error.name)) return error;
  const said = scrub(error.message, token)
    .replace(/^Failed to perform inference: /, "")
    .replace(/^an occurred while streaming the response: /, "the reply broke off: ");
  return new SpaceError(
    `The remote model "${model}" failed: ${said.replace(/\.?$/, ".")} Try again; if it keeps failing, ` +
      "check the model id, the task and the provider.",
  );
}

/** The provider's own words from an error body (`error`, `error.message`, `message`, `detail`), shortened. */
function providerMessage(body: string): string {
  let said: unknown = body;
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const error = json.error as { message?: unknown } | string | undefined;
    said = typeof error === "string" ? error : (error?.message ?? json.message ?? json.detail ?? "");
  } catch {}
  const text = typeof said === "string" ? said.trim() : "";
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function estimatedTime(body: string): number | undefined {
  try {
    const seconds = (JSON.parse(body) as { estimated_time?: unknown }).estimated_time;
    return typeof seconds === "number" ? Math.ceil(seconds) : undefined;
  } catch {
    return undefined;
  }
}

/** A message with the token taken out, should a server echo it. */
function scrub(text: string, token: string | undefined): string {
  return token ? text.split(token).join("[token]") : text;
}

function environment(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

function imageBlob(image: unknown): Blob {
  const value = image as { bytes?: unknown; mimeType?: string };
  if (value?.bytes instanceof Uint8Array) {
    return new Blob([value.bytes as BlobPart], { type: value.mimeType ?? "application/octet-stream" });
  }
  throw new SpaceError(
    'A remote image model needs the image\'s bytes: declare the input as Image({ type: "bytes" }).',
  );
}
