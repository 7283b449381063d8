/** Something the queue can run and cancel. */
export interface QueueItem {
  /** Starts the work; the promise settles when its slot may be reused. */
  run(): Promise<void>;
}

/** Where a waiting item stands, for position updates. */
export type PositionListener<T> = (item: T, position: number, size: number) => void;

/** Thrown by {@link FifoQueue.push} when the queue is at `maxSize`. */
export class QueueFullError extends Error {
  override name = "QueueFullError";
}

/**
 * A first-in first-out queue with a concurrency limit and an optional size limit.
 * Positions are reported at most every `updateIntervalMs`, and only to items still waiting
 * then, so a fast queue stays quiet.
 */
export class FifoQueue<T extends QueueItem> {
  readonly #waiting: T[] = [];
  readonly #running = new Set<T>();
  readonly #limit: number;
  readonly #maxSize: number;
  readonly #onPosition: PositionListener<T>;
  readonly #updateIntervalMs: number;
  readonly #lastPosition = new WeakMap<T, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #idle: (() => void)[] = [];

  constructor(options: {
    concurrencyLimit: number | null;
    maxSize: number | null;
    onPosition: PositionListener<T>;
    updateIntervalMs?: number;
  }) {
    this.#limit = options.concurrencyLimit ?? Number.POSITIVE_INFINITY;
    this.#maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
    this.#onPosition = options.onPosition;
    this.#updateIntervalMs = options.updateIntervalMs ?? 100;
  }

  /** Items waiting to start. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Items running now. */
  get running(): number {
    return this.#running.size;
  }

  /**
   * Adds an item; it starts when a slot is free. Returns its position (0 = starts now).
   * @throws QueueFullError when `maxSize` items are already waiting.
   */
  push(item: T): number {
    if (this.#running.size < this.#limit && this.#waiting.length === 0) {
      this.#start(item);
      return 0;
    }
    if (this.#waiting.length >= this.#maxSize) {
      throw new QueueFullError(`The queue is full (${this.#maxSize} waiting). Please try again in a moment.`);
    }
    this.#waiting.push(item);
    this.#schedulePositions();
    return this.#waiting.length;
  }

  /** Removes a waiting item; false when it is not waiting (running or unknown). */
  remove(item: T): boolean {
    const index = this.#waiting.indexOf(item);
    if (index === -1) return false;
    this.#waiting.splice(index, 1);
    this.#schedulePositions();
    this.#notifyIdle();
    return true;
  }

  /** The waiting items, in order. */
  waitingItems(): readonly T[] {
    return this.#waiting;
  }

  /** Resolves when nothing is waiting or running. */
  whenIdle(): Promise<void> {
    if (this.#running.size === 0 && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #start(item: T): void {
    this.#running.add(item);
    item
      .run()
      .catch(() => {})
      .finally(() => {
        this.#running.delete(item);
        this.#pump();
      });
  }

  #pump(): void {
    let started = false;
    while (this.#running.size < this.#limit && this.#waiting.length > 0) {
      this.#start(this.#waiting.shift() as T);
      started = true;
    }
    if (started) this.#schedulePositions();
    this.#notifyIdle();
  }

  #schedulePositions(): void {
    if (this.#timer !== undefined || this.#waiting.length === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const size = this.#waiting.length;
      this.#waiting.forEach((item, index) => {
        const position = index + 1;
        if (this.#lastPosition.get(item) !== position) {
          this.#lastPosition.set(item, position);
          this.#onPosition(item, position, size);
        }
      });
    }, this.#updateIntervalMs);
  }

  #notifyIdle(): void {
    if (this.#running.size > 0 || this.#waiting.length > 0) return;
    const resolvers = this.#idle;
    this.#idle = [];
    for (const resolve of resolvers) resolve();
  }
}
