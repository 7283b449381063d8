import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readFrontMatter } from "spacecraft/space-card";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubApi } from "./hub-api-stand-in.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "framework/bin/spacecraft.js");
// Inside the repo, so the app resolves "spacecraft" from the workspace.
const work = mkdtempSync(join(root, "tests/deploy/.work-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const TOKEN = "hf_writer";

/** A Space folder like create-space writes, plus files that must never be uploaded. */
function makeSpace(name: string, frontMatter: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, "templates/hello/app.ts"), join(dir, "app.ts"));
  writeFileSync(join(dir, "README.md"), `---\n${frontMatter}---\n\n# ${name}\n`);
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name, type: "module", dependencies: { spacecraft: "*" } }),
  );
  writeFileSync(join(dir, "Dockerfile"), "FROM node:22-slim\n");
  writeFileSync(join(dir, ".gitignore"), "dist\nlogs/\n");
  writeFileSync(join(dir, ".env"), "HF_TOKEN=hf_secret_never_uploaded\n");
  mkdirSync(join(dir, "node_modules/left-pad"), { recursive: true });
  writeFileSync(join(dir, "node_modules/left-pad/index.js"), "module.exports = 1;\n");
  mkdirSync(join(dir, ".git"), { recursive: true });
  writeFileSync(join(dir, ".git/config"), "[core]\n");
  mkdirSync(join(dir, "logs"), { recursive: true });
  writeFileSync(join(dir, "logs/today.log"), "ignored by .gitignore\n");
  return dir;
}

const staticMatter =
  "title: Hello\nemoji: 👋\ncolorFrom: indigo\ncolorTo: pink\nsdk: static\napp_file: dist/index.html\nlicense: apache-2.0\n";
const dockerMatter =
  "title: Hello\nemoji: 👋\ncolorFrom: indigo\ncolorTo: pink\nsdk: docker\napp_port: 7860\n";

function runDeploy(dir: string, hubUrl: string, args: string[] = [], token = TOKEN) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [cli, "deploy", dir, "--hub-url", hubUrl, ...args],
      { cwd: root, env: { ...process.env, HF_TOKEN: token, SPACECRAFT_DEPLOY_POLL_MS: "5" } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let hub: Awaited<ReturnType<typeof startHubApi>>;
beforeAll(async () => {
  hub = await startHubApi({
    tokens: { hf_writer: { name: "alice", role: "write" }, hf_reader: { name: "bob", role: "read" } },
  });
});
afterAll(() => hub.close());

describe("spacecraft deploy", { timeout: 180_000 }, () => {
  it("builds a static Space, creates it, uploads only the page and README, and follows the build", async () => {
    const dir = makeSpace("hello-static", staticMatter);
    const result = await runDeploy(dir, hub.url);
    expect(result.stderr).toContain("Created the Space alice/hello-static.");
    expect(result.stderr).toContain(`Space: ${hub.url}/spaces/alice/hello-static`);
    expect(result.stderr).toContain("App:   https://alice-hello-static.hf.space");
    expect(result.stderr).toContain("Build status: RUNNING");
    expect(result.stdout.trim()).toBe("https://alice-hello-static.hf.space");
    expect(result.code).toBe(0);
    const space = hub.spaces.get("alice/hello-static");
    const files = [...(space?.files.keys() ?? [])];
    expect(files).toContain("README.md");
    expect(files).toContain("dist/index.html");
    expect(files).toContain("dist/worker.js");
    expect(files.every((file) => file === "README.md" || file.startsWith("dist/"))).toBe(true);
    expect(space?.sdk).toBe("static");
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
  });

  it("uploads a Docker Space's own files, never node_modules, .git, .env or ignored files", async () => {
    const dir = makeSpace("hello-docker", dockerMatter);
    const result = await runDeploy(dir, hub.url, ["--no-wait"]);
    expect(result.code).toBe(0);
    const files = [...(hub.spaces.get("alice/hello-docker")?.files.keys() ?? [])].sort();
    expect(files).toEqual([".gitignore", "Dockerfile", "README.md", "app.ts", "package.json"]);
    const readme = hub.spaces.get("alice/hello-docker")?.files.get("README.md")?.toString();
    expect(readme).toContain("sdk: docker");
    expect(readme).toContain("app_port: 7860");
  });

  it("writes preload_from_hub for the models a Docker Space's app declares, keeping the README's own", async () => {
    const dir = makeSpace(
      "sentiment-docker",
      `${dockerMatter}models:\n  - someone/other-model\npreload_from_hub:\n  - someone/other-model config.json\n`,
    );
    cpSync(join(root, "templates/sentiment/app.ts"), join(dir, "app.ts"));
    const result = await runDeploy(dir, hub.url, ["--no-wait"]);
    expect(result.code, result.stderr).toBe(0);
    const readme = hub.spaces.get("alice/sentiment-docker")?.files.get("README.md")?.toString() ?? "";
    const frontMatter = readFrontMatter(readme) as { models: string[]; preload_from_hub: string[] };
    expect(frontMatter.models).toEqual([
      "someone/other-model",
      "Xenova/distilbert-base-uncased-finetuned-sst-2-english",
    ]);
    expect(frontMatter.preload_from_hub).toEqual([
      "someone/other-model config.json",
      "Xenova/distilbert-base-uncased-finetuned-sst-2-english",
    ]);
  });

  it("updates a Space that exists", async () => {
    const dir = makeSpace("hello-again", dockerMatter);
    await runDeploy(dir, hub.url, ["--no-wait"]);
    const second = await runDeploy(dir, hub.url, ["--no-wait"]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("The Space alice/hello-again exists: updating it.");
    expect(hub.spaces.get("alice/hello-again")?.commits).toBe(2);
  });

  it("explains HTTP 402 for a Docker Space and offers --sdk static", async () => {
    const paid = await startHubApi({ dockerNeedsPayment: true });
    const dir = makeSpace("hello-paid", dockerMatter);
    const result = await runDeploy(dir, paid.url, ["--no-wait"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("needs a paid Hugging Face plan (HTTP 402");
    expect(result.stderr).toContain("run again with --sdk static");
    const retry = await runDeploy(dir, paid.url, ["--no-wait", "--sdk", "static"]);
    expect(retry.code).toBe(0);
    expect(paid.spaces.get("alice/hello-paid")?.files.get("README.md")?.toString()).toContain(
      "app_file: dist/index.html",
    );
    await paid.close();
    // Two CLI runs, one of them a static build: on a loaded machine they outlast 30 s.
  }, 120_000);

  it("says what is wrong with the token: unknown, read-only, or not a token", async () => {
    const dir = makeSpace("hello-token", dockerMatter);
    const unknown = await runDeploy(dir, hub.url, [], "hf_nobody");
    expect(unknown.stderr).toContain("The Hub refused the token (HTTP 401)");
    const reader = await runDeploy(dir, hub.url, [], "hf_reader");
    expect(reader.stderr).toContain('The token "test token" can only read.');
    const notToken = await runDeploy(dir, hub.url, [], "password123");
    expect(notToken.stderr).toContain("That is not a Hugging Face token (they start with hf_)");
    expect([unknown.code, reader.code, notToken.code]).toEqual([1, 1, 1]);
    // Three CLI runs: on a loaded machine they outlast 30 s.
  }, 120_000);

  it("rejects bad front matter locally, before any request", async () => {
    const dir = makeSpace(
      "hello-bad",
      `title: Hello\ncolorFrom: orange\nsdk: docker\nshort_description: ${"x".repeat(61)}\n`,
    );
    const before = hub.requests.length;
    const result = await runDeploy(dir, hub.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'colorFrom: "orange" is not a Space colour. Use one of red, yellow, green',
    );
    expect(result.stderr).toContain("short_description: 61 characters is too long. The Hub allows 60.");
    expect(hub.requests.length).toBe(before);
  });

  it("reports a failed build with where its logs are", async () => {
    const failing = await startHubApi({ stages: ["BUILDING", "BUILD_ERROR"] });
    const dir = makeSpace("hello-broken", dockerMatter);
    const result = await runDeploy(dir, failing.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `The Space failed with BUILD_ERROR. See the logs at ${failing.url}/spaces/alice/hello-broken?logs=build.`,
    );
    await failing.close();
  });
});
