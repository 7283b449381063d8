// A Space's own components on a real server started by the CLI: start-up checks, the config's
// chunk list, the chunk itself, the server-rendered page, and values through fn.
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { startCli } from "./cli.js";
import { connect } from "./ws-client.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const fixtures = join(root, "tests/server/fixtures/custom");
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

/** Starts `app` with the CLI; resolves with its URL, or rejects with what it printed when it exits. */
async function start(app: string) {
  const started = await startCli(app);
  children.push(started.child);
  return started;
}

/** What the CLI printed when it refused to start `app`. */
async function refusal(app: string): Promise<string> {
  return start(app).then(
    ({ url }) => {
      throw new Error(`${app} started at ${url}; expected it to refuse`);
    },
    (error: Error) => error.message,
  );
}

describe("custom components on a server", { timeout: 60_000 }, () => {
  it("lists the element's chunk in the config, serves it, and runs values through fn", async () => {
    const { url } = await start(join(root, "templates/custom-component/app.ts"));
    const config = (await (await fetch(`${url}/config`)).json()) as {
      components: { type: string }[];
      spacecraft: { customElements?: Record<string, string> };
    };
    const path = config.spacecraft.customElements?.["star-rating"];
    expect(path, "the config names the star rating's chunk").toMatch(
      /^assets\/custom\/star-rating-[0-9a-f]{8}\.js$/,
    );
    expect(config.components.filter((component) => component.type === "star-rating")).toHaveLength(2);

    const chunk = await fetch(`${url}/${path}`, { headers: { "Accept-Encoding": "gzip" } });
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(chunk.headers.get("cache-control")).toContain("immutable");
    expect(chunk.headers.get("content-encoding")).toBe("gzip");
    const code = await chunk.text();
    expect(code, "the chunk registers the element").toContain('"sc-star-rating"');
    // The framework is not bundled into it: its spec's `spacecraft` import is a stand-in.
    expect(code).not.toContain("gradio_api");
    expect((await fetch(`${url}/assets/custom/star-rating-00000000.js`)).status).toBe(404);

    // The server-drawn page runs the chunk as a module script, before the shell takes over.
    const page = await (await fetch(url)).text();
    expect(page).toContain(`<script type="module" src="./${path}"></script>`);

    const client = await connect(url);
    // The API describes its value with the spec's Python type, as for a built-in.
    const info = (await (await fetch(`${url}/gradio_api/info`)).json()) as {
      named_endpoints: Record<string, { parameters: { label: string; python_type: { type: string } }[] }>;
    };
    const parameters = Object.values(info.named_endpoints)[0]?.parameters ?? [];
    expect(parameters.find((parameter) => parameter.label === "Your rating")?.python_type.type).toBe("int");

    client.send({ type: "predict", id: "a", endpoint: 0, data: ["Nice", 4] });
    expect(await client.next((m) => "id" in m && m.id === "a" && m.type !== "queued", 20_000)).toMatchObject({
      type: "complete",
      data: ["★★★★☆ Nice", 5],
    });
    client.send({ type: "predict", id: "b", endpoint: 0, data: ["Too much", 6] });
    const refused = await client.next((m) => "id" in m && m.id === "b" && m.type !== "queued", 20_000);
    expect(refused).toMatchObject({ type: "error" });
    expect(JSON.stringify(refused)).toContain("at most 5 stars");
    await client.close();
  });

  it("leaves pages without one alone: no chunk list, no chunk script", async () => {
    const { url } = await start(join(root, "templates/hello/app.ts"));
    const config = (await (await fetch(`${url}/config`)).json()) as { spacecraft: object };
    expect(config.spacecraft).not.toHaveProperty("customElements");
    expect(await (await fetch(url)).text()).not.toContain("assets/custom/");
  });

  it("refuses to start when the component's file registers no element, naming the file and the tag", async () => {
    const message = await refusal(join(fixtures, "no-element-app.ts"));
    expect(message).toContain(join(fixtures, "no-element.ts"));
    expect(message).toContain('defines the component "gauge" but no element for it');
    expect(message).toContain('customElements.define("sc-gauge", YourElement)');
  });

  it("refuses to start when the element's tag and the spec's type disagree, naming both", async () => {
    const message = await refusal(join(fixtures, "wrong-tag-app.ts"));
    expect(message).toContain(join(fixtures, "wrong-tag.ts"));
    expect(message).toContain("<sc-gauges>");
    expect(message).toContain('the spec\'s type is "gauge"');
    expect(message).toContain('customElements.define("sc-gauge", …)');
  });

  it("refuses a type name a built-in component has", async () => {
    const message = await refusal(join(fixtures, "built-in-app.ts"));
    expect(message).toContain('"slider" is the type name of a built-in component');
  });
});
