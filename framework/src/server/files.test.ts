import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DeclarationError } from "../errors.js";
import { contentDisposition, NodeFileStore, originalName, safeName } from "./files.js";

const stores: NodeFileStore[] = [];
const store = (idleTtlMs?: number) => {
  const made = new NodeFileStore(idleTtlMs === undefined ? {} : { idleTtlMs });
  stores.push(made);
  return made;
};
const folders: string[] = [];
afterEach(() => {
  for (const each of stores.splice(0)) each.clear();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
/** Two or more stores over one folder, as separate server processes would have. */
const replicas = (count: number, idleTtlMs?: number) => {
  const dir = mkdtempSync(join(tmpdir(), "spacecraft-shared-"));
  folders.push(dir);
  return Array.from({ length: count }, () => {
    const made = new NodeFileStore({ dir, ...(idleTtlMs === undefined ? {} : { idleTtlMs }) });
    stores.push(made);
    return made;
  });
};
/** Makes a file look unused for an hour (its record's mtime is its last use). */
const age = (store: NodeFileStore, path: string) => {
  const hourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(join(store.root, dirname(path), ".record"), hourAgo, hourAgo);
};
const bytes = new TextEncoder().encode("hello");

describe("NodeFileStore ownership", () => {
  it("gives an unclaimed upload to its first user and refuses it to others", async () => {
    const files = store();
    const { path } = await files.write(bytes, { name: "a.txt", mimeType: "text/plain" });
    expect(files.claim(path, "session:a")).toMatchObject({ path, orig_name: "a.txt", size: 5 });
    expect(files.claim(path, "session:a")).toMatchObject({ path });
    expect(files.claim(path, "session:b")).toBe("taken");
    expect(files.claim("nope/x", "session:a")).toBeUndefined();
  });

  it("lets anyone use a public file (an example's)", async () => {
    const files = store();
    const { path } = await files.writePublic(bytes, { name: "cat.txt", mimeType: "text/plain" });
    expect(files.claim(path, "session:a")).toMatchObject({ path });
    expect(files.claim(path, "session:b")).toMatchObject({ path });
  });

  it("drops an owner's files only when no connection holds them", async () => {
    const files = store();
    const { path } = await files.write(bytes, { mimeType: "text/plain", owner: "session:a" });
    const absolute = join(files.root, path);
    files.hold("session:a");
    files.hold("session:a");
    files.release("session:a");
    files.drop("session:a");
    expect(files.owns(path)).toBe(true);
    files.release("session:a");
    files.drop("session:a");
    expect(files.owns(path)).toBe(false);
    await expect.poll(() => existsSync(absolute), { timeout: 20_000 }).toBe(false);
  });

  it("expires files nobody holds after the idle time, and keeps held and public ones", async () => {
    const files = store(1000);
    const loose = await files.write(bytes, { mimeType: "text/plain" });
    const held = await files.write(bytes, { mimeType: "text/plain", owner: "session:h" });
    const example = await files.writePublic(bytes, { mimeType: "text/plain" });
    files.hold("session:h");
    await files.sweep(Date.now() + 5000);
    expect(files.owns(loose.path)).toBe(false);
    expect(files.owns(held.path)).toBe(true);
    expect(files.owns(example.path)).toBe(true);
  });
});

describe("NodeFileStore over a shared folder", () => {
  it("finds, reads and serves a file another process stored", async () => {
    const [one, two] = replicas(2) as [NodeFileStore, NodeFileStore];
    const { path } = await one.write(bytes, { name: "a.txt", mimeType: "text/plain", owner: "session:a" });
    expect(two.owns(path), "the second store reads the first one's record").toBe(true);
    expect(two.mimeTypeOf(path)).toBe("text/plain");
    expect(two.lookup(path)).toMatchObject({ name: "a.txt", size: 5, owner: "session:a" });
    const read = await two.read({ path, meta: { _type: "gradio.FileData" } });
    expect(new TextDecoder().decode(read.bytes)).toBe("hello");
  });

  it("gives an upload to the first session that claims it, in whichever process", async () => {
    const stores = replicas(3);
    const { path } = await (stores[0] as NodeFileStore).write(bytes, {
      name: "a.txt",
      mimeType: "text/plain",
    });
    // Every store has the record cached as unclaimed: each claim must still ask the folder.
    for (const each of stores) expect(each.owns(path)).toBe(true);
    expect(stores[1]?.claim(path, "session:b")).toMatchObject({ path, orig_name: "a.txt" });
    expect(stores[0]?.claim(path, "session:a"), "claimed in another process").toBe("taken");
    expect(stores[2]?.claim(path, "session:c"), "claimed in another process").toBe("taken");
    expect(stores[2]?.claim(path, "session:b"), "its owner may use it anywhere").toMatchObject({ path });
  });

  it("refuses paths that are not a stored file's id and name", async () => {
    const [one, two] = replicas(2) as [NodeFileStore, NodeFileStore];
    const { path } = await one.write(bytes, { name: "a.txt", mimeType: "text/plain" });
    const id = path.split("/")[0] as string;
    // A record this store never wrote, naming a file outside its folder.
    const forged = "0".repeat(32);
    mkdirSync(join(two.root, forged));
    writeFileSync(
      join(two.root, forged, ".record"),
      JSON.stringify({ file: "..", name: "x", mimeType: "text/plain", size: 1 }),
    );
    for (const crafted of [
      `${id}/b.txt`,
      `${id}/.record`,
      `${id}/.owner`,
      `${id}/../${id}/a.txt`,
      `${id.toUpperCase()}/a.txt`,
      `${id}/a.txt/`,
      `../${id}/a.txt`,
      `${forged}/..`,
      "",
    ]) {
      expect(two.owns(crafted), crafted).toBe(false);
      expect(two.claim(crafted, "session:x"), crafted).toBeUndefined();
    }
  });

  it("drops an owner's files everywhere, unless another process still holds the owner", async () => {
    const [one, two] = replicas(2) as [NodeFileStore, NodeFileStore];
    const mine = await one.write(bytes, { mimeType: "text/plain", owner: "session:a" });
    const theirs = await one.write(bytes, { mimeType: "text/plain", owner: "session:b" });
    const uploaded = await two.write(bytes, { mimeType: "text/plain" });
    expect(two.claim(uploaded.path, "session:a")).toMatchObject({ path: uploaded.path });
    two.hold("session:a");
    await one.drop("session:a");
    expect(one.owns(mine.path), "held by the other process").toBe(true);
    expect(one.owns(uploaded.path), "held by the other process").toBe(true);
    two.release("session:a");
    await one.drop("session:a");
    for (const store of [one, two]) {
      await expect.poll(() => store.owns(mine.path), { timeout: 15_000 }).toBe(false);
      await expect.poll(() => store.owns(uploaded.path), { timeout: 15_000 }).toBe(false);
      expect(store.owns(theirs.path), "another owner's file stays").toBe(true);
    }
    await expect.poll(() => existsSync(join(one.root, mine.path)), { timeout: 15_000 }).toBe(false);
  });

  it("expires files idle in every process, keeping those held or kept by a running process", async () => {
    const [one, two] = replicas(2, 60_000) as [NodeFileStore, NodeFileStore];
    const loose = await one.write(bytes, { mimeType: "text/plain" });
    const held = await one.write(bytes, { mimeType: "text/plain", owner: "session:h" });
    const example = await one.writePublic(bytes, { mimeType: "text/plain" });
    two.hold("session:h");
    for (const file of [loose, held, example]) age(one, file.path);
    // The first store keeps its example fresh; the second sees the hold and the example in use.
    await one.sweep();
    await two.sweep();
    await expect.poll(() => one.owns(loose.path), { timeout: 15_000 }).toBe(false);
    expect(two.owns(loose.path)).toBe(false);
    expect(two.owns(held.path), "held by the second store").toBe(true);
    expect(two.owns(example.path), "kept by the first store").toBe(true);
    // The first store closes (its example is no longer kept), the second releases the owner.
    one.clear();
    two.release("session:h");
    age(two, held.path);
    age(two, example.path);
    await two.sweep();
    await expect.poll(() => two.owns(held.path), { timeout: 15_000 }).toBe(false);
    expect(two.owns(example.path)).toBe(false);
  });

  it("stops honouring the holds of a process that died", async () => {
    const [one, two] = replicas(2, 60_000) as [NodeFileStore, NodeFileStore];
    const held = await one.write(bytes, { mimeType: "text/plain", owner: "session:h" });
    one.hold("session:h");
    age(one, held.path);
    await two.sweep();
    expect(two.owns(held.path), "held by the first store").toBe(true);
    // A process that died leaves its marker, which its sweeper no longer refreshes.
    const holds = join(one.root, ".holds");
    const markers = readdirSync(holds);
    expect(markers).toHaveLength(1);
    const longAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(holds, markers[0] as string), longAgo, longAgo);
    await two.sweep();
    expect(two.owns(held.path), "no live process holds it").toBe(false);
    expect(readdirSync(holds), "the dead marker is removed").toEqual([]);
  });

  it("records a use in the folder, so an idle timer started elsewhere starts again", async () => {
    const [one, two] = replicas(2, 60_000) as [NodeFileStore, NodeFileStore];
    const { path } = await one.write(bytes, { mimeType: "text/plain" });
    age(one, path);
    expect(two.lookup(path)).toBeDefined();
    const record = join(one.root, dirname(path), ".record");
    await expect.poll(() => Date.now() - statSync(record).mtimeMs, { timeout: 15_000 }).toBeLessThan(600_000);
    await one.sweep();
    expect(one.owns(path), "used a moment ago in the second store").toBe(true);
  });

  it("leaves a shared folder's files when it closes, and deletes a private folder", async () => {
    const [one, two] = replicas(2) as [NodeFileStore, NodeFileStore];
    const { path } = await one.write(bytes, { mimeType: "text/plain" });
    one.clear();
    expect(existsSync(join(one.root, path))).toBe(true);
    expect(two.owns(path)).toBe(true);
    const own = store();
    await own.write(bytes, { mimeType: "text/plain" });
    own.clear();
    expect(existsSync(own.root)).toBe(false);
  });

  it("refuses a folder it cannot create, naming it, and a blank path", () => {
    const dir = mkdtempSync(join(tmpdir(), "spacecraft-shared-"));
    folders.push(dir);
    writeFileSync(join(dir, "a-file"), "");
    const inside = join(dir, "a-file", "files");
    expect(() => new NodeFileStore({ dir: inside })).toThrow(DeclarationError);
    expect(() => new NodeFileStore({ dir: inside })).toThrow(`Cannot use "${inside}" as the files folder`);
    expect(() => new NodeFileStore({ dir: " " })).toThrow(
      'The files folder must be a path, such as "/data/files"',
    );
  });
});

describe("file names", () => {
  it("keeps the name people gave, without folders or control characters", () => {
    expect(originalName("C:\\Users\\x\\résumé 日本.txt")).toBe("résumé 日本.txt");
    expect(originalName("../../etc/passwd")).toBe("passwd");
    expect(originalName("a\u0000b\u202ec.txt")).toBe("abc.txt");
    expect(originalName("")).toBe("file");
  });

  it("writes Content-Disposition with an ASCII fallback and the exact UTF-8 name", () => {
    expect(contentDisposition("inline", "cat.png")).toBe('inline; filename="cat.png"');
    expect(contentDisposition("attachment", 'отчёт "1".txt')).toBe(
      "attachment; filename=\"_____ _1_.txt\"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82%20%221%22.txt",
    );
  });
});

describe("long and unusual names", () => {
  it("cuts by whole characters and keeps the disk name within file-system limits", () => {
    const emoji = `ab${"😀".repeat(200)}.txt`;
    const shown = originalName(emoji);
    expect(() => encodeURIComponent(shown), "no half characters").not.toThrow();
    expect([...shown].length).toBeLessThanOrEqual(255);
    expect(() => contentDisposition("attachment", shown)).not.toThrow();
    expect(() => contentDisposition("attachment", "half \ud83d")).not.toThrow();
    const disk = safeName(`${"文".repeat(100)}.txt`);
    expect(Buffer.byteLength(disk)).toBeLessThanOrEqual(200);
    expect(() => encodeURIComponent(safeName("😀".repeat(100))), "no half characters").not.toThrow();
  });
});
