/**
 * The onnxruntime-node sessions of one thread: load (first provider of the plan that runs the
 * model, profiled warm-up), run a batch, unload. A worker thread of the pool hosts one
 * (worker.ts); with `--workers 0` the event loop hosts one itself (inline.ts).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import {
  nodePlacement,
  placementText,
  providerMissing,
  sessionProviders,
  webgpuNoAdapterHelp,
} from './providers.js';
import type { ExecutionProvider } from './providers.js';
import type { OrtType, TypedData } from './tensors.js';

/** What the pool gives each worker at start. */
export interface WorkerConfig {
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

/** What a worker reports about one model after loading it. */
export interface ModelReport {
  key: string;
  ep?: ExecutionProvider;
  /** Nodes each provider ran in the warm-up (from onnxruntime's profile), e.g. `{ webgpu: 4 }`. */
  nodes?: Record<string, number>;
  attempts: ProviderAttempt[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  warmupMs: number;
  error?: string;
}

/** A message from the pool to a worker. */
export type WorkerTask =
  | { id: number; op: 'load'; key: string; file: string }
  | { id: number; op: 'unload'; key: string }
  | { id: number; op: 'infer'; key: string; inputs: WireTensor[] };

/** A worker's answer to one task. */
export type WorkerReply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** One batch's outputs and where its time in the worker went (Triton's compute stages). */
export interface InferResult {
  outputs: WireTensor[];
  /** Building the input tensors. */
  inputMs?: number;
  /** session.run. */
  runMs: number;
  /** Copying the outputs out of the session. */
  outputMs?: number;
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

/** Why a session could not be created, with what was looked for when WebGPU found no adapter. */
function creationError(ep: ExecutionProvider, e: unknown): string {
  const message = (e as Error).message;
  const noAdapter = ep === 'webgpu' && /adapter/i.test(message);
  return noAdapter
    ? `webgpu: no WebGPU adapter found (onnxruntime: ${message.trim().split('\n').pop()?.trim()})\n${webgpuNoAdapterHelp()}`
    : `${ep}: session creation failed: ${message}`;
}

/** Zero-filled feeds at batch 1 (symbolic dims set to 1) for a warm-up run. */
function warmupFeeds(inputs: ValueInfo[]): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of inputs) {
    const alloc = ALLOC[input.type];
    if (!alloc)
      throw new Error(`input ${input.name} has type ${input.type}, which gd-serve cannot feed`);
    const dims = input.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : 1));
    const n = dims.reduce((a, b) => a * b, 1);
    feeds[input.name] = new ort.Tensor(input.type as 'float32', alloc(n) as Float32Array, dims);
  }
  return feeds;
}

/**
 * A fresh directory for the warm-up's profile, or undefined when the temp directory is not
 * writable (a read-only container without a /tmp volume): the model still loads, and its node
 * placement is reported as unknown.
 */
function profileDirectory(): string | undefined {
  try {
    return mkdtempSync(join(tmpdir(), 'gd-serve-profile-'));
  } catch {
    return undefined;
  }
}

/** The nodes each provider ran, read from the profile the session wrote (then deleted). */
function readPlacement(session: ort.InferenceSession, dir: string): Record<string, number> {
  session.endProfiling();
  const file = readdirSync(dir).find((f) => f.endsWith('.json'));
  if (!file) throw new Error('onnxruntime wrote no profile for the warm-up run');
  return nodePlacement(JSON.parse(readFileSync(join(dir, file), 'utf8')));
}

/**
 * Creates a session with the first provider of the plan that loads, runs a warm-up, and runs
 * nodes of the model itself: the warm-up is profiled, so a GPU provider that took no node (all
 * of them fell to the CPU) counts as not used, and the report says where every node ran.
 */
async function load(
  key: string,
  file: string,
  config: WorkerConfig,
): Promise<{ session?: ort.InferenceSession; report: ModelReport }> {
  const attempts: ProviderAttempt[] = [];
  for (const ep of config.plan) {
    const missing = providerMissing(ep);
    if (missing) {
      attempts.push({ ep, ok: false, error: missing });
      continue;
    }
    const profileDir = profileDirectory();
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(file, {
        executionProviders: sessionProviders(ep),
        intraOpNumThreads: config.intraOpThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
        // Only the warm-up is profiled (endProfiling stops it): where its nodes ran.
        ...(profileDir && { enableProfiling: true, profileFilePrefix: join(profileDir, 'warmup') }),
      });
    } catch (e) {
      if (profileDir) rmSync(profileDir, { recursive: true, force: true });
      attempts.push({ ep, ok: false, error: creationError(ep, e) });
      continue;
    }
    const report: ModelReport = {
      key,
      ep,
      attempts,
      inputs: valueInfo(session.inputMetadata),
      outputs: valueInfo(session.outputMetadata),
      warmupMs: 0,
    };
    try {
      const t0 = performance.now();
      await session.run(warmupFeeds(report.inputs));
      report.warmupMs = performance.now() - t0;
      if (profileDir) report.nodes = readPlacement(session, profileDir);
    } catch (e) {
      attempts.push({
        ep,
        ok: false,
        error: `warm-up inference with ${ep} failed: ${(e as Error).message}`,
      });
      await session.release();
      continue;
    } finally {
      if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    }
    if (ep !== 'cpu' && report.nodes && !report.nodes[ep]) {
      attempts.push({
        ep,
        ok: false,
        error: `${ep}: the session was created, but onnxruntime ran none of the model's nodes on ${ep} (${placementText(report.nodes) || 'no nodes'}); not counted as running on ${ep}`,
      });
      await session.release();
      continue;
    }
    attempts.push({ ep, ok: true });
    return { session, report };
  }
  return {
    report: {
      key,
      attempts,
      inputs: [],
      outputs: [],
      warmupMs: 0,
      error: `no execution provider could run ${file}:\n${attempts.map((a) => a.error).join('\n')}`,
    },
  };
}

/**
 * Sessions by model key, and the two operations a batch needs.
 *
 * @example
 * ```ts
 * const host = new SessionHost({ plan: ['cpu'], intraOpThreads: 1 });
 * const report = await host.load('mnist@1', 'model.onnx');
 * const { outputs } = await host.infer('mnist@1', [{ name: 'input', type: 'float32', dims: [1, 784], data }]);
 * ```
 */
export class SessionHost {
  private readonly sessions = new Map<string, ort.InferenceSession>();

  constructor(private readonly config: WorkerConfig) {}

  /** Loads (or reloads) a model; the report says which provider took it, or why none did. */
  async load(key: string, file: string): Promise<ModelReport> {
    const loaded = await load(key, file, this.config);
    if (loaded.session) {
      await this.sessions.get(key)?.release();
      this.sessions.set(key, loaded.session);
    }
    return loaded.report;
  }

  /** Releases every session. */
  async close(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.release()));
  }

  async unload(key: string): Promise<void> {
    const s = this.sessions.get(key);
    this.sessions.delete(key);
    await s?.release();
  }

  /**
   * Runs one batch. `ownOutputs`: copy each output into a buffer of its own (to transfer it to
   * another thread); otherwise the session's output arrays are returned as they are.
   */
  async infer(key: string, inputs: WireTensor[], ownOutputs: boolean): Promise<InferResult> {
    const session = this.sessions.get(key);
    if (!session) throw new Error(`model ${key} is not loaded in this worker`);
    const t0 = performance.now();
    const feeds: Record<string, ort.Tensor> = {};
    for (const t of inputs)
      feeds[t.name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
    const t1 = performance.now();
    const results = await session.run(feeds);
    const t2 = performance.now();
    const outputs: WireTensor[] = [];
    for (const [name, tensor] of Object.entries(results)) {
      const data = tensor.data as TypedData;
      outputs.push({
        name,
        type: tensor.type as OrtType,
        dims: [...tensor.dims],
        // The session's array may be external memory: copied before it crosses threads.
        data: ownOutputs ? data.slice() : data,
      });
      if (ownOutputs) tensor.dispose();
    }
    const t3 = performance.now();
    return { outputs, inputMs: t1 - t0, runMs: t2 - t1, outputMs: t3 - t2 };
  }
}
