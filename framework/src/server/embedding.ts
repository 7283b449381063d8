import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Whether the README.md in `root` (the app's folder) says `disable_embedding: true`. A README
 * without front matter, or none at all, leaves embedding on; unreadable front matter is an error
 * naming the file, since the Space's owner meant something by it.
 */
export async function embeddingDisabled(root: string): Promise<boolean> {
  const readme = join(root, "README.md");
  if (!existsSync(readme)) return false;
  const text = readFileSync(readme, "utf8");
  if (!text.startsWith("---")) return false;
  // The YAML parser loads only for a README with front matter: a start without one skips it.
  const { readFrontMatter } = await import("../space-card.js");
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
  /** Whether the API answers this (unnamed) site, without credentials (`Access-Control-Allow-Origin: *`). */
  opensTo(origin: string): boolean;
  /** The CSP `frame-ancestors` sources. */
  readonly frameAncestors: readonly string[];
  /** Whether a cross-origin WebSocket upgrade from `origin` is let in (`named` when in allowedOrigins). */
  acceptsSocket(named: boolean, origin: string): boolean;
}

/** A page served from this machine (`localhost`, `*.localhost`, `127.x.x.x`, `[::1]`), any port. */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const { hostname } = new URL(origin);
    return (
      hostname === "localhost" ||
      hostname.endsWith(".localhost") ||
      /^127\.\d+\.\d+\.\d+$/.test(hostname) ||
      hostname === "[::1]"
    );
  } catch {
    return false;
  }
}

/**
 * The origin rules of a server. A public Space (bound to a non-loopback address, as on the Hub)
 * with no password sign-in and no `allowedOrigins` is open: any site may call its API, frame
 * it and open its WebSocket, always as an anonymous visitor. A loopback server (a laptop) with
 * neither is open that way to pages of the same machine only (`localhost`, `127.0.0.1`, any port,
 * as Gradio's CORS rule has it): a site on the internet must not drive a local server
 * (CVE-2024-1727). `allowedOrigins`, when given, names the only other sites that may (with
 * credentials); so does password sign-in. `disable_embedding: true` keeps framing to the Space
 * itself and huggingface.co and refuses every cross-origin WebSocket.
 */
export function embedPolicy(options: {
  isPublic: boolean;
  signIn: boolean;
  origins: ReadonlySet<string>;
  disableEmbedding: boolean;
}): EmbedPolicy {
  const unnamedOpen = !options.signIn && options.origins.size === 0;
  const opensTo = (origin: string) => unnamedOpen && (options.isPublic || isLoopbackOrigin(origin));
  const hub = ["'self'", "https://huggingface.co", "https://*.huggingface.co"];
  const local = ["http://localhost:*", "http://127.0.0.1:*", "https://localhost:*", "https://127.0.0.1:*"];
  let frameAncestors: string[];
  if (options.disableEmbedding) frameAncestors = hub;
  else if (unnamedOpen) frameAncestors = options.isPublic ? ["*"] : [...hub, ...local];
  else frameAncestors = [...hub, ...options.origins];
  return {
    opensTo,
    frameAncestors,
    acceptsSocket: (named, origin) => !options.disableEmbedding && (named || opensTo(origin)),
  };
}
