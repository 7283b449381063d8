// `spacecraft deploy` of a Space made by `create-space --template custom-component`, end to end
// against the Hub stand-in: what it uploads, and that exactly those files run — served as a
// static Space in Chromium, and started as a Docker Space's image starts them.
import type { ChildProcess } from "node:child_process";
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestBrowser } from "../browser/harness.js";
import { launchBrowser, openSpacePage } from "../browser/harness.js";
import { rateAndSubmit } from "../browser/star-rating.js";
import { create, root } from "../create-space/helpers.js";
import { waitForUrl } from "../server/cli.js";
import { serveFolders } from "../static/static-server.js";
import { startHubApi } from "./hub-api-stand-in.js";

const cli = join(root, "framework/bin/spacecraft.js");
// Inside the repo, so the created Space (not installed) resolves spacecraft and lit from the
// workspace, as its own node_modules would.
const work = mkdtempSync(join(root, "tests/deploy/.work-"));
// Where the uploaded files are laid out again: outside the repo, with node_modules a symlink.
const uploaded = mkdtempSync(join(tmpdir(), "spacecraft-deployed-"));
const closers: (() => Promise<unknown>)[] = [];
let hub: Awaited<ReturnType<typeof startHubApi>>;
let browser: TestBrowser;

beforeAll(async () => {
  hub = await startHubApi();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  for (const close of closers) await close();
  await browser?.close();
  await hub?.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(uploaded, { recursive: true, force: true });
}, 60_000);

/** `create-space NAME --template custom-component --sdk SDK`, without installing; its folder. */
async function createSpace(name: string, sdk: "static" | "docker"): Promise<string> {
  const result = await create(
    [name, "--template", "custom-component", "--sdk", sdk, "--no-install", "--no-git", "--no-interactive"],
    work,
  );
  expect(result.code, `create-space failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
  return join(work, name);
}

/** `spacecraft deploy DIR --sdk SDK` against the stand-in. */
function runDeploy(dir: string, sdk: "static" | "docker") {
  return new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      process.execPath,
      [cli, "deploy", dir, "--hub-url", hub.url, "--sdk", sdk, "--no-wait"],
      { cwd: root, env: { ...process.env, HF_TOKEN: "hf_writer" } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

/** Writes the files the stand-in received for `space` into a new folder; returns it. */
function layOut(space: string): { dir: string; files: Map<string, Buffer> } {
  const files = hub.spaces.get(space)?.files;
  if (!files) throw new Error(`The Hub stand-in holds no Space ${space}: the deploy did not create it.`);
  const dir = join(uploaded, space.replace("/", "-"));
  for (const [path, bytes] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return { dir, files };
}

describe("spacecraft deploy of a Space's own component", { timeout: 240_000 }, () => {
  it("--sdk static uploads the element's chunk, and the uploaded page runs it with fn in the worker", async () => {
    const dir = await createSpace("stars-static", "static");
    const result = await runDeploy(dir, "static");
    expect(result.code, result.output).toBe(0);
    const { dir: site, files } = layOut("alice/stars-static");
    const chunks = [...files.keys()].filter((path) =>
      /^dist\/assets\/custom\/star-rating-\w+\.js$/.test(path),
    );
    expect(chunks, `uploaded: ${[...files.keys()].join(", ")}`).toHaveLength(1);
    const config = JSON.parse(files.get("dist/config.json")?.toString() ?? "{}") as {
      spacecraft?: { customElements?: Record<string, string> };
    };
    expect(`dist/${config.spacecraft?.customElements?.["star-rating"]}`).toBe(chunks[0]);

    // The Hub serves a static Space's app_file folder: serve exactly what was uploaded there.
    const server = await serveFolders({ "/": join(site, "dist") });
    closers.push(server.close);
    const page = await openSpacePage(browser.context, `${server.url}/`, { timeout: 30_000 });
    const assets = await page.loadedAssets();
    expect(assets, "the page did not load the element's chunk").toContain(
      `/${chunks[0]?.slice("dist/".length)}`,
    );
    await rateAndSubmit(page);
  });

  it("--sdk docker uploads the component's file and what the image needs, and those files serve the chunk", async () => {
    const dir = await createSpace("stars-docker", "docker");
    const result = await runDeploy(dir, "docker");
    expect(result.code, result.output).toBe(0);
    const { dir: space, files } = layOut("alice/stars-docker");
    const paths = [...files.keys()];
    for (const needed of ["app.ts", "components/star-rating.ts", "Dockerfile", "package.json", ".npmrc"])
      expect(paths, `${needed} was not uploaded`).toContain(needed);
    // What the Dockerfile's `npm ci --omit=dev` installs: spacecraft from vendor/ (uploaded) and lit.
    const manifest = JSON.parse(files.get("package.json")?.toString() ?? "{}") as {
      dependencies?: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(expect.arrayContaining(["lit", "spacecraft"]));
    const tarball = manifest.dependencies?.spacecraft?.replace(/^file:/, "") ?? "";
    expect(paths, "the spacecraft tarball package.json names was not uploaded").toContain(tarball);

    // The image's command, from the uploaded Dockerfile, on loopback and a free port, with the
    // repo's node_modules standing for what `npm ci` installs.
    symlinkSync(join(root, "node_modules"), join(space, "node_modules"), "dir");
    const dockerfile = readFileSync(join(space, "Dockerfile"), "utf8");
    const command = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? "null") as string[] | null;
    expect(command, "the Dockerfile has no CMD [...] line").not.toBeNull();
    const args = (command ?? []).map((arg) => (arg === "0.0.0.0" ? "127.0.0.1" : arg === "7860" ? "0" : arg));
    const [program = "", ...rest] = args;
    const child: ChildProcess = spawn(program, rest, {
      cwd: space,
      env: { ...process.env, NODE_ENV: "production", PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    closers.push(async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
    });
    const { url } = await waitForUrl(child, "spacecraft start", 90_000);
    const config = (await (await fetch(`${url}/config`)).json()) as {
      spacecraft?: { customElements?: Record<string, string> };
    };
    const chunk = config.spacecraft?.customElements?.["star-rating"];
    expect(chunk, `the config names no chunk for star-rating: ${JSON.stringify(config.spacecraft)}`).toMatch(
      /^assets\/custom\/star-rating-\w+\.js$/,
    );
    const response = await fetch(`${url}/${chunk}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/javascript/);
    expect(await response.text()).toContain("sc-star-rating");
    const page = await openSpacePage(browser.context, `${url}/`, { timeout: 30_000 });
    expect(await page.loadedAssets()).toContain(`/${chunk}`);
    await rateAndSubmit(page);
  });
});
