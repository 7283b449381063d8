import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceStandIn } from "../fixtures/inference-stand-in.js";
import { chatReplyTo, RED_PIXEL_PNG, startInferenceStandIn } from "../fixtures/inference-stand-in.js";
import type { StartedCli } from "./cli.js";
import { CLI_PATH, startCli } from "./cli.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const app = join(root, "templates/text-to-image/app.ts");
const TOKEN = "hf_cliStandInToken";
const out = mkdtempSync(join(tmpdir(), "spacecraft-inference-"));
let providers: InferenceStandIn;
const openAiApp = join(root, "tests/fixtures/openai-chat.ts");
const started: StartedCli[] = [];

beforeAll(async () => {
  providers = await startInferenceStandIn({
    token: TOKEN,
    tasks: { "black-forest-labs/FLUX.1-schnell": "text-to-image" },
  });
});
afterAll(async () => {
  for (const cli of started) cli.child.kill();
  await providers.close();
  rmSync(out, { recursive: true, force: true });
});

describe("spacecraft with a model run by Inference Providers", () => {
  it("start: serves the text-to-image template, the token going to the provider and nowhere else", async () => {
    const env = { ...process.env, HF_TOKEN: TOKEN, SPACECRAFT_INFERENCE_URL: providers.url };
    const cli = await startCli(app, env);
    started.push(cli);
    const { url } = cli;
    // Gradio's HTTP API, as any client calls it: join the queue, read the event stream.
    const join = await fetch(`${url}/gradio_api/call/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: ["a red pixel"] }),
    });
    expect(join.status).toBe(200);
    const { event_id } = (await join.json()) as { event_id: string };
    const stream = await (await fetch(`${url}/gradio_api/call/predict/${event_id}`)).text();
    const complete = /event: complete\ndata: (.*)\n/.exec(stream)?.[1];
    expect(complete, `the stream ends in complete: ${stream}\n${cli.output()}`).toBeDefined();
    const [image] = JSON.parse(complete as string) as [{ url: string }];
    const bytes = Buffer.from(await (await fetch(new URL(image.url, url))).arrayBuffer());
    expect(bytes.equals(RED_PIXEL_PNG)).toBe(true);
    expect(providers.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    for (const path of ["/", "/config", "/gradio_api/info"]) {
      expect(await (await fetch(`${url}${path}`)).text(), path).not.toContain(TOKEN);
    }
    expect(cli.output()).not.toContain(TOKEN);
  });

  it("start: a ChatInterface.fromOpenAI app chats through the server, its apiKey kept there", async () => {
    const key = "sk-cliLocalKey";
    const server = await startInferenceStandIn({ token: key });
    try {
      const cli = await startCli(openAiApp, {
        ...process.env,
        OPENAI_BASE_URL: `${server.url}/v1`,
        OPENAI_API_KEY: key,
      });
      started.push(cli);
      const join = await fetch(`${cli.url}/gradio_api/call/chat`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ data: ["hi over http"] }),
      });
      const { event_id } = (await join.json()) as { event_id: string };
      const stream = await (await fetch(`${cli.url}/gradio_api/call/chat/${event_id}`)).text();
      expect(stream, cli.output()).toContain(
        `event: complete\ndata: ${JSON.stringify([chatReplyTo("hi over http"), null])}`,
      );
      for (const path of ["/", "/config", "/gradio_api/info"]) {
        expect(await (await fetch(`${cli.url}${path}`)).text(), path).not.toContain(key);
      }
    } finally {
      await server.close();
    }
  });

  it.each([
    [app, "black-forest-labs/FLUX.1-schnell"],
    [openAiApp, "local-llm"],
  ])("build --static %s: refuses, since the page would have to hold the token", async (path, model) => {
    const dist = join(out, model);
    const failure = await run(process.execPath, [CLI_PATH, "build", "--static", path, "--out", dist], {
      cwd: root,
    }).catch((error: { stderr: string; code: number }) => error);
    expect((failure as { code: number }).code).not.toBe(0);
    expect(String((failure as { stderr: string }).stderr)).toContain(
      `"${model}" runs remotely (inference() or ChatInterface.fromOpenAI) with a token ` +
        "that must stay on a server: a static page would give it away.",
    );
    expect(existsSync(join(dist, "worker.js"))).toBe(false);
  });
});
