import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateFrontMatter } from "spacecraft/space-card";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpacePage, TestBrowser } from "../browser/harness.js";
import { eventually, launchBrowser, openSpacePage } from "../browser/harness.js";
import { submitRedImage, submitSpeech } from "../browser/template-pages.js";
import type { InferenceStandIn } from "../fixtures/inference-stand-in.js";
import { chatReplyTo, RED_PIXEL_PNG, startInferenceStandIn } from "../fixtures/inference-stand-in.js";
import { GPT2_STORY } from "../models/make-tiny-models.js";
import { makeModelStandIns } from "../models/stand-ins.js";
import { waitForUrl } from "../server/cli.js";
import { connect } from "../server/ws-client.js";
import type { RunResult } from "./helpers.js";
import {
  cleanEnv,
  createProcess,
  expectCreated,
  frontMatterOf,
  readProjectFile,
  root,
  runChecked,
  tempDir,
} from "./helpers.js";

const TEMPLATES = [
  "hello",
  "sentiment",
  "text-generation",
  "chatbot",
  "image-classification",
  "speech-recognition",
  "chat-inference",
  "text-to-image",
] as const;
type Template = (typeof TEMPLATES)[number];

/** The templates whose models Inference Providers run: served here by a stand-in, with a token. */
const REMOTE = ["chat-inference", "text-to-image"] as const;
const TOKEN = "hf_e2eStandInToken";
let providers: InferenceStandIn;

/** Installed by create-space itself; the other model templates share sentiment's dependencies, the remote ones hello's. */
const INSTALLED = ["hello", "sentiment"] as const;

const temp = tempDir("create-space-e2e-");
const models = mkdtempSync(join(tmpdir(), "create-space-e2e-models-"));
const children: ChildProcess[] = [];
const created = new Map<Template, RunResult>();
const urls = new Map<Template, Promise<string>>();
const outputs = new Map<Template, () => string>();
let browser: TestBrowser;

/**
 * The install prefers the npm cache the monorepo's install filled, and asks the registry only for
 * what that cache lacks: `npm ci` stores tarballs but not always the full package documents an
 * install without a lockfile needs, so a strictly offline install failed on fresh machines.
 */
const installEnv = cleanEnv({ HF_HUB_OFFLINE: "1", npm_config_prefer_offline: "true" });

beforeAll(async () => {
  runChecked("npx", ["tsc", "-b", "create-space"], { cwd: root });
  const standIns = makeModelStandIns(models);
  // Each template is made once and reused by the tests below. Installing five copies of
  // transformers.js (580 MB each) would take minutes, so create-space installs hello and
  // sentiment, and the other model templates, whose dependencies are the same (checked below),
  // get a hard-linked copy of sentiment's node_modules.
  const results = await Promise.all(
    TEMPLATES.map((name) =>
      createProcess(
        [
          name,
          "--template",
          name,
          "--no-git",
          ...(INSTALLED.includes(name as "hello") ? [] : ["--no-install"]),
        ],
        temp.dir,
        installEnv,
      ),
    ),
  );
  // Every step checks its result: a failed create or install stops here, saying why.
  for (const [i, name] of TEMPLATES.entries()) {
    created.set(name, expectCreated(`create-space ${name}`, results[i] as RunResult));
  }
  for (const name of TEMPLATES) {
    if (INSTALLED.includes(name as "hello")) continue;
    // The remote templates need spacecraft alone, as hello does (no transformers.js to copy).
    const like = REMOTE.includes(name as "chat-inference") ? "hello" : "sentiment";
    runChecked("cp", ["-al", join(project(like), "node_modules"), join(project(name), "node_modules")], {
      cwd: temp.dir,
    });
  }
  await standIns;
  providers = await startInferenceStandIn({
    token: TOKEN,
    tasks: { "black-forest-labs/FLUX.1-schnell": "text-to-image" },
  });
  for (const name of TEMPLATES) {
    const url = start(name);
    url.catch(() => {});
    urls.set(name, url);
  }
  browser = await launchBrowser();
  // The servers' start-up counts against this hook, not against the first tests that use them (a
  // server that fails to start fails the tests that use it, saying why).
  await Promise.allSettled(urls.values());
  // npm installs of every template (spacecraft now brings BullMQ and ioredis), then every server
  // starting at once: minutes on a busy machine.
}, 540_000);
afterAll(async () => {
  // npx runs the server through a shell: end the whole process group, not just npx.
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  await browser?.close();
  await providers?.close();
  // Every template's node_modules: 74 s to remove at load 18, over the 120 s default at load 20.
  temp.remove();
  rmSync(models, { recursive: true, force: true });
}, 300_000);

/** `npx spacecraft start app.ts --port 0` in the project, offline on the tiny stand-in models. */
function start(name: Template): Promise<string> {
  const child = spawn("npx", ["spacecraft", "start", "app.ts", "--port", "0"], {
    cwd: join(temp.dir, name),
    env: {
      ...cleanEnv(),
      SPACECRAFT_MODELS: models,
      HF_HUB_OFFLINE: "1",
      ...(REMOTE.includes(name as "chat-inference")
        ? { HF_TOKEN: TOKEN, SPACECRAFT_INFERENCE_URL: providers.url }
        : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.push(child);
  // Every template starts at once: on a busy machine that takes minutes, not seconds.
  return waitForUrl(child, name, 150_000).then(({ url, output }) => {
    outputs.set(name, output);
    return url;
  });
}

/** The URL of a project's running server. */
function served(name: Template): Promise<string> {
  return urls.get(name) as Promise<string>;
}

/** Opens a served project in Chromium once its page is ready. */
async function open(url: string): Promise<SpacePage> {
  return openSpacePage(browser.context, url, { prepare: (page) => void page.on("filechooser", () => {}) });
}

function project(name: Template): string {
  return join(temp.dir, name);
}

describe("a created project", () => {
  it.each(INSTALLED)("%s is created and installed by create-space", (name) => {
    const result = created.get(name) as RunResult;
    expect(result.stderr).not.toMatch(/^Error/m);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Installing dependencies with npm…");
    expect(result.stdout).toContain(`Next steps:\n  cd ${name}\n  npm run dev\n`);
    expect(existsSync(join(project(name), "node_modules/spacecraft/package.json"))).toBe(true);
    expect(existsSync(join(project(name), "package-lock.json"))).toBe(true);
    expect(validateFrontMatter(frontMatterOf(project(name)))).toEqual([]);
  });

  it.each(["text-generation", "chatbot", "image-classification", "speech-recognition"] as const)(
    "%s is created with the same dependencies as sentiment",
    (name) => {
      const result = created.get(name) as RunResult;
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Next steps:\n  cd ${name}\n  npm install\n  npm run dev\n`);
      const { dependencies, devDependencies } = JSON.parse(readProjectFile(project(name), "package.json"));
      const sentiment = JSON.parse(readProjectFile(project("sentiment"), "package.json"));
      expect({ dependencies, devDependencies }).toEqual({
        dependencies: sentiment.dependencies,
        devDependencies: sentiment.devDependencies,
      });
      expect(validateFrontMatter(frontMatterOf(project(name)))).toEqual([]);
    },
  );

  it.each(REMOTE)("%s is created as a Docker Space with the same dependencies as hello", (name) => {
    const result = created.get(name) as RunResult;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Next steps:\n  cd ${name}\n  npm install\n  HF_TOKEN=hf_... npm run dev\n`,
    );
    expect(result.stdout).toContain("then add HF_TOKEN as a secret in the Space's settings");
    const { dependencies, devDependencies } = JSON.parse(readProjectFile(project(name), "package.json"));
    const hello = JSON.parse(readProjectFile(project("hello"), "package.json"));
    expect({ dependencies, devDependencies }).toEqual({
      dependencies: hello.dependencies,
      devDependencies: hello.devDependencies,
    });
    expect(frontMatterOf(project(name))).toMatchObject({ sdk: "docker" });
    expect(validateFrontMatter(frontMatterOf(project(name)))).toEqual([]);
  });

  it("chat-inference streams a provider's reply on its page's chat endpoint", async () => {
    const url = await served("chat-inference");
    const config = (await (await fetch(`${url}/config`)).json()) as {
      spacecraft: { chat?: { endpoint: number } };
    };
    const client = await connect(url);
    client.send({
      type: "predict",
      id: "c",
      endpoint: config.spacecraft.chat?.endpoint,
      data: ["Hi there", []],
    });
    const result = await client.next(
      (m) => "id" in m && m.id === "c" && (m.type === "complete" || m.type === "error"),
      45_000,
    );
    await client.close();
    expect(result, outputs.get("chat-inference")?.()).toMatchObject({
      type: "complete",
      data: [
        [
          { role: "user", content: "Hi there" },
          { role: "assistant", content: chatReplyTo("Hi there") },
        ],
        { __type__: "update" },
      ],
    });
    const request = providers.requests.find((r) => r.path === "/v1/chat/completions");
    expect(JSON.parse(String(request?.body))).toMatchObject({ model: "openai/gpt-oss-20b", stream: true });
    expect(request?.headers.authorization, "the server's HF_TOKEN goes to the provider").toBe(
      `Bearer ${TOKEN}`,
    );
    // … and nowhere else.
    for (const path of ["/", "/config", "/gradio_api/info"]) {
      expect(await (await fetch(`${url}${path}`)).text(), path).not.toContain(TOKEN);
    }
  });

  it("text-to-image shows the provider's picture for a typed prompt in Chromium", async () => {
    const url = await served("text-to-image");
    const page = await open(url);
    await page.page.getByLabel("Prompt", { exact: true }).fill("a red pixel");
    await page.button("Submit").click();
    await page.waitForStage("complete").catch(async () => {
      throw new Error(
        `No image. Status: ${await page.statusText()}\nServer: ${outputs.get("text-to-image")?.()}`,
      );
    });
    const image = (await page.valueOf("Image")) as { url?: string } | null;
    expect(image?.url, "the Image output has a URL").toBeTruthy();
    const bytes = Buffer.from(await (await fetch(new URL(image?.url as string, url))).arrayBuffer());
    expect(bytes.equals(RED_PIXEL_PNG), "the page shows the stand-in's PNG").toBe(true);
    expect(page.errors).toEqual([]);
  });

  it("hello repeats typed text in Chromium", async () => {
    const page = await open(await served("hello"));
    await page.page.getByLabel("Text", { exact: true }).fill("ab");
    await page.button("Submit").click();
    await eventually(() => page.valueOf("Result")).toBe("abab");
    expect(page.errors).toEqual([]);
  });

  it("sentiment labels a typed sentence with its model", async () => {
    const page = await open(await served("sentiment"));
    await page.page.getByLabel("Text", { exact: true }).fill("I love this");
    await page.button("Submit").click();
    // The first run may wait for the model to load: up to 60 s for the run to complete, then the value.
    await page.waitForStage("complete");
    await eventually(
      async () => ((await page.valueOf("Sentiment")) as { label?: string } | null)?.label,
    ).toBe("POSITIVE");
    expect(page.errors).toEqual([]);
  }, 120_000);

  it("text-generation streams a continuation of a typed prompt", async () => {
    const page = await open(await served("text-generation"));
    await page.page.getByLabel("Prompt", { exact: true }).fill("Hello world");
    await page.button("Submit").click();
    await page.waitForStage("complete");
    await eventually(() => page.valueOf("Continuation")).toContain("Once upon a time");
    expect(page.errors).toEqual([]);
  }, 120_000);

  it("chatbot answers a message on its page's chat endpoint", async () => {
    const url = await served("chatbot");
    const config = (await (await fetch(`${url}/config`)).json()) as {
      spacecraft: { chat?: { endpoint: number } };
    };
    const client = await connect(url);
    client.send({ type: "predict", id: "c", endpoint: config.spacecraft.chat?.endpoint, data: ["Hi", []] });
    const result = await client.next(
      (m) => "id" in m && m.id === "c" && (m.type === "complete" || m.type === "error"),
      45_000,
    );
    await client.close();
    expect(result).toMatchObject({
      type: "complete",
      data: [
        [
          { role: "user", content: "Hi" },
          { role: "assistant", content: GPT2_STORY.trim() },
        ],
        // The box was emptied by the first partial; later ones leave it alone.
        { __type__: "update" },
      ],
    });
  });

  it("image-classification names the colour of an uploaded picture", async () => {
    const page = await open(await served("image-classification"));
    await submitRedImage(page);
    await page.waitForStage("complete");
    await eventually(async () => ((await page.valueOf("Classes")) as { label?: string } | null)?.label).toBe(
      "red",
    );
  }, 120_000);

  it("speech-recognition transcribes an uploaded WAV", async () => {
    const page = await open(await served("speech-recognition"));
    await submitSpeech(page);
    await page.waitForStage("complete").catch(async () => {
      throw new Error(
        `No transcript. Status: ${await page.statusText()}\nServer: ${outputs.get("speech-recognition")?.()}`,
      );
    });
    expect(await page.valueOf("Transcript")).toBe("The quick brown fox jumps over the lazy dog.");
  }, 120_000);

  it("sentiment builds a static page with npm run build", () => {
    runChecked("npm", ["run", "build"], { cwd: project("sentiment"), env: cleanEnv() });
    expect(existsSync(join(project("sentiment"), "dist/index.html"))).toBe(true);
    expect(existsSync(join(project("sentiment"), "dist/worker.js"))).toBe(true);
    expect(validateFrontMatter(frontMatterOf(project("sentiment")))).toEqual([]);
  }, 180_000);

  it("text-generation type-checks with npm run typecheck", () => {
    runChecked("npm", ["run", "typecheck"], { cwd: project("text-generation"), env: cleanEnv() });
  }, 180_000);
});
