import { describe, expect, it, vi } from "vitest";
import * as sc from "../index.js";
import type { ServerMessage } from "../protocol.js";

/** Collects one caller's messages and resolves when a job ends. */
function caller() {
  const messages: ServerMessage[] = [];
  const waiters: (() => void)[] = [];
  const send = (message: ServerMessage) => {
    messages.push(message);
    for (const wake of waiters.splice(0)) wake();
  };
  const ended = async (id: string) => {
    const isEnd = (m: ServerMessage) =>
      "id" in m && m.id === id && (m.type === "complete" || m.type === "error" || m.type === "cancelled");
    while (!messages.some(isEnd)) await new Promise<void>((resolve) => waiters.push(resolve));
    return messages.find(isEnd) as ServerMessage;
  };
  const of = (id: string) => messages.filter((m) => "id" in m && m.id === id).map((m) => m.type);
  return { messages, send, ended, of };
}

const quiet = { logError: () => {} };

/** Submits as a transport does: a refusal reaches the caller as an `error`. */
function submitTo(
  engine: sc.Engine,
  session: string,
  request: { id: string; endpoint: number | string; data: unknown[] },
  send: (message: ServerMessage) => void,
): void {
  const refusal = engine.submit(session, request, send);
  if (refusal) send({ type: "error", id: request.id, ...refusal });
}

describe("Engine", () => {
  it("runs a prediction and completes with postprocessed outputs (a fast job skips `started`)", async () => {
    const space = sc.Interface({
      fn: (text) => [{ label: text, score: 0.9 }],
      inputs: [sc.Textbox()],
      outputs: [sc.Label()],
    });
    const engine = new sc.Engine(space);
    const c = caller();
    submitTo(engine, "s", { id: "1", endpoint: 0, data: ["pos"] }, c.send);
    expect(await c.ended("1")).toMatchObject({
      type: "complete",
      data: [{ label: "pos", confidences: [{ label: "pos", confidence: 0.9 }] }],
    });
    expect(c.of("1")).toEqual(["complete"]);
  });

  it("runs a plain function's job with no timer, and answers only after submit returns", async () => {
    const space = sc.Interface({
      fn: (text, times, loud) => [loud ? text.toUpperCase() : text, text.length * times],
      inputs: [sc.Textbox(), sc.Number(), sc.Checkbox()],
      outputs: [sc.Textbox(), sc.Number()],
    });
    // A time limit is set, so a run that waited for something would hold its timer.
    const engine = new sc.Engine(space, { timeLimit: 60 });
    const c = caller();
    vi.useFakeTimers();
    try {
      expect(engine.submit("s", { id: "1", endpoint: 0, data: ["hi", 2, true] }, c.send)).toBeUndefined();
      expect(c.messages, "nothing is sent before submit returns").toEqual([]);
      expect(await c.ended("1")).toMatchObject({ type: "complete", data: ["HI", 4] });
      expect(vi.getTimerCount(), "no time-limit or `started` timer is left for a plain function").toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("hands fn a context with a plain object's keys in order, a lazy enumerable signal, and progress that works destructured", async () => {
    const seen: { keys: string[]; signalEnumerable?: boolean; aborted: boolean }[] = [];
    const space = sc.Interface({
      fn: async (text, ctx) => {
        const { progress } = ctx;
        progress(0.5, "half");
        seen.push({
          keys: Object.keys(ctx),
          signalEnumerable: Object.getOwnPropertyDescriptor(ctx, "signal")?.enumerable,
          aborted: ctx.signal.aborted,
        });
        return text;
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    const engine = new sc.Engine(space);
    const c = caller();
    submitTo(engine, "s", { id: "1", endpoint: 0, data: ["x"] }, c.send);
    expect(await c.ended("1")).toMatchObject({ type: "complete", data: ["x"] });
    expect(seen).toEqual([
      { keys: ["signal", "session", "model", "event", "progress"], signalEnumerable: true, aborted: false },
    ]);
    expect(c.of("1"), "the destructured progress reached the caller").toEqual([
      "started",
      "progress",
      "complete",
    ]);
  });

  it("frees a plain function's slot once its complete is sent: queued jobs run in order, each after the last answered", async () => {
    const order: string[] = [];
    const space = sc.Interface({
      fn: (text) => {
        order.push(`run ${text}`);
        return text;
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
      concurrencyLimit: 1,
    });
    const engine = new sc.Engine(space);
    const c = caller();
    const send = (message: ServerMessage) => {
      if (message.type === "complete") order.push(`complete ${message.id}`);
      c.send(message);
    };
    for (const id of ["a", "b", "c"]) submitTo(engine, "s", { id, endpoint: 0, data: [id] }, send);
    await c.ended("c");
    expect(order).toEqual(["run a", "complete a", "run b", "complete b", "run c", "complete c"]);
    expect(c.messages.map((m) => m.type)).toEqual(["complete", "complete", "complete"]);
    expect(engine.pending, "no slot or job is left taken").toBe(0);
  });

  it("announces `started` for a job that takes a while", async () => {
    const space = sc.Interface({
      fn: async (text) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return text;
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    const engine = new sc.Engine(space);
    const c = caller();
    submitTo(engine, "s", { id: "1", endpoint: 0, data: ["x"] }, c.send);
    await c.ended("1");
    expect(c.of("1")).toEqual(["started", "complete"]);
  });

  it("refuses bad input before queueing, naming the input", () => {
    const space = sc.Interface({
      fn: (n) => String(n),
      inputs: [sc.Number({ label: "Age", maximum: 120 })],
      outputs: [sc.Textbox()],
    });
    const engine = new sc.Engine(space);
    const c = caller();
    submitTo(engine, "s", { id: "1", endpoint: 0, data: [200] }, c.send);
    submitTo(engine, "s", { id: "2", endpoint: "nope", data: [1] }, c.send);
    expect(c.messages).toEqual([
      {
        type: "error",
        id: "1",
        message: 'Number "Age": must be at most 120.',
        field: space.endpoints[0]?.inputIds[0],
      },
      { type: "error", id: "2", message: 'Unknown endpoint "nope". This Space has: "predict".' },
    ]);
    expect(engine.pending).toBe(0);
  });

  it("shows a SpaceError's message, hides other errors and logs them", async () => {
    const logged: unknown[] = [];
    const space = sc.Interface({
      fn: (text) => {
        if (text === "user") throw new sc.SpaceError("Please write a shorter text.");
        throw new Error("secret database password in here");
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    const engine = new sc.Engine(space, { logError: (_m, e) => logged.push(e) });
    const c = caller();
    submitTo(engine, "s", { id: "1", endpoint: 0, data: ["user"] }, c.send);
    submitTo(engine, "s", { id: "2", endpoint: 0, data: ["other"] }, c.send);
    expect(await c.ended("1")).toMatchObject({ type: "error", message: "Please write a shorter text." });
    const hidden = await c.ended("2");
    expect(hidden).toMatchObject({ type: "error" });
    expect(JSON.stringify(hidden)).not.toContain("secret");
    expect(logged).toHaveLength(1);
  });

  it("reports a result that does not fit the outputs", async () => {
    const space = sc.Interface({
      fn: () => 42 as never,
      inputs: [],
      outputs: [sc.Textbox({ label: "Out" })],
    });
    const engine = new sc.Engine(space, quiet);
    const c = caller();
    submitTo(engine, "s", { id: "1", endpoint: 0, data: [] }, c.send);
    expect(await c.ended("1")).toMatchObject({
      type: "error",
      message: expect.stringContaining('Textbox "Out" cannot show 42: must be text'),
    });
  });

  it("streams partial results from a generator and completes with the last", async () => {
    const space = sc.Interface({
      fn: async function* (text, ctx) {
        let out = "";
        for (const [i, ch] of [...text].entries()) {
          ctx.progress([i + 1, text.length], "typing");
          out += ch;
          yield out;
        }
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    const engine = new sc.Engine(space);
    const c = caller();
    submitTo(engine, "s", { id: "1", endpoint: 0, data: ["abc"] }, c.send);
    expect(await c.ended("1")).toMatchObject({ type: "complete", data: ["abc"] });
    expect(c.messages.filter((m) => m.type === "partial").map((m) => "data" in m && m.data[0])).toEqual([
      "a",
      "ab",
      "abc",
    ]);
    expect(c.messages).toContainEqual({ type: "progress", id: "1", value: 3, total: 3, desc: "typing" });
  });

  it("with partialIntervalMs sends the first partial at once, then at most one per interval, the latest", async () => {
    const step = { release: () => {} };
    const space = sc.Blocks({}, () => {
      const text = sc.Textbox({ label: "In" });
      const out = sc.Textbox({ label: "Out" });
      const note = sc.Textbox({ label: "Note" });
      text.submit({
        fn: async function* (words: string) {
          yield [sc.update({ value: "a", label: "First" }), "started"] as const;
          // Within the interval: held and merged; never sent, but their placeholder is kept.
          yield [sc.update({ value: "ab", placeholder: "more" }), sc.update()] as const;
          yield [sc.update({ value: "abc" }), sc.update()] as const;
          await new Promise<void>((resolve) => {
            step.release = resolve;
          });
          yield [`${words}!`, sc.update()] as const;
        },
        inputs: [text],
        outputs: [out, note],
      });
      return [text, out, note];
    });
    const engine = new sc.Engine(space);
    const c = caller();
    const partials = () => c.messages.filter((m) => m.type === "partial").map((m) => "data" in m && m.data);
    // An interval no test outlives: the held results go with the next message that must go.
    const refusal = engine.submit("s", { id: "1", endpoint: 0, data: ["go"] }, c.send, undefined, {
      partialIntervalMs: 3_600_000,
    });
    expect(refusal).toBeUndefined();
    await expect.poll(partials, { timeout: 20_000 }).toHaveLength(1);
    expect(partials()[0]).toEqual([{ __type__: "update", label: "First", value: "a" }, "started"]);
    step.release();
    // The last result goes as `complete`, carrying what the held ones changed and it leaves alone.
    expect(await c.ended("1")).toMatchObject({
      type: "complete",
      data: [{ __type__: "update", placeholder: "more", value: "go!" }, { __type__: "update" }],
    });
    expect(partials()).toHaveLength(1);
  });

  it("with partialIntervalMs sends a held partial once the interval has passed", async () => {
    const step = { release: () => {} };
    const space = sc.Interface({
      fn: async function* (text) {
        yield `${text} 1`;
        yield `${text} 2`;
        yield `${text} 3`;
        await new Promise<void>((resolve) => {
          step.release = resolve;
        });
        yield `${text} 4`;
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    const engine = new sc.Engine(space);
    const c = caller();
    const partials = () =>
      c.messages.filter((m) => m.type === "partial").map((m) => "data" in m && m.data[0]);
    engine.submit("s", { id: "1", endpoint: 0, data: ["go"] }, c.send, undefined, { partialIntervalMs: 50 });
    // The held "go 3" goes when the interval has passed, with nothing more yielded to push it.
    // (A machine that pauses the process between two yields may also send "go 2".)
    await expect.poll(() => partials().at(-1), { timeout: 20_000 }).toBe("go 3");
    expect(partials()[0]).toBe("go 1");
    expect(["go 1,go 3", "go 1,go 2,go 3"]).toContain(partials().join());
    step.release();
    expect(await c.ended("1")).toMatchObject({ type: "complete", data: ["go 4"] });
  });

  it("with partialIntervalMs never lets a held partial replace a later one sent before its timer fired", async () => {
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until) {}
    };
    const space = sc.Interface({
      fn: async function* (text) {
        yield `${text} 1`;
        // Within the interval: held, its timer set.
        yield `${text} 2`;
        // The interval passes with the event loop busy (a loaded machine): the timer has not
        // fired when the next result comes, which goes at once.
        busy(80);
        yield `${text} 3`;
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    const engine = new sc.Engine(space);
    const c = caller();
    engine.submit("s", { id: "1", endpoint: 0, data: ["go"] }, c.send, undefined, { partialIntervalMs: 40 });
    expect(await c.ended("1")).toMatchObject({ type: "complete", data: ["go 3"] });
    // Whatever went as partials came in order, and nothing came after the end.
    const sent = c.messages.filter((m) => m.type === "partial").map((m) => "data" in m && m.data[0]);
    expect(["go 1", "go 1,go 3", "go 1,go 2,go 3"]).toContain(sent.join());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(c.messages.at(-1)?.type).toBe("complete");
  });

  it("queues beyond the concurrency limit, tells the position, and refuses past maxQueueSize", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const space = sc.Interface({
      fn: async (text) => {
        await gate;
        return text;
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
      maxQueueSize: 1,
    });
    const engine = new sc.Engine(space, { positionUpdateMs: 5 });
    const c = caller();
    submitTo(engine, "a", { id: "1", endpoint: 0, data: ["one"] }, c.send);
    submitTo(engine, "b", { id: "2", endpoint: 0, data: ["two"] }, c.send);
    submitTo(engine, "c", { id: "3", endpoint: 0, data: ["three"] }, c.send);
    expect(c.messages).toContainEqual({
      type: "error",
      id: "3",
      message: "The queue is full (1 waiting). Please try again in a moment.",
    });
    // Positions go out on a timer: poll for the message rather than wait a fixed time for it.
    await expect
      .poll(() => c.messages, { timeout: 20_000, message: "job 2 told its place in the queue" })
      .toContainEqual({ type: "queued", id: "2", position: 1, size: 1 });
    release();
    expect(await c.ended("2")).toMatchObject({ type: "complete", data: ["two"] });
    const order = c.messages.filter((m) => m.type === "complete").map((m) => "id" in m && m.id);
    expect(order).toEqual(["1", "2"]);
  });

  it("cancels a running job: its signal aborts and the caller hears cancelled at once", async () => {
    let aborted = false;
    const space = sc.Interface({
      fn: (_text, ctx) =>
        new Promise<string>((_resolve, reject) => {
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
            reject(ctx.signal.reason);
          });
        }),
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    const engine = new sc.Engine(space, quiet);
    const c = caller();
    submitTo(engine, "s", { id: "1", endpoint: 0, data: ["x"] }, c.send);
    submitTo(engine, "t", { id: "2", endpoint: 0, data: ["y"] }, c.send);
    expect(engine.cancel("s", "1")).toBe(true);
    expect(await c.ended("1")).toEqual({ type: "cancelled", id: "1" });
    expect(aborted).toBe(true);
    expect(c.of("1")).toEqual(["cancelled"]);
    // The next caller's job started once the cancelled one settled.
    await expect
      .poll(() => c.of("2"), { timeout: 20_000, message: "the next caller's job to start" })
      .toContain("started");
    engine.cancelSession("t");
    expect(await c.ended("2")).toEqual({ type: "cancelled", id: "2" });
    expect(engine.cancel("s", "1")).toBe(false);
  });

  it("close() lets running jobs finish and refuses new ones", async () => {
    const space = sc.Interface({
      fn: async (text) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return text;
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    const engine = new sc.Engine(space);
    const c = caller();
    submitTo(engine, "s", { id: "1", endpoint: 0, data: ["x"] }, c.send);
    // A generous limit: close() resolves as soon as the 30 ms job ends, and a busy machine must
    // not see it aborted.
    const closed = engine.close(20_000);
    submitTo(engine, "s", { id: "2", endpoint: 0, data: ["y"] }, c.send);
    await closed;
    expect(await c.ended("1")).toMatchObject({ type: "complete", data: ["x"] });
    expect(await c.ended("2")).toMatchObject({
      type: "error",
      message: expect.stringContaining("shutting down"),
    });
  });

  it("close() cancels jobs still running after the timeout", async () => {
    const space = sc.Interface({
      fn: (_text, ctx) => new Promise<string>((_r, reject) => ctx.signal.addEventListener("abort", reject)),
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    const engine = new sc.Engine(space, quiet);
    const c = caller();
    submitTo(engine, "s", { id: "1", endpoint: 0, data: ["x"] }, c.send);
    await engine.close(10);
    expect(await c.ended("1")).toMatchObject({
      type: "error",
      message: expect.stringContaining("shutting down"),
    });
  });

  it("batches queued requests into one call and routes each result to its caller", async () => {
    const calls: string[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const space = sc.Interface({
      batch: { maxSize: 8, maxWaitMs: 0 },
      fn: async (texts) => {
        calls.push(texts);
        if (texts[0] === "first") await gate;
        return texts.map((text) => (text === "bad" ? (42 as unknown as string) : text.toUpperCase()));
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    const engine = new sc.Engine(space, quiet);
    const c = caller();
    submitTo(engine, "s", { id: "0", endpoint: 0, data: ["first"] }, c.send);
    for (const [i, text] of ["a", "bad", "c"].entries()) {
      submitTo(engine, `s${i}`, { id: String(i + 1), endpoint: 0, data: [text] }, c.send);
    }
    release();
    expect(await c.ended("3")).toMatchObject({ type: "complete", data: ["C"] });
    expect(await c.ended("1")).toMatchObject({ type: "complete", data: ["A"] });
    expect(await c.ended("2")).toMatchObject({
      type: "error",
      message: expect.stringContaining("cannot show 42"),
    });
    expect(calls).toEqual([["first"], ["a", "bad", "c"]]);
  });

  it("reports a batched fn that returns the wrong number of results to every caller", async () => {
    const space = sc.Interface({
      batch: { maxSize: 4, maxWaitMs: 5 },
      fn: () => ["only one"],
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    const engine = new sc.Engine(space, quiet);
    const c = caller();
    submitTo(engine, "a", { id: "1", endpoint: 0, data: ["x"] }, c.send);
    submitTo(engine, "b", { id: "2", endpoint: 0, data: ["y"] }, c.send);
    for (const id of ["1", "2"]) {
      expect(await c.ended(id)).toMatchObject({
        type: "error",
        message: expect.stringContaining("must return a list with one value per request (2 here)"),
      });
    }
  });
});

describe("limits", () => {
  it("refuses more jobs per session than maxJobsPerSession, and serves other sessions", async () => {
    const space = sc.Interface({
      fn: (text: string, ctx) =>
        new Promise<string>((resolve) => ctx.signal.addEventListener("abort", () => resolve(text))),
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    const engine = new sc.Engine(space, { ...quiet, maxJobsPerSession: 3 });
    const send = () => {};
    for (const id of ["1", "2", "3"])
      expect(engine.submit("a", { id, endpoint: 0, data: [id] }, send)).toBeUndefined();
    expect(engine.submit("a", { id: "4", endpoint: 0, data: ["4"] }, send)).toMatchObject({
      message: expect.stringContaining("You have 3 requests waiting or running"),
    });
    expect(engine.submit("b", { id: "1", endpoint: 0, data: ["b"] }, send)).toBeUndefined();
    engine.cancelSession("a");
    expect(engine.submit("a", { id: "5", endpoint: 0, data: ["5"] }, send)).toBeUndefined();
    await engine.close(10);
  });
});

describe("cancelled runs that ignore their signal", () => {
  it("free their slot after the grace, but never more of them than the concurrency limit", async () => {
    const started: string[] = [];
    const space = sc.Interface({
      fn: (text: string) => {
        started.push(text);
        return new Promise<string>(() => {});
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
      timeLimit: null,
    });
    const engine = new sc.Engine(space, { ...quiet, abandonGraceMs: 20 });
    const send = () => {};
    engine.submit("s", { id: "1", endpoint: 0, data: ["one"] }, send);
    await expect.poll(() => started, { timeout: 20_000 }).toEqual(["one"]);
    engine.cancel("s", "1");
    engine.submit("s", { id: "2", endpoint: 0, data: ["two"] }, send);
    // The grace passes: one run may go on past its caller, so "two" starts.
    await expect.poll(() => started, { timeout: 20_000 }).toEqual(["one", "two"]);
    engine.cancel("s", "2");
    engine.submit("s", { id: "3", endpoint: 0, data: ["three"] }, send);
    // "one" still runs past its caller: "two" keeps the slot, so "three" waits. A fixed wait for
    // something that must not happen, and slowness cannot make it pass wrongly: this 200 ms timer
    // is set after the 20 ms grace timer of "two", and Node runs due timers in order, so however
    // busy the machine, the grace has run out (and a wrongly freed slot has started "three") first.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(started).toEqual(["one", "two"]);
    await engine.close(10);
  });
});
