/**
 * The piscina worker: owns the onnxruntime-node sessions (their `run()` blocks in native code, so
 * it never runs on the server's event loop). On start it creates one session per model with the
 * first execution provider of the plan that works, runs a warm-up inference, and only then tells
 * piscina it is ready.
 */
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { providerMissing, sessionProviders } from './providers.js';
import type { ExecutionProvider } from './providers.js';
import type { OrtType, TypedData } from './tensors.js';

/** What the pool gives each worker. */
export interface WorkerConfig {
  models: { name: string; file: string }[];
  plan: ExecutionProvider[];
  intraOpThreads: number;
}

/** One tensor crossing the thread boundary (its buffer is transferred, not copied). */
export interface WireTensor {
  name: string;
  type: OrtType;
  dims: number[];
  data: TypedData;
}

/** A model input or output as the session declares it (symbolic dims as strings). */
export interface ValueInfo {
  name: string;
  type: string;
  shape: (number | string)[];
}

/** The outcome of one provider tried for a model. */
export interface ProviderAttempt {
  ep: ExecutionProvider;
  ok: boolean;
  error?: string;
}

/** What a worker reports about one model after start. */
export interface ModelReport {
  name: string;
  ep?: ExecutionProvider;
  attempts: ProviderAttempt[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  warmupMs: number;
  error?: string;
}

export type WorkerTask =
  { op: 'describe' } | { op: 'infer'; model: string; inputs: WireTensor[]; outputs?: string[] };

export interface InferResult {
  outputs: WireTensor[];
  runMs: number;
}

interface Loaded {
  session: ort.InferenceSession;
  report: ModelReport;
}

function valueInfo(meta: readonly ort.InferenceSession.ValueMetadata[]): ValueInfo[] {
  return meta.map((m) =>
    m.isTensor
      ? { name: m.name, type: m.type, shape: [...m.shape] }
      : { name: m.name, type: 'non-tensor', shape: [] },
  );
}

const ALLOC: Record<string, (n: number) => TypedData> = {
  float32: (n) => new Float32Array(n),
  float64: (n) => new Float64Array(n),
  int32: (n) => new Int32Array(n),
  int64: (n) => new BigInt64Array(n),
  int16: (n) => new Int16Array(n),
  int8: (n) => new Int8Array(n),
  uint8: (n) => new Uint8Array(n),
  bool: (n) => new Uint8Array(n),
};

async function load(
  model: WorkerConfig['models'][number],
  config: WorkerConfig,
): Promise<Loaded | { report: ModelReport }> {
  const attempts: ProviderAttempt[] = [];
  for (const ep of config.plan) {
    const missing = providerMissing(ep);
    if (missing) {
      attempts.push({ ep, ok: false, error: missing });
      continue;
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(model.file, {
        executionProviders: sessionProviders(ep),
        intraOpNumThreads: config.intraOpThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      });
    } catch (e) {
      attempts.push({
        ep,
        ok: false,
        error: `${ep}: session creation failed: ${(e as Error).message}`,
      });
      continue;
    }
    attempts.push({ ep, ok: true });
    const report: ModelReport = {
      name: model.name,
      ep,
      attempts,
      inputs: valueInfo(session.inputMetadata),
      outputs: valueInfo(session.outputMetadata),
      warmupMs: 0,
    };
    // Warm-up: one inference at batch 1 (symbolic dims set to 1).
    try {
      const feeds: Record<string, ort.Tensor> = {};
      for (const input of report.inputs) {
        const alloc = ALLOC[input.type];
        if (!alloc)
          throw new Error(`input ${input.name} has type ${input.type}, which gd-serve cannot feed`);
        const dims = input.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : 1));
        const n = dims.reduce((a, b) => a * b, 1);
        feeds[input.name] = new ort.Tensor(input.type as 'float32', alloc(n) as Float32Array, dims);
      }
      const t0 = performance.now();
      await session.run(feeds);
      report.warmupMs = performance.now() - t0;
    } catch (e) {
      report.error = `warm-up inference with ${ep} failed: ${(e as Error).message}`;
      attempts[attempts.length - 1] = { ep, ok: false, error: report.error };
      await session.release();
      continue;
    }
    delete report.error;
    return { session, report };
  }
  return {
    report: {
      name: model.name,
      attempts,
      inputs: [],
      outputs: [],
      warmupMs: 0,
      error: `no execution provider could run ${model.file}:\n${attempts.map((a) => a.error).join('\n')}`,
    },
  };
}

async function initialize(): Promise<(task: WorkerTask) => Promise<unknown>> {
  const config = workerData as WorkerConfig;
  const sessions = new Map<string, ort.InferenceSession>();
  const reports: ModelReport[] = [];
  for (const model of config.models) {
    const loaded = await load(model, config);
    reports.push(loaded.report);
    if ('session' in loaded) sessions.set(model.name, loaded.session);
  }

  return async (task: WorkerTask): Promise<unknown> => {
    if (task.op === 'describe') return reports;
    const session = sessions.get(task.model);
    if (!session) throw new Error(`model ${task.model} is not loaded in this worker`);
    const feeds: Record<string, ort.Tensor> = {};
    for (const t of task.inputs) {
      feeds[t.name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
    }
    const t0 = performance.now();
    const results = await session.run(feeds, task.outputs ?? session.outputNames);
    const runMs = performance.now() - t0;
    const outputs: WireTensor[] = [];
    for (const [name, tensor] of Object.entries(results)) {
      // Copied into a buffer this thread owns, so it can be transferred.
      const data = (tensor.data as TypedData).slice();
      outputs.push({ name, type: tensor.type as OrtType, dims: [...tensor.dims], data });
      tensor.dispose();
    }
    const result: InferResult = { outputs, runMs };
    return move({
      get [transferableSymbol]() {
        return outputs.map((o) => o.data.buffer);
      },
      get [valueSymbol]() {
        return result;
      },
    });
  };
}

export default initialize();
