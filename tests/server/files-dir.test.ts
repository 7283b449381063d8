import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client, handle_file } from "@gradio/client";
import type * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeFileStore } from "../../framework/dist/server/files.js";
import type { StartedCli } from "./cli.js";
import { CLI_PATH, startCli } from "./cli.js";
import shout from "./fixtures/shout-app.js";
import { connect } from "./ws-client.js";

/** A Space that answers a text file with the same text in capitals, as a new file. */
const shoutApp = fileURLToPath(new URL("./fixtures/shout-app.ts", import.meta.url));

let dir: string;
let one: RunningServer;
let two: RunningServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "spacecraft-files-dir-"));
  one = await serve(shout, { port: 0, filesDir: dir, logError: () => {} });
  two = await serve(shout, { port: 0, filesDir: dir, logError: () => {} });
});
afterAll(async () => {
  await Promise.all([one.close({ timeoutMs: 100 }), two.close({ timeoutMs: 100 })]);
  rmSync(dir, { recursive: true, force: true });
});

const fileData = (path: string): sc.FileData => ({ path, meta: { _type: "gradio.FileData" } });

/** A server's base URL: a `serve` result or a `spacecraft start` process. */
type Server = { url: string };

async function upload(server: Server, text: string, name: string): Promise<string> {
  const form = new FormData();
  form.append("files", new Blob([text]), name);
  const response = await fetch(`${server.url}/gradio_api/upload`, { method: "POST", body: form });
  expect(response.status, `upload of ${name} to ${server.url}`).toBe(200);
  const [path] = (await response.json()) as string[];
  return path as string;
}

/** Runs the Space on `server` for a new session; resolves with the message that ended the job. */
async function shoutOn(server: Server, path: string) {
  const client = await connect(server.url);
  client.send({ type: "predict", id: "1", endpoint: 0, data: [fileData(path)] });
  const end = await client.end("1");
  return { client, end: end as { type: string; data?: sc.FileData[]; message?: string } };
}

async function text(server: Server, url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${server.url}${url}`);
  return { status: response.status, body: await response.text() };
}

describe("servers sharing a files folder", () => {
  it("runs on one server a file uploaded to another, and serves the output from either", async () => {
    const path = await upload(one, "hello replicas", "greeting.txt");
    const { client, end } = await shoutOn(two, path);
    expect(end, "the second server takes the first one's upload").toMatchObject({ type: "complete" });
    const output = end.data?.[0] as sc.FileData;
    expect(output.url).toMatch(/^\/gradio_api\/file=/);
    expect(await text(one, output.url as string), "the output, fetched from the first server").toEqual({
      status: 200,
      body: "HELLO REPLICAS",
    });
    expect(await text(two, `/gradio_api/file=${path}`), "the upload, fetched from the second").toEqual({
      status: 200,
      body: "hello replicas",
    });
    await client.close();
  });

  it("refuses a session's upload to another session on any server", async () => {
    const path = await upload(one, "mine", "mine.txt");
    const owner = await shoutOn(two, path);
    expect(owner.end).toMatchObject({ type: "complete" });
    for (const server of [two, one]) {
      const thief = await shoutOn(server, path);
      expect(thief.end, `a second session on ${server.url}`).toMatchObject({
        type: "error",
        message: expect.stringContaining("belongs to another session"),
      });
      await thief.client.close();
    }
    const output = owner.end.data?.[0] as sc.FileData;
    const thief = await shoutOn(one, output.path);
    expect(thief.end, "the owner's output, sent by another session").toMatchObject({
      type: "error",
      message: expect.stringContaining("belongs to another session"),
    });
    await Promise.all([owner.client.close(), thief.client.close()]);
  });

  it("serves @gradio/client's output from the server it did not call", async () => {
    const client = await Client.connect(two.url);
    const note = new File([new TextEncoder().encode("from the gradio client")], "note.txt", {
      type: "text/plain",
    });
    const result = await client.predict("/predict", [handle_file(note)]);
    const [output] = result.data as [sc.FileData];
    expect(output.url, "an output file URL on the called server").toContain("/gradio_api/file=");
    const onOne = new URL(output.url as string).pathname;
    expect(await text(one, onOne), "the output, fetched from the other server").toEqual({
      status: 200,
      body: "FROM THE GRADIO CLIENT",
    });
  });

  it("forgets a file another process expired, on both servers", async () => {
    const path = await upload(one, "short-lived", "old.txt");
    expect((await text(two, `/gradio_api/file=${path}`)).status).toBe(200);
    // Unused for an hour (a file's record's mtime is its last use), then swept by a third
    // process over the same folder, as a worker would.
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(dir, dirname(path), ".record"), hourAgo, hourAgo);
    const worker = new NodeFileStore({ dir, idleTtlMs: 60_000 });
    try {
      await worker.sweep();
    } finally {
      worker.clear();
    }
    for (const server of [one, two]) {
      await expect
        .poll(async () => (await text(server, `/gradio_api/file=${path}`)).status, {
          timeout: 15_000,
          message: `the expired file, fetched from ${server.url}`,
        })
        .toBe(404);
    }
    const { client, end } = await shoutOn(two, path);
    expect(end, "the expired file as an input").toMatchObject({
      type: "error",
      message: expect.stringContaining("unknown file"),
    });
    await client.close();
  });

  it("keeps serving the files on one server after the other closes", async () => {
    const path = await upload(one, "still here", "kept.txt");
    const first = await shoutOn(two, path);
    const output = first.end.data?.[0] as sc.FileData;
    const later = await upload(one, "uploaded before the close", "later.txt");
    await one.close({ timeoutMs: 100 });
    expect(await text(two, `/gradio_api/file=${path}`)).toEqual({ status: 200, body: "still here" });
    expect(await text(two, output.url as string)).toEqual({ status: 200, body: "STILL HERE" });
    const { client, end } = await shoutOn(two, later);
    expect(end, "an upload to the closed server, run on the other").toMatchObject({ type: "complete" });
    const shouted = end.data?.[0] as sc.FileData;
    expect(await text(two, shouted.url as string)).toEqual({
      status: 200,
      body: "UPLOADED BEFORE THE CLOSE",
    });
    await Promise.all([first.client.close(), client.close()]);
  });
});

describe("serve with a files folder it cannot use", () => {
  it("refuses to start, naming the folder", async () => {
    const parent = mkdtempSync(join(tmpdir(), "spacecraft-files-dir-"));
    try {
      writeFileSync(join(parent, "a-file"), "");
      const inside = join(parent, "a-file", "files");
      await expect(serve(shout, { port: 0, filesDir: inside })).rejects.toThrow(
        `Cannot use "${inside}" as the files folder`,
      );
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe("spacecraft start --files-dir", () => {
  it("shares files between two processes given the same folder, created if missing", async () => {
    const parent = mkdtempSync(join(tmpdir(), "spacecraft-files-dir-"));
    const folder = join(parent, "shared", "files");
    const started: StartedCli[] = [];
    try {
      started.push(await startCli(shoutApp, process.env, ["--files-dir", folder]));
      started.push(await startCli(shoutApp, { ...process.env, SPACECRAFT_FILES_DIR: folder }));
      const [a, b] = started as [StartedCli, StartedCli];
      expect(existsSync(folder), "the folder is created").toBe(true);
      const path = await upload(a, "across processes", "note.txt");
      expect(readdirSync(folder), "the upload lands in the folder").toContain(path.split("/")[0]);
      const { client, end } = await shoutOn(b, path);
      expect(end, "the second process runs the first one's upload").toMatchObject({ type: "complete" });
      const output = end.data?.[0] as sc.FileData;
      expect(await text(a, output.url as string)).toEqual({ status: 200, body: "ACROSS PROCESSES" });
      const thief = await shoutOn(a, path);
      expect(thief.end, "another session, on the other process").toMatchObject({
        type: "error",
        message: expect.stringContaining("belongs to another session"),
      });
      await Promise.all([client.close(), thief.client.close()]);
    } finally {
      for (const each of started) each.child.kill("SIGKILL");
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it("explains a folder it cannot use", () => {
    const parent = mkdtempSync(join(tmpdir(), "spacecraft-files-dir-"));
    try {
      writeFileSync(join(parent, "a-file"), "");
      const inside = join(parent, "a-file", "files");
      for (const [args, env, source] of [
        [["--files-dir", inside], {}, "--files-dir"],
        [[], { SPACECRAFT_FILES_DIR: inside }, "$SPACECRAFT_FILES_DIR"],
      ] as const) {
        const result = spawnSync(process.execPath, [CLI_PATH, "start", shoutApp, ...args], {
          encoding: "utf8",
          env: { ...process.env, ...env },
        });
        expect(result.status, result.stderr).toBe(1);
        expect(result.stderr).toContain(`${source}: Cannot use "${inside}" as the files folder`);
        expect(result.stderr, "no stack trace").not.toMatch(/\n\s+at /);
      }
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
