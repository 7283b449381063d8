import * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceStandIn } from "../fixtures/inference-stand-in.js";
import { chatReplyTo, startInferenceStandIn } from "../fixtures/inference-stand-in.js";
import type { SpacePage, SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

const TOKEN = "hf_browserStandInToken";
const previousToken = process.env.HF_TOKEN;
let browser: TestBrowser;
let providers: InferenceStandIn;
const spaces: SpaceServer[] = [];

beforeAll(async () => {
  process.env.HF_TOKEN = TOKEN;
  providers = await startInferenceStandIn({ token: TOKEN });
  browser = await launchBrowser();
});
afterAll(async () => {
  await Promise.all(spaces.map((space) => space.close()));
  await browser?.close();
  await providers?.close();
  if (previousToken === undefined) delete process.env.HF_TOKEN;
  else process.env.HF_TOKEN = previousToken;
});

/** A chat page whose model is `model` at the stand-in. */
async function chatPage(model: string): Promise<SpacePage> {
  const space = await serveSpace(
    browser,
    sc.ChatInterface({
      model: sc.inference("chat-completion", model, { endpointUrl: `${providers.url}/v1` }),
    }),
  );
  spaces.push(space);
  return space.open();
}

async function send(page: SpacePage, text: string): Promise<void> {
  const box = page.component("Message").locator("input");
  await box.fill(text);
  await box.press("Enter");
}

const lastReply = async (page: SpacePage) =>
  ((await page.valueOf("Chat")) as sc.ChatMessage[] | null)?.filter((m) => m.role === "assistant").at(-1)
    ?.content;

describe("a chat answered by Inference Providers, in Chromium", () => {
  it("shows the reply as it streams: the first word while the provider holds the rest, then all of it", async () => {
    const page = await chatPage("test/held-chat");
    await send(page, "hello from the browser");
    // The stand-in sent "You " and holds the rest: the page shows that much and is still busy.
    await eventually(() => lastReply(page)).toBe("You ");
    expect(await page.component("Chat").getAttribute("busy")).toBe("");
    providers.release();
    await eventually(() => lastReply(page)).toBe(chatReplyTo("hello from the browser"));
    await page.waitForStage("complete");
    expect(await page.textOf("Chat")).toContain(chatReplyTo("hello from the browser"));
    expect(await page.page.content()).not.toContain(TOKEN);
    expect(page.errors).toEqual([]);
  });

  it("explains spent credits (402) in the page, saying what to do", async () => {
    const page = await chatPage("status/402");
    await send(page, "anyone there?");
    await page.waitForStage("error");
    const shown = await page.statusText();
    expect(shown).toContain("Inference Providers credits are used up (HTTP 402)");
    expect(shown).toContain("Add credits at https://huggingface.co/settings/billing");
    expect(shown).toContain("set `billTo`");
    expect(shown).not.toContain(TOKEN);
  });
});
