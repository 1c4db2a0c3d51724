/**
 * The core every front end shares: the models as resolved from `--model`, the runtime (worker
 * pool and one batcher per model), readiness, the model-level metrics, and inference with its
 * errors mapped to statuses. HTTP and gRPC are thin layers over this; neither copies the other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpError } from './errors.js';
import { Counter, Gauge, Histogram, Registry } from './metrics.js';
import { resolveModels } from './model-repo.js';
import { placementText } from './providers.js';
import type { ModelSource } from './model-repo.js';
import { PACKAGE_DIR, Runtime } from './runtime.js';
import type { LoadedModel, RuntimeOptions, TensorSpec } from './runtime.js';
import { QueueFullError, ShuttingDownError } from './batcher.js';
import type { InferResult, WireTensor } from './sessions.js';
import type { ClusterProcess } from './cluster.js';
import type { BatchLane } from './batcher.js';
import { mergeStats } from './stats.js';
import { BusyPoll } from './busy-poll.js';

/** The server's name in v2 server metadata. */
export const SERVER_NAME = 'gd-serve';
/** The package version, reported in v2 server metadata. */
export const SERVER_VERSION = (
  JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }
).version;

/** What the core needs to know (the server's options less the HTTP ones). */
export interface CoreOptions extends Pick<
  RuntimeOptions,
  | 'eps'
  | 'allowFallback'
  | 'workers'
  | 'inlineMaxMs'
  | 'intraOpThreads'
  | 'maxBatch'
  | 'maxDelayMs'
  | 'preferredBatchSizes'
  | 'maxQueue'
> {
  model: string;
  name?: string;
  /** Microseconds the event loop keeps polling after each answer (0: off); see busy-poll.ts. */
  busyPollUs?: number;
  log: (message: string) => void;
  readyGate?: Promise<unknown>;
  /** With `--processes`, this process's link to the others (metrics and statistics span all). */
  cluster?: ClusterProcess;
}

/** A model's metric labels, made once: `{ model }`, and `{ model, lane }` for each lane. */
interface ModelLabels {
  model: { model: string };
  lanes: Record<BatchLane, { model: string; lane: BatchLane }>;
}

/** A tensor as v2 metadata lists it. */
export const v2Tensor = (t: TensorSpec) => ({ name: t.name, datatype: t.datatype, shape: t.shape });

/**
 * Models, runtime, readiness and model metrics, shared by the HTTP and gRPC front ends.
 *
 * @example
 * ```ts
 * const core = new ServeCore({ model: 'model.onnx', eps: ['cpu'], allowFallback: false, workers: 1,
 *   maxBatch: 64, maxDelayMs: 0, maxQueue: 1024, log: console.error });
 * core.start();
 * await core.ready;
 * const m = core.modelFor('model');
 * const { outputs } = await core.infer(m, feeds);
 * ```
 */
export class ServeCore {
  readonly sources: ModelSource[];
  readonly registry = new Registry();
  /** Error answers by kind, from every front end. */
  readonly errors: Counter;
  runtime: Runtime | undefined;
  closing = false;
  ready: Promise<void> = Promise.resolve();
  private readonly batchSize: Histogram;
  private readonly batchRequests: Histogram;
  private readonly runSeconds: Histogram;
  private readonly queueSeconds: Histogram;
  private closed: Promise<void> | undefined;
  private readonly modelLabels = new Map<string, ModelLabels>();
  private readonly batches: Counter;
  private readonly busyPoll: BusyPoll;

  constructor(readonly options: CoreOptions) {
    this.sources = resolveModels(options.model, options.name);
    this.busyPoll = new BusyPoll(options.busyPollUs ?? 0);
    const link = options.cluster;
    link?.answer('metrics', () => this.registry.texts({ process: String(link.index) }));
    // Arguments cross the IPC channel as JSON: an absent version arrives as null.
    link?.answer('stats', ([name, version]) =>
      this.stats(
        (name ?? undefined) as string | undefined,
        (version ?? undefined) as string | undefined,
      ),
    );
    const r = this.registry;
    this.batchSize = r.add(
      new Histogram(
        'gd_serve_batch_size',
        'Rows per batch sent to a worker, by model.',
        [1, 2, 4, 8, 16, 32, 64, 128, 256],
      ),
    );
    this.batchRequests = r.add(
      new Histogram(
        'gd_serve_batch_requests',
        'Requests merged into one batch, by model.',
        [1, 2, 4, 8, 16, 32, 64, 128, 256],
      ),
    );
    this.runSeconds = r.add(
      new Histogram(
        'gd_serve_inference_duration_seconds',
        'Time of session.run in the worker per batch, by model.',
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      ),
    );
    this.queueSeconds = r.add(
      new Histogram(
        'gd_serve_queue_duration_seconds',
        'Time a request waited in the queue before its batch went to a worker, by model.',
        [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1],
      ),
    );
    this.errors = r.add(new Counter('gd_serve_errors_total', 'Error responses by kind.'));
    this.batches = r.add(
      new Counter(
        'gd_serve_batches_total',
        'Batches run, by model and lane: event_loop (a batch that runs faster than the thread hand-off costs) or worker.',
      ),
    );
    const perModel = (value: (m: LoadedModel) => number) => () =>
      this.runtime
        ? [...this.runtime.models.values()].map((m) => ({
            labels: { model: m.name },
            value: value(m),
          }))
        : [];
    r.add(
      new Gauge(
        'gd_serve_queue_depth',
        'Requests waiting for a batch, by model.',
        perModel((m) => m.batcher.queued),
      ),
    );
    r.add(
      new Gauge(
        'gd_serve_batches_running',
        'Batches running in workers, by model.',
        perModel((m) => m.batcher.running),
      ),
    );
    r.add(
      new Gauge(
        'gd_serve_model_ready',
        'Whether a model is loaded and warmed up (1) or not (0).',
        () =>
          [...new Set([...this.sources.map((s) => s.name), ...this.modelNames()])].map((name) => ({
            labels: { model: name },
            value: this.runtime?.models.has(name) && !this.closing ? 1 : 0,
          })),
      ),
    );
    r.add(
      new Gauge(
        'gd_serve_execution_provider',
        'The execution provider each model runs on (value 1).',
        () =>
          this.runtime
            ? [...this.runtime.models.values()].map((m) => ({
                labels: { model: m.name, provider: m.executionProvider },
                value: 1,
              }))
            : [],
      ),
    );
  }

  /** One label object per model, and per model and lane (the metrics cache by object). */
  private labelsOf(model: string): ModelLabels {
    let l = this.modelLabels.get(model);
    if (!l) {
      l = {
        model: { model },
        lanes: {
          event_loop: { model, lane: 'event_loop' },
          worker: { model, lane: 'worker' },
        },
      };
      this.modelLabels.set(model, l);
    }
    return l;
  }

  /** Starts the workers and loads the models; `ready` settles when they are warmed up. */
  start(): Promise<void> {
    const o = this.options;
    this.ready = Runtime.start({
      models: this.sources,
      eps: o.eps,
      allowFallback: o.allowFallback,
      workers: o.workers,
      inlineMaxMs: o.inlineMaxMs,
      intraOpThreads: o.intraOpThreads,
      maxBatch: o.maxBatch,
      maxDelayMs: o.maxDelayMs,
      preferredBatchSizes: o.preferredBatchSizes,
      maxQueue: o.maxQueue,
      log: o.log,
      onBatch: (model, rows, reqs, result, lane) => {
        const { model: labels, lanes } = this.labelsOf(model);
        this.batches.inc(lanes[lane]);
        this.batchSize.observe(labels, rows);
        this.batchRequests.observe(labels, reqs);
        this.runSeconds.observe(labels, result.runMs / 1000);
      },
      onDequeue: (model, ms) => this.queueSeconds.observe(this.labelsOf(model).model, ms / 1000),
    }).then(async (rt) => {
      await o.readyGate;
      if (this.closing) {
        void rt.close();
        throw new Error('closed before the models were ready');
      }
      this.runtime = rt;
      o.log('ready');
    });
    this.ready.catch(() => {}); // observed by callers; never unhandled here
    return this.ready;
  }

  isReady(): boolean {
    return this.runtime !== undefined && !this.closing;
  }

  /** The names of the models served now (before the runtime starts: those being loaded). */
  modelNames(): string[] {
    const names = this.runtime
      ? [...this.runtime.versions.keys()]
      : this.sources.map((s) => s.name);
    return [...new Set(names)].sort();
  }

  /**
   * The loaded model of that name and version (default: its newest loaded version): 404 for
   * an unknown model or version, 503 while loading.
   */
  modelFor(name: string, version?: string): LoadedModel {
    const loaded = this.runtime?.versions.get(name);
    // Every request asks: a loaded model (or version) is found without building the lists.
    const found = version === undefined ? this.runtime?.models.get(name) : loaded?.get(version);
    if (found && loaded !== undefined) return found;
    const known = loaded
      ? [...loaded.keys()]
      : this.runtime
        ? []
        : this.sources.filter((s) => s.name === name).map((s) => s.version);
    if (known.length === 0) {
      const served = this.modelNames();
      throw new HttpError(
        404,
        'unknown_model',
        `model: unknown model ${JSON.stringify(name)}; this server serves ${served.length ? served.map((s) => JSON.stringify(s)).join(', ') : 'no model now'}`,
      );
    }
    if (version !== undefined && !known.includes(version)) {
      const list = known.sort((a, b) => Number(a) - Number(b));
      throw new HttpError(
        404,
        'unknown_model',
        `version: model ${name} has ${list.length === 1 ? 'version' : 'versions'} ${list.join(', ')}, not ${JSON.stringify(version)}`,
      );
    }
    const m = version === undefined ? this.runtime?.models.get(name) : loaded?.get(version);
    // While closing, requests already received are still answered (the front ends turn away new ones).
    if (!m) throw new HttpError(503, 'not_ready', `model ${name} is not ready (loading)`);
    return m;
  }

  /** The v2 model metadata of a loaded model. */
  metadata(m: LoadedModel) {
    return {
      name: m.name,
      versions: [...(this.runtime?.versions.get(m.name)?.keys() ?? [m.version])].sort(
        (a, b) => Number(a) - Number(b),
      ),
      platform: 'onnxruntime_onnx',
      inputs: m.inputs.map(v2Tensor),
      outputs: m.outputs.map(v2Tensor),
      parameters: {
        execution_provider: m.executionProvider,
        execution_providers_requested: m.requestedProviders.join(','),
        execution_provider_fallback: m.executionProvider !== m.requestedProviders[0],
        execution_provider_nodes: placementText(m.nodes),
        execution_provider_notes: m.attempts
          .filter((a) => !a.ok)
          .map((a) => a.error)
          .join('\n'),
        max_batch_size: m.maxBatch,
        max_queue_delay_ms: m.maxDelayMs,
        event_loop_max_rows: m.inlineMaxRows,
        producer: m.producer,
        ...Object.fromEntries(Object.entries(m.metadata).map(([k, v]) => [`metadata.${k}`, v])),
      },
    };
  }

  /** Triton `model_stats` entries: every loaded version, or those of one model (and version). */
  stats(name?: string, version?: string) {
    const rt = this.runtime;
    if (!rt) return [];
    return [...rt.versions.entries()]
      .filter(([n]) => name === undefined || n === name)
      .flatMap(([, versions]) => [...versions.values()])
      .filter((m) => version === undefined || m.version === version)
      .map((m) => ({
        ...m.stats.toTriton(),
        // Not in Triton's schema: where this version's batches run (clients ignore extra keys).
        execution_provider: m.executionProvider,
        execution_provider_nodes: placementText(m.nodes),
      }));
  }

  /** The Prometheus text of `/metrics`: with `--processes`, every process's, labelled by process. */
  async metricsText(): Promise<string> {
    const link = this.options.cluster;
    if (!link) return this.registry.render();
    const parts = await link.gather<ReturnType<Registry['texts']>>('metrics');
    return Registry.merge(parts.sort((a, b) => a.process - b.process).map((p) => p.value));
  }

  /** `stats` over every process (with `--processes`: their counts and times added up). */
  async allStats(name?: string, version?: string) {
    const link = this.options.cluster;
    if (!link) return this.stats(name, version);
    const parts = await link.gather<ReturnType<ServeCore['stats']>>('stats', [name, version]);
    return mergeStats(parts.map((p) => p.value));
  }

  /** Queues one request for the model's next batch; a failed run becomes a 500 naming why. */
  infer(m: LoadedModel, feeds: WireTensor[]): Promise<InferResult> {
    const t0 = performance.now();
    // One promise reaction per request (no async function around the batcher's promise).
    return m.batcher.submit(feeds).then(
      (result) => {
        m.stats.succeeded(performance.now() - t0);
        this.busyPoll.touch();
        return result;
      },
      (e: unknown) => {
        m.stats.failed(performance.now() - t0);
        this.busyPoll.touch();
        if (e instanceof QueueFullError || e instanceof ShuttingDownError) throw e;
        this.options.log(`inference failed for model ${m.name}: ${(e as Error).message}`);
        throw new HttpError(500, 'inference_failed', `inference failed: ${(e as Error).message}`);
      },
    );
  }

  /** Marks the core closing (not ready); `close` then waits for the runtime to finish. */
  beginClose(): void {
    this.closing = true;
  }

  /** Answers every queued request, then stops the workers. */
  close(): Promise<void> {
    this.closing = true;
    this.busyPoll.close();
    this.closed ??= (async () => {
      await this.ready.catch(() => {});
      if (this.runtime) await this.runtime.close();
    })();
    return this.closed;
  }
}
