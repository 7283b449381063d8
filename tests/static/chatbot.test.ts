import { join } from "node:path";
import type { JSHandle } from "playwright-core";
import type { ChatMessage } from "spacecraft";
import { describe, expect, it } from "vitest";
import type { SpacePage } from "../browser/harness.js";
import { eventually } from "../browser/harness.js";
import { makeModelStandIns } from "../models/stand-ins.js";
import type { OpenedSite } from "./static-site.js";
import { staticSites } from "./static-site.js";

const sites = staticSites("chat", { setUp: () => makeModelStandIns(models) });
/** The template's Hub model played by the tiny chat model, served beside the page. */
const models = join(sites.dir, "models");

/** Builds an app statically with the real CLI, its models read from `/models/` on the same origin. */
async function build(app: string, name: string): Promise<string> {
  return (await sites.build(app, name, ["--models-url", "/models/"])).dir;
}

/** Serves a build and the models from a plain static server and opens it (with its console). */
function open(dir: string): Promise<OpenedSite> {
  return sites.open(dir, { mounts: { "/models/": models } });
}

function messages(view: SpacePage): Promise<ChatMessage[]> {
  return view.valueOf("Chat") as Promise<ChatMessage[]>;
}

async function send(view: SpacePage, text: string): Promise<void> {
  const box = view.component("Message").locator("input");
  await box.fill(text);
  await box.press("Enter");
}

/** What the probe fixture's worker reported: forward passes, conversations, ended generations. */
interface ProbeLog {
  passes: number;
  generated: number;
  conversations: ChatMessage[][];
}

/** Listens to the probe fixture's channel in the page; `set` changes its gate, `release` lets passes go. */
async function listen(view: SpacePage) {
  const log: JSHandle<ProbeLog> = await view.page.evaluateHandle(() => {
    const channel = new BroadcastChannel("model-probe");
    const seen = { passes: 0, generated: 0, conversations: [] as unknown[], gated: false };
    channel.onmessage = ({ data }) => {
      if (data.pass) seen.passes++;
      if (data.generated) seen.generated++;
      if (data.conversation) seen.conversations.push(data.conversation);
      if ("gated" in data) seen.gated = data.gated;
    };
    (globalThis as unknown as { probe: BroadcastChannel }).probe = channel;
    return seen as unknown as ProbeLog;
  });
  const post = (message: object) =>
    view.page.evaluate(
      (data) => (globalThis as unknown as { probe: BroadcastChannel }).probe.postMessage(data),
      message,
    );
  return {
    read: () => log.evaluate((seen) => structuredClone(seen)),
    /** Turns the gate on or off and waits until the worker says it did. */
    async gate(on: boolean) {
      await post({ gated: on });
      await eventually(() => log.evaluate((seen) => (seen as unknown as { gated: boolean }).gated)).toBe(on);
    },
    release: (count: number) => post({ release: count }),
  };
}

describe("the chatbot template built --static", { timeout: 180_000 }, () => {
  it("streams the tiny chat model's reply from the worker, on WASM when the browser has no GPU, and saves the chat", async () => {
    const { view, console } = await open(await build("templates/chatbot/app.ts", "chatbot"));
    const shown = await view.recordValues("Chat");
    await send(view, "Hello world");
    await view.waitForStage("complete");
    const [asked, answer, ...more] = await messages(view);
    expect(asked).toEqual({ role: "user", content: "Hello world" });
    expect(answer?.role).toBe("assistant");
    expect(answer?.content).toMatch(/^Once upon a time/);
    expect(more).toEqual([]);
    // The reply grew in the page word by word, not in one piece.
    const replies = new Set(
      ((await shown()) as ChatMessage[][]).map((chat) => chat[1]?.content).filter((text) => text),
    );
    expect(replies.size).toBeGreaterThan(3);
    // Headless Chromium here has no GPU adapter: the worker says it fell back to WASM.
    expect(console).toContain(
      "Spacecraft: HuggingFaceTB/SmolLM2-135M-Instruct runs on the CPU (WASM): this browser offers no WebGPU adapter.",
    );

    // The template saves the conversation in the browser: after a reload it is listed, and opens.
    const saved = await messages(view);
    await view.page.reload();
    await view.page.waitForSelector("sc-app[loaded]");
    await view.page
      .getByRole("list", { name: "Saved chats" })
      .getByRole("button", { name: "Hello world", exact: true })
      .click();
    await eventually(() => messages(view)).toEqual(saved);
    expect(view.errors).toEqual([]);
  });

  it("stops the model mid-reply and keeps the partial reply; the next turn gets the history", async () => {
    const { view } = await open(await build("tests/static/fixtures/chatbot-probe.ts", "chatbot-probe"));
    const probe = await listen(view);
    await probe.gate(true);
    await send(view, "Tell me a story");
    // Three passes, and a fourth waits at the gate: the streamer has shown two words. The model
    // loads first, which takes its time on a busy machine.
    await probe.release(3);
    await expect.poll(async () => (await probe.read()).passes, { timeout: 60_000 }).toBe(4);
    await eventually(async () => (await messages(view)).at(-1)?.content.trim().split(" ").length).toBe(2);
    await view.button("Stop").click();
    await eventually(() => view.statusText()).toBe("Stopped.");
    const partial = await messages(view);
    // The pass waiting at the gate ends the generation: the stopping criterion saw the stop.
    await probe.release(100);
    await eventually(async () => (await probe.read()).generated).toBe(1);
    expect((await probe.read()).passes).toBeLessThanOrEqual(5);
    expect(await messages(view)).toEqual(partial);
    expect(partial).toEqual([
      { role: "user", content: "Tell me a story" },
      { role: "assistant", content: expect.stringMatching(/^\S+ \S+\s*$/) },
    ]);

    await probe.gate(false);
    await send(view, "And then?");
    await view.waitForStage("complete");
    const { conversations } = await probe.read();
    expect(conversations.at(-1)).toEqual([
      { role: "system", content: "You are a friendly, helpful assistant. Answer briefly and clearly." },
      ...partial,
      { role: "user", content: "And then?" },
    ]);
    expect(await messages(view)).toEqual([
      ...partial,
      { role: "user", content: "And then?" },
      { role: "assistant", content: expect.stringMatching(/^Once upon a time/) },
    ]);
    expect(view.errors).toEqual([]);
  });
});
