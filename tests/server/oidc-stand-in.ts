import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** The person the stand-in signs in, as Hugging Face's userinfo describes them. */
export interface StandInUser {
  sub: string;
  preferred_username: string;
  name: string;
  picture: string;
}

/** A local OpenID provider playing huggingface.co for sign-in tests. */
export interface OidcStandIn {
  /** Its base URL: `OPENID_PROVIDER_URL`. */
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly user: StandInUser;
  /** The next authorizations answer `error=access_denied` (the visitor clicked "Deny"). */
  deny: boolean;
  /** The token endpoint answers 500 while set. */
  failToken: boolean;
  /** Every authorization request's query, in order. */
  readonly authorizations: URLSearchParams[];
  /** Every token request: its form body and whether it carried the client's secret. */
  readonly tokenRequests: { body: URLSearchParams; authenticated: boolean }[];
  /** Access tokens handed out. */
  readonly issuedTokens: string[];
  close(): Promise<void>;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | null;
  scope: string;
}

/**
 * Starts the stand-in on 127.0.0.1: the discovery document, `/oauth/authorize` (auto-approves
 * `user`, or refuses while `deny` is set), `/oauth/token` (checks the client, the code, its
 * redirect URI and the PKCE verifier; a client without its secret must use PKCE, as static
 * Spaces do) and `/oauth/userinfo` (checks the bearer token). Its JSON answers allow CORS, as
 * huggingface.co's do for pages that sign in themselves.
 */
export async function startOidcStandIn(
  options: { clientId?: string; clientSecret?: string; user?: Partial<StandInUser>; expiresIn?: number } = {},
): Promise<OidcStandIn> {
  const clientId = options.clientId ?? "test-client";
  const clientSecret = options.clientSecret ?? randomBytes(16).toString("hex");
  const user: StandInUser = {
    sub: "6f1a",
    preferred_username: "ada",
    name: "Ada Lovelace",
    picture: "https://cdn.example/ada.png",
    ...options.user,
  };
  const codes = new Map<string, IssuedCode>();
  const tokens = new Map<string, string>();
  let url = "";

  const stand: OidcStandIn = {
    get url() {
      return url;
    },
    clientId,
    clientSecret,
    user,
    deny: false,
    failToken: false,
    authorizations: [],
    tokenRequests: [],
    issuedTokens: [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, {
      "Content-Type": "application/json",
      "Access-Control-Allow-Origin": "*",
      "Cache-Control": "no-store",
    });
    response.end(JSON.stringify(body));
  };

  const authorize = (query: URLSearchParams, response: ServerResponse) => {
    stand.authorizations.push(query);
    const redirectUri = query.get("redirect_uri") ?? "";
    if (query.get("client_id") !== clientId) return json(response, 400, { error: "invalid_client" });
    if (!/^https?:\/\//.test(redirectUri)) return json(response, 400, { error: "invalid_redirect_uri" });
    const back = new URL(redirectUri);
    const state = query.get("state");
    if (state !== null) back.searchParams.set("state", state);
    if (stand.deny) {
      back.searchParams.set("error", "access_denied");
      back.searchParams.set("error_description", "The user denied the request");
    } else if (query.get("response_type") !== "code" || query.get("code_challenge_method") !== "S256") {
      back.searchParams.set("error", "invalid_request");
    } else {
      const code = randomBytes(12).toString("hex");
      codes.set(code, {
        clientId,
        redirectUri,
        challenge: query.get("code_challenge") ?? "",
        nonce: query.get("nonce"),
        scope: query.get("scope") ?? "",
      });
      back.searchParams.set("code", code);
    }
    response.writeHead(302, { Location: back.href }).end();
  };

  const token = (request: IncomingMessage, body: URLSearchParams, response: ServerResponse) => {
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const [basicId, basicSecret] = basic
      ? Buffer.from(basic, "base64").toString("utf8").split(":").map(decodeURIComponent)
      : [];
    const givenId = basicId ?? body.get("client_id");
    const givenSecret = basicSecret ?? body.get("client_secret");
    stand.tokenRequests.push({ body, authenticated: givenSecret !== null && givenSecret !== undefined });
    if (stand.failToken) return json(response, 500, { error: "server_error" });
    if (givenId !== undefined && givenId !== null && givenId !== clientId) {
      return json(response, 401, { error: "invalid_client" });
    }
    if (givenSecret !== undefined && givenSecret !== null && givenSecret !== clientSecret) {
      return json(response, 401, { error: "invalid_client", error_description: "Wrong client secret" });
    }
    const code = codes.get(body.get("code") ?? "");
    codes.delete(body.get("code") ?? "");
    if (body.get("grant_type") !== "authorization_code" || !code) {
      return json(response, 400, { error: "invalid_grant", error_description: "Unknown or used code" });
    }
    if (body.get("redirect_uri") !== code.redirectUri) {
      return json(response, 400, { error: "invalid_grant", error_description: "redirect_uri differs" });
    }
    const verifier = body.get("code_verifier") ?? "";
    if (createHash("sha256").update(verifier).digest("base64url") !== code.challenge) {
      return json(response, 400, { error: "invalid_grant", error_description: "PKCE verification failed" });
    }
    const accessToken = `hf_oauth_${randomBytes(16).toString("hex")}`;
    tokens.set(accessToken, code.scope);
    stand.issuedTokens.push(accessToken);
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: url,
      aud: code.clientId,
      sub: user.sub,
      iat: now,
      exp: now + 3600,
      nonce: code.nonce,
    };
    const idToken = [
      Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url"),
      Buffer.from(JSON.stringify(claims)).toString("base64url"),
      "",
    ].join(".");
    json(response, 200, {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: options.expiresIn ?? 28_800,
      scope: code.scope,
      id_token: idToken,
    });
  };

  const server = createServer((request, response) => {
    const requestUrl = new URL(request.url ?? "/", "http://stand-in");
    if (request.method === "OPTIONS") {
      response
        .writeHead(204, {
          "Access-Control-Allow-Origin": "*",
          "Access-Control-Allow-Headers": "Authorization, Content-Type",
          "Access-Control-Allow-Methods": "GET, POST",
        })
        .end();
      return;
    }
    if (request.method === "GET" && requestUrl.pathname === "/.well-known/openid-configuration") {
      return json(response, 200, {
        issuer: url,
        authorization_endpoint: `${url}/oauth/authorize`,
        token_endpoint: `${url}/oauth/token`,
        userinfo_endpoint: `${url}/oauth/userinfo`,
        response_types_supported: ["code"],
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (request.method === "GET" && requestUrl.pathname === "/oauth/authorize") {
      return authorize(requestUrl.searchParams, response);
    }
    if (request.method === "GET" && requestUrl.pathname === "/oauth/userinfo") {
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
      if (!bearer || !tokens.has(bearer)) return json(response, 401, { error: "invalid_token" });
      return json(response, 200, { ...user, profile: `https://huggingface.co/${user.preferred_username}` });
    }
    if (request.method === "POST" && requestUrl.pathname === "/oauth/token") {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () =>
        token(request, new URLSearchParams(Buffer.concat(chunks).toString()), response),
      );
      return;
    }
    json(response, 404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stand;
}
