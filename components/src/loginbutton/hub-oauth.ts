import { oauthHandleRedirectIfPresent, oauthLoginUrl } from "@huggingface/hub";
import type { Caller, OAuthToken, User } from "spacecraft";

/** What the Hub puts in a static Space with `hf_oauth: true` (`window.huggingface.variables`). */
export interface HubOAuthVariables {
  OAUTH_CLIENT_ID: string;
  OAUTH_SCOPES?: string;
  OPENID_PROVIDER_URL?: string;
}

/** A signed-in visitor of a static Space. */
export type SignedIn = { user: User; oauthToken: OAuthToken };

/** This tab's sign-in (sessionStorage: it survives a reload, not the tab). */
const STORAGE_KEY = "spacecraft:hf-oauth";
/** Query parameter that starts the sign-in at once (set on the tab opened from the Hub's iframe). */
export const START_PARAM = "sc_login";
const REDIRECT_PARAMS = ["code", "state", "error", "error_description", START_PARAM];

/** The Hub's OAuth variables of this static Space; undefined without `hf_oauth: true`. */
export function hubVariables(): HubOAuthVariables | undefined {
  const variables = (window as { huggingface?: { variables?: Partial<HubOAuthVariables> } }).huggingface
    ?.variables;
  return variables?.OAUTH_CLIENT_ID ? (variables as HubOAuthVariables) : undefined;
}

/**
 * Finishes a sign-in the provider just sent this page back from (and cleans the URL), or gives
 * this tab's earlier one; undefined when nobody is signed in. Throws what the provider refused.
 */
export async function restoreSignIn(variables: HubOAuthVariables): Promise<SignedIn | undefined> {
  const query = new URL(location.href).searchParams;
  if (query.has("code") || query.has("error")) {
    try {
      const result = await oauthHandleRedirectIfPresent({ hubUrl: hubUrl(variables) });
      if (result) {
        const signedIn: SignedIn = {
          user: {
            username: result.userInfo.preferred_username,
            ...(result.userInfo.name ? { name: result.userInfo.name } : {}),
            ...(/^https?:\/\//.test(result.userInfo.picture ?? "")
              ? { avatar: result.userInfo.picture }
              : {}),
          },
          oauthToken: {
            token: result.accessToken,
            scope: result.scope,
            expiresAt: result.accessTokenExpiresAt,
          },
        };
        sessionStorage.setItem(STORAGE_KEY, JSON.stringify(signedIn));
        return signedIn;
      }
    } finally {
      history.replaceState(history.state, "", pageUrl());
    }
  }
  return stored();
}

/** Sends the visitor to the provider's sign-in page; it comes back to this page. */
export async function startSignIn(variables: HubOAuthVariables): Promise<void> {
  const url = await oauthLoginUrl({
    clientId: variables.OAUTH_CLIENT_ID,
    hubUrl: hubUrl(variables),
    ...(variables.OAUTH_SCOPES ? { scopes: variables.OAUTH_SCOPES } : {}),
    redirectUrl: pageUrl(),
  });
  location.assign(url);
}

/** Forgets this tab's sign-in. */
export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** The visitor as `fn` sees them. */
export function callerOf(signedIn: SignedIn | undefined): Caller {
  return signedIn ?? {};
}

function stored(): SignedIn | undefined {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null") as
      | (Omit<SignedIn, "oauthToken"> & { oauthToken: Omit<OAuthToken, "expiresAt"> & { expiresAt: string } })
      | null;
    if (!saved || typeof saved.user?.username !== "string" || typeof saved.oauthToken?.token !== "string") {
      return undefined;
    }
    const expiresAt = new Date(saved.oauthToken.expiresAt);
    if (!(expiresAt.getTime() > Date.now())) {
      signOut();
      return undefined;
    }
    return { user: saved.user, oauthToken: { ...saved.oauthToken, expiresAt } };
  } catch {
    return undefined;
  }
}

/** This page's URL without the sign-in's query parameters. */
function pageUrl(): string {
  const url = new URL(location.href);
  for (const name of REDIRECT_PARAMS) url.searchParams.delete(name);
  return url.href;
}

function hubUrl(variables: HubOAuthVariables): string {
  return variables.OPENID_PROVIDER_URL || "https://huggingface.co";
}
