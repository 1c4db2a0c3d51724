/**
 * The session workers: a fixed number of worker threads, each holding a session of every loaded
 * model. Batches go to the least busy worker (in arrival order when all are full) with their buffers
 * transferred, not copied. A worker that dies is replaced: the batch it was running fails with
 * a message (never a hang), the new worker loads every model and warms it up, and the others go
 * on serving meanwhile.
 */
import { Worker } from 'node:worker_threads';
import { ownsBuffer } from './tensors.js';
import type {
  InferResult,
  ModelReport,
  WireTensor,
  WorkerConfig,
  WorkerReply,
  WorkerTask,
} from './sessions.js';

/** Where batches run: worker threads (WorkerPool) or the event loop (InlinePool). */
export interface SessionPool {
  /** Batches each worker may hold at once. */
  readonly depth: number;
  /** Loads a model everywhere; one report per worker. */
  load(key: string, file: string): Promise<ModelReport[]>;
  unload(key: string): Promise<void>;
  run(key: string, inputs: WireTensor[]): Promise<InferResult>;
  close(): Promise<void>;
}

/** The batch's worker thread stopped before answering (the server answers 500). */
export class WorkerDiedError extends Error {
  constructor(code: number | string) {
    super(
      `the worker thread running this batch stopped (${typeof code === 'number' ? `exit code ${code}` : code}); it is being replaced, retry`,
    );
    this.name = 'WorkerDiedError';
  }
}

/** What starts a pool. */
export interface PoolOptions {
  /** The compiled worker script. */
  script: string;
  workers: number;
  /**
   * Batches each worker may hold at once (default 2): the next batch waits in the worker's
   * own queue, so it starts the moment the last one ends instead of a round trip later.
   */
  depth?: number;
  config: WorkerConfig;
  log?(message: string): void;
}

type Task = {
  [K in WorkerTask['op']]: Omit<Extract<WorkerTask, { op: K }>, 'id'>;
}[WorkerTask['op']];

interface Pending {
  task: Task;
  transfer: ArrayBuffer[];
  resolve(value: unknown): void;
  reject(e: unknown): void;
}

class Slot {
  /** Tasks sent and not yet answered, by id. */
  readonly sent = new Map<number, Pending>();
  /** Batches sent and not yet answered (at most the pool's depth). */
  running = 0;
  /** False until every loaded model is loaded in this worker (a replacement warming up). */
  ready = false;
  /** Replacements in a row that died before they were ready (a worker that cannot start). */
  failedStarts = 0;
  /** Died and not replaced: nothing is sent to it any more. */
  dead = false;
  constructor(readonly worker: Worker) {}
}

/**
 * Worker threads with sessions, models loaded into all of them.
 *
 * @example
 * ```ts
 * const pool = new WorkerPool({ script: 'dist/worker.js', workers: 2, config: { plan: ['cpu'], intraOpThreads: 1 } });
 * const [report] = await pool.load('mnist@1', 'model.onnx');
 * const { outputs } = await pool.run('mnist@1', [{ name: 'input', type: 'float32', dims: [1, 784], data }]);
 * await pool.close();
 * ```
 */
export class WorkerPool implements SessionPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  /** Every loaded model (key -> file), loaded again into a replacement worker. */
  private readonly loaded = new Map<string, string>();
  private nextId = 1;
  private closing = false;
  /** Workers replaced after dying, since start. */
  replaced = 0;
  /** Batches each worker may hold at once. */
  readonly depth: number;

  constructor(private readonly options: PoolOptions) {
    this.depth = Math.max(1, options.depth ?? 2);
    for (let i = 0; i < options.workers; i++) this.spawn(i, true);
  }

  /** The worker threads now (tests terminate one to simulate a crash). */
  get threads(): readonly Worker[] {
    return this.slots.map((s) => s.worker);
  }

  private spawn(index: number, ready: boolean): Slot {
    const worker = new Worker(this.options.script, { workerData: this.options.config });
    const slot = new Slot(worker);
    slot.ready = ready;
    this.slots[index] = slot;
    worker.on('message', (reply: WorkerReply) => {
      const p = slot.sent.get(reply.id);
      if (!p) return;
      slot.sent.delete(reply.id);
      if (p.task.op === 'infer') slot.running--;
      if (reply.ok) p.resolve(reply.value);
      else p.reject(new Error(reply.error));
      this.drain();
    });
    // A thread that throws outside a task, or exits, takes its in-flight tasks with it.
    worker.on('error', (e) => this.died(slot, index, e.message));
    worker.on('exit', (code) => this.died(slot, index, code));
    return slot;
  }

  private died(slot: Slot, index: number, why: number | string): void {
    if (this.slots[index] !== slot) return; // already replaced (error then exit)
    const error = new WorkerDiedError(why);
    for (const p of slot.sent.values()) p.reject(error);
    slot.sent.clear();
    if (this.closing) return;
    const failedStarts = slot.ready ? 0 : slot.failedStarts + 1;
    if (failedStarts >= 3) {
      // A worker that dies while starting, three times in a row, will not start: stop trying,
      // and when no worker is left, fail the queued batches rather than let them wait forever.
      this.options.log?.(`worker ${index} failed to start ${failedStarts} times; not replacing it`);
      slot.failedStarts = failedStarts;
      slot.dead = true;
      if (this.slots.every((s) => s.dead)) {
        for (const p of this.waiting.splice(0)) p.reject(error);
      }
      return;
    }
    this.options.log?.(`worker ${index} stopped (${String(why)}); starting a replacement`);
    this.replaced++;
    const fresh = this.spawn(index, false);
    fresh.failedStarts = failedStarts;
    void (async () => {
      for (const [key, file] of this.loaded) {
        const report = (await this.send(fresh, { op: 'load', key, file }, [])) as ModelReport;
        if (report.error) this.options.log?.(`replacement worker ${index}: ${report.error}`);
      }
      fresh.ready = true;
      this.options.log?.(`worker ${index} replaced; models loaded`);
      this.drain();
    })().catch((e: unknown) =>
      this.options.log?.(`replacement worker ${index}: ${(e as Error).message}`),
    );
  }

  private send(slot: Slot, task: Task, transfer: ArrayBuffer[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      slot.sent.set(id, { task, transfer, resolve, reject });
      if (task.op === 'infer') slot.running++;
      slot.worker.postMessage({ ...task, id }, transfer);
    });
  }

  private drain(): void {
    while (this.waiting.length > 0) {
      const slot = this.free();
      if (!slot) return;
      const p = this.waiting.shift() as Pending;
      this.send(slot, p.task, p.transfer).then(p.resolve, p.reject);
    }
  }

  /**
   * Loads a model into every worker (each creates its session and runs a warm-up). Resolves
   * with each worker's report; a model that fails in any worker is unloaded from all.
   */
  async load(key: string, file: string): Promise<ModelReport[]> {
    const live = this.slots.filter((s) => !s.dead);
    if (live.length === 0) throw new Error('no worker thread is running (they failed to start)');
    const reports = (await Promise.all(
      live.map((s) => this.send(s, { op: 'load', key, file }, [])),
    )) as ModelReport[];
    if (reports.some((r) => r.error !== undefined)) {
      await this.unloadFrom(key);
      return reports;
    }
    this.loaded.set(key, file);
    return reports;
  }

  private async unloadFrom(key: string): Promise<void> {
    await Promise.all(
      this.slots.filter((s) => !s.dead).map((s) => this.send(s, { op: 'unload', key }, [])),
    );
  }

  /** Releases a model's sessions in every worker (callers first let its batches finish). */
  async unload(key: string): Promise<void> {
    this.loaded.delete(key);
    await this.unloadFrom(key);
  }

  /** The ready worker with the fewest batches, if it has room for one more. */
  private free(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) {
      if (s.ready && s.running < this.depth && (!best || s.running < best.running)) best = s;
    }
    return best;
  }

  /** Runs one batch on the least busy worker (queued in order while all are full). */
  run(key: string, inputs: WireTensor[]): Promise<InferResult> {
    // Only whole buffers cross: a view into a shared one (a request's slab) is copied out first.
    const own = inputs.map((t) => (ownsBuffer(t.data) ? t : { ...t, data: t.data.slice() }));
    const transfer = [...new Set(own.map((t) => t.data.buffer as ArrayBuffer))];
    const task: Task = { op: 'infer', key, inputs: own };
    const slot = this.free();
    if (slot && this.waiting.length === 0)
      return this.send(slot, task, transfer) as Promise<InferResult>;
    return new Promise((resolve, reject) => {
      this.waiting.push({ task, transfer, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  /** Stops every worker (callers first let the batches finish). */
  async close(): Promise<void> {
    this.closing = true;
    for (const p of this.waiting.splice(0)) p.reject(new Error('the worker pool is closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
