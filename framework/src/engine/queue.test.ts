import { describe, expect, it } from "vitest";
import type { QueueOptions } from "./queue.js";
import { FifoQueue, QueueFullError } from "./queue.js";

/** A queue whose runs stay pending until the test finishes them; `log` lists started batches. */
function harness(options: Partial<QueueOptions<string>> = {}) {
  const log: string[][] = [];
  const finishers: (() => void)[] = [];
  const positions: [string, number, number][] = [];
  const queue = new FifoQueue<string>({
    concurrencyLimit: 1,
    maxSize: null,
    onPosition: (item, position, size) => positions.push([item, position, size]),
    run: (items, release) => {
      log.push(items);
      finishers.push(release);
    },
    ...options,
  });
  const finish = async (index: number) => {
    finishers[index]?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { queue, log, positions, finish };
}

describe("FifoQueue", () => {
  it("starts items in arrival order, never more than the concurrency limit", async () => {
    const { queue, log, finish } = harness({ concurrencyLimit: 2 });
    for (const item of ["a", "b", "c", "d"]) queue.push(item);
    expect(log).toEqual([["a"], ["b"]]);
    expect(queue.running).toBe(2);
    expect(queue.waiting).toBe(2);
    await finish(1);
    expect(log).toEqual([["a"], ["b"], ["c"]]);
    await finish(0);
    expect(log).toEqual([["a"], ["b"], ["c"], ["d"]]);
  });

  it("refuses items beyond maxSize with a clear error", () => {
    const { queue } = harness({ maxSize: 1 });
    queue.push("running");
    queue.push("waiting");
    expect(() => queue.push("refused")).toThrow(QueueFullError);
    expect(() => queue.push("refused")).toThrow("The queue is full (1 waiting)");
  });

  it("removes a waiting item so it never runs, and reports new positions", async () => {
    const { queue, log, positions, finish } = harness({ updateIntervalMs: 1 });
    for (const item of ["a", "b", "c"]) queue.push(item);
    expect(queue.remove("b")).toBe(true);
    expect(queue.remove("a")).toBe(false); // running, not waiting
    // Positions go out on a timer: poll rather than wait a fixed time.
    await expect.poll(() => positions, { timeout: 20_000 }).toEqual([["c", 1, 1]]);
    await finish(0);
    expect(log).toEqual([["a"], ["c"]]);
  });

  it("runs everything at once with no concurrency limit", () => {
    const { queue, log } = harness({ concurrencyLimit: null });
    for (const item of ["a", "b", "c"]) queue.push(item);
    expect(log).toEqual([["a"], ["b"], ["c"]]);
  });

  it("resolves whenIdle once everything has finished", async () => {
    const { queue, finish } = harness();
    queue.push("a");
    queue.push("b");
    let idle = false;
    void queue.whenIdle().then(() => {
      idle = true;
    });
    await finish(0);
    expect(idle).toBe(false);
    await finish(1);
    expect(idle).toBe(true);
  });

  it("batches: a full batch starts at once, a partial one after maxWaitMs", async () => {
    const { queue, log, finish } = harness({ batch: { maxSize: 3, maxWaitMs: 30 } });
    for (const item of ["a", "b", "c", "d"]) queue.push(item);
    expect(log).toEqual([["a", "b", "c"]]);
    await finish(0);
    expect(log).toHaveLength(1); // "d" waits for company
    await expect
      .poll(() => log, { timeout: 20_000, message: "the partial batch after maxWaitMs" })
      .toEqual([["a", "b", "c"], ["d"]]);
  });

  it("batches: items that arrive while a batch runs go together into the next one", async () => {
    const { queue, log, finish } = harness({ batch: { maxSize: 4, maxWaitMs: 10 } });
    queue.push("a");
    await expect
      .poll(() => log, { timeout: 20_000, message: "a lone item to start after maxWaitMs" })
      .toEqual([["a"]]);
    for (const item of ["b", "c", "d"]) queue.push(item);
    expect(log).toEqual([["a"]]);
    await finish(0);
    await expect
      .poll(() => log, { timeout: 20_000, message: "the next batch" })
      .toEqual([["a"], ["b", "c", "d"]]);
  });

  it("batches with maxWaitMs 0: a lone item starts at once, later ones join the next run", async () => {
    const { queue, log, finish } = harness({ batch: { maxSize: 8, maxWaitMs: 0 } });
    queue.push("a");
    expect(log).toEqual([["a"]]);
    for (const item of ["b", "c"]) queue.push(item);
    await finish(0);
    expect(log).toEqual([["a"], ["b", "c"]]);
  });
});
