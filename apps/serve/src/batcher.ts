/**
 * Micro-batching that never makes an idle server slower: a request that finds a worker free
 * runs at once; requests that queue behind busy workers run together as one batch concatenated
 * on dim 0 (each gets its own rows back). With a delay the user opts into, a request may wait
 * up to `maxDelayMs` for company, or less when the queue reaches a preferred batch size.
 * The queue is bounded: past `maxQueue` waiting requests, `submit` rejects with QueueFullError.
 *
 * An optional event-loop lane (`runInline`) for models whose batches run in less time than the
 * hand-off to a worker thread costs (two thread wake-ups and a message each way): what is queued,
 * up to `inlineMaxRows` rows, runs on the event loop one turn after it arrives (so that whatever
 * arrived with it is read first and joins the batch), and again after each run. Workers take
 * what the lane cannot: requests with more rows, or a backlog beyond its rows.
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
   * Runs one batch on the event loop: what is queued, up to `inlineMaxRows` rows, one turn after
   * it arrived (no lane when there is a delay to wait out). One batch at a time.
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
 *   inlineMaxRows: 64, onBatch: (_rows, _requests, _result, lane) => lanes.push(lane) });
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
  /** The rows of every queued request (of any shape). */
  private queuedRows = 0;
  /** Batches handed to `run` and not yet answered. */
  private inFlight = 0;
  /** Whether a batch is running on the event loop (`runInline`). */
  private inlineBusy = false;
  /** Whether the event-loop lane's next turn is scheduled (it takes what is queued then). */
  private laneTurnPending = false;
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
      this.queue.push(p);
      this.queuedRows += p.rows;
      if (this.laneTakes(p)) this.laneSoon();
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
      // What the event-loop lane will take on its next turn stays for it: a worker takes only
      // what the lane cannot (more rows than it runs, or a backlog beyond them).
      const laneRows = this.options.inlineMaxRows ?? 0;
      if (
        this.laneTakes(head) &&
        (this.queuedRows <= laneRows || this.queuedRowsLike(head) <= laneRows)
      ) {
        this.laneSoon();
        return;
      }
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
        p === head ||
        (batch.length > 0 &&
          limit > 0 &&
          rows + p.rows <= limit &&
          batchable(p.inputs, head.inputs));
      if (fits) {
        batch.push(p);
        rows += p.rows;
      } else rest.push(p);
    }
    this.queue = rest;
    this.queuedRows -= rows;
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

  /** Whether the event-loop lane runs requests like `p` (small enough, no delay to wait out). */
  private laneTakes(p: Pending): boolean {
    const { runInline, inlineMaxRows = 0, maxBatch, maxDelayMs } = this.options;
    return runInline !== undefined && p.rows <= inlineMaxRows && (maxBatch <= 0 || maxDelayMs <= 0);
  }

  /**
   * Schedules the lane's next turn (unless it is busy or already scheduled): one event-loop turn
   * from now, after the I/O that arrived with this request has been read, so it joins the batch.
   */
  private laneSoon(): void {
    if (this.inlineBusy || this.laneTurnPending) return;
    this.laneTurnPending = true;
    setImmediate(() => {
      this.laneTurnPending = false;
      this.laneTurn();
    });
  }

  /** The lane's turn: the queued requests it takes (oldest first, up to its rows) run now. */
  private laneTurn(): void {
    if (this.inlineBusy) return;
    const head = this.queue.find((p) => this.laneTakes(p));
    if (head === undefined) return;
    const { maxBatch, inlineMaxRows = 0 } = this.options;
    const batch = this.take(head, maxBatch > 0 ? Math.min(maxBatch, inlineMaxRows) : 0);
    this.dispatch(batch, 'event_loop');
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
      if (lane === 'event_loop') {
        this.inlineBusy = false;
        // What queued while it ran: read already (the run ended in a later turn), so now.
        this.laneTurn();
      } else this.inFlight--;
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
