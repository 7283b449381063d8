import { randomBytes } from "node:crypto";
import * as sc from "spacecraft";
import type { RunningServer, ServeOptions } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";

/** Upper-cases the text and gives the file back; State counts runs and never leaves the engine. */
const space = sc.Interface({
  fn: (text, doc, runs) => [text.toUpperCase(), doc, runs + 1],
  inputs: [sc.Textbox({ label: "Text" }), sc.File({ label: "Doc" }), sc.State(0)],
  outputs: [sc.Textbox({ label: "Upper" }), sc.File({ label: "Copy" }), sc.State(0)],
});
const dependency = space.toConfig().dependencies[0] as { inputs: number[]; outputs: number[] };
const [TEXT, DOC, STATE] = dependency.inputs as [number, number, number];
const [UPPER, COPY] = dependency.outputs as [number, number];

const servers: RunningServer[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(servers.splice(0).map((server) => server.close({ timeoutMs: 100 })));
});

async function start(options: ServeOptions = {}): Promise<RunningServer> {
  const server = await serve(space, { port: 0, logError: () => {}, ...options });
  servers.push(server);
  return server;
}

/** A page's session: its id, and an open WebSocket that holds its files, as a page's does. */
async function openSession(server: RunningServer): Promise<string> {
  const session = randomBytes(16).toString("base64url");
  const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/ws?session=${session}`);
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  return session;
}

async function upload(server: RunningServer, text: string, name: string): Promise<sc.FileData> {
  const form = new FormData();
  form.append("files", new Blob([text]), name);
  const response = await fetch(`${server.url}/gradio_api/upload`, { method: "POST", body: form });
  expect(response.status, "the upload is accepted").toBe(200);
  const [path] = (await response.json()) as string[];
  return { path: path as string, orig_name: name, meta: { _type: "gradio.FileData" } };
}

function post(server: RunningServer, body: unknown): Promise<Response> {
  return fetch(`${server.url}/gradio_api/deep_link`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function create(
  server: RunningServer,
  session: string,
  values: Record<number, unknown>,
): Promise<string> {
  const response = await post(server, { session, values });
  const answer = (await response.json()) as { id?: string; error?: string };
  expect(response.status, `the snapshot is kept (${answer.error})`).toBe(201);
  return answer.id as string;
}

function open(server: RunningServer, id: string): Promise<Response> {
  return fetch(`${server.url}/gradio_api/deep_link/${id}`);
}

describe("deep links on a server Space", () => {
  it("keeps a snapshot under an unguessable id and gives it back with each component's type", async () => {
    const server = await start();
    const session = await openSession(server);
    const id = await create(server, session, { [TEXT]: "hello", [UPPER]: "HELLO" });
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const response = await open(server, id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      values: { [TEXT]: "hello", [UPPER]: "HELLO" },
      types: { [TEXT]: "textbox", [UPPER]: "textbox" },
    });
    const other = await create(server, session, { [TEXT]: "hello" });
    expect(other, "each snapshot gets its own id").not.toBe(id);
  });

  it("the page's config says whether the page has a Share button", async () => {
    const on = await start();
    expect(((await (await fetch(`${on.url}/config`)).json()) as sc.SpaceConfig).spacecraft.deepLinks).toBe(
      true,
    );
    const off = await start({ deepLinks: false });
    expect(((await (await fetch(`${off.url}/config`)).json()) as sc.SpaceConfig).spacecraft.deepLinks).toBe(
      false,
    );
    expect((await post(off, { session: "a".repeat(22), values: {} })).status, "no route when off").toBe(404);
  });

  it("answers an unknown id with 404 and a message for the page", async () => {
    const server = await start();
    for (const id of ["AAAAAAAAAAAAAAAAAAAAAA", "not-an-id", "x".repeat(200)]) {
      const response = await open(server, id);
      expect(response.status, id).toBe(404);
      expect(((await response.json()) as { error: string }).error).toBe(
        "This shared link has expired or does not exist.",
      );
    }
  });

  it("forgets a snapshot after its time to live, and its files with it", async () => {
    // Long enough to create, open and fetch once on a busy machine; short enough to wait out.
    const server = await start({ deepLinks: { ttlMs: 3_000 } });
    const session = await openSession(server);
    const doc = await upload(server, "short-lived", "note.txt");
    const id = await create(server, session, { [DOC]: doc });
    const kept = ((await (await open(server, id)).json()) as { values: Record<number, sc.FileData> }).values[
      DOC
    ];
    expect((await fetch(`${server.url}${kept?.url}`)).status, "the file is served while the link lives").toBe(
      200,
    );
    await expect
      .poll(async () => (await open(server, id)).status, { timeout: 30_000, interval: 100 })
      .toBe(404);
    await expect
      .poll(async () => (await fetch(`${server.url}${kept?.url}`)).status, { timeout: 30_000, interval: 100 })
      .toBe(404);
  });

  it("refuses a snapshot over the size limit, naming the limit", async () => {
    const server = await start({ deepLinks: { maxSnapshotBytes: 2048 } });
    const session = await openSession(server);
    const tooLongText = await post(server, {
      session,
      values: { [TEXT]: "x".repeat(1500), [UPPER]: "y".repeat(1500) },
    });
    expect(tooLongText.status).toBe(413);
    expect(((await tooLongText.json()) as { error: string }).error).toMatch(
      /^This snapshot is too large \(3 KB\)\. A shared link holds at most 2 KB/,
    );
    // Files count too: a 3 kB upload in a small body.
    const doc = await upload(server, "z".repeat(3000), "big.txt");
    const withFile = await post(server, { session, values: { [DOC]: doc } });
    expect(withFile.status).toBe(413);
    expect(((await withFile.json()) as { error: string }).error).toMatch(
      /^This snapshot is too large \(3(\.\d)? KB\)\. A shared link holds at most 2 KB/,
    );
    expect(
      (await post(server, { session, values: { [TEXT]: "small" } })).status,
      "the server keeps serving",
    ).toBe(201);
  });

  it("keeps at most maxCount snapshots and maxBytes in all, dropping the oldest", async () => {
    const server = await start({ deepLinks: { maxCount: 2 } });
    const session = await openSession(server);
    const ids = [];
    for (const text of ["one", "two", "three"]) ids.push(await create(server, session, { [TEXT]: text }));
    expect((await open(server, ids[0] as string)).status, "the oldest went").toBe(404);
    expect((await open(server, ids[1] as string)).status).toBe(200);
    expect((await open(server, ids[2] as string)).status).toBe(200);

    const bounded = await start({ deepLinks: { maxBytes: 300 } });
    const owner = await openSession(bounded);
    const first = await create(bounded, owner, { [TEXT]: "a".repeat(200) });
    const second = await create(bounded, owner, { [TEXT]: "b".repeat(200) });
    expect((await open(bounded, first)).status, "two of 200+ bytes exceed 300 bytes together").toBe(404);
    expect((await open(bounded, second)).status).toBe(200);
  });

  it("keeps a snapshot's files readable and usable by another session after the poster left", async () => {
    const server = await start();
    const session = await openSession(server);
    const doc = await upload(server, "shared words", "words.txt");
    const id = await create(server, session, { [TEXT]: "hi", [DOC]: doc, [COPY]: doc });
    // The poster's page closes; its files go with its session (after the reconnect grace).
    for (const socket of sockets.splice(0)) socket.close();
    const { values } = (await (await open(server, id)).json()) as { values: Record<number, sc.FileData> };
    const kept = values[DOC] as sc.FileData;
    expect(kept.path, "the snapshot holds a copy, not the poster's file").not.toBe(doc.path);
    expect(kept).toMatchObject({ orig_name: "words.txt", size: 12 });
    expect(values[COPY]?.path, "one copy per file").toBe(kept.path);
    const served = await fetch(`${server.url}${kept.url}`);
    expect(await served.text()).toBe("shared words");
    // Someone else opens the link and runs the demo on the restored file.
    const visitor = randomBytes(16).toString("base64url");
    const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/ws?session=${visitor}`);
    sockets.push(socket);
    const complete = new Promise<unknown>((resolve) => {
      socket.on("message", (data) => {
        const message = JSON.parse(String(data)) as { type: string; id?: string };
        if (message.id === "v" && (message.type === "complete" || message.type === "error")) resolve(message);
      });
    });
    socket.once("open", () =>
      socket.send(JSON.stringify({ type: "predict", id: "v", endpoint: 0, data: ["again", kept, null] })),
    );
    expect(await complete).toMatchObject({
      type: "complete",
      data: ["AGAIN", { orig_name: "words.txt" }, null],
    });
  });

  it("refuses another session's files, unknown files, State and values that do not fit", async () => {
    const server = await start();
    const owner = await openSession(server);
    const stranger = await openSession(server);
    const doc = await upload(server, "private", "mine.txt");
    // The owner runs the demo with it, so it is theirs.
    await create(server, owner, { [DOC]: doc });
    const stolen = await post(server, { session: stranger, values: { [DOC]: doc } });
    expect(stolen.status).toBe(403);
    expect(((await stolen.json()) as { error: string }).error).toMatch(
      /File "Doc": this file belongs to another session/,
    );
    const unknown = await post(server, {
      session: owner,
      values: { [DOC]: { path: "../../etc/passwd", meta: { _type: "gradio.FileData" } } },
    });
    expect(unknown.status).toBe(403);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/unknown file/);
    const state = await post(server, { session: owner, values: { [STATE]: 41 } });
    expect(state.status).toBe(400);
    expect(((await state.json()) as { error: string }).error).toMatch(/not an input or output of this demo/);
    const wrong = await post(server, { session: owner, values: { [TEXT]: { arbitrary: "data" } } });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toMatch(/^Textbox "Text": /);
    const noSession = await post(server, { values: { [TEXT]: "x" } });
    expect(noSession.status).toBe(400);
    expect(((await noSession.json()) as { error: string }).error).toMatch(/session/);
    const notJson = await fetch(`${server.url}/gradio_api/deep_link`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{",
    });
    expect(notJson.status).toBe(400);
  });

  it("checks a value against the props the sharer's updates gave its component", async () => {
    const sizes = sc.Blocks({ title: "Sizes" }, () => {
      const size = sc.Dropdown({ label: "Size", choices: ["S", "M"] });
      const refill = sc.Button({ value: "Refill" });
      refill.click({ fn: () => sc.update({ choices: ["S", "M", "XL"], value: "XL" }), outputs: [size] });
      return sc.Column(size, refill);
    });
    const server = await serve(sizes, { port: 0, logError: () => {} });
    servers.push(server);
    const [size] = sizes.toConfig().dependencies[0]?.outputs ?? [];
    const session = await openSession(server);
    const socket = sockets.at(-1) as WebSocket;
    const done = new Promise<unknown>((resolve) =>
      socket.on("message", (data) => {
        const message = JSON.parse(String(data)) as { type: string; id?: string };
        if (message.id === "r" && (message.type === "complete" || message.type === "error")) resolve(message);
      }),
    );
    socket.send(JSON.stringify({ type: "predict", id: "r", endpoint: 0, data: [] }));
    expect(await done).toMatchObject({ type: "complete" });
    expect(
      (await post(server, { session, values: { [size as number]: "XL" } })).status,
      "XL is a choice now",
    ).toBe(201);
    const stranger = await openSession(server);
    const refused = await post(server, { session: stranger, values: { [size as number]: "XL" } });
    expect(refused.status, "not for a session whose choices were not refilled").toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/^Dropdown "Size": /);
  });

  it("limits how many links one address makes a minute", async () => {
    const server = await start();
    const session = await openSession(server);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++)
      statuses.push((await post(server, { session, values: { [TEXT]: `${i}` } })).status);
    expect(new Set(statuses), "60 links a minute are fine").toEqual(new Set([201]));
    const refused = await post(server, { session, values: { [TEXT]: "one more" } });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: string }).error).toBe(
      "Too many shared links from your address (at most 60 a minute). Wait a minute and share again.",
    );
    expect((await open(server, "AAAAAAAAAAAAAAAAAAAAAA")).status, "opening links is not limited").toBe(404);
  });

  it("refuses unknown or invalid deepLinks options", async () => {
    await expect(serve(space, { port: 0, deepLinks: { ttl: 5 } as never })).rejects.toThrow(
      /unknown deepLinks option "ttl"/,
    );
    await expect(serve(space, { port: 0, deepLinks: { maxCount: 0 } })).rejects.toThrow(
      /deepLinks.maxCount must be a positive number/,
    );
  });
});
