import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sc from "spacecraft";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../server/ws-client.js";
import { startHubApi } from "./hub-api-stand-in.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "framework/bin/spacecraft.js");
const work = mkdtempSync(join(tmpdir(), "sc-flags-cli-"));
const flagged = join(work, "flagged");

function spacecraft(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { cwd: work, env: { ...process.env, HF_TOKEN: "", ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Flags two runs through a real server: a formula typed into the box, and a file. */
beforeAll(async () => {
  const space = sc.Interface({
    fn: (text, doc) => [`${text}!`, doc],
    inputs: [sc.Textbox({ label: "Text" }), sc.File({ label: "Doc" })],
    outputs: [sc.Textbox({ label: "Said" }), sc.File({ label: "Doc" })],
    flagging: "manual",
    flaggingOptions: ["Wrong"],
  });
  const server = await serve(space, { port: 0, logError: () => {}, root: work });
  const session = "flags-cli-session-0001";
  const client = await connect(server.url, {}, session);
  for (const [id, text] of [
    ["1", '=HYPERLINK("http://evil.example","click")'],
    ["2", "plain, with a comma"],
  ] as const) {
    const form = new FormData();
    form.append("files", new Blob([`file of run ${id}`]), `run${id}.txt`);
    const [path] = (await (
      await fetch(`${server.url}/gradio_api/upload`, { method: "POST", body: form })
    ).json()) as string[];
    client.send({
      type: "predict",
      id,
      endpoint: "predict",
      data: [text, { path, orig_name: `run${id}.txt`, meta: { _type: "gradio.FileData" } }],
    });
    expect((await client.end(id)).type).toBe("complete");
    const response = await fetch(`${server.url}/gradio_api/flag`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session, reason: "Wrong" }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
  }
  await client.close();
  await server.close({ timeoutMs: 1000 });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Each test starts the CLI a few times: on a busy machine a start takes seconds.
describe("spacecraft flags export", { timeout: 120_000 }, () => {
  it("writes a CSV whose formula-like cells are defused and whose files are paths", async () => {
    const out = join(work, "flags.csv");
    const result = await spacecraft(["flags", "export", "--csv", out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`Wrote 2 flagged runs to ${out}.\n`);
    const [header, first, second] = readFileSync(out, "utf8").split("\r\n");
    expect(header).toBe("flagged_at,Text,Doc,Said,Doc (output),reason,username");
    expect(first).toMatch(
      /^[^,]+,"'=HYPERLINK\(""http:\/\/evil\.example"",""click""\)",files\/[0-9a-f-]{36}\/run1\.txt,"'=HYPERLINK\(""http:\/\/evil\.example"",""click""\)!",files\/[0-9a-f-]{36}\/run1\.txt,Wrong,$/,
    );
    expect(second).toMatch(/,"plain, with a comma",files\/.+\/run2\.txt,"plain, with a comma!",/);
  });

  it("says what is missing", async () => {
    const noCsv = await spacecraft(["flags", "export"]);
    expect(noCsv.code).toBe(1);
    expect(noCsv.stderr).toContain("Give the CSV to write: spacecraft flags export [dir] --csv flags.csv");
    const noDir = await spacecraft(["flags", "export", "nowhere", "--csv", "x.csv"]);
    expect(noDir.stderr).toContain('nowhere does not exist. Give the flagging folder (default "flagged")');
  });
});

describe("spacecraft flags push", { timeout: 120_000 }, () => {
  let hub: Awaited<ReturnType<typeof startHubApi>>;
  beforeAll(async () => {
    hub = await startHubApi({
      tokens: { hf_writer: { name: "alice", role: "write" }, hf_reader: { name: "bob", role: "read" } },
    });
  });
  afterAll(() => hub?.close());

  it("creates the dataset and uploads the JSONL and every copied file, with progress", async () => {
    const result = await spacecraft(
      ["flags", "push", "alice/demo-flags", "--hub-url", hub.url, "--private"],
      {
        HF_TOKEN: "hf_writer",
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`${hub.url}/datasets/alice/demo-flags`);
    expect(result.stderr).toContain("Created the dataset alice/demo-flags.");
    // deploy's progress lines: each phase, and each large (LFS) file as it is done.
    for (const line of ["Uploading 3 files…", "  preuploading…", "  committing…"])
      expect(result.stderr.split("\n"), result.stderr).toContain(line);
    const dataset = hub.datasets.get("alice/demo-flags");
    expect(dataset?.private).toBe(true);
    const names = [...(dataset?.files.keys() ?? [])].sort();
    expect(names, "the JSONL and one copy per run (its input and output are one file)").toHaveLength(3);
    expect(names.at(-1)).toBe("predict.jsonl");
    expect(dataset?.files.get("predict.jsonl")?.toString()).toBe(
      readFileSync(join(flagged, "predict.jsonl"), "utf8"),
    );
    for (const name of names.filter((path) => path.startsWith("files/"))) {
      expect(dataset?.files.get(name)?.toString()).toMatch(/^file of run [12]$/);
    }
    expect(hub.requests, "no token leaks into a URL").not.toContain("hf_writer");

    const again = await spacecraft(["flags", "push", "alice/demo-flags", "--hub-url", hub.url], {
      HF_TOKEN: "hf_writer",
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("The dataset alice/demo-flags exists: adding to it.");
    expect(dataset?.commits).toBe(2);
  });

  it("refuses a read-only token, a missing token and a bad name, saying what to do", async () => {
    const reader = await spacecraft(["flags", "push", "bob/flags", "--hub-url", hub.url], {
      HF_TOKEN: "hf_reader",
    });
    expect(reader.code).toBe(1);
    expect(reader.stderr).toContain("can only read. Create a token with write access");
    const none = await spacecraft(["flags", "push", "bob/flags", "--hub-url", hub.url]);
    expect(none.stderr).toContain("Set HF_TOKEN to a write token");
    const bad = await spacecraft(["flags", "push", "no-owner", "--hub-url", hub.url], {
      HF_TOKEN: "hf_writer",
    });
    expect(bad.stderr).toContain('The dataset must look like owner/name, not "no-owner".');
    expect(hub.datasets.has("bob/flags")).toBe(false);
  });
});
