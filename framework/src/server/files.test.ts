import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { contentDisposition, NodeFileStore, originalName, safeName } from "./files.js";

const stores: NodeFileStore[] = [];
const store = (idleTtlMs?: number) => {
  const made = new NodeFileStore(idleTtlMs === undefined ? {} : { idleTtlMs });
  stores.push(made);
  return made;
};
afterEach(() => {
  for (const each of stores.splice(0)) each.clear();
});
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
    await expect.poll(() => existsSync(absolute)).toBe(false);
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
