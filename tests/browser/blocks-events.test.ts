import * as sc from "spacecraft";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

/** What the app's functions saw, in order (the server runs in this process). */
const calls: string[] = [];

/** Runs wait at the gate until the test opens it (or the run is cancelled). */
let openGate = () => {};
let gate = new Promise<void>((resolve) => {
  openGate = resolve;
});

function atGate(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    void gate.then(resolve);
    signal.addEventListener("abort", () => resolve());
  });
}

const app = sc.Blocks({ title: "Events" }, () => {
  const word = sc.Textbox({ label: "Word" });
  const colour = sc.Radio({ label: "Colour", choices: ["red", "green"] });
  const mirror = sc.Textbox({ label: "Mirror" });
  const copy = sc.Button({ value: "Copy" });
  const level = sc.Slider({ label: "Level", minimum: 0, maximum: 10, step: 1, value: 0 });
  const once = sc.Button({ value: "Once" });
  const many = sc.Button({ value: "Many" });
  const fail = sc.Button({ value: "Fail" });
  const verdict = sc.Label({ label: "Verdict" });
  const judge = sc.Button({ value: "Judge" });
  const doc = sc.File({ label: "Doc" });

  word.focus({ fn: () => void calls.push("focus") });
  word.blur({ fn: (word) => void calls.push(`blur:${word}`), inputs: [word] });
  colour.select({
    fn: (colour, ctx) => void calls.push(`select:${colour}`, `data:${JSON.stringify(ctx.event)}`),
    inputs: [colour],
  });
  // "multiple", so a click right after another is not dropped while that one finishes.
  copy.click({ fn: (word) => word, inputs: [word], outputs: [mirror], triggerMode: "multiple" });
  mirror.change({ fn: (mirror) => void calls.push(`mirror:${mirror}`), inputs: [mirror] });
  level.change({
    fn: async (level, ctx) => {
      calls.push(`level:${level}`);
      await atGate(ctx.signal);
    },
    inputs: [level],
  });
  once.click({
    fn: async (ctx) => {
      calls.push("once");
      await atGate(ctx.signal);
    },
  });
  many.click({
    fn: async (ctx) => {
      calls.push("many");
      await atGate(ctx.signal);
    },
    triggerMode: "multiple",
    concurrencyLimit: null,
  });
  const failing = fail.click({
    fn: () => {
      throw new sc.SpaceError("No luck.");
    },
  });
  failing.then({ fn: () => void calls.push("then") });
  failing.success({ fn: () => void calls.push("success") });
  judge.click({ fn: () => ({ cat: 0.9, dog: 0.1 }), outputs: [verdict] });
  verdict.select({ fn: (ctx) => void calls.push(`verdict:${ctx.event.value}`) });
  doc.upload({ fn: (doc) => void calls.push(`upload:${doc?.orig_name}`), inputs: [doc] });
  doc.clear({ fn: () => void calls.push("clear") });

  return sc.Column(word, colour, sc.Row(copy, mirror), level, sc.Row(once, many, fail), judge, verdict, doc);
});

let browser: TestBrowser;
let space: SpaceServer;

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, app);
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});
beforeEach(() => {
  calls.length = 0;
  openGate();
  gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
});

describe("Blocks events in the page", () => {
  it("fires focus and blur when the focus enters and leaves a component", async () => {
    const page = await space.open();
    await page.component("Word").locator("input").click();
    await eventually(() => calls).toEqual(["focus"]);
    await page.page.keyboard.type("hi");
    await page.component("Colour").getByLabel("red").focus();
    await eventually(() => calls).toEqual(["focus", "blur:hi"]);
  });

  it("fires select when the user picks a choice", async () => {
    const page = await space.open();
    await page.component("Colour").getByText("green").click();
    // The event's data (which choice, its value) reaches fn as ctx.event.
    await eventually(() => calls).toEqual([
      "select:green",
      'data:{"index":1,"value":"green","selected":true}',
    ]);
  });

  it("fires change for an output only when its value really changes", async () => {
    const page = await space.open();
    const mirrored = () => calls.filter((call) => call.startsWith("mirror:"));
    await page.component("Word").locator("input").fill("same");
    await page.button("Copy").click();
    await eventually(mirrored).toEqual(["mirror:same"]);
    await page.button("Copy").click();
    await page.component("Word").locator("input").fill("other");
    await page.button("Copy").click();
    await eventually(mirrored).toEqual(["mirror:same", "mirror:other"]);
  });

  it("fires select when the user picks a class of a Label output", async () => {
    const page = await space.open();
    await page.button("Judge").click();
    await page.component("Verdict").getByRole("button", { name: "dog" }).click();
    await eventually(() => calls).toEqual(["verdict:dog"]);
  });

  it("fires upload when a file finished uploading, and clear when the user clears it", async () => {
    const page = await space.open();
    await page.chooseFile("Doc", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    await eventually(() => calls).toEqual(["upload:notes.txt"]);
    await page.component("Doc").getByRole("button", { name: "Clear file" }).click();
    await eventually(() => calls).toEqual(["upload:notes.txt", "clear"]);
  });

  it("runs a change event once more with the latest value after the running one (always_last)", async () => {
    const page = await space.open();
    await page.component("Level").locator('input[type="range"]').focus();
    for (let i = 0; i < 5; i++) await page.page.keyboard.press("ArrowRight");
    await eventually(() => calls).toEqual(["level:1"]);
    expect(await page.valueOf("Level")).toBe(5);
    openGate();
    await eventually(() => calls).toEqual(["level:1", "level:5"]);
  });

  it("ignores a click while its run goes on (once), and runs alongside with multiple", async () => {
    const page = await space.open();
    await page.button("Once").click();
    await eventually(() => calls).toEqual(["once"]);
    await page.button("Once").click();
    await page.button("Many").click();
    await page.button("Many").click();
    // Both runs of Many started while the first still waits at the gate.
    await eventually(() => calls.filter((call) => call === "many")).toHaveLength(2);
    expect(calls.filter((call) => call === "once")).toHaveLength(1);
    openGate();
  });

  it("runs .then after a failed run, and .success not", async () => {
    const page = await space.open();
    await page.button("Fail").click();
    await eventually(() => calls).toEqual(["then"]);
    await eventually(() => page.pageText()).toContain("No luck.");
    // A later run of another event proves the page went on (success would have run by then).
    await page.component("Colour").getByText("green").click();
    await eventually(() => calls.slice(0, 2)).toEqual(["then", "select:green"]);
  });
});
