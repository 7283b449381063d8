import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { ProtocolClient } from "./ws-client.js";
import { connect } from "./ws-client.js";

const work = mkdtempSync(join(tmpdir(), "sc-flagging-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Upper-cases the text and gives the file back; State counts runs and never leaves the engine. */
function makeSpace(flagging: "manual" | "auto", dir: string, flaggingOptions?: string[]) {
  return sc.Interface({
    fn: (text, doc, runs) => [text.toUpperCase(), doc, runs + 1],
    inputs: [sc.Textbox({ label: "Text" }), sc.File({ label: "Doc" }), sc.State(0)],
    outputs: [sc.Textbox({ label: "Upper" }), sc.File({ label: "Doc" }), sc.State(0)],
    flagging,
    flaggingDir: dir,
    ...(flaggingOptions ? { flaggingOptions } : {}),
  });
}

/** Upper-cases the text. */
function textSpace(flagging: "manual" | "auto", dir: string, flaggingOptions?: string[]) {
  return sc.Interface({
    fn: (text) => text.toUpperCase(),
    inputs: [sc.Textbox({ label: "Text" })],
    outputs: [sc.Textbox({ label: "Upper" })],
    flagging,
    flaggingDir: dir,
    ...(flaggingOptions ? { flaggingOptions } : {}),
  });
}

const servers: RunningServer[] = [];
const clients: ProtocolClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await Promise.all(servers.splice(0).map((server) => server.close({ timeoutMs: 1000 })));
});

async function start(space: sc.Space): Promise<RunningServer> {
  const server = await serve(space, { port: 0, logError: () => {}, root: work });
  servers.push(server);
  return server;
}

async function page(server: RunningServer): Promise<{ session: string; client: ProtocolClient }> {
  const session = randomBytes(16).toString("base64url");
  const client = await connect(server.url, {}, session);
  clients.push(client);
  return { session, client };
}

async function upload(server: RunningServer, text: string, name: string): Promise<sc.FileData> {
  const form = new FormData();
  form.append("files", new Blob([text]), name);
  const response = await fetch(`${server.url}/gradio_api/upload`, { method: "POST", body: form });
  expect(response.status, "the upload is accepted").toBe(200);
  const [path] = (await response.json()) as string[];
  return { path: path as string, orig_name: name, meta: { _type: "gradio.FileData" } };
}

async function run(client: ProtocolClient, id: string, data: unknown[]) {
  client.send({ type: "predict", id, endpoint: "predict", data });
  const end = await client.end(id);
  expect(end.type, `run ${id} completes (${JSON.stringify(end)})`).toBe("complete");
}

function flag(server: RunningServer, body: unknown): Promise<Response> {
  return fetch(`${server.url}/gradio_api/flag`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function lines(dir: string): Record<string, unknown>[] {
  const path = join(work, dir, "predict.jsonl");
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Polls until `check` passes (a flag in auto mode is written after the run's `complete`). */
async function eventually<T>(read: () => T, check: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}; last seen ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("flagging on a server Space", () => {
  it("flags the last run the server sent the page, with its files copied", async () => {
    const server = await start(makeSpace("manual", "manual-flags"));
    const { session, client } = await page(server);
    const doc = await upload(server, "flag me", "notes.txt");
    await run(client, "1", ["first", await upload(server, "not this one", "old.txt"), null]);
    await run(client, "2", ["second", doc, null]);
    const response = await flag(server, { session });
    expect(response.status, await response.clone().text()).toBe(201);
    const [line, ...more] = lines("manual-flags");
    expect(more, "one flag, one line").toEqual([]);
    expect(line?.reason).toBeNull();
    expect(Date.parse(line?.flagged_at as string)).not.toBeNaN();
    const inputs = line?.inputs as Record<string, unknown>;
    const outputs = line?.outputs as Record<string, unknown>;
    expect(inputs.Text, "the last run's inputs, by label").toBe("second");
    expect(outputs.Upper).toBe("SECOND");
    expect(Object.keys(outputs), "two outputs labelled Doc stay apart; State is left out").toEqual([
      "Upper",
      "Doc",
    ]);
    for (const file of [inputs.Doc, outputs.Doc] as { path: string; orig_name: string }[]) {
      expect(file.path, "paths are relative to the flagging folder").toMatch(
        /^files\/[0-9a-f-]{36}\/notes\.txt$/,
      );
      expect(file.orig_name).toBe("notes.txt");
      expect(readFileSync(join(work, "manual-flags", file.path), "utf8")).toBe("flag me");
    }
  });

  it("refuses a flag before any run, and bad requests naming the field", async () => {
    const server = await start(textSpace("manual", "refusals", ["Wrong", "Offensive"]));
    const { session, client } = await page(server);
    const early = await flag(server, { session, reason: "Wrong" });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: string }).error).toBe(
      "Nothing to flag yet: run the demo, then flag its result.",
    );
    await run(client, "1", ["hi"]);
    const cases: [unknown, number, RegExp][] = [
      [{ session, reason: "Boring" }, 400, /^reason: pick one of "Wrong", "Offensive", not "Boring"\.$/],
      [{ session }, 400, /^reason: pick one of/],
      [{ reason: "Wrong" }, 400, /^session: send the page's session id/],
      [{ session: "../../etc", reason: "Wrong" }, 400, /^session:/],
      [{ session, reason: "Wrong", values: { 1: "forged" } }, 400, /^values: a flag takes only/],
      [[1, 2], 400, /^Send \{ "session"/],
      [{ session, reason: "x".repeat(5000) }, 413, /^The flag request is too large \(over 4 KB\)/],
    ];
    for (const [body, status, message] of cases) {
      const response = await flag(server, body);
      const answer = (await response.json()) as { error: string };
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(answer.error).toMatch(message);
    }
    expect(lines("refusals"), "nothing refused was written").toEqual([]);
    const ok = await flag(server, { session, reason: "Offensive" });
    expect(ok.status, "the server still flags after refusals").toBe(201);
    expect(lines("refusals").map((line) => line.reason)).toEqual(["Offensive"]);
  });

  it("refuses a flag for another page's session that ran nothing", async () => {
    const server = await start(textSpace("manual", "sessions"));
    const { client } = await page(server);
    await run(client, "1", ["mine"]);
    const stranger = randomBytes(16).toString("base64url");
    expect((await flag(server, { session: stranger })).status).toBe(409);
    expect(lines("sessions")).toEqual([]);
  });

  it("limits each page to 20 flags a minute", async () => {
    const server = await start(textSpace("manual", "limited"));
    const { session, client } = await page(server);
    await run(client, "1", ["again"]);
    for (let i = 0; i < 20; i++) expect((await flag(server, { session })).status, `flag ${i + 1}`).toBe(201);
    const refused = await flag(server, { session });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: string }).error).toMatch(/at most 20 a minute/);
    expect(lines("limited")).toHaveLength(20);
  });

  it("writes whole lines when many pages flag at once", async () => {
    const server = await start(textSpace("manual", "concurrent"));
    const pages = await Promise.all(Array.from({ length: 12 }, () => page(server)));
    const long = "x".repeat(20_000);
    await Promise.all(pages.map(({ client }, i) => run(client, `r${i}`, [`${i}${long}`])));
    const answers = await Promise.all(pages.map(({ session }) => flag(server, { session })));
    expect(answers.map((answer) => answer.status)).toEqual(pages.map(() => 201));
    const written = lines("concurrent").map((line) => (line.inputs as { Text: string }).Text);
    expect(written.map((text) => Number.parseInt(text, 10)).sort((a, b) => a - b)).toEqual(
      pages.map((_, i) => i),
    );
  });

  it("in auto mode flags every successful run, and the config shows no button", async () => {
    const server = await start(textSpace("auto", "auto-flags"));
    const config = (await (await fetch(`${server.url}/config`)).json()) as sc.SpaceConfig;
    expect(config.spacecraft.flagging).toEqual({ mode: "auto", options: [] });
    const { client } = await page(server);
    await run(client, "1", ["one"]);
    await run(client, "2", ["two"]);
    client.send({ type: "predict", id: "3", endpoint: "predict", data: [42] });
    expect((await client.end("3")).type, "a refused run is not flagged").toBe("error");
    const written = await eventually(
      () => lines("auto-flags"),
      (found) => found.length === 2,
      "two runs are flagged",
    );
    expect(written.map((line) => (line.outputs as { Upper: string }).Upper)).toEqual(["ONE", "TWO"]);
    expect(readdirSync(join(work, "auto-flags"))).toEqual(["predict.jsonl"]);
  });
});

describe("flagging a chat", () => {
  it("flags the conversation the page's last reply ended", async () => {
    const chat = sc.ChatInterface({
      fn: (message) => `You said: ${message}`,
      flagging: "manual",
      flaggingDir: "chat-flags",
    });
    const server = await start(chat);
    const { session, client } = await page(server);
    client.send({ type: "predict", id: "c1", endpoint: "chat_page", data: ["hello", []] });
    const end = await client.end("c1");
    expect(end.type, JSON.stringify(end)).toBe("complete");
    const response = await flag(server, { session });
    expect(response.status, await response.clone().text()).toBe(201);
    const written = readFileSync(join(work, "chat-flags", "chat_page.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(written).toHaveLength(1);
    const outputs = JSON.parse(written[0] as string).outputs as Record<string, unknown>;
    expect(JSON.stringify(outputs), "the reply is in the flagged conversation").toContain("You said: hello");
  });
});

describe("flagging options", () => {
  it("is off by default: no button in the config, no route", async () => {
    const space = sc.Interface({ fn: (text) => text, inputs: [sc.Textbox()], outputs: [sc.Textbox()] });
    expect(space.toConfig().spacecraft.flagging).toBeUndefined();
    const server = await start(space);
    expect((await flag(server, { session: "a".repeat(22) })).status).toBe(404);
  });

  it("a static Space's config has no flagging: there is no server to write to", () => {
    const space = makeSpace("manual", "static");
    expect(space.toConfig().spacecraft.flagging).toEqual({ mode: "manual", options: [] });
    expect(space.toConfig({ runtime: "worker" }).spacecraft.flagging).toBeUndefined();
  });

  it("refuses bad flagging options with the fix", () => {
    const base = { fn: (text: string) => text, inputs: [sc.Textbox()], outputs: [sc.Textbox()] } as const;
    expect(() => sc.Interface({ ...base, flagging: "always" as never })).toThrow(
      'Interface: flagging must be "manual", "auto" or "never", not "always".',
    );
    expect(() => sc.Interface({ ...base, flagging: "manual", flaggingOptions: ["a", "a"] })).toThrow(
      /flaggingOptions must be a list of different, non-empty strings/,
    );
    expect(() => sc.Interface({ ...base, flaggingOptions: ["Wrong"] })).toThrow(
      /need flagging: "manual" or "auto"/,
    );
  });
});
