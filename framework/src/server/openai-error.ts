import type { RequestHandler } from "express";

/** An OpenAI-shaped error: the status and the body's `error` fields. */
export class OpenAiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly type = status >= 500 ? "server_error" : "invalid_request_error",
  ) {
    super(message);
  }

  /** The body OpenAI clients read: `{ error: { message, type, param, code } }`. */
  get body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/**
 * For requests under `/v1`: error bodies other routes and middleware answer (`{ error: "…" }`,
 * from the origin and sign-in checks, the JSON parser, the 404) in OpenAI's shape, so
 * OpenAI clients show their message.
 */
export function openAiErrorShape(): RequestHandler {
  return (_request, response, next) => {
    const json = response.json.bind(response);
    response.json = (body: unknown) => {
      const error = (body as { error?: unknown } | null)?.error;
      if (typeof error !== "string") return json(body);
      const status = response.statusCode;
      if (status === 401) {
        return json(
          new OpenAiError(
            401,
            'This Space needs a sign-in: give your OpenAI client the API key "username:password" ' +
              "(it is sent as Authorization: Bearer username:password).",
            null,
            "invalid_api_key",
          ).body,
        );
      }
      return json(new OpenAiError(status, error).body);
    };
    next();
  };
}
