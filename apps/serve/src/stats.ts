/**
 * Per-model statistics in the shape of Triton's statistics extension
 * (`GET /v2/models/{name}/stats`): request counts and cumulative nanoseconds spent queued, in
 * compute (input, infer, output), and per batch size, so a user can see why batches were small.
 */

/** A count and the nanoseconds it took in total. */
export interface Duration {
  count: number;
  ns: number;
}

/** What one batch's run reports (milliseconds). */
export interface BatchTimes {
  inputMs: number;
  runMs: number;
  outputMs: number;
}

const zero = (): Duration => ({ count: 0, ns: 0 });
const add = (d: Duration, ms: number, count = 1) => {
  d.count += count;
  d.ns += Math.round(ms * 1e6);
};

/**
 * Counters for one model version.
 *
 * @example
 * ```ts
 * const s = new ModelStats('mnist', '1');
 * s.queued(0.05);
 * s.batch(1, 1, { inputMs: 0.01, runMs: 0.02, outputMs: 0.01 });
 * s.succeeded(0.2);
 * s.toTriton().inference_stats.success; // { count: 1, ns: 200000 }
 * ```
 */
export class ModelStats {
  private success = zero();
  private fail = zero();
  private queue = zero();
  private computeInput = zero();
  private computeInfer = zero();
  private computeOutput = zero();
  private inferenceCount = 0;
  private executionCount = 0;
  private lastInference = 0;
  private readonly bySize = new Map<
    number,
    { compute_input: Duration; compute_infer: Duration; compute_output: Duration }
  >();

  constructor(
    readonly name: string,
    readonly version: string,
  ) {}

  /** A request left the queue for a batch after waiting `ms`. */
  queued(ms: number): void {
    add(this.queue, ms);
  }

  /** A batch of `rows` rows from `requests` requests ran. */
  batch(rows: number, requests: number, t: BatchTimes): void {
    this.inferenceCount += rows;
    this.executionCount++;
    this.lastInference = Date.now();
    // Triton counts compute per request (each request shares its batch's time).
    add(this.computeInput, t.inputMs * requests, requests);
    add(this.computeInfer, t.runMs * requests, requests);
    add(this.computeOutput, t.outputMs * requests, requests);
    let s = this.bySize.get(rows);
    if (!s) {
      s = { compute_input: zero(), compute_infer: zero(), compute_output: zero() };
      this.bySize.set(rows, s);
    }
    add(s.compute_input, t.inputMs);
    add(s.compute_infer, t.runMs);
    add(s.compute_output, t.outputMs);
  }

  /** A request was answered after `ms` in the server (queue and compute). */
  succeeded(ms: number): void {
    add(this.success, ms);
  }

  /** A request failed after `ms`. */
  failed(ms: number): void {
    add(this.fail, ms);
  }

  /** Triton's `model_stats` entry for this model version. */
  toTriton() {
    return {
      name: this.name,
      version: this.version,
      last_inference: this.lastInference,
      inference_count: this.inferenceCount,
      execution_count: this.executionCount,
      inference_stats: {
        success: { ...this.success },
        fail: { ...this.fail },
        queue: { ...this.queue },
        compute_input: { ...this.computeInput },
        compute_infer: { ...this.computeInfer },
        compute_output: { ...this.computeOutput },
      },
      batch_stats: [...this.bySize.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([batch_size, s]) => ({
          batch_size,
          compute_input: { ...s.compute_input },
          compute_infer: { ...s.compute_infer },
          compute_output: { ...s.compute_output },
        })),
    };
  }
}

/** One `model_stats` entry as `ModelStats.toTriton` (and the server) writes it. */
export type TritonModelStats = ReturnType<ModelStats['toTriton']>;

const sum = (a: Duration, b: Duration): Duration => ({ count: a.count + b.count, ns: a.ns + b.ns });

/**
 * The statistics of several processes (`--processes`) as one: entries of the same model and
 * version add up (counts and nanoseconds; `last_inference` is the latest), batch sizes merge.
 *
 * @example
 * ```ts
 * mergeStats([processA.stats(), processB.stats()]);
 * ```
 */
export function mergeStats<T extends TritonModelStats>(parts: T[][]): T[] {
  const out = new Map<string, T>();
  for (const entries of parts) {
    for (const e of entries) {
      const key = `${e.name}@${e.version}`;
      const m = out.get(key);
      if (!m) {
        out.set(key, structuredClone(e));
        continue;
      }
      m.last_inference = Math.max(m.last_inference, e.last_inference);
      m.inference_count += e.inference_count;
      m.execution_count += e.execution_count;
      const s = m.inference_stats as Record<string, Duration>;
      for (const [k, d] of Object.entries(e.inference_stats)) s[k] = sum(s[k] ?? zero(), d);
      for (const b of e.batch_stats) {
        const mine = m.batch_stats.find((x) => x.batch_size === b.batch_size);
        if (!mine) m.batch_stats.push(structuredClone(b));
        else {
          mine.compute_input = sum(mine.compute_input, b.compute_input);
          mine.compute_infer = sum(mine.compute_infer, b.compute_infer);
          mine.compute_output = sum(mine.compute_output, b.compute_output);
        }
      }
      m.batch_stats.sort((a, b) => a.batch_size - b.batch_size);
    }
  }
  return [...out.values()];
}
