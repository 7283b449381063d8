import type { Space } from "spacecraft";
import type { HfOAuthOptions, RunningServer } from "spacecraft/server";
import { hfOAuth, serve } from "spacecraft/server";
import type { OidcStandIn } from "./oidc-stand-in.js";

/**
 * Serves `space` on 127.0.0.1 with Hugging Face sign-in against `provider` (the stand-in), as a
 * Space with `hf_oauth: true` and `OAUTH_SCOPES="openid profile inference-api"` would be; without
 * a provider, as a server without the OAuth variables.
 */
export async function startSpace(
  space: Space,
  provider?: OidcStandIn,
  options: Partial<HfOAuthOptions> = {},
): Promise<RunningServer> {
  const oauth = provider
    ? hfOAuth({
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        providerUrl: provider.url,
        scopes: "openid profile inference-api",
        ...options,
      })
    : undefined;
  return serve(space, { port: 0, logError: () => {}, oauth: oauth ?? false });
}
