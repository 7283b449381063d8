/** Where a waiting item stands, for position updates. */
export type PositionListener<T> = (item: T, position: number, size: number) => void;

/**
 * Groups waiting items into one run of up to `maxSize`. With `maxWaitMs: 0` a free slot takes
 * whatever is waiting at once, so batches grow by themselves under load and a lone request never
 * waits; a positive `maxWaitMs` holds a partial batch that long for company.
 */
export interface BatchOptions {
  /** Most items in one run. */
  maxSize: number;
  /** Longest time the first item of a batch waits for others, in ms (0: never wait). */
  maxWaitMs: number;
}

/** Thrown by {@link FifoQueue.push} when the queue is at `maxSize`. */
export class QueueFullError extends Error {
  override name = "QueueFullError";
}

/** Options of {@link FifoQueue}. */
export interface QueueOptions<T> {
  /**
   * Runs a batch (one item unless `batch` is set); the slot is free once it calls `release`
   * (later calls do nothing). A callback, not a promise: a run that ends in a microtask costs
   * no promise chain.
   */
  run: (items: T[], release: () => void) => void;
  /** Runs at once; `null` is unlimited. */
  concurrencyLimit: number | null;
  /** Most items waiting; `null` is unlimited. */
  maxSize: number | null;
  onPosition: PositionListener<T>;
  /** Least time between position reports, in ms (default 100). */
  updateIntervalMs?: number;
  batch?: BatchOptions;
}

/**
 * A first-in first-out queue with a concurrency limit, an optional size limit and optional
 * batching. Positions are reported at most every `updateIntervalMs`, and only to items still
 * waiting then, so a fast queue stays quiet.
 */
export class FifoQueue<T> {
  readonly #waiting: T[] = [];
  #running = 0;
  readonly #options: QueueOptions<T>;
  readonly #limit: number;
  readonly #maxSize: number;
  /** The position each waiting item was last told. */
  readonly #told = new Map<T, number>();
  #positionTimer: ReturnType<typeof setTimeout> | undefined;
  #batchTimer: ReturnType<typeof setTimeout> | undefined;
  #batchDue = false;
  #idle: (() => void)[] = [];

  constructor(options: QueueOptions<T>) {
    this.#options = options;
    this.#limit = options.concurrencyLimit ?? Number.POSITIVE_INFINITY;
    this.#maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
  }

  /** Items waiting to start. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Batches running now. */
  get running(): number {
    return this.#running;
  }

  /**
   * Adds an item; it starts when a slot is free (and, with batching, a batch is due).
   * @throws QueueFullError when `maxSize` items are already waiting.
   */
  push(item: T): void {
    if (this.#waiting.length >= this.#maxSize) {
      throw new QueueFullError(`The queue is full (${this.#maxSize} waiting). Please try again in a moment.`);
    }
    this.#waiting.push(item);
    this.#pump();
    if (this.#waiting.length > 0) this.#schedulePositions();
  }

  /** Removes a waiting item; false when it is not waiting (running or unknown). */
  remove(item: T): boolean {
    const index = this.#waiting.indexOf(item);
    if (index === -1) return false;
    this.#waiting.splice(index, 1);
    this.#told.delete(item);
    this.#schedulePositions();
    this.#notifyIdle();
    return true;
  }

  /** Resolves when nothing is waiting or running. */
  whenIdle(): Promise<void> {
    if (this.#running === 0 && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    const batch = this.#options.batch;
    let started = false;
    while (this.#running < this.#limit && this.#waiting.length > 0) {
      if (batch && batch.maxWaitMs > 0 && this.#waiting.length < batch.maxSize && !this.#batchDue) {
        this.#batchTimer ??= setTimeout(() => {
          this.#batchTimer = undefined;
          this.#batchDue = true;
          this.#pump();
        }, batch.maxWaitMs);
        break;
      }
      this.#batchDue = false;
      clearTimeout(this.#batchTimer);
      this.#batchTimer = undefined;
      const items = this.#waiting.splice(0, batch?.maxSize ?? 1);
      for (const item of items) this.#told.delete(item);
      this.#start(items);
      started = true;
    }
    if (this.#waiting.length === 0) this.#batchDue = false;
    if (started) this.#schedulePositions();
    this.#notifyIdle();
  }

  #start(items: T[]): void {
    this.#running++;
    let released = false;
    this.#options.run(items, () => {
      if (released) return;
      released = true;
      this.#running--;
      this.#pump();
    });
  }

  #schedulePositions(): void {
    if (this.#positionTimer !== undefined || this.#waiting.length === 0) return;
    this.#positionTimer = setTimeout(() => {
      this.#positionTimer = undefined;
      const size = this.#waiting.length;
      this.#waiting.forEach((item, index) => {
        const position = index + 1;
        if (this.#told.get(item) !== position) {
          this.#told.set(item, position);
          this.#options.onPosition(item, position, size);
        }
      });
    }, this.#options.updateIntervalMs ?? 100);
  }

  #notifyIdle(): void {
    if (this.#running > 0 || this.#waiting.length > 0) return;
    const resolvers = this.#idle;
    this.#idle = [];
    for (const resolve of resolvers) resolve();
  }
}
