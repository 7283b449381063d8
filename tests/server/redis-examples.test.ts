import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sc from "spacecraft";
import type { RunningServer, ServeOptions } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { countedExamples } from "../fixtures/counted-examples.js";
import type { RedisServer } from "./redis-server.js";
import { startRedis, startWorker as startWorkerProcess } from "./redis-server.js";
import { connect } from "./ws-client.js";

const app = fileURLToPath(new URL("../fixtures/counted-examples.ts", import.meta.url));
const EXAMPLES = ["one", "two", "three"];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sc-redis-examples-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const servers: RunningServer[] = [];
const children: ChildProcess[] = [];
const redises: RedisServer[] = [];
afterEach(async () => {
  await Promise.all(
    children.splice(0).map((child) => {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      return exited;
    }),
  );
  await Promise.all(servers.splice(0).map((server) => server.close({ timeoutMs: 1000 })));
  await Promise.all(redises.splice(0).map((redis) => redis.stop()));
});

/** A Redis of its own, a shared files folder and a runs file for one test. */
async function setUp(name: string) {
  const redis = await startRedis();
  redises.push(redis);
  const runs = join(dir, `${name}.runs`);
  process.env.EXAMPLE_RUNS = runs;
  return { redis, runs, filesDir: join(dir, `${name}-files`) };
}

async function replica(
  space: sc.Space,
  redisUrl: string,
  filesDir: string,
  redis: Partial<NonNullable<ServeOptions["redis"]>> = {},
): Promise<RunningServer> {
  const server = await serve(space, {
    port: 0,
    logError: () => {},
    filesDir,
    redis: { url: redisUrl, ...redis },
  });
  servers.push(server);
  return server;
}

/** The runs of `fn` the runs file records, as `<text> <pid>` lines. */
function runsIn(file: string): string[] {
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/** The id of the Space's examples table, from its config. */
async function datasetId(url: string): Promise<number> {
  const config = (await (await fetch(`${url}/config`)).json()) as sc.SpaceConfig;
  const dataset = config.components.find((component) => component.type === "dataset");
  if (!dataset) throw new Error("the config has no examples table");
  return dataset.id;
}

/** Asks a replica for an example's cached outputs. */
async function cached(url: string, index: number) {
  const response = await fetch(`${url}/gradio_api/cached_examples/${await datasetId(url)}/${index}.json`);
  return { status: response.status, body: (await response.json()) as { data?: unknown[]; error?: string } };
}

/** Polls until `check` holds (45 s: a busy machine), failing with `what`. */
async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every example's cached outputs from a replica, once all three are there. */
async function allCached(url: string, who: string): Promise<unknown[][]> {
  await until(`${who} to serve the three cached examples`, async () => {
    for (const index of EXAMPLES.keys()) if ((await cached(url, index)).status !== 200) return false;
    return true;
  });
  return Promise.all(EXAMPLES.map(async (_, index) => (await cached(url, index)).body.data as unknown[]));
}

/** The example's outputs' image, fetched from `url` (a replica that may not have made it). */
async function fetchImage(url: string, outputs: unknown[]): Promise<Response> {
  const image = outputs[1] as sc.FileData;
  expect(image?.url, "the image output is a URL of the file store").toMatch(/\/gradio_api\/file=/);
  return fetch(new URL(image.url as string, url));
}

async function startWorker(redisUrl: string, filesDir: string, runs: string): Promise<ChildProcess> {
  const worker = await startWorkerProcess(app, redisUrl, {
    args: ["--files-dir", filesDir],
    env: { EXAMPLE_RUNS: runs },
    onSpawn: (child) => children.push(child),
  });
  return worker.child;
}

describe("cached examples shared by replicas on Redis", () => {
  it("cacheExamples: true runs fn once per example over two replicas, and a later replica runs none", async () => {
    const { redis, runs, filesDir } = await setUp("eager");
    const space = countedExamples(true);
    const [a, b] = await Promise.all([
      replica(space, redis.url, filesDir),
      replica(space, redis.url, filesDir),
    ]);
    const [fromA, fromB] = await Promise.all([allCached(a.url, "replica A"), allCached(b.url, "replica B")]);
    expect(fromB, "both replicas serve the same outputs: one run each").toEqual(fromA);
    expect(
      runsIn(runs)
        .map((line) => line.split(" ")[0])
        .sort(),
      "fn ran once per example over both replicas",
    ).toEqual([...EXAMPLES].sort());
    const image = await fetchImage(b.url, fromA[0] as unknown[]);
    expect(image.status, "an output file is served by either replica (the shared files folder)").toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");

    const later = await replica(space, redis.url, filesDir);
    expect(await allCached(later.url, "a replica started after the cache filled")).toEqual(fromA);
    // A run the later replica queues after start-up: its eager fill (queued before) had its turn.
    const client = await connect(later.url);
    client.send({ type: "predict", id: "after", endpoint: 0, data: ["after"] });
    const end = await client.next(
      (m) => "id" in m && m.id === "after" && (m.type === "complete" || m.type === "error"),
      45_000,
    );
    await client.close();
    expect(end.type, `a visitor's run on the later replica completes: ${JSON.stringify(end)}`).toBe(
      "complete",
    );
    expect(
      runsIn(runs).map((line) => line.split(" ")[0]),
      "the later replica read the kept outputs and ran no example",
    ).toEqual([
      ...runsIn(runs)
        .slice(0, 3)
        .map((line) => line.split(" ")[0]),
      "after",
    ]);
    expect(runsIn(runs).length).toBe(4);
  });

  it('cacheExamples: "lazy" runs each example once however many replicas ask at once', async () => {
    const { redis, runs, filesDir } = await setUp("lazy");
    const space = countedExamples("lazy");
    const [a, b] = await Promise.all([
      replica(space, redis.url, filesDir),
      replica(space, redis.url, filesDir),
    ]);
    expect(runsIn(runs), "nothing runs at start-up").toEqual([]);
    const asked = await Promise.all(
      [a, b, a, b].flatMap((server) => EXAMPLES.map((_, index) => cached(server.url, index))),
    );
    for (const [i, answer] of asked.entries()) {
      expect(answer.status, `answer ${i}: ${JSON.stringify(answer.body)}`).toBe(200);
      const index = i % EXAMPLES.length;
      expect(answer.body, `answer ${i} is example ${index}'s one result`).toEqual(asked[index]?.body);
    }
    expect(
      runsIn(runs)
        .map((line) => line.split(" ")[0])
        .sort(),
      "fn ran once per example over both replicas",
    ).toEqual([...EXAMPLES].sort());
    const later = await replica(space, redis.url, filesDir);
    expect((await cached(later.url, 1)).body, "a later replica serves the kept outputs").toEqual(
      asked[1]?.body,
    );
    expect(runsIn(runs).length, "without running fn").toBe(3);
  });

  it("kept outputs whose files are gone from the files folder are computed again", async () => {
    const { redis, runs, filesDir } = await setUp("expired");
    const space = countedExamples(true);
    const first = await replica(space, redis.url, filesDir);
    const before = await allCached(first.url, "the first replica");
    await first.close({ timeoutMs: 1000 });
    // As the sweep does to files nobody held for an hour: the image of example 1 is gone.
    const image = (before[0] as unknown[])[1] as sc.FileData;
    rmSync(join(filesDir, image.path.split("/")[0] as string), { recursive: true, force: true });
    const second = await replica(space, redis.url, filesDir);
    await until("the second replica to run example 1 again", () => runsIn(runs).length === 4);
    expect(
      runsIn(runs).map((line) => line.split(" ")[0]),
      "only the example whose file was gone",
    ).toEqual([...EXAMPLES, "one"]);
    const after = await allCached(second.url, "the second replica");
    expect(after.slice(1), "the others are served as kept").toEqual(before.slice(1));
    const fresh = (after[0] as unknown[])[1] as sc.FileData;
    expect(fresh.path, "a new file").not.toBe(image.path);
    expect((await fetchImage(second.url, after[0] as unknown[])).status).toBe(200);
  });

  it("an example that fails runs once over the replicas, is logged by the one that ran it, and stays uncached", async () => {
    const { redis, filesDir } = await setUp("failing");
    let runs = 0;
    const space = sc.Interface({
      fn: (text: string) => {
        runs += 1;
        if (text === "boom") throw new Error("no boom today");
        return text.toUpperCase();
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
      examples: [["ok"], ["boom"]],
      cacheExamples: "lazy",
    });
    const logs: string[] = [];
    const start = () =>
      serve(space, {
        port: 0,
        filesDir,
        redis: { url: redis.url },
        logError: (message) => void logs.push(message),
      });
    const [a, b] = await Promise.all([start(), start()]);
    servers.push(a, b);
    const answers = await Promise.all([
      cached(a.url, 1),
      cached(b.url, 1),
      cached(a.url, 1),
      cached(b.url, 1),
    ]);
    expect(
      answers.map((answer) => answer.status),
      "no replica has outputs for the failed example",
    ).toEqual([404, 404, 404, 404]);
    expect(runs, "it ran once over both replicas").toBe(1);
    const failures = logs.filter((message) => message.startsWith("Example 2 of"));
    expect(failures, `logged once, naming the example: ${logs.join(" | ")}`).toHaveLength(1);
    expect(failures[0]).toMatch(/could not be cached .*clicking it runs the function as usual/);
    expect((await cached(b.url, 0)).body, "the other example is cached").toEqual({ data: ["OK"] });
  });

  it("web-only replicas leave the examples' runs to the worker", async () => {
    const { redis, runs, filesDir } = await setUp("web-only");
    const space = countedExamples(true);
    const [a, b] = await Promise.all([
      replica(space, redis.url, filesDir, { work: false }),
      replica(space, redis.url, filesDir, { work: false }),
    ]);
    const worker = await startWorker(redis.url, filesDir, runs);
    const fromA = await allCached(a.url, "web-only replica A");
    expect(await allCached(b.url, "web-only replica B")).toEqual(fromA);
    const lines = runsIn(runs);
    expect(lines.map((line) => line.split(" ")[0]).sort(), "one run per example").toEqual(
      [...EXAMPLES].sort(),
    );
    expect(
      lines.every((line) => line.endsWith(` ${worker.pid}`)),
      `every run was the worker's (pid ${worker.pid}), none in the web-only replicas (pid ${process.pid}): ${lines.join(", ")}`,
    ).toBe(true);
    expect((fromA[0] as unknown[])[0]).toBe(`ONE by ${worker.pid}`);
    const image = await fetchImage(b.url, fromA[0] as unknown[]);
    expect(image.status, "the worker's output file is served by a replica").toBe(200);
  });
});
