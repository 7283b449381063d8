import * as sc from "spacecraft";
import { serve } from "spacecraft/server";
import { describe, expect, it } from "vitest";
import { connect } from "./ws-client.js";

/** The id of the Space's examples table, from its config. */
async function datasetId(url: string): Promise<number> {
  const config = (await (await fetch(`${url}/config`)).json()) as sc.SpaceConfig;
  const dataset = config.components.find((component) => component.type === "dataset");
  if (!dataset) throw new Error("the config has no examples table");
  return dataset.id;
}

/** Asks the server for an example's cached outputs. */
async function cached(url: string, dataset: number, index: number) {
  const response = await fetch(`${url}/gradio_api/cached_examples/${dataset}/${index}.json`);
  return { status: response.status, body: (await response.json()) as { data?: unknown[]; error?: string } };
}

/** Polls until `check` holds (30 s), failing with `what`. */
async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("cacheExamples: true", () => {
  it("runs fn once per example after start-up and serves the outputs without running it again", async () => {
    const calls: string[] = [];
    const space = sc.Interface({
      fn: (text: string) => {
        calls.push(text);
        return text.toUpperCase();
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
      examples: [["one"], ["two"], ["three"]],
      cacheExamples: true,
    });
    const server = await serve(space, { port: 0, logError: () => {} });
    try {
      const id = await datasetId(server.url);
      await until(
        "the three examples to be cached",
        async () => (await cached(server.url, id, 2)).status === 200,
      );
      expect(calls, "fn ran once for each example, in order").toEqual(["one", "two", "three"]);
      for (const [index, expected] of ["ONE", "TWO", "THREE"].entries()) {
        expect(await cached(server.url, id, index), `example ${index}`).toEqual({
          status: 200,
          body: { data: [expected] },
        });
      }
      expect(calls.length, "serving cached outputs never calls fn").toBe(3);
      const missing = await cached(server.url, id, 3);
      expect(missing.status, "a row that does not exist").toBe(404);
      expect(missing.body.error).toMatch(
        /^Example 4 of table \d+ has no cached outputs .* Run it instead\.$/,
      );
    } finally {
      await server.close({ timeoutMs: 100 });
    }
  });

  it("serves at once; an example still being computed is not cached yet (the page runs it)", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const space = sc.Interface({
      fn: async (text: string) => {
        await gate;
        return `${text}!`;
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
      examples: [["slow"]],
      cacheExamples: true,
    });
    const server = await serve(space, { port: 0, logError: () => {} });
    try {
      const id = await datasetId(server.url);
      expect((await cached(server.url, id, 0)).status, "not cached while fn runs").toBe(404);
      release();
      await until("the example to be cached", async () => (await cached(server.url, id, 0)).status === 200);
      expect((await cached(server.url, id, 0)).body).toEqual({ data: ["slow!"] });
    } finally {
      release();
      await server.close({ timeoutMs: 100 });
    }
  });

  it("logs an example that fails with its number and message, caches the others and keeps serving", async () => {
    const logged: string[] = [];
    const errors: unknown[] = [];
    const space = sc.Interface({
      fn: (n: number) => {
        if (n === 2) throw new Error("two is not allowed");
        return n * 10;
      },
      inputs: [sc.Number()],
      outputs: [sc.Number()],
      examples: [[1], [2], [3]],
      cacheExamples: true,
    });
    const server = await serve(space, {
      port: 0,
      logError: (message, error) => {
        logged.push(message);
        errors.push(error);
      },
    });
    try {
      const id = await datasetId(server.url);
      await until(
        "the third example to be cached",
        async () => (await cached(server.url, id, 2)).status === 200,
      );
      expect(logged.join("\n"), "the log names the example").toMatch(
        /Example 2 of "Examples" could not be cached .*clicking it runs the function as usual/,
      );
      expect(
        errors.some((error) => error instanceof Error && error.message === "two is not allowed"),
        "fn's own error is logged too",
      ).toBe(true);
      expect((await cached(server.url, id, 0)).body).toEqual({ data: [10] });
      expect((await cached(server.url, id, 1)).status, "the failed example is not cached").toBe(404);
      const client = await connect(server.url);
      client.send({ type: "predict", id: "run", endpoint: 0, data: [4] });
      expect(await client.end("run"), "the server still runs fn").toMatchObject({
        type: "complete",
        data: [40],
      });
      await client.close();
    } finally {
      await server.close({ timeoutMs: 100 });
    }
  });

  it("stores file outputs in the file store and gives their URLs", async () => {
    const space = sc.Interface({
      fn: (size: number) => ({
        width: size,
        height: 1,
        channels: 3,
        data: new Uint8Array(size * 3).fill(200),
      }),
      inputs: [sc.Number()],
      outputs: [sc.Image()],
      examples: [[3]],
      cacheExamples: true,
    });
    const server = await serve(space, { port: 0, logError: () => {} });
    try {
      const id = await datasetId(server.url);
      await until(
        "the image example to be cached",
        async () => (await cached(server.url, id, 0)).status === 200,
      );
      const [image] = (await cached(server.url, id, 0)).body.data as sc.FileData[];
      expect(image?.url, "a URL of the file store, not the bytes").toMatch(/\/gradio_api\/file=/);
      const response = await fetch(new URL(image?.url as string, server.url));
      expect(response.headers.get("content-type")).toBe("image/png");
    } finally {
      await server.close({ timeoutMs: 100 });
    }
  });
});

describe('cacheExamples: "lazy"', () => {
  it("runs nothing at start-up and fn once per example, however many sessions ask", async () => {
    let calls = 0;
    const space = sc.Interface({
      fn: async (text: string) => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
        return text.length;
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Number()],
      examples: [["four"], ["seven"]],
      cacheExamples: "lazy",
    });
    const server = await serve(space, { port: 0, logError: () => {} });
    try {
      const id = await datasetId(server.url);
      // Something else the server does after start-up: a run, so the background had its chance.
      const client = await connect(server.url);
      client.send({ type: "predict", id: "warm", endpoint: 0, data: ["ab"] });
      expect(await client.end("warm")).toMatchObject({ type: "complete", data: [2] });
      await client.close();
      expect(calls, "no example ran at start-up").toBe(1);
      // Two visitors click the same example at once, and another later.
      const [first, second] = await Promise.all([cached(server.url, id, 1), cached(server.url, id, 1)]);
      expect(first).toEqual({ status: 200, body: { data: [5] } });
      expect(second).toEqual({ status: 200, body: { data: [5] } });
      expect(await cached(server.url, id, 1)).toEqual({ status: 200, body: { data: [5] } });
      expect(calls, "fn ran once for that example").toBe(2);
      expect(await cached(server.url, id, 0)).toEqual({ status: 200, body: { data: [4] } });
      expect(calls, "and once for the other").toBe(3);
    } finally {
      await server.close({ timeoutMs: 100 });
    }
  });
});

describe("example options", () => {
  const base = { fn: (text: string) => text, inputs: [sc.Textbox()], outputs: [sc.Textbox()] } as const;

  it("refuses labels whose count differs from the examples', naming both counts", () => {
    expect(() =>
      sc.Interface({ ...base, examples: [["a"], ["b"], ["c"]], exampleLabels: ["A", "B"] }),
    ).toThrow(
      "Interface: `exampleLabels` has 2 labels but `examples` has 3 rows. Give one label per example.",
    );
  });

  it("refuses a cacheExamples that is not true, false or lazy, and a bad page size", () => {
    expect(() => sc.Interface({ ...base, examples: [["a"]], cacheExamples: "eager" as never })).toThrow(
      '`cacheExamples` must be true, false or "lazy" (got "eager")',
    );
    expect(() => sc.Interface({ ...base, examples: [["a"]], examplesPerPage: 0 })).toThrow(
      "`examplesPerPage` must be a whole number of at least 1 (got 0)",
    );
  });

  it("puts labels, the page size and the cache mode in the examples table's config", () => {
    const config = sc
      .Interface({
        ...base,
        examples: [["a"], ["b"]],
        exampleLabels: ["First", "Second"],
        examplesPerPage: 1,
        cacheExamples: "lazy",
      })
      .toConfig();
    const dataset = config.components.find((component) => component.type === "dataset");
    expect(dataset?.props).toMatchObject({
      labels: ["First", "Second"],
      samplesPerPage: 1,
      cache: "lazy",
      dependency: config.dependencies[0]?.id,
    });
  });
});

describe("Examples in a Blocks", () => {
  it("caches the outputs of the event it names", async () => {
    let calls = 0;
    const space = sc.Blocks({ title: "Shout" }, () => {
      const text = sc.Textbox({ label: "Text" });
      const loud = sc.Textbox({ label: "Loud" });
      const go = sc.Button({ value: "Go" });
      const run = go.click({
        fn: (value: string) => {
          calls += 1;
          return `${value}!`;
        },
        inputs: [text],
        outputs: [loud],
      });
      return sc.Column(
        text,
        go,
        loud,
        sc.Examples([text], [["hey"], ["ho"]], { labels: ["Hey", "Ho"], cache: { mode: true, event: run } }),
      );
    });
    const server = await serve(space, { port: 0, logError: () => {} });
    try {
      const id = await datasetId(server.url);
      await until("both examples to be cached", async () => (await cached(server.url, id, 1)).status === 200);
      expect((await cached(server.url, id, 0)).body).toEqual({ data: ["hey!"] });
      expect(calls).toBe(2);
    } finally {
      await server.close({ timeoutMs: 100 });
    }
  });

  it("refuses a cached event whose inputs do not include the examples' components", () => {
    expect(() =>
      sc.Blocks({}, () => {
        const text = sc.Textbox({ label: "Text" });
        const other = sc.Textbox({ label: "Other" });
        const go = sc.Button({ value: "Go" });
        const run = go.click({ fn: (value: string) => value, inputs: [other], outputs: [text] });
        return sc.Column(
          text,
          other,
          go,
          sc.Examples([text], [["a"]], { cache: { mode: "lazy", event: run } }),
        );
      }),
    ).toThrow(/Examples: the cached event must run a function whose inputs include the examples' components/);
  });

  it("refuses labels whose count differs from the rows'", () => {
    const text = sc.Textbox();
    expect(() => sc.Examples([text], [["a"], ["b"]], { labels: ["A"] })).toThrow(
      "Examples: `labels` has 1 label(s) but `examples` has 2 row(s). Give one label per example.",
    );
  });
});

describe("ChatInterface examples", () => {
  it("caches each example's conversation, run from an empty chat", async () => {
    const seen: unknown[] = [];
    const space = sc.ChatInterface({
      fn: (message: string, history) => {
        seen.push(history.length);
        return `You said ${message}`;
      },
      examples: ["Hi", "Bye"],
      exampleLabels: ["Greet", "Leave"],
      cacheExamples: true,
    });
    const server = await serve(space, { port: 0, logError: () => {} });
    try {
      const id = await datasetId(server.url);
      await until("both examples to be cached", async () => (await cached(server.url, id, 1)).status === 200);
      const [conversation] = (await cached(server.url, id, 0)).body.data as [sc.ChatMessage[]];
      expect(conversation.map(({ role, content }) => [role, content])).toEqual([
        ["user", "Hi"],
        ["assistant", "You said Hi"],
      ]);
      expect(seen, "each example ran once, from an empty history").toEqual([0, 0]);
    } finally {
      await server.close({ timeoutMs: 100 });
    }
  });

  it("refuses example labels whose count differs, naming ChatInterface", () => {
    expect(() =>
      sc.ChatInterface({ fn: (message: string) => message, examples: ["a", "b"], exampleLabels: ["A"] }),
    ).toThrow(
      "ChatInterface: `exampleLabels` has 1 label but `examples` has 2 rows. Give one label per example.",
    );
  });
});
