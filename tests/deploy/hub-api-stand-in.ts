import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A Space the stand-in holds. */
export interface StoredSpace {
  sdk: string;
  private: boolean;
  files: Map<string, Buffer>;
  /** Build stages `spaceInfo` walks through, one per look; the last one stays. */
  stages: string[];
  commits: number;
}

/** A dataset repo the stand-in holds (`spacecraft flags push`). */
export interface StoredDataset {
  private: boolean;
  files: Map<string, Buffer>;
  commits: number;
}

/** How the stand-in behaves. */
export interface HubApiOptions {
  /** Tokens it knows: token → user name and role. */
  tokens?: Record<string, { name: string; role: "read" | "write" }>;
  /** Answer `repos/create` for docker Spaces with 402, as for a free account. */
  dockerNeedsPayment?: boolean;
  /** Stages a new Space goes through (default BUILDING then RUNNING). */
  stages?: string[];
}

/**
 * A local stand-in for the Hub API routes `@huggingface/hub` uses to deploy a Space:
 * whoami-v2, repos/create, preupload, LFS batch + upload, commit (NDJSON), and Space info
 * with `subdomain` and `runtime.stage`; dataset repos too (create, preupload, LFS, commit).
 * Reached through the library's `hubUrl`.
 */
export async function startHubApi(options: HubApiOptions = {}) {
  const tokens = options.tokens ?? { hf_writer: { name: "alice", role: "write" } };
  const spaces = new Map<string, StoredSpace>();
  const datasets = new Map<string, StoredDataset>();
  const lfs = new Map<string, Buffer>();
  const requests: string[] = [];
  let url = "";

  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    requests.push(`${request.method} ${path}`);
    const body = await readBody(request);
    const user = tokens[(request.headers.authorization ?? "").replace(/^Bearer /, "")];
    const json = (status: number, data: unknown) =>
      send(response, status, JSON.stringify(data), "application/json");
    if (path.startsWith("/lfs-upload/")) {
      lfs.set(path.slice("/lfs-upload/".length), body);
      return json(200, {});
    }
    if (!user) return json(401, { error: "Invalid credentials in Authorization header" });

    if (path === "/api/whoami-v2") {
      return json(200, {
        type: "user",
        id: "1",
        name: user.name,
        fullname: user.name,
        orgs: [],
        auth: {
          type: "access_token",
          accessToken: { displayName: "test token", role: user.role, createdAt: "2026-01-01T00:00:00Z" },
        },
      });
    }
    if (path === "/api/repos/create" && request.method === "POST") {
      const payload = JSON.parse(body.toString()) as {
        name: string;
        organization?: string;
        sdk: string;
        private?: boolean;
        type?: string;
        visibility?: string;
      };
      const id = `${payload.organization ?? user.name}/${payload.name}`;
      if (user.role === "read")
        return json(403, { error: "You don't have the rights to create a space under this namespace" });
      if (payload.type === "dataset") {
        if (datasets.has(id))
          return json(409, { error: "You already created this dataset repo", url: `${url}/datasets/${id}` });
        datasets.set(id, {
          private: payload.private ?? payload.visibility === "private",
          files: new Map(),
          commits: 0,
        });
        return json(200, { url: `${url}/datasets/${id}`, id });
      }
      if (spaces.has(id))
        return json(409, { error: "You already created this space repo", url: `${url}/spaces/${id}` });
      if (payload.sdk === "docker" && options.dockerNeedsPayment) {
        return json(402, { error: "Payment required: Docker Spaces need a paid plan" });
      }
      spaces.set(id, {
        sdk: payload.sdk,
        private: payload.private ?? false,
        files: new Map(),
        stages: [...(options.stages ?? ["BUILDING", "RUNNING"])],
        commits: 0,
      });
      return json(200, { url: `${url}/spaces/${id}`, id });
    }
    const preupload = /^\/api\/(?:spaces|datasets)\/([^/]+\/[^/]+)\/preupload\/[^/]+$/.exec(path);
    if (preupload) {
      const { files } = JSON.parse(body.toString()) as { files: { path: string; size: number }[] };
      return json(200, {
        files: files.map((file) => ({
          path: file.path,
          uploadMode: file.size > 1024 * 1024 ? "lfs" : "regular",
          shouldIgnore: false,
        })),
      });
    }
    if (/^\/(?:spaces|datasets)\/[^/]+\/[^/]+\.git\/info\/lfs\/objects\/batch$/.test(path)) {
      const { objects } = JSON.parse(body.toString()) as { objects: { oid: string; size: number }[] };
      return send(
        response,
        200,
        JSON.stringify({
          transfer: "basic",
          objects: objects.map((object) => ({
            ...object,
            actions: { upload: { href: `${url}/lfs-upload/${object.oid}` } },
          })),
        }),
        "application/vnd.git-lfs+json",
      );
    }
    const datasetCommit = /^\/api\/datasets\/([^/]+\/[^/]+)\/commit\/[^/]+$/.exec(path);
    if (datasetCommit) {
      const dataset = datasets.get(datasetCommit[1] ?? "");
      if (!dataset) return json(404, { error: "Repository not found" });
      for (const { key, value } of commitLines(body)) {
        if (key === "file") dataset.files.set(value.path, Buffer.from(value.content ?? "", "base64"));
        if (key === "lfsFile") dataset.files.set(value.path, lfs.get(value.oid ?? "") ?? Buffer.alloc(0));
      }
      dataset.commits++;
      const oid = createHash("sha1").update(body).digest("hex");
      return json(200, { commitOid: oid, commitUrl: `${url}/datasets/${datasetCommit[1]}/commit/${oid}` });
    }
    const commit = /^\/api\/spaces\/([^/]+\/[^/]+)\/commit\/[^/]+$/.exec(path);
    if (commit) {
      const space = spaces.get(commit[1] ?? "");
      if (!space) return json(404, { error: "Repository not found" });
      for (const { key, value } of commitLines(body)) {
        if (key === "file") space.files.set(value.path, Buffer.from(value.content ?? "", "base64"));
        if (key === "lfsFile") space.files.set(value.path, lfs.get(value.oid ?? "") ?? Buffer.alloc(0));
      }
      const readme = space.files.get("README.md")?.toString() ?? "";
      const colour = /^colorFrom:\s*(\S+)/m.exec(readme)?.[1];
      if (
        colour &&
        !["red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray"].includes(colour)
      ) {
        return json(400, {
          error: `Invalid metadata in README.md.\n- "colorFrom" must be one of [red, yellow, green, blue, indigo, purple, pink, gray]`,
        });
      }
      space.commits++;
      const oid = createHash("sha1").update(body).digest("hex");
      return json(200, { commitOid: oid, commitUrl: `${url}/spaces/${commit[1]}/commit/${oid}` });
    }
    const info = /^\/api\/spaces\/([^/]+)\/([^/]+)\/revision\/[^/]+$/.exec(path);
    if (info) {
      const id = `${info[1]}/${info[2]}`;
      const space = spaces.get(id);
      if (!space) return json(404, { error: "Repository not found" });
      const stage = space.stages.length > 1 ? (space.stages.shift() as string) : space.stages[0];
      return json(200, {
        _id: id,
        id,
        sdk: space.sdk,
        likes: 0,
        private: space.private,
        lastModified: "2026-01-01T00:00:00Z",
        subdomain: `${info[1]}-${info[2]}`.toLowerCase(),
        runtime: { stage },
      });
    }
    return json(404, { error: `stand-in has no route for ${request.method} ${path}` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    spaces,
    datasets,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The operations of a commit (NDJSON: a header, then files and LFS files). */
function commitLines(body: Buffer) {
  return body
    .toString()
    .split("\n")
    .filter(Boolean)
    .map(
      (line) => JSON.parse(line) as { key: string; value: { path: string; content?: string; oid?: string } },
    );
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

function send(response: ServerResponse, status: number, body: string, type: string): void {
  response.writeHead(status, { "Content-Type": type });
  response.end(body);
}
