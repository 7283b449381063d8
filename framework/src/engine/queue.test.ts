import { describe, expect, it } from "vitest";
import { FifoQueue, QueueFullError } from "./queue.js";

/** A queue item whose run() stays pending until the test finishes it. */
function gate(name: string, log: string[]) {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    name,
    finish: () => finish(),
    run: () => {
      log.push(name);
      return done;
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("FifoQueue", () => {
  it("starts items in arrival order, never more than the concurrency limit", async () => {
    const log: string[] = [];
    const queue = new FifoQueue({ concurrencyLimit: 2, maxSize: null, onPosition: () => {} });
    const items = ["a", "b", "c", "d"].map((name) => gate(name, log));
    expect(items.map((item) => queue.push(item))).toEqual([0, 0, 1, 2]);
    expect(log).toEqual(["a", "b"]);
    expect(queue.running).toBe(2);
    items[1]?.finish();
    await tick();
    expect(log).toEqual(["a", "b", "c"]);
    items[0]?.finish();
    await tick();
    expect(log).toEqual(["a", "b", "c", "d"]);
  });

  it("refuses items beyond maxSize with a clear error", () => {
    const log: string[] = [];
    const queue = new FifoQueue({ concurrencyLimit: 1, maxSize: 1, onPosition: () => {} });
    queue.push(gate("running", log));
    queue.push(gate("waiting", log));
    expect(() => queue.push(gate("refused", log))).toThrow(QueueFullError);
    expect(() => queue.push(gate("refused", log))).toThrow("The queue is full (1 waiting)");
  });

  it("removes a waiting item so it never runs, and reports new positions", async () => {
    const log: string[] = [];
    const positions: [string, number, number][] = [];
    const queue = new FifoQueue<ReturnType<typeof gate>>({
      concurrencyLimit: 1,
      maxSize: null,
      updateIntervalMs: 1,
      onPosition: (item, position, size) => positions.push([item.name, position, size]),
    });
    const [a, b, c] = ["a", "b", "c"].map((name) => gate(name, log));
    for (const item of [a, b, c]) queue.push(item as ReturnType<typeof gate>);
    expect(queue.remove(b as ReturnType<typeof gate>)).toBe(true);
    expect(queue.remove(a as ReturnType<typeof gate>)).toBe(false); // running, not waiting
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(positions).toEqual([["c", 1, 1]]);
    a?.finish();
    await tick();
    expect(log).toEqual(["a", "c"]);
  });

  it("unlimited concurrency runs everything at once", () => {
    const log: string[] = [];
    const queue = new FifoQueue({ concurrencyLimit: null, maxSize: null, onPosition: () => {} });
    for (const name of ["a", "b", "c"]) queue.push(gate(name, log));
    expect(log).toEqual(["a", "b", "c"]);
  });

  it("resolves whenIdle once everything has finished", async () => {
    const log: string[] = [];
    const queue = new FifoQueue({ concurrencyLimit: 1, maxSize: null, onPosition: () => {} });
    const a = gate("a", log);
    const b = gate("b", log);
    queue.push(a);
    queue.push(b);
    let idle = false;
    void queue.whenIdle().then(() => {
      idle = true;
    });
    a.finish();
    await tick();
    expect(idle).toBe(false);
    b.finish();
    await tick();
    expect(idle).toBe(true);
  });
});
