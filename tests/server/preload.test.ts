import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_OUT_DIR, makeTinyModels } from "../models/make-tiny-models.js";
import { connect } from "./ws-client.js";

const home = mkdtempSync(join(tmpdir(), "spacecraft-preload-home-"));
const hfHome = mkdtempSync(join(tmpdir(), "spacecraft-preload-hf-"));
const servers: RunningServer[] = [];
const saved = {
  HOME: process.env.HOME,
  HF_HOME: process.env.HF_HOME,
  HF_HUB_OFFLINE: process.env.HF_HUB_OFFLINE,
};

/**
 * Lays `files` out as huggingface_hub does (and so `preload_from_hub` at a Space's build):
 * `~/.cache/huggingface/hub/models--owner--name/` with content-addressed `blobs/`, a snapshot
 * of links to them, and `refs/main` naming the snapshot.
 */
function preloadLikeTheHub(id: string, files: string): void {
  const repo = join(home, ".cache/huggingface/hub", `models--${id.replace("/", "--")}`);
  const sha = "0123456789abcdef0123456789abcdef01234567";
  const snapshot = join(repo, "snapshots", sha);
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) =>
      statSync(join(dir, entry)).isDirectory() ? walk(join(dir, entry)) : [join(dir, entry)],
    );
  for (const [i, file] of walk(files).entries()) {
    const path = relative(files, file);
    const blob = join(repo, "blobs", `blob${i}`);
    mkdirSync(join(repo, "blobs"), { recursive: true });
    copyFileSync(file, blob);
    mkdirSync(join(snapshot, path, ".."), { recursive: true });
    symlinkSync(relative(join(snapshot, path, ".."), blob), join(snapshot, path));
  }
  mkdirSync(join(repo, "refs"), { recursive: true });
  writeFileSync(join(repo, "refs", "main"), sha);
}

beforeAll(async () => {
  const dirs = await makeTinyModels(DEFAULT_OUT_DIR);
  preloadLikeTheHub("someone/preloaded-sentiment", dirs["tiny/sentiment"] as string);
  // Offline, with an empty transformers.js cache: the model can only come from the preloaded copy.
  process.env.HOME = home;
  process.env.HF_HOME = hfHome;
  process.env.HF_HUB_OFFLINE = "1";
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close({ timeoutMs: 100 })));
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(home, { recursive: true, force: true });
  rmSync(hfHome, { recursive: true, force: true });
});

async function classify(model: string) {
  const server = await serve(sc.Interface.fromPipeline("text-classification", model), {
    port: 0,
    logError: () => {},
  });
  servers.push(server);
  const client = await connect(server.url);
  client.send({ type: "predict", id: "p", endpoint: 0, data: ["I love this"] });
  const result = await client.end("p");
  await client.close();
  return result;
}

describe("models preloaded in the Python hub cache (preload_from_hub)", () => {
  it("loads a model from ~/.cache/huggingface/hub without the network", async () => {
    const result = await classify("someone/preloaded-sentiment");
    expect(result, JSON.stringify(result)).toMatchObject({ type: "complete", data: [{ label: "POSITIVE" }] });
  });

  it("still explains a model that is neither preloaded nor reachable", async () => {
    const result = await classify("someone/not-preloaded");
    expect(result.type).toBe("error");
  });
});
