/**
 * The models behind the server: a piscina pool of workers holding the sessions, a micro-batcher
 * per model, and what each model declares (inputs, outputs, execution provider, metadata).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { MicroBatcher } from './batcher.js';
import { readOnnxModelInfo, preprocessingFrom } from './onnx-metadata.js';
import type { Preprocessing } from './onnx-metadata.js';
import type { ModelSource } from './model-repo.js';
import { providerPlan } from './providers.js';
import type { ExecutionProvider } from './providers.js';
import { DATATYPES, v2FromOrt } from './tensors.js';
import type { V2Datatype } from './tensors.js';
import type {
  InferResult,
  ModelReport,
  ProviderAttempt,
  WireTensor,
  WorkerConfig,
  WorkerTask,
} from './worker.js';

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
  requestedProviders: ExecutionProvider[];
  attempts: ProviderAttempt[];
  preprocessing: Preprocessing;
  producer: string;
  metadata: Record<string, string>;
  batcher: MicroBatcher;
}

export interface RuntimeOptions {
  models: ModelSource[];
  eps: ExecutionProvider[];
  allowFallback: boolean;
  workers: number;
  maxBatch: number;
  maxDelayMs: number;
  maxQueue: number;
  /** Called after each batch (for metrics). */
  onBatch?(model: string, rows: number, requests: number, runMs: number): void;
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
 * Starts the worker pool, loads every model in each worker (provider chosen by the plan, one
 * warm-up inference each), then runs one more warm-up batch through the pool per model.
 *
 * @example
 * ```ts
 * const rt = await Runtime.start({ models: resolveModels('model.onnx'), eps: ['cpu'], allowFallback: false,
 *   workers: 1, maxBatch: 64, maxDelayMs: 2, maxQueue: 1024 });
 * const { outputs } = await rt.infer('model', [{ name: 'input', type: 'float32', dims: [1, 784], data }]);
 * ```
 */
export class Runtime {
  readonly models = new Map<string, LoadedModel>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly pool: Piscina,
    readonly workers: number,
  ) {}

  static async start(options: RuntimeOptions): Promise<Runtime> {
    const log = options.log ?? (() => {});
    const workers = Math.max(1, Math.floor(options.workers));
    const plan = providerPlan(options.eps, options.allowFallback);
    const workerData: WorkerConfig = {
      models: options.models.map((m) => ({ name: m.name, file: m.file })),
      plan,
      intraOpThreads: Math.max(1, Math.floor(availableParallelism() / workers)),
    };
    // Metadata the session API does not expose (before starting threads: a bad file fails fast).
    const infos = options.models.map((m) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(m.file);
      } catch (e) {
        throw new Error(`cannot read ${m.file}: ${(e as Error).message}`);
      }
      try {
        return readOnnxModelInfo(bytes);
      } catch (e) {
        throw new Error(`${m.file} is not an ONNX model: ${(e as Error).message}`);
      }
    });
    const pool = new Piscina({
      filename: join(PACKAGE_DIR, 'dist', 'worker.js'),
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: Infinity,
      workerData,
    });
    const rt = new Runtime(pool, workers);
    try {
      const reports = (await pool.run({ op: 'describe' } satisfies WorkerTask)) as ModelReport[];
      options.models.forEach((src, i) => {
        const report = reports.find((r) => r.name === src.name);
        const info = infos[i] as (typeof infos)[number];
        if (!report || !report.ep) {
          throw new Error(report?.error ?? `model ${src.name} was not loaded`);
        }
        for (const a of report.attempts) {
          if (!a.ok) log(`model ${src.name}: execution provider ${a.ep} not used:\n${a.error}`);
        }
        const inputs = report.inputs.map((v) => toSpec(v, src.name));
        const outputs = report.outputs.map((v) => toSpec(v, src.name));
        const batchable = [...inputs, ...outputs].every(
          (t) => t.shape.length > 0 && t.shape[0] === -1,
        );
        let maxBatch = batchable ? options.maxBatch : 0;
        if (src.maxBatchSize !== undefined)
          maxBatch = batchable ? Math.min(src.maxBatchSize, options.maxBatch) : 0;
        const maxDelayMs = src.maxDelayMs ?? options.maxDelayMs;
        const name = src.name;
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
          requestedProviders: [...options.eps],
          attempts: report.attempts,
          preprocessing: preprocessingFrom(info.metadata),
          producer: [info.producerName, info.producerVersion].filter((s) => s).join(' '),
          metadata: info.metadata,
          batcher: new MicroBatcher({
            maxBatch,
            maxDelayMs,
            maxQueue: options.maxQueue,
            maxInFlight: workers,
            run: (t) => rt.run(name, t),
            onBatch: (rows, requests, ms) => options.onBatch?.(name, rows, requests, ms),
          }),
        };
        rt.models.set(name, model);
        const fell = report.ep !== options.eps[0] ? ` (fallback from ${options.eps[0]})` : '';
        log(
          `model ${name} v${src.version}: execution provider ${report.ep}${fell}; requested ${options.eps.join(',')}${options.allowFallback ? ' with fallback allowed' : ''}; warm-up ${report.warmupMs.toFixed(1)} ms`,
        );
      });
      // One warm-up batch through the pool per model: threads, transfer and batching all work.
      for (const m of rt.models.values()) {
        const feeds: WireTensor[] = m.inputs.map((t) => {
          const dims = t.shape.map((d) => (d < 0 ? 1 : d));
          const n = dims.reduce((a, b) => a * b, 1);
          return {
            name: t.name,
            type: DATATYPES[t.datatype].ort,
            dims,
            data: DATATYPES[t.datatype].alloc(n),
          };
        });
        await rt.run(m.name, feeds);
      }
    } catch (e) {
      await pool.destroy();
      throw e;
    }
    return rt;
  }

  /** Runs one batch in a worker (no queueing: callers go through a model's batcher). */
  run(model: string, inputs: WireTensor[]): Promise<InferResult> {
    return this.pool.run({ op: 'infer', model, inputs } satisfies WorkerTask, {
      transferList: [...new Set(inputs.map((t) => t.data.buffer as ArrayBuffer))],
    }) as Promise<InferResult>;
  }

  /** Queues one request for a model's next batch. */
  infer(model: string, inputs: WireTensor[]): Promise<InferResult> {
    const m = this.models.get(model);
    if (!m) return Promise.reject(new Error(`unknown model ${model}`));
    return m.batcher.submit(inputs);
  }

  /** Requests waiting and batches running, over all models. */
  get queueDepth(): number {
    let n = 0;
    for (const m of this.models.values()) n += m.batcher.queued;
    return n;
  }

  /** Answers every queued request, then stops the workers. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.models.values()].map((m) => m.batcher.close()));
      await this.pool.close();
    })();
    return this.closing;
  }
}
