import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as sc from "spacecraft";
import { connect, SpaceCallError } from "spacecraft/client";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { WebSocket } from "ws";

const repeat = sc.Interface({
  fn: async function* (text, times, ctx) {
    if (text === "fail") throw new sc.SpaceError("That word is not allowed.");
    ctx.progress([1, 2], "Thinking");
    yield text;
    yield text.repeat(times);
  },
  inputs: [sc.Textbox({ label: "Text" }), sc.Slider({ label: "Times", minimum: 1, maximum: 5, value: 2 })],
  outputs: [sc.Textbox({ label: "Result" })],
});

let server: RunningServer;
beforeAll(async () => {
  server = await serve(repeat, { port: 0, logError: () => {} });
});
afterAll(() => server.close({ timeoutMs: 100 }));

// Node 20 has no global WebSocket; Node 22 and browsers need no option.
const options = { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket };

describe("spacecraft/client", () => {
  it("predicts with inputs typed from the Space", async () => {
    const space = await connect<typeof repeat>(server.url, options);
    const result = await space.predict("/predict", ["ab", 3]);
    expectTypeOf(result).toEqualTypeOf<[string]>();
    expect(result).toEqual(["ababab"]);
    // @ts-expect-error the slider takes a number
    await expect(space.predict("/predict", ["ab", "three"])).rejects.toThrow(
      'Slider "Times": must be a number.',
    );
    space.close();
  });

  it("takes inputs by keyword, with defaults for the ones left out", async () => {
    const space = await connect(server.url, options);
    expect(await space.predict("predict", { text: "xy" })).toEqual(["xyxy"]);
    await expect(space.predict("predict", { txt: "xy" })).rejects.toThrow(
      'Unknown input "txt". Inputs: text, times.',
    );
    space.close();
  });

  it("yields progress, partial results and completion from submit()", async () => {
    const space = await connect(server.url, options);
    const events: string[] = [];
    for await (const event of space.submit(0, ["go", 2])) {
      events.push(
        event.type === "partial" || event.type === "complete" ? `${event.type}:${event.data[0]}` : event.type,
      );
    }
    // Over the WebSocket partials come at most once a frame: "gogo", yielded right after "go",
    // may come only as the completion.
    expect(events).toEqual(expect.arrayContaining(["progress", "partial:go", "complete:gogo"]));
    expect(["partial:go", "partial:go,partial:gogo"]).toContain(
      events.filter((event) => event.startsWith("partial:")).join(),
    );
    expect(events.at(-1)).toBe("complete:gogo");
    space.close();
  });

  it("throws the Space's error, naming the input when there is one", async () => {
    const space = await connect(server.url, options);
    await expect(space.predict("/predict", ["fail", 1])).rejects.toThrow("That word is not allowed.");
    const error = await space.predict("/predict", ["x", 9]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SpaceCallError);
    expect(error).toMatchObject({ field: "Times", message: 'Slider "Times": must be at most 5.' });
    await expect(space.predict("/nope", ["x", 1])).rejects.toThrow(
      'No endpoint "/nope". This Space has: /predict.',
    );
    space.close();
  });

  it("runs the README's example on Node with no global WebSocket and none passed", async () => {
    // A fresh Node process, as a user's script would be; without a global WebSocket on any version.
    const script = `
      delete globalThis.WebSocket;
      const { connect } = await import("spacecraft/client");
      const space = await connect(process.env.SPACE_URL);
      const [text] = await space.predict("/predict", ["ha", 3]);
      const events = [];
      for await (const event of space.submit("/predict", ["ha", 3])) events.push(event.type);
      space.close();
      console.log(JSON.stringify({ text, events }));
    `;
    const { code, stdout, stderr } = await runNode(script, { SPACE_URL: server.url });
    expect(code, `node exited with ${code}: ${stderr}`).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      text: "hahaha",
      events: expect.arrayContaining(["partial", "complete"]),
    });
  });
});

/** Runs an ES module script in a new Node process from the repo root; resolves when it exits. */
function runNode(
  script: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("../../", import.meta.url)),
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`node did not finish within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
