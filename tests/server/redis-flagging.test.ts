import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { StartedCli } from "./cli.js";
import { startCli } from "./cli.js";
import type { RedisServer } from "./redis-server.js";
import { startRedis } from "./redis-server.js";
import type { ProtocolClient } from "./ws-client.js";
import { connect } from "./ws-client.js";

/** Upper-cases the text and gives the file back. */
function fileSpace(flagging: "manual" | "auto") {
  return sc.Interface({
    fn: (text, doc) => [text.toUpperCase(), doc],
    inputs: [sc.Textbox({ label: "Text" }), sc.File({ label: "Doc" })],
    outputs: [sc.Textbox({ label: "Upper" }), sc.File({ label: "Doc" })],
    flagging,
  });
}

/** Upper-cases the text. */
function textSpace(flagging: "manual" | "auto") {
  return sc.Interface({
    fn: (text) => text.toUpperCase(),
    inputs: [sc.Textbox({ label: "Text" })],
    outputs: [sc.Textbox({ label: "Upper" })],
    flagging,
  });
}

let redis: RedisServer;
let work: string;
let filesDir: string;
beforeAll(async () => {
  redis = await startRedis();
  work = mkdtempSync(join(tmpdir(), "sc-redis-flagging-"));
  filesDir = join(work, "files");
});
afterAll(async () => {
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
});

const servers: RunningServer[] = [];
const clients: ProtocolClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await Promise.all(servers.splice(0).map((server) => server.close({ timeoutMs: 1000 })));
});

/**
 * Two replicas of one app as on two machines: each its own app folder (so each would write its
 * own `flagged/`), one Redis and one shared files folder, and `--flagging-dir` naming one folder.
 * Each test has its own Redis prefix, so its pages' counts start afresh.
 */
async function replicas(
  space: sc.Space,
  name: string,
  maxMessageBytes?: number,
): Promise<{ a: RunningServer; b: RunningServer; dir: string }> {
  const dir = join(work, `${name}-flags`);
  const prefix = `sc-test-${name}`;
  const start = (machine: string) => {
    const root = join(work, `${name}-${machine}`);
    mkdirSync(root, { recursive: true });
    return serve(space, {
      port: 0,
      logError: () => {},
      root,
      filesDir,
      flaggingDir: dir,
      redis: { url: redis.url, prefix },
      ...(maxMessageBytes === undefined ? {} : { maxMessageBytes }),
    });
  };
  const [a, b] = await Promise.all([start("a"), start("b")]);
  servers.push(a, b);
  return { a, b, dir };
}

async function page(server: { url: string }): Promise<{ session: string; client: ProtocolClient }> {
  const session = randomBytes(16).toString("base64url");
  const client = await connect(server.url, {}, session);
  clients.push(client);
  return { session, client };
}

async function upload(server: { url: string }, text: string, name: string): Promise<sc.FileData> {
  const form = new FormData();
  form.append("files", new Blob([text]), name);
  const response = await fetch(`${server.url}/gradio_api/upload`, { method: "POST", body: form });
  expect(response.status, "the upload is accepted").toBe(200);
  const [path] = (await response.json()) as string[];
  return { path: path as string, orig_name: name, meta: { _type: "gradio.FileData" } };
}

async function run(client: ProtocolClient, id: string, data: unknown[]) {
  client.send({ type: "predict", id, endpoint: "predict", data });
  const end = await client.next(
    (m) =>
      "id" in m && m.id === id && (m.type === "complete" || m.type === "error" || m.type === "cancelled"),
    30_000,
  );
  expect(end.type, `run ${id} completes (${JSON.stringify(end).slice(0, 300)})`).toBe("complete");
}

function flag(server: { url: string }, body: unknown): Promise<Response> {
  return fetch(`${server.url}/gradio_api/flag`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** The lines of `<dir>/predict.jsonl`; a line that is not whole JSON fails the test naming it. */
function lines(dir: string): Record<string, unknown>[] {
  const path = join(dir, "predict.jsonl");
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line, i) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`line ${i + 1} of ${path} is not whole JSON (lines mixed): ${line.slice(0, 80)}…`);
      }
    });
}

/** Polls until `check` passes (30 s), failing with `what` and the last value seen. */
async function eventually<T>(read: () => T, check: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}; last seen ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("flagging with replicas on Redis", () => {
  it("a flag sent to the replica that did not run the job is written, with its files, in the one folder", async () => {
    const { a, b, dir } = await replicas(fileSpace("manual"), "other");
    const { session, client } = await page(a);
    const early = await flag(b, { session });
    expect(early.status, "before a run, on the other replica too").toBe(409);
    expect(((await early.json()) as { error: string }).error).toBe(
      "Nothing to flag yet: run the demo, then flag its result.",
    );
    await run(client, "1", ["first", await upload(a, "not this one", "old.txt")]);
    await run(client, "2", ["second", await upload(a, "flag me", "notes.txt")]);
    const response = await flag(b, { session });
    expect(response.status, `replica B flags what replica A ran: ${await response.clone().text()}`).toBe(201);
    const [line, ...more] = lines(dir);
    expect(more, "one flag, one line").toEqual([]);
    const inputs = line?.inputs as Record<string, unknown>;
    const outputs = line?.outputs as Record<string, unknown>;
    expect(inputs.Text, "the last run the server sent, not an earlier one").toBe("second");
    expect(outputs.Upper).toBe("SECOND");
    for (const file of [inputs.Doc, outputs.Doc] as { path: string }[]) {
      expect(file.path, "files copied beside the lines").toMatch(/^files\/[0-9a-f-]{36}\/notes\.txt$/);
      expect(readFileSync(join(dir, file.path), "utf8")).toBe("flag me");
    }
    for (const machine of ["a", "b"]) {
      expect(
        existsSync(join(work, `other-${machine}`, "flagged")),
        `nothing in replica ${machine}'s app folder`,
      ).toBe(false);
    }
    const stranger = randomBytes(16).toString("base64url");
    expect((await flag(a, { session: stranger })).status, "another page that ran nothing").toBe(409);
  });

  it("refuses, on every replica, a flag of a run whose values pass 16 MB, and flags the next run", async () => {
    const space = sc.Interface({
      // "big" makes 17 MB of text; anything else comes back as it is.
      fn: (text) => (text === "big" ? "x".repeat(17 * 1024 ** 2) : text),
      inputs: [sc.Textbox({ label: "Text" })],
      outputs: [sc.Textbox({ label: "Out" })],
      flagging: "manual",
    });
    const { a, b, dir } = await replicas(space, "large");
    const { session, client } = await page(a);
    await run(client, "1", ["big"]);
    for (const [name, server] of [
      ["A", a],
      ["B", b],
    ] as const) {
      const refused = await flag(server, { session });
      expect(refused.status, `replica ${name} refuses it`).toBe(413);
      expect(((await refused.json()) as { error: string }).error).toBe(
        "This result is too large to flag (17 MB); a flag holds at most 16 MB.",
      );
    }
    expect(lines(dir), "nothing written").toEqual([]);
    await run(client, "2", ["small"]);
    const response = await flag(b, { session });
    expect(response.status, `the next run is flagged: ${await response.clone().text()}`).toBe(201);
    expect(lines(dir).map((line) => (line.outputs as Record<string, unknown>).Out)).toEqual(["small"]);
  });

  it("limits a page to 20 flags a minute over every replica", async () => {
    const { a, b, dir } = await replicas(textSpace("manual"), "limited");
    const { session, client } = await page(b);
    await run(client, "1", ["again"]);
    for (let i = 0; i < 20; i++) {
      const response = await flag(i % 2 === 0 ? a : b, { session });
      expect(response.status, `flag ${i + 1}, to replica ${i % 2 === 0 ? "A" : "B"}`).toBe(201);
    }
    for (const server of [a, b]) {
      const refused = await flag(server, { session });
      expect(refused.status, "the 21st flag, whichever replica gets it").toBe(429);
      expect(((await refused.json()) as { error: string }).error).toMatch(/at most 20 a minute/);
    }
    expect(lines(dir)).toHaveLength(20);
  });

  it("writes whole lines when pages on both replicas flag long runs at once", async () => {
    const { a, b, dir } = await replicas(textSpace("manual"), "concurrent", 8 * 1024 ** 2);
    const pages = await Promise.all([a, b, a, b, a, b].map((server) => page(server)));
    // Lines of 3 MB: Node writes them 512 KB at a time, so two writers at once would mix them.
    const long = "x".repeat(1_500_000);
    await Promise.all(pages.map(({ client }, i) => run(client, `r${i}`, [`${i}${long}`])));
    // Each page flagged through the replica that did not run it, all at once.
    const answers = await Promise.all(pages.map(({ session }, i) => flag(i % 2 === 0 ? b : a, { session })));
    expect(answers.map((answer) => answer.status)).toEqual(pages.map(() => 201));
    const written = lines(dir).map((line) => (line.inputs as { Text: string }).Text);
    expect(written.map((text) => Number.parseInt(text, 10)).sort((x, y) => x - y)).toEqual(
      pages.map((_, i) => i),
    );
    for (const text of written) expect(text.length, "each line whole").toBe(long.length + 1);
  });

  it("in auto mode every replica writes its pages' runs to the one folder", async () => {
    const { a, b, dir } = await replicas(textSpace("auto"), "auto");
    const onA = await page(a);
    const onB = await page(b);
    await run(onA.client, "1", ["from a"]);
    await run(onB.client, "1", ["from b"]);
    const written = await eventually(
      () => lines(dir).map((line) => (line.inputs as { Text: string }).Text),
      (texts) => texts.length === 2,
      "both replicas' runs flagged in the one folder",
    );
    expect(written.sort()).toEqual(["from a", "from b"]);
  });

  it("spacecraft start --flagging-dir: two replica processes flag into that one folder", async () => {
    const app = fileURLToPath(new URL("../fixtures/flag-app.ts", import.meta.url));
    const dir = join(work, "cli-flags");
    const args = ["--redis", redis.url, "--files-dir", filesDir, "--flagging-dir", dir];
    const started: StartedCli[] = [];
    try {
      started.push(
        ...(await Promise.all([startCli(app, process.env, args), startCli(app, process.env, args)])),
      );
      const [a, b] = started as [StartedCli, StartedCli];
      const { session, client } = await page(a);
      await run(client, "1", ["from the cli"]);
      const response = await flag(b, { session });
      expect(response.status, `the other process flags it: ${await response.clone().text()}`).toBe(201);
      expect(lines(dir).map((line) => (line.outputs as { Upper: string }).Upper)).toEqual(["FROM THE CLI"]);
      expect(
        existsSync(fileURLToPath(new URL("../fixtures/flagged", import.meta.url))),
        "not beside the app",
      ).toBe(false);
    } finally {
      await Promise.all(
        started.map(
          ({ child }) =>
            new Promise((resolve) => {
              if (child.exitCode !== null) return resolve(undefined);
              child.once("exit", resolve);
              child.kill("SIGTERM");
            }),
        ),
      );
    }
  });

  it("refuses flaggingDir for a Space that flags nothing, saying what to do", async () => {
    const space = sc.Interface({ fn: (text) => text, inputs: [sc.Textbox()], outputs: [sc.Textbox()] });
    await expect(serve(space, { port: 0, flaggingDir: join(work, "unused") })).rejects.toThrow(
      /flaggingDir \(--flagging-dir\) is for a Space that flags runs: set flagging: "manual" or "auto"/,
    );
    expect(existsSync(join(work, "unused")), "no folder made").toBe(false);
  });
});
