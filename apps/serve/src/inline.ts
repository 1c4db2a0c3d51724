/**
 * `--workers 0`: the sessions run on the event loop itself, with no worker thread. For models
 * whose `session.run` takes a small fraction of a millisecond, the thread hand-off (two wake-ups
 * and context switches per batch) costs more than the inference; inline, a request is parsed,
 * run and answered in one pass. The price: while a batch runs, the server does nothing else, so
 * a slow model stalls every connection (use worker threads for those).
 */
import { SessionHost } from './sessions.js';
import type { SessionPool } from './pool.js';
import type { InferResult, ModelReport, WireTensor, WorkerConfig } from './sessions.js';

/**
 * The pool's interface over one SessionHost on the calling thread: one batch at a time, loads
 * and unloads in order.
 *
 * @example
 * ```ts
 * const pool = new InlinePool({ plan: ['cpu'], intraOpThreads: 1 });
 * await pool.load('mnist@1', 'model.onnx');
 * const { outputs } = await pool.run('mnist@1', [{ name: 'input', type: 'float32', dims: [1, 784], data }]);
 * ```
 */
export class InlinePool implements SessionPool {
  /** One batch at a time: the event loop runs it. */
  readonly depth = 1;
  /** No threads to replace. */
  readonly replaced = 0;
  readonly threads: readonly never[] = [];
  private readonly host: SessionHost;

  constructor(config: WorkerConfig) {
    this.host = new SessionHost(config);
  }

  async load(key: string, file: string): Promise<ModelReport[]> {
    const report = await this.host.load(key, file);
    if (report.error !== undefined) await this.host.unload(key);
    return [report];
  }

  unload(key: string): Promise<void> {
    return this.host.unload(key);
  }

  run(key: string, inputs: WireTensor[]): Promise<InferResult> {
    return this.host.infer(key, inputs, false);
  }

  close(): Promise<void> {
    return this.host.close();
  }
}
