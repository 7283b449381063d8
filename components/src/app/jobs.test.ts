import type { ReactiveController } from "lit";
import type { DependencyConfig } from "spacecraft";
import type { JobHandle, JobMessage, Transport } from "spacecraft/client";
import { describe, expect, it } from "vitest";
import type { JobPage, ValueElement } from "./jobs.js";
import { JobController } from "./jobs.js";

/** A dependency as the config has it, with the fields a test names. */
function dependency(id: number, extra: Partial<DependencyConfig> = {}): DependencyConfig {
  return {
    id,
    targets: [[id * 10, "click"]],
    trigger_after: null,
    trigger_only_on_success: false,
    trigger_only_on_failure: false,
    inputs: [1],
    outputs: [2],
    api_name: `dep${id}`,
    api_visibility: "public",
    queue: true,
    backend_fn: true,
    js: null,
    concurrency_limit: 1,
    types: { generator: false, cancel: false },
    batch: false,
    max_batch_size: 4,
    trigger_mode: "once",
    cancels: [],
    show_progress: "full",
    ...extra,
  };
}

/** A job the fake transport received; `send` answers it as the engine would. */
interface SentJob {
  endpoint: number | string;
  data: unknown[];
  eventData: unknown;
  cancelled: boolean;
  send(message: Partial<JobMessage> & { type: JobMessage["type"] }): void;
}

/** A page with elements that are plain objects, and a transport that records what it sends. */
function fakePage() {
  const jobs: SentJob[] = [];
  const outputs: [number, unknown][] = [];
  let count = 0;
  const transport = {
    submit(
      endpoint: number | string,
      data: unknown[],
      onMessage: (message: JobMessage) => void,
      eventData?: unknown,
    ): JobHandle {
      const id = `job-${count++}`;
      const job: SentJob = {
        endpoint,
        data,
        eventData,
        cancelled: false,
        send: (message) => onMessage({ id, ...message } as JobMessage),
      };
      jobs.push(job);
      return {
        id,
        cancel: () => {
          job.cancelled = true;
          job.send({ type: "cancelled" });
        },
      };
    },
  } as unknown as Transport;
  const element = (value: unknown) =>
    ({ value, error: "", toggleAttribute() {}, focus() {} }) as unknown as ValueElement;
  const elements = new Map<number, ValueElement>([
    [1, element("a")],
    [2, element(null)],
  ]);
  const page: JobPage & { notice: string } = {
    transport,
    notice: "",
    elementFor: (id) => elements.get(id),
    setOutput: (id, value) => void outputs.push([id, value]),
    notify(message) {
      this.notice = message;
    },
    addController: (_controller: ReactiveController) => {},
    removeController: () => {},
    requestUpdate: () => {},
    updateComplete: Promise.resolve(true),
  };
  return { page, jobs, outputs, elements };
}

describe("JobController", () => {
  it("ignores a trigger while running in mode once, and runs alongside in mode multiple", () => {
    const { page, jobs } = fakePage();
    const once = dependency(1);
    const many = dependency(2, { trigger_mode: "multiple" });
    const controller = new JobController(page, [once, many]);
    controller.trigger(once);
    controller.trigger(once);
    controller.trigger(many);
    controller.trigger(many);
    expect(jobs.map((job) => job.endpoint)).toEqual([1, 2, 2]);
    jobs[0]?.send({ type: "complete", data: [1], duration: 0 });
    controller.trigger(once);
    expect(jobs.map((job) => job.endpoint)).toEqual([1, 2, 2, 1]);
  });

  it("runs an always_last dependency once more, with the latest values, after the running one", () => {
    const { page, jobs, elements } = fakePage();
    const live = dependency(1, { trigger_mode: "always_last" });
    const controller = new JobController(page, [live]);
    controller.trigger(live);
    for (const value of ["b", "c", "d"]) {
      (elements.get(1) as ValueElement).value = value;
      controller.trigger(live);
    }
    expect(jobs).toHaveLength(1);
    jobs[0]?.send({ type: "complete", data: ["A"], duration: 0 });
    expect(jobs.map((job) => job.data)).toEqual([["a"], ["d"]]);
    jobs[1]?.send({ type: "complete", data: ["D"], duration: 0 });
    expect(jobs).toHaveLength(2);
  });

  it("sends the trigger's event data with the run; a re-run takes the latest, a chained step none", () => {
    const { page, jobs } = fakePage();
    const pick = dependency(1, { trigger_mode: "always_last" });
    const then = dependency(2, { targets: [[null, "then"]], trigger_after: 1, outputs: [3] });
    const controller = new JobController(page, [pick, then]);
    controller.trigger(pick, { index: 0, value: "a", selected: true });
    controller.trigger(pick, { index: 1, value: "b", selected: true });
    controller.trigger(pick, { index: 2, value: "c", selected: true });
    jobs[0]?.send({ type: "complete", data: ["A"], duration: 0 });
    expect(jobs.map((job) => [job.endpoint, job.eventData])).toEqual([
      [1, { index: 0, value: "a", selected: true }],
      [1, { index: 2, value: "c", selected: true }],
      [2, undefined],
    ]);
  });

  it("chains .then after any outcome and .success only after a completed run, in order", () => {
    const { page, jobs, outputs } = fakePage();
    const first = dependency(1);
    const then = dependency(2, { targets: [[null, "then"]], trigger_after: 1, outputs: [3] });
    const success = dependency(3, {
      targets: [[null, "success"]],
      trigger_after: 1,
      trigger_only_on_success: true,
      outputs: [4],
    });
    const controller = new JobController(page, [first, then, success]);
    controller.trigger(first);
    expect(jobs.map((job) => job.endpoint)).toEqual([1]);
    jobs[0]?.send({ type: "complete", data: ["out"], duration: 0 });
    expect(outputs).toEqual([[2, "out"]]);
    expect(jobs.map((job) => job.endpoint)).toEqual([1, 2, 3]);

    jobs[1]?.send({ type: "complete", data: [null], duration: 0 });
    jobs[2]?.send({ type: "complete", data: [null], duration: 0 });
    controller.trigger(first);
    jobs[3]?.send({ type: "error", message: "No luck." });
    expect(jobs.map((job) => job.endpoint)).toEqual([1, 2, 3, 1, 2]);
    expect(controller.statusAt(2)).toEqual({ stage: "error", message: "No luck." });
  });

  it("cancels the listed dependencies' runs and pending re-runs, and a dependency without fn only cancels", () => {
    const { page, jobs } = fakePage();
    const slow = dependency(1, { trigger_mode: "always_last" });
    const stop = dependency(2, { backend_fn: false, cancels: [1], inputs: [], outputs: [] });
    const after = dependency(3, { targets: [[null, "then"]], trigger_after: 2, outputs: [5] });
    const controller = new JobController(page, [slow, stop, after]);
    controller.trigger(slow);
    controller.trigger(slow);
    expect(controller.isRunning(1)).toBe(true);
    controller.trigger(stop);
    expect(jobs[0]?.cancelled).toBe(true);
    expect(controller.isRunning(1)).toBe(false);
    expect(controller.statusAt(2)).toEqual({ stage: "cancelled" });
    // No re-run of the cancelled one; the step after the cancel-only event runs.
    expect(jobs.map((job) => job.endpoint)).toEqual([1, 3]);
  });

  it("waits for an upload in progress, and does not send when it failed", async () => {
    const { page, jobs, elements } = fakePage();
    const input = elements.get(1) as ValueElement;
    let finish = () => {};
    Object.assign(input, {
      uploading: true,
      uploadComplete: new Promise<void>((resolve) => (finish = resolve)),
    });
    const controller = new JobController(page, [dependency(1)]);
    controller.trigger(dependency(1));
    expect(jobs).toHaveLength(0);
    expect(controller.statusAt(2)).toEqual({ stage: "pending" });
    Object.assign(input, { uploading: false, value: "file" });
    finish();
    await expect.poll(() => jobs.map((job) => job.data), { timeout: 20_000 }).toEqual([["file"]]);

    jobs[0]?.send({ type: "complete", data: [null], duration: 0 });
    Object.assign(input, { uploading: true, uploadComplete: Promise.resolve(), error: "Too big." });
    controller.trigger(dependency(1));
    await expect.poll(() => controller.statusAt(2), { timeout: 20_000 }).toEqual({ stage: "idle" });
    expect(jobs).toHaveLength(1);
  });

  it("puts an error about an input on that input", () => {
    const { page, jobs, elements } = fakePage();
    const controller = new JobController(page, [dependency(1)]);
    controller.trigger(dependency(1));
    jobs[0]?.send({ type: "error", message: "Too long.", field: 1 });
    expect(elements.get(1)?.error).toBe("Too long.");
    expect(controller.statusAt(2)).toEqual({ stage: "idle" });
  });
});
