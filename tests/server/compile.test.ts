import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { CLI_PATH, startCli } from "./cli.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * An app folder inside the repo (so "spacecraft" resolves) with a `node_modules` of its own, so
 * its compile cache is its own: app.ts imports its title from title.ts and reads data.txt
 * through `import.meta.url`.
 */
function makeApp(title = "First"): { app: string; folder: string; cache: string } {
  const folder = mkdtempSync(join(fixtures, ".compile-"));
  folders.push(folder);
  mkdirSync(join(folder, "node_modules"));
  writeFileSync(join(folder, "data.txt"), "read beside the app\n");
  writeTitle(folder, title);
  writeFileSync(
    join(folder, "app.ts"),
    `import { readFileSync } from "node:fs";
import * as sc from "spacecraft";
import { title } from "./title.js";

const data: string = readFileSync(new URL("./data.txt", import.meta.url), "utf8").trim();

export default sc.Interface({
  title: \`\${title} (\${data})\`,
  fn: (text) => text,
  inputs: [sc.Textbox({ label: "In" })],
  outputs: [sc.Textbox({ label: "Out" })],
});
`,
  );
  return { app: join(folder, "app.ts"), folder, cache: join(folder, "node_modules/.cache/spacecraft") };
}

function writeTitle(folder: string, title: string): void {
  writeFileSync(
    join(folder, "title.ts"),
    `const title: string = ${JSON.stringify(title)};\nexport { title };\n`,
  );
}

/** Starts the app with the real CLI, reads the title its /config serves, and stops it. */
async function servedTitle(app: string): Promise<string> {
  const server = await startCli(app);
  try {
    const response = await fetch(`${server.url}/config`);
    expect(response.status, `GET /config: ${server.output()}`).toBe(200);
    return ((await response.json()) as { title: string }).title;
  } finally {
    const exited = new Promise((resolve) => server.child.once("exit", resolve));
    server.child.kill("SIGKILL");
    await exited;
  }
}

/** The compiled modules in a cache folder, with what tells a rewrite apart. */
function compiledFiles(cache: string): { name: string; inode: number; mtimeMs: number }[] {
  return readdirSync(cache)
    .filter((name) => name.endsWith(".mjs"))
    .map((name) => {
      const stats = statSync(join(cache, name));
      return { name, inode: stats.ino, mtimeMs: stats.mtimeMs };
    });
}

describe("spacecraft start compiles app.ts once", () => {
  it("runs an app with a local TypeScript import and an import.meta.url read, from the cache the second time", async () => {
    const { app, cache } = makeApp();
    expect(await servedTitle(app)).toBe("First (read beside the app)");
    const first = compiledFiles(cache);
    expect(first, "one compiled module in the app's node_modules/.cache/spacecraft").toHaveLength(1);

    expect(await servedTitle(app)).toBe("First (read beside the app)");
    expect(compiledFiles(cache), "the second start reuses the compiled module untouched").toEqual(first);
  });

  it("compiles again when an imported module changes, and drops the old copy", async () => {
    const { app, folder, cache } = makeApp();
    expect(await servedTitle(app)).toBe("First (read beside the app)");
    const [before] = compiledFiles(cache);

    writeTitle(folder, "Second");
    expect(await servedTitle(app)).toBe("Second (read beside the app)");
    const after = compiledFiles(cache);
    expect(after, "exactly one compiled module, the new one").toHaveLength(1);
    expect(after[0]?.name, "a new content hash names the new module").not.toBe(before?.name);
  });

  it("bundles a module imported through a tsconfig paths alias, and compiles again when the tsconfig changes", async () => {
    const { app, folder, cache } = makeApp();
    mkdirSync(join(folder, "lib"));
    writeFileSync(join(folder, "lib/title.ts"), 'export const title: string = "Aliased";\n');
    writeFileSync(join(folder, "lib/other.ts"), 'export const title: string = "Realiased";\n');
    const tsconfig = (target: string) =>
      writeFileSync(
        join(folder, "tsconfig.json"),
        JSON.stringify({ compilerOptions: { paths: { "@lib/title": [target] } } }),
      );
    tsconfig("./lib/title.ts");
    writeFileSync(app, readFileSync(app, "utf8").replace('"./title.js"', '"@lib/title"'));
    expect(await servedTitle(app)).toBe("Aliased (read beside the app)");
    const [before] = compiledFiles(cache);

    tsconfig("./lib/other.ts");
    expect(await servedTitle(app)).toBe("Realiased (read beside the app)");
    expect(compiledFiles(cache)[0]?.name).not.toBe(before?.name);
  });

  it("names file:line:column of a syntax error and says what to do, without a stack", () => {
    const { app, folder } = makeApp();
    writeFileSync(join(folder, "title.ts"), 'export const title: string = "Broken";\nconst x = ;\n');
    const result = spawnSync(process.execPath, [CLI_PATH, "start", app, "--port", "0"], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/title\.ts:2:11: Unexpected ";"/);
    expect(result.stderr).toContain("Fix the code there and start again.");
    expect(result.stderr, "no stack trace for a mistake in the app").not.toMatch(/\n\s+at /);
  });

  it("points a stack trace at the app's own file and line", () => {
    const { app, folder } = makeApp();
    writeFileSync(
      join(folder, "title.ts"),
      'export const title: string = "Thrown";\nthrow new Error("title.ts fails on purpose");\n',
    );
    const result = spawnSync(process.execPath, [CLI_PATH, "start", app, "--port", "0"], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain("title.ts fails on purpose");
    expect(result.stderr).toContain(`${join(folder, "title.ts")}:2:7`);
  });

  it("names the app, not its compiled copy, when a package it imports is not installed", () => {
    const { app } = makeApp();
    writeFileSync(
      app,
      `import { x } from "not-an-installed-package";\nconsole.log(x);\n${readFileSync(app, "utf8")}`,
    );
    const result = spawnSync(process.execPath, [CLI_PATH, "start", app, "--port", "0"], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain(`Cannot find package 'not-an-installed-package' imported from ${app}`);
    expect(result.stderr).not.toContain(".cache");
  });

  it("hands an app that imports a computed path to tsx, which resolves it from the app's folder", async () => {
    const { app, cache } = makeApp();
    writeFileSync(
      app,
      readFileSync(app, "utf8").replace(
        'import { title } from "./title.js";',
        'const where = "./title.js";\nconst { title } = (await import(where)) as { title: string };',
      ),
    );
    expect(await servedTitle(app)).toBe("First (read beside the app)");
    expect(compiledFiles(cache), "no compiled module: the cache cannot serve this app").toEqual([]);
    const [manifest] = readdirSync(cache).filter((name) => name.endsWith(".json"));
    expect(JSON.parse(readFileSync(join(cache, manifest ?? ""), "utf8")).output).toBeNull();
  });
});
