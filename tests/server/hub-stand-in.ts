import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize, relative } from "node:path";

/** How the stand-in answers for one model id. */
export interface ModelBehaviour {
  /** Answer every file of this model with this status (401 gated, 404 missing, …). */
  status?: number;
  /** Wait this long before each file, so a test can act while the model loads. */
  delayMs?: number;
  /** Answer files only once this settles, so a test decides when loading may finish. */
  hold?: Promise<void>;
  /** Serve the files of this other model id. */
  from?: string;
  /** The licence in the model card. */
  license?: string;
  /**
   * Revisions other than `main` (branches, tags, commits), each answered as the Hub does: info,
   * file list and files as of that revision. Any other revision is answered 404.
   */
  revisions?: Record<string, Omit<ModelBehaviour, "revisions">>;
}

/**
 * A local stand-in for the Hub, serving a folder of models: file downloads
 * (`/{id}/resolve/{revision}/{file}`), and the API routes `@huggingface/hub` calls for
 * `modelInfo` (`/api/models/{id}/revision/{rev}`) and `listFiles` (`/api/models/{id}/tree/{rev}`),
 * each for the revision asked (`main` and `HEAD` are the model as given).
 */
export interface HubStandIn {
  url: string;
  /** Paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1 and a free port. */
export async function startHubStandIn(
  modelsDir: string,
  behaviours: Record<string, ModelBehaviour> = {},
): Promise<HubStandIn> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    // Split before decoding: a revision such as refs/pr/1 arrives as one encoded segment.
    const rawPath = new URL(request.url ?? "/", "http://x").pathname;
    requests.push(decodeURIComponent(rawPath));
    const api = /^\/api\/models\/(.+?)\/(revision|tree)\/([^/]+)$/.exec(rawPath);
    if (api) {
      const [, rawId = "", route, revision = ""] = api;
      const id = decodeURIComponent(rawId);
      const behaviour = behaviourAt(behaviours, id, decodeURIComponent(revision));
      const folder = join(modelsDir, behaviour.from ?? id);
      if (behaviour.status || !existsSync(folder)) {
        response.writeHead(behaviour.status ?? 404, { "Content-Type": "application/json" }).end("{}");
        return;
      }
      const body =
        route === "revision"
          ? {
              _id: id,
              id,
              private: false,
              gated: false,
              downloads: 0,
              likes: 0,
              cardData: { license: behaviour.license },
            }
          : listTree(folder);
      response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(body));
      return;
    }
    const match = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(rawPath);
    if (!match) {
      response.writeHead(404).end("not a resolve URL");
      return;
    }
    const [id = "", revision = "", file = ""] = match.slice(1).map(decodeURIComponent);
    const behaviour = behaviourAt(behaviours, id, revision);
    const answer = () => {
      if (behaviour.status) {
        response.writeHead(behaviour.status).end();
        return;
      }
      const absolute = normalize(join(modelsDir, behaviour.from ?? id, file));
      if (
        !absolute.startsWith(normalize(modelsDir)) ||
        !existsSync(absolute) ||
        statSync(absolute).isDirectory()
      ) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "Content-Length": String(statSync(absolute).size) });
      createReadStream(absolute).pipe(response);
    };
    const held = behaviour.hold ?? Promise.resolve();
    void held.then(() => {
      if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** How a model answers at a revision: as given for `main` and `HEAD`, 404 for a revision it lacks. */
function behaviourAt(
  behaviours: Record<string, ModelBehaviour>,
  id: string,
  revision: string,
): Omit<ModelBehaviour, "revisions"> {
  const { revisions, ...behaviour } = behaviours[id] ?? {};
  if (revision === "main" || revision === "HEAD") return behaviour;
  const atRevision = revisions?.[revision];
  return atRevision ? { ...behaviour, ...atRevision } : { status: 404 };
}

function listTree(folder: string): { type: "file"; path: string; size: number }[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
    .map((entry) => {
      const absolute = join(entry.parentPath, entry.name);
      return { type: "file" as const, path: relative(folder, absolute), size: statSync(absolute).size };
    });
}
