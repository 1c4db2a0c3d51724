/**
 * The models behind the server: a pool of worker threads holding the sessions, a micro-batcher
 * per model version, and what each declares (inputs, outputs, execution provider, metadata).
 * Versions can be loaded (warmed up first) and unloaded (after their queued requests are
 * answered) while the server runs.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MicroBatcher } from './batcher.js';
import { readOnnxModelInfo, preprocessingFrom } from './onnx-metadata.js';
import type { Preprocessing } from './onnx-metadata.js';
import type { ModelSource } from './model-repo.js';
import { placementText, providerPlan } from './providers.js';
import type { ExecutionProvider } from './providers.js';
import { DATATYPES, v2FromOrt } from './tensors.js';
import type { V2Datatype } from './tensors.js';
import { InlinePool } from './inline.js';
import { WorkerPool } from './pool.js';
import type { SessionPool } from './pool.js';
import { ModelStats } from './stats.js';
import { SessionHost } from './sessions.js';
import type { InferResult, ProviderAttempt, WireTensor, WorkerConfig } from './sessions.js';
import type { BatchLane } from './batcher.js';

/**
 * The default `inlineMaxMs`: about what handing a batch to a worker thread and back costs on
 * a loaded 2-core machine (bench/results/serve.md), so a batch that runs faster than this is
 * answered sooner (and for less CPU) on the event loop, and a request arriving meanwhile waits
 * at most this.
 *
 * @example
 * ```ts
 * // Half the default: only models twice as fast take the event-loop lane.
 * await startServer({ model: 'model.onnx', inlineMaxMs: DEFAULT_INLINE_MAX_MS / 2 });
 * ```
 */
export const DEFAULT_INLINE_MAX_MS = 0.25;
/** Timed event-loop runs per model at load; their median decides the event-loop lane. */
const CALIBRATION_RUNS = 15;
/** The larger batch the event-loop lane is timed at (with batch 1) to find its cost per row. */
const LANE_PROBE_ROWS = 32;

/** The package directory (the same from src/ under vitest and from dist/). */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A model input or output as the v2 metadata endpoint reports it (-1: any size). */
export interface TensorSpec {
  name: string;
  datatype: V2Datatype;
  shape: number[];
}

/** Everything the server knows about one loaded model. */
export interface LoadedModel {
  name: string;
  version: string;
  file: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Whether dim 0 of every input and output is a free batch dim. */
  batchable: boolean;
  /** Most rows per request and per batch (0: no batching; requests run alone). */
  maxBatch: number;
  maxDelayMs: number;
  /** The provider the sessions use, and every provider tried on the way. */
  executionProvider: ExecutionProvider;
  /**
   * The nodes each provider ran in the warm-up (GPU providers leave some to the CPU); undefined
   * when no profile could be written (no writable temp directory).
   */
  nodes: Record<string, number> | undefined;
  requestedProviders: ExecutionProvider[];
  attempts: ProviderAttempt[];
  preprocessing: Preprocessing;
  producer: string;
  metadata: Record<string, string>;
  /** Triton's preferred batch sizes (config.pbtxt), used with a delay. */
  preferredBatchSizes: number[];
  /**
   * Most rows of a batch that runs on the event loop instead of a worker thread; 0: every
   * batch goes to a worker.
   */
  inlineMaxRows: number;
  /** The median event-loop `session.run` time at batch 1 measured at load (undefined: not measured). */
  inlineRunMs: number | undefined;
  batcher: MicroBatcher;
  stats: ModelStats;
}

/** What starts a Runtime: the models, providers, workers and batching limits. */
export interface RuntimeOptions {
  models: ModelSource[];
  eps: ExecutionProvider[];
  allowFallback: boolean;
  /** Worker threads holding the sessions; 0 runs them on the event loop (no threads). */
  workers: number;
  /** onnxruntime threads per session (default: the cores but one split between the workers). */
  intraOpThreads?: number;
  maxBatch: number;
  maxDelayMs: number;
  /** Preferred batch sizes of models whose config.pbtxt names none. */
  preferredBatchSizes?: number[];
  maxQueue: number;
  /**
   * With worker threads, a batch runs on the event loop instead when the model's `session.run`
   * takes at most this many milliseconds for its rows (measured at load; CPU models, without
   * `maxDelayMs`); 0: never. Default DEFAULT_INLINE_MAX_MS.
   */
  inlineMaxMs?: number;
  /** Called after each batch (for metrics). */
  onBatch?(
    model: string,
    rows: number,
    requests: number,
    result: InferResult,
    lane: BatchLane,
  ): void;
  /** Called as each request leaves the queue (for metrics). */
  onDequeue?(model: string, waitedMs: number): void;
  log?(message: string): void;
}

function toSpec(
  v: { name: string; type: string; shape: (number | string)[] },
  model: string,
): TensorSpec {
  const datatype = v2FromOrt(v.type);
  if (!datatype)
    throw new Error(`model ${model}: ${v.name} has type ${v.type}, which gd-serve cannot carry`);
  return {
    name: v.name,
    datatype,
    shape: v.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)),
  };
}

/**
 * Starts the worker pool and loads every model into each worker (provider chosen by the plan,
 * one warm-up inference each), then runs one more warm-up batch through the pool per model.
 *
 * @example
 * ```ts
 * const rt = await Runtime.start({ models: resolveModels('model.onnx'), eps: ['cpu'], allowFallback: false,
 *   workers: 1, maxBatch: 64, maxDelayMs: 0, maxQueue: 1024 });
 * const { outputs } = await rt.infer('model', [{ name: 'input', type: 'float32', dims: [1, 784], data }]);
 * ```
 */
export class Runtime {
  /** The version each model name serves by default (its newest loaded one). */
  readonly models = new Map<string, LoadedModel>();
  /** Every loaded version, by model name then version. */
  readonly versions = new Map<string, Map<string, LoadedModel>>();
  private closing: Promise<void> | undefined;

  /**
   * @param eventLoop - Sessions on the event loop for small batches of fast models, beside the
   *   worker threads (undefined with `--workers 0`, where everything runs there, or when off).
   */
  private constructor(
    readonly pool: SessionPool,
    readonly workers: number,
    private readonly options: RuntimeOptions,
    readonly eventLoop: SessionHost | undefined,
  ) {}

  static async start(options: RuntimeOptions): Promise<Runtime> {
    // 0 workers: the sessions run on the event loop (inline.ts), one batch at a time.
    const inline = options.workers < 1;
    const workers = inline ? 1 : Math.floor(options.workers);
    const config: WorkerConfig = {
      plan: providerPlan(options.eps, options.allowFallback),
      // One core stays with the event loop (HTTP, batching, replies): onnxruntime threads that
      // spin on it starve the server under load more than they speed up small models.
      intraOpThreads:
        options.intraOpThreads ?? Math.max(1, Math.floor((availableParallelism() - 1) / workers)),
    };
    // Metadata the session API does not expose (before starting threads: a bad file fails fast).
    for (const m of options.models) readInfo(m.file);
    const pool: SessionPool = inline
      ? new InlinePool(config)
      : new WorkerPool({
          script: join(PACKAGE_DIR, 'dist', 'worker.js'),
          workers,
          config,
          log: options.log,
        });
    // One onnxruntime thread: a batch small enough for the lane gains little from more, and
    // waking threads is what the event-loop lane is there to avoid.
    const eventLoop =
      !inline && (options.inlineMaxMs ?? DEFAULT_INLINE_MAX_MS) > 0
        ? new SessionHost({ plan: ['cpu'], intraOpThreads: 1 })
        : undefined;
    const rt = new Runtime(pool, workers, options, eventLoop);
    try {
      for (const src of options.models) await rt.load(src);
    } catch (e) {
      await pool.close();
      await eventLoop?.close();
      throw e;
    }
    return rt;
  }

  /**
   * Loads one model version into every worker, warms it up through the pool, and only then
   * makes it servable (the newest loaded version becomes the model's default).
   */
  async load(src: ModelSource): Promise<LoadedModel> {
    const options = this.options;
    const log = options.log ?? (() => {});
    const info = readInfo(src.file);
    const key = `${src.name}@${src.version}`;
    const reports = await this.pool.load(key, src.file);
    const failed = reports.find((r) => r.error !== undefined);
    const report = reports[0];
    if (failed || !report?.ep) throw new Error(failed?.error ?? `model ${src.name} was not loaded`);
    for (const a of report.attempts) {
      if (!a.ok) log(`model ${src.name}: execution provider ${a.ep} not used:\n${a.error}`);
    }
    const inputs = report.inputs.map((v) => toSpec(v, src.name));
    const outputs = report.outputs.map((v) => toSpec(v, src.name));
    const batchable = [...inputs, ...outputs].every((t) => t.shape.length > 0 && t.shape[0] === -1);
    let maxBatch = batchable ? options.maxBatch : 0;
    if (src.maxBatchSize !== undefined)
      maxBatch = batchable ? Math.min(src.maxBatchSize, options.maxBatch) : 0;
    const maxDelayMs = src.maxDelayMs ?? options.maxDelayMs;
    const preferredBatchSizes = src.preferredBatchSizes ?? options.preferredBatchSizes ?? [];
    const name = src.name;
    const stats = new ModelStats(name, src.version);
    // The warm-up batch through the pool first: threads, transfer and batching all work.
    const feeds = warmupFeeds(inputs);
    let poolRunMs: number;
    try {
      poolRunMs = (await this.pool.run(key, feeds())).runMs;
    } catch (e) {
      await this.pool.unload(key);
      throw e;
    }
    // A request's rows as the batcher counts them (dim 0; the fixed one when not batchable).
    const rowsCap = batchable ? (maxBatch > 0 ? maxBatch : Infinity) : 0;
    const fixedRows = batchable ? 1 : Math.max(1, inputs[0]?.shape[0] ?? 1);
    let lane: { maxRows: number; runMs: number } | undefined;
    try {
      lane =
        report.ep === 'cpu'
          ? await this.calibrate(key, src.file, feeds, poolRunMs, rowsCap, fixedRows)
          : undefined;
    } catch (e) {
      // The workers serve the model either way: the event-loop lane is only a shortcut.
      log(`model ${name} v${src.version}: no event-loop lane (${(e as Error).message})`);
      await this.eventLoop?.unload(key);
    }
    const inlineMaxRows = lane?.maxRows ?? 0;
    const model: LoadedModel = {
      name,
      version: src.version,
      file: src.file,
      inputs,
      outputs,
      batchable,
      maxBatch,
      maxDelayMs,
      executionProvider: report.ep,
      nodes: report.nodes,
      requestedProviders: [...options.eps],
      attempts: report.attempts,
      preprocessing: preprocessingFrom(info.metadata),
      producer: [info.producerName, info.producerVersion].filter((s) => s).join(' '),
      metadata: info.metadata,
      preferredBatchSizes,
      inlineMaxRows,
      inlineRunMs: lane?.runMs,
      stats,
      batcher: new MicroBatcher({
        maxBatch,
        maxDelayMs,
        preferredBatchSizes,
        maxQueue: options.maxQueue,
        // As many batches as the workers hold: one running and one waiting in each.
        maxInFlight: this.workers * this.pool.depth,
        run: (t) => this.pool.run(key, t),
        ...(inlineMaxRows > 0 && {
          runInline: (t: WireTensor[]) => (this.eventLoop as SessionHost).infer(key, t, false),
          inlineMaxRows,
        }),
        onBatch: (rows, requests, r, where) => {
          stats.batch(rows, requests, {
            inputMs: r.inputMs ?? 0,
            runMs: r.runMs,
            outputMs: r.outputMs ?? 0,
          });
          options.onBatch?.(name, rows, requests, r, where);
        },
        onDequeue: (ms) => {
          stats.queued(ms);
          options.onDequeue?.(name, ms);
        },
      }),
    };
    const fell = report.ep !== options.eps[0] ? ` (fallback from ${options.eps[0]})` : '';
    log(
      `model ${name} v${src.version}: execution provider ${report.ep}${fell} (nodes ${placementText(model.nodes)}); requested ${options.eps.join(',')}${options.allowFallback ? ' with fallback allowed' : ''}; warm-up ${report.warmupMs.toFixed(1)} ms`,
    );
    if (lane) {
      log(
        lane.maxRows > 0
          ? `model ${name} v${src.version}: batches of up to ${lane.maxRows} row(s) run on the event loop (session.run ${lane.runMs.toFixed(3)} ms at batch 1, limit ${this.inlineMaxMs} ms)`
          : `model ${name} v${src.version}: every batch runs in a worker thread (session.run ${lane.runMs.toFixed(3)} ms at batch 1, over the event-loop limit of ${this.inlineMaxMs} ms)`,
      );
    }
    let versions = this.versions.get(name);
    if (!versions) {
      versions = new Map();
      this.versions.set(name, versions);
    }
    versions.set(src.version, model);
    this.pickDefault(name);
    return model;
  }

  private get inlineMaxMs(): number {
    return this.options.inlineMaxMs ?? DEFAULT_INLINE_MAX_MS;
  }

  /**
   * Decides the event-loop lane of a CPU model: loads it on the event loop and times batch-1 runs
   * there (skipped when the worker's warm-up run already shows it is too slow), and for a
   * batchable model runs of LANE_PROBE_ROWS rows too. Batches whose time, on the line through
   * the two, is within the limit then run there: up to `maxRows` rows (0: none; the session is
   * released).
   *
   * @param rowsCap - Most rows a request may have (0: the model is not batchable).
   * @param fixedRows - A not batchable model's rows (dim 0 of its fixed shape).
   */
  private async calibrate(
    key: string,
    file: string,
    feeds: (rows?: number) => WireTensor[],
    poolRunMs: number,
    rowsCap: number,
    fixedRows: number,
  ): Promise<{ maxRows: number; runMs: number } | undefined> {
    const host = this.eventLoop;
    if (!host) return undefined;
    // A worker run several times over the limit will not be under it on the event loop.
    if (poolRunMs > 4 * this.inlineMaxMs) return { maxRows: 0, runMs: poolRunMs };
    const report = await host.load(key, file);
    if (report.error !== undefined || report.ep !== 'cpu') {
      await host.unload(key);
      return undefined;
    }
    const medianRunMs = async (rows: number) => {
      const times: number[] = [];
      for (let i = 0; i < CALIBRATION_RUNS; i++)
        times.push((await host.infer(key, feeds(rows), false)).runMs);
      return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
    };
    const runMs = await medianRunMs(1);
    const limit = this.inlineMaxMs;
    let maxRows: number;
    if (runMs > limit) maxRows = 0;
    else if (rowsCap === 0) maxRows = fixedRows;
    else {
      // Rows from the line through batch 1 and a larger batch (a fixed cost per run, then a
      // cost per row); without the larger batch, linear from batch 1 (an overestimate: safe).
      const probe = Math.min(rowsCap, LANE_PROBE_ROWS);
      const slope = probe > 1 ? ((await medianRunMs(probe)) - runMs) / (probe - 1) : runMs;
      // A slope measured at about zero (timer noise on a tiny model) would bound nothing (and
      // without --max-batch a request's rows are unbounded): at least batch 1's time per row
      // of the probe.
      const perRowMs = Math.max(slope, Math.max(runMs, 1e-6) / LANE_PROBE_ROWS);
      maxRows = Math.min(rowsCap, 1 + Math.floor((limit - runMs) / perRowMs));
    }
    if (maxRows === 0) await host.unload(key);
    return { maxRows, runMs };
  }

  /** The newest loaded version becomes what requests without a version get. */
  private pickDefault(name: string): void {
    const versions = [...(this.versions.get(name)?.values() ?? [])];
    const newest = versions.sort((a, b) => Number(b.version) - Number(a.version))[0];
    if (newest) this.models.set(name, newest);
    else this.models.delete(name);
  }

  /**
   * Retires one model version: new requests stop reaching it at once, those already queued or
   * running are answered, then its sessions are released.
   */
  async unload(name: string, version: string): Promise<void> {
    const versions = this.versions.get(name);
    const m = versions?.get(version);
    if (!versions || !m) return;
    versions.delete(version);
    if (versions.size === 0) this.versions.delete(name);
    this.pickDefault(name);
    await m.batcher.close();
    await this.pool.unload(`${name}@${version}`);
    await this.eventLoop?.unload(`${name}@${version}`);
  }

  /** Runs one batch in a worker (no queueing: callers go through a model's batcher). */
  run(model: string, inputs: WireTensor[]): Promise<InferResult> {
    const m = this.models.get(model);
    if (!m) return Promise.reject(new Error(`unknown model ${model}`));
    return this.pool.run(`${m.name}@${m.version}`, inputs);
  }

  /** Queues one request for a model's next batch. */
  infer(model: string, inputs: WireTensor[]): Promise<InferResult> {
    const m = this.models.get(model);
    if (!m) return Promise.reject(new Error(`unknown model ${model}`));
    return m.batcher.submit(inputs);
  }

  /** Requests waiting for a batch, over all models and versions. */
  get queueDepth(): number {
    let n = 0;
    for (const versions of this.versions.values())
      for (const m of versions.values()) n += m.batcher.queued;
    return n;
  }

  /** Answers every queued request, then stops the workers. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const all = [...this.versions.values()].flatMap((v) => [...v.values()]);
      await Promise.all(all.map((m) => m.batcher.close()));
      await this.pool.close();
      await this.eventLoop?.close();
    })();
    return this.closing;
  }
}

/**
 * Zero-filled inputs at batch `rows` (1 by default; other free dims set to 1), fresh on each call
 * (buffers are transferred).
 */
function warmupFeeds(inputs: TensorSpec[]): (rows?: number) => WireTensor[] {
  return (rows = 1) =>
    inputs.map((t) => {
      const dims = t.shape.map((d, i) => (d >= 0 ? d : i === 0 ? rows : 1));
      const n = dims.reduce((a, b) => a * b, 1);
      return {
        name: t.name,
        type: DATATYPES[t.datatype].ort,
        dims,
        data: new DATATYPES[t.datatype].TypedArray(n),
      };
    });
}

function readInfo(file: string) {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return readOnnxModelInfo(bytes);
  } catch (e) {
    throw new Error(`${file} is not an ONNX model: ${(e as Error).message}`);
  }
}
