/**
 * Micro-batching that never makes an idle server slower: a request that finds a worker free
 * runs at once; requests that queue behind busy workers run together as one batch concatenated
 * on dim 0 (each gets its own rows back). With a delay the user opts into, a request may wait
 * up to `maxDelayMs` for company, or less when the queue reaches a preferred batch size.
 * The queue is bounded: past `maxQueue` waiting requests, `submit` rejects with QueueFullError.
 *
 * An optional event-loop lane (`runInline`): a small request that arrives at an idle server
 * (nothing queued or running) and is still alone one event-loop turn later (nothing arrived
 * with it) skips the hand-off to a worker thread, which costs two thread wake-ups, more than
 * `session.run` of a small model. Anything that arrives meanwhile goes to the workers as before.
 */
import type { InferResult, WireTensor } from './sessions.js';
import type { TypedData } from './tensors.js';

/** Thrown when the bounded queue is full (the server answers 503). */
export class QueueFullError extends Error {
  constructor(readonly limit: number) {
    super(`the request queue is full (${limit} requests waiting); retry later`);
    this.name = 'QueueFullError';
  }
}

/** Thrown for requests submitted after `close()` (the server answers 503). */
export class ShuttingDownError extends Error {
  constructor() {
    super('the server is shutting down');
    this.name = 'ShuttingDownError';
  }
}

/** How a MicroBatcher batches, bounds its queue and runs a batch. */
export interface BatcherOptions {
  /** Most rows in one batch; 0 turns batching off (each request runs alone). */
  maxBatch: number;
  /**
   * How long a request may wait for others to join its batch when a worker is free (0: never;
   * only requests already queued behind a busy worker are batched).
   */
  maxDelayMs: number;
  /**
   * Triton's `preferred_batch_size`: with a delay, a batch goes as soon as the queued rows
   * reach one of these sizes (the largest reached), without waiting out the delay.
   */
  preferredBatchSizes?: number[];
  /** Most requests waiting (not yet running). */
  maxQueue: number;
  /** Most batches running at once (the pool's worker count). */
  maxInFlight: number;
  /** Runs one batch (inputs concatenated on dim 0). */
  run(inputs: WireTensor[]): Promise<InferResult>;
  /**
   * Runs one batch on the event loop: a request of at most `inlineMaxRows` rows that arrives
   * when nothing is queued or running (an idle server), without a delay to wait out, and is
   * still alone one event-loop turn later. One at a time.
   */
  runInline?(inputs: WireTensor[]): Promise<InferResult>;
  /** Most rows of a batch that `runInline` takes (0 or absent: none). */
  inlineMaxRows?: number;
  /** Called after each batch with its row count, request count, times and where it ran. */
  onBatch?(rows: number, requests: number, result: InferResult, lane: BatchLane): void;
  /** Called for each request as it leaves the queue, with the time it waited. */
  onDequeue?(waitedMs: number): void;
}

/**
 * Where a batch ran: on the event loop (`runInline`) or handed to a worker (`run`).
 *
 * @example
 * ```ts
 * const lanes: BatchLane[] = [];
 * new MicroBatcher({ maxBatch: 64, maxDelayMs: 0, maxQueue: 1024, maxInFlight: 2, run, runInline,
 *   inlineMaxRows: 4, onBatch: (_rows, _requests, _result, lane) => lanes.push(lane) });
 * ```
 */
export type BatchLane = 'event_loop' | 'worker';

interface Pending {
  inputs: WireTensor[];
  rows: number;
  enqueuedAt: number;
  resolve(r: InferResult): void;
  reject(e: unknown): void;
}

/** Whether two requests can share a batch: the same inputs, types and dims but the first. */
function batchable(a: readonly WireTensor[], b: readonly WireTensor[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as WireTensor;
    const y = b[i] as WireTensor;
    if (x.name !== y.name || x.type !== y.type || x.dims.length !== y.dims.length) return false;
    for (let d = 1; d < x.dims.length; d++) if (x.dims[d] !== y.dims[d]) return false;
  }
  return true;
}

function concat(parts: TypedData[], total: number): TypedData {
  const first = parts[0] as TypedData;
  if (parts.length === 1) return first;
  const Ctor = first.constructor as new (n: number) => TypedData;
  const out = new Ctor(total);
  let off = 0;
  for (const p of parts) {
    (out as Float32Array).set(p as Float32Array, off);
    off += p.length;
  }
  return out;
}

/**
 * Queues requests for one model and runs them in batches.
 *
 * @example
 * ```ts
 * const b = new MicroBatcher({ maxBatch: 64, maxDelayMs: 2, maxQueue: 1024, maxInFlight: 1, run });
 * const { outputs } = await b.submit([{ name: 'input', type: 'float32', dims: [1, 784], data }]);
 * ```
 */
export class MicroBatcher {
  private queue: Pending[] = [];
  /** Batches handed to `run` and not yet answered. */
  private inFlight = 0;
  /** Whether a batch is running on the event loop (`runInline`). */
  private inlineBusy = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  private readonly preferred: number[];

  constructor(private readonly options: BatcherOptions) {
    this.preferred = [...new Set(options.preferredBatchSizes ?? [])]
      .filter((p) => p > 0 && (options.maxBatch <= 0 || p <= options.maxBatch))
      .sort((a, b) => a - b);
  }

  /** Requests waiting to run. */
  get queued(): number {
    return this.queue.length;
  }

  /** Batches running now (in the workers and on the event loop). */
  get running(): number {
    return this.inFlight + (this.inlineBusy ? 1 : 0);
  }

  /** Queues one request (its inputs share dim 0 = its row count). */
  submit(inputs: WireTensor[]): Promise<InferResult> {
    if (this.closed) return Promise.reject(new ShuttingDownError());
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(new QueueFullError(this.options.maxQueue));
    }
    return new Promise<InferResult>((resolve, reject) => {
      const p: Pending = {
        inputs,
        rows: inputs[0]?.dims[0] ?? 1,
        enqueuedAt: performance.now(),
        resolve,
        reject,
      };
      if (this.arrivesIdle(p.rows)) {
        // Held for one turn of the event loop (the lane reserved meanwhile), so that whatever
        // arrived with it is read first: still alone then, it runs here; otherwise it goes to
        // the workers with the rest, which run inference beside the event loop's HTTP work.
        this.inlineBusy = true;
        setImmediate(() => this.runAloneOrQueue(p));
        return;
      }
      this.queue.push(p);
      this.schedule();
    });
  }

  /** Stops taking requests; resolves once every queued and running request is answered. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private queuedRowsLike(head: Pending): number {
    let rows = 0;
    for (const p of this.queue) if (batchable(p.inputs, head.inputs)) rows += p.rows;
    return rows;
  }

  private schedule(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const head = this.queue[0] as Pending;
      const { maxBatch, maxDelayMs } = this.options;
      // Without a delay (the default) a free worker takes whatever is queued at once: a lone
      // request never waits, and requests that queued behind a busy worker go together.
      if (maxBatch <= 0 || maxDelayMs <= 0) {
        this.dispatch(this.take(head, maxBatch));
        continue;
      }
      const rows = this.queuedRowsLike(head);
      const preferred = this.preferred.filter((p) => p <= rows).pop();
      const waited = performance.now() - head.enqueuedAt;
      if (preferred !== undefined) {
        this.dispatch(this.take(head, preferred));
        continue;
      }
      if (rows >= maxBatch || waited >= maxDelayMs) {
        this.dispatch(this.take(head, maxBatch));
        continue;
      }
      if (this.timer === undefined) {
        this.timer = setTimeout(
          () => {
            this.timer = undefined;
            this.schedule();
          },
          Math.max(0, maxDelayMs - waited),
        );
      }
      return;
    }
  }

  /** Takes queued requests of the head's shape, in order, up to `limit` rows (0: one request). */
  private take(head: Pending, limit: number): Pending[] {
    const batch: Pending[] = [];
    let rows = 0;
    const rest: Pending[] = [];
    for (const p of this.queue) {
      const fits =
        batch.length === 0 ||
        (limit > 0 && rows + p.rows <= limit && batchable(p.inputs, head.inputs));
      if (fits) {
        batch.push(p);
        rows += p.rows;
      } else rest.push(p);
    }
    this.queue = rest;
    if (this.options.onDequeue) {
      const now = performance.now();
      for (const p of batch) this.options.onDequeue(now - p.enqueuedAt);
    }
    if (this.queue.length === 0 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    return batch;
  }

  /**
   * Whether a request of `rows` rows arriving now may run on the event loop: it finds nothing
   * queued or running (and no delay to wait out for company). A server under load keeps its
   * event loop for HTTP: requests that queued go to the workers.
   */
  private arrivesIdle(rows: number): boolean {
    const { runInline, inlineMaxRows = 0, maxBatch, maxDelayMs } = this.options;
    return (
      runInline !== undefined &&
      rows <= inlineMaxRows &&
      (maxBatch <= 0 || maxDelayMs <= 0) &&
      this.queue.length === 0 &&
      this.running === 0
    );
  }

  /** After its turn: a request that is still alone runs on the event loop, else it queues first. */
  private runAloneOrQueue(p: Pending): void {
    this.inlineBusy = false;
    if (this.queue.length === 0 && this.inFlight === 0) {
      this.options.onDequeue?.(performance.now() - p.enqueuedAt);
      this.dispatch([p], 'event_loop');
      return;
    }
    this.queue.unshift(p);
    this.schedule();
  }

  private dispatch(batch: Pending[], lane: BatchLane = 'worker'): void {
    const first = batch[0] as Pending;
    let rows = 0;
    for (const p of batch) rows += p.rows;
    if (lane === 'event_loop') this.inlineBusy = true;
    else this.inFlight++;
    // A lone request runs on its own tensors; a batch on its requests' concatenated.
    const inputs: WireTensor[] =
      batch.length === 1
        ? first.inputs
        : first.inputs.map((t, i) => {
            const parts = batch.map((p) => (p.inputs[i] as WireTensor).data);
            const total = parts.reduce((a, d) => a + d.length, 0);
            const dims = t.dims.slice();
            dims[0] = rows;
            return { name: t.name, type: t.type, dims, data: concat(parts, total) };
          });
    const finish = () => {
      if (lane === 'event_loop') this.inlineBusy = false;
      else this.inFlight--;
      this.schedule();
      if (this.queue.length === 0 && this.running === 0) {
        for (const w of this.idleWaiters.splice(0)) w();
      }
    };
    const fail = (e: unknown) => {
      for (const p of batch) p.reject(e);
    };
    let run: Promise<InferResult>;
    try {
      run =
        lane === 'event_loop'
          ? (this.options.runInline as (t: WireTensor[]) => Promise<InferResult>)(inputs)
          : this.options.run(inputs);
    } catch (e) {
      run = Promise.reject(e);
    }
    run.then(
      (result) => {
        finish();
        try {
          this.deliver(batch, rows, result, lane);
        } catch (e) {
          fail(e);
        }
      },
      (e: unknown) => {
        finish();
        fail(e);
      },
    );
  }

  private deliver(batch: Pending[], rows: number, result: InferResult, lane: BatchLane): void {
    this.options.onBatch?.(rows, batch.length, result, lane);
    if (batch.length === 1) {
      (batch[0] as Pending).resolve(result);
      return;
    }
    for (const o of result.outputs) {
      if (o.dims[0] !== rows)
        throw new Error(`output ${o.name} has ${o.dims[0]} rows for a batch of ${rows}`);
    }
    let offset = 0;
    for (const p of batch) {
      const outputs: WireTensor[] = [];
      for (const o of result.outputs) {
        const per = o.data.length / rows;
        const dims = o.dims.slice();
        dims[0] = p.rows;
        outputs.push({
          name: o.name,
          type: o.type,
          dims,
          data: o.data.subarray(offset * per, (offset + p.rows) * per) as TypedData,
        });
      }
      offset += p.rows;
      p.resolve({ ...result, outputs });
    }
  }
}
