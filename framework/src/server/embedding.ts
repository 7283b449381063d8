import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readFrontMatter } from "../space-card.js";

/**
 * Whether the README.md in `root` (the app's folder) says `disable_embedding: true`. A README
 * without front matter, or none at all, leaves embedding on; unreadable front matter is an error
 * naming the file, since the Space's owner meant something by it.
 */
export function embeddingDisabled(root: string): boolean {
  const readme = join(root, "README.md");
  if (!existsSync(readme)) return false;
  const text = readFileSync(readme, "utf8");
  if (!text.startsWith("---")) return false;
  let frontMatter: unknown;
  try {
    frontMatter = readFrontMatter(text);
  } catch (error) {
    const problem = (error instanceof Error ? error.message : String(error)).replace(/^README\.md /, "");
    throw new Error(
      `${readme}: its ${problem}\nFix the front matter, so the server can read disable_embedding.`,
    );
  }
  return (frontMatter as { disable_embedding?: unknown } | null)?.disable_embedding === true;
}

/** The Space's Hub id (`owner/name`) from its `SPACE_ID` variable, when set and well formed. */
export function spaceIdFrom(environment: NodeJS.ProcessEnv): string | undefined {
  const id = environment.SPACE_ID;
  return id && /^[\w.-]+\/[\w.-]+$/.test(id) ? id : undefined;
}

/** Who may embed and call a server from another origin (see {@link embedPolicy}). */
export interface EmbedPolicy {
  /** Any site may read the API (`Access-Control-Allow-Origin: *`, never with credentials). */
  readonly openApi: boolean;
  /** Any site may frame the page and open the WebSocket (as nobody: credentials are ignored). */
  readonly openEmbed: boolean;
  /** The CSP `frame-ancestors` sources. */
  readonly frameAncestors: readonly string[];
  /** Whether a WebSocket upgrade from `origin` (cross-origin; `named` when in allowedOrigins) is let in. */
  acceptsSocket(named: boolean): boolean;
}

/**
 * The origin rules of a server. A public Space (bound to a non-loopback address, as on the Hub)
 * with no password sign-in and no `allowedOrigins` is open: any site may call its API, frame
 * it and open its WebSocket, always as an anonymous visitor. `allowedOrigins`, when given, names
 * the only other sites that may (with credentials). A loopback server (a laptop) or one with
 * password sign-in lets in only the named origins (a site must not drive a local server,
 * CVE-2024-1727). `disable_embedding: true` keeps framing to the Space itself and huggingface.co
 * and refuses every cross-origin WebSocket.
 */
export function embedPolicy(options: {
  isPublic: boolean;
  signIn: boolean;
  origins: ReadonlySet<string>;
  disableEmbedding: boolean;
}): EmbedPolicy {
  const openApi = options.isPublic && !options.signIn && options.origins.size === 0;
  const openEmbed = openApi && !options.disableEmbedding;
  const hub = ["'self'", "https://huggingface.co", "https://*.huggingface.co"];
  return {
    openApi,
    openEmbed,
    frameAncestors: openEmbed ? ["*"] : options.disableEmbedding ? hub : [...hub, ...options.origins],
    acceptsSocket: (named) => !options.disableEmbedding && (named || openEmbed),
  };
}
