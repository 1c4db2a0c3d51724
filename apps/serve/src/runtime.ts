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
import type { InferResult, ProviderAttempt, WireTensor, WorkerConfig } from './sessions.js';

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
  /** Called after each batch (for metrics). */
  onBatch?(model: string, rows: number, requests: number, result: InferResult): void;
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

  private constructor(
    readonly pool: SessionPool,
    readonly workers: number,
    private readonly options: RuntimeOptions,
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
    const rt = new Runtime(pool, workers, options);
    try {
      for (const src of options.models) await rt.load(src);
    } catch (e) {
      await pool.close();
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
      stats,
      batcher: new MicroBatcher({
        maxBatch,
        maxDelayMs,
        preferredBatchSizes,
        maxQueue: options.maxQueue,
        // As many batches as the workers hold: one running and one waiting in each.
        maxInFlight: this.workers * this.pool.depth,
        run: (t) => this.pool.run(key, t),
        onBatch: (rows, requests, r) => {
          stats.batch(rows, requests, {
            inputMs: r.inputMs ?? 0,
            runMs: r.runMs,
            outputMs: r.outputMs ?? 0,
          });
          options.onBatch?.(name, rows, requests, r);
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
    // One warm-up batch through the pool: threads, transfer and batching all work.
    const feeds: WireTensor[] = model.inputs.map((t) => {
      const dims = t.shape.map((d) => (d < 0 ? 1 : d));
      const n = dims.reduce((a, b) => a * b, 1);
      return {
        name: t.name,
        type: DATATYPES[t.datatype].ort,
        dims,
        data: DATATYPES[t.datatype].alloc(n),
      };
    });
    try {
      await this.pool.run(key, feeds);
    } catch (e) {
      await this.pool.unload(key);
      throw e;
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
    })();
    return this.closing;
  }
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
