/** verifyOnnx: run exported bytes in onnxruntime-node and compare with gd's own forward. */
import type { Tensor } from '@gd/autograd';
import { noGrad } from '@gd/autograd';
import type { Module } from '@gd/nn';
import type { AnyModule } from './trace.js';
import { flattenOutputs } from './trace.js';
import type { ArgKind } from '@gd/tensor';
import { checkOptionsSchema, describe } from '@gd/tensor';
import { checkModelInputs } from './export.js';

/** The comparison of one output. */
export interface OutputComparison {
  /** The graph output name. */
  readonly name: string;
  /** Its shape (the same in gd and onnxruntime). */
  readonly shape: readonly number[];
  /** max |gd - onnxruntime| over its elements (Infinity where only one side is NaN). */
  readonly maxAbsDiff: number;
}

/** What {@link verifyOnnx} found. */
export interface VerifyResult {
  /** The largest absolute difference over every output. */
  readonly maxAbsDiff: number;
  /** Per output, in graph order. */
  readonly outputs: readonly OutputComparison[];
}

/** Options of {@link verifyOnnx}. */
export interface VerifyOnnxOptions {
  /** onnxruntime execution providers, in order of preference (default `['cpu']`). */
  executionProviders?: string[];
}

/** The part of onnxruntime-node's API used here (typed locally: the package is optional). */
export interface OnnxRuntime {
  InferenceSession: {
    create(
      model: Uint8Array,
      options?: { executionProviders?: string[] },
    ): Promise<OnnxRuntimeSession>;
  };
  Tensor: new (type: string, data: unknown, dims: readonly number[]) => OnnxRuntimeTensor;
}

/** An onnxruntime tensor (see {@link OnnxRuntime}). */
export interface OnnxRuntimeTensor {
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** An onnxruntime inference session (see {@link OnnxRuntime}). */
export interface OnnxRuntimeSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OnnxRuntimeTensor>): Promise<Record<string, OnnxRuntimeTensor>>;
  release(): Promise<void>;
}

/**
 * Imports onnxruntime-node (an optional peer dependency), with a message saying how to install
 * it when it is missing.
 */
export async function importOnnxRuntime(specifier = 'onnxruntime-node'): Promise<OnnxRuntime> {
  try {
    return (await import(specifier)) as OnnxRuntime;
  } catch (cause) {
    throw new Error(
      `verifyOnnx needs onnxruntime-node, an optional peer dependency of @gd/onnx that could not be loaded ('${specifier}'). ` +
        'Install it next to @gd/onnx: `pnpm add onnxruntime-node` (or `npm install onnxruntime-node`).',
      { cause },
    );
  }
}

const ORT_TYPES = { float32: 'float32', float64: 'float64', int32: 'int32', bool: 'bool' } as const;

function feed(ort: OnnxRuntime, x: Tensor): OnnxRuntimeTensor {
  const data = x.value.contiguous().data;
  const copy = data.slice();
  return new ort.Tensor(ORT_TYPES[x.dtype], copy, [...x.shape]);
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return Infinity;
      continue;
    }
    const d = Math.abs(x - y);
    if (d > max) max = d;
  }
  return max;
}

const VERIFY_OPTIONS = { executionProviders: 'strings' };
const VERIFY_KINDS: Readonly<Record<string, ArgKind>> = {
  strings: {
    test: (v) => Array.isArray(v) && v.every((e) => typeof e === 'string'),
    accepts: 'an array of strings',
    wrong: 'cpu',
  },
};

/**
 * Runs ONNX `bytes` in onnxruntime-node on `inputs` (one tensor per graph input, in order) and
 * compares every output with gd's forward of `module` in eval mode (its training flags are
 * restored). Throws when an output's shape differs; resolves to the largest absolute
 * difference. onnxruntime-node is imported on first use; a clear error says how to install it
 * when it is missing.
 *
 * @example
 * ```ts
 * const bytes = exportOnnx(model, randn([2, 1, 28, 28]));
 * const { maxAbsDiff } = await verifyOnnx(model, bytes, [randn([64, 1, 28, 28])]);
 * if (maxAbsDiff > 1e-5) throw new Error(`ONNX export differs by ${maxAbsDiff}`);
 * ```
 */
export async function verifyOnnx(
  module: Module<never[], unknown> | Module,
  bytes: Uint8Array,
  inputs: Tensor | readonly Tensor[],
  options: VerifyOnnxOptions = {},
): Promise<VerifyResult> {
  checkOptionsSchema('verifyOnnx', options, VERIFY_OPTIONS, VERIFY_KINDS);
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`verifyOnnx: bytes must be a Uint8Array, got ${describe(bytes)}`);
  const xs = checkModelInputs('verifyOnnx', module, inputs);
  const ort = await importOnnxRuntime();
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: options.executionProviders ?? ['cpu'],
  });
  try {
    if (session.inputNames.length !== xs.length)
      throw new RangeError(
        `verifyOnnx: the model has ${session.inputNames.length} input(s) (${session.inputNames.join(', ')}), got ${xs.length} tensor(s)`,
      );
    const feeds: Record<string, OnnxRuntimeTensor> = {};
    session.inputNames.forEach((name, i) => (feeds[name] = feed(ort, xs[i]!)));
    const results = await session.run(feeds);
    const expected = forwardInEval(module as unknown as AnyModule, xs);
    if (expected.length !== session.outputNames.length)
      throw new RangeError(
        `verifyOnnx: the model has ${session.outputNames.length} output(s), gd's forward returned ${expected.length}`,
      );
    const outputs = session.outputNames.map((name, k): OutputComparison => {
      const got = results[name]!;
      const want = expected[k]!;
      const dims = got.dims.map(Number);
      if (dims.length !== want.ndim || dims.some((d, i) => d !== want.shape[i]))
        throw new RangeError(
          `verifyOnnx: output '${name}' has shape [${dims.join(', ')}] in onnxruntime but [${want.shape.join(', ')}] in gd`,
        );
      return {
        name,
        shape: dims,
        maxAbsDiff: maxAbsDifference(want.value.contiguous().data, got.data as ArrayLike<number>),
      };
    });
    return { maxAbsDiff: Math.max(0, ...outputs.map((o) => o.maxAbsDiff)), outputs };
  } finally {
    await session.release();
  }
}

function forwardInEval(module: AnyModule, xs: readonly Tensor[]): Tensor[] {
  const modes = module.modules().map((m) => [m, m.training] as const);
  try {
    module.eval();
    const callable = module as unknown as { call(...a: Tensor[]): unknown };
    const out = noGrad(() => callable.call(...xs));
    return flattenOutputs(out) ?? [];
  } finally {
    for (const [m, mode] of modes) m.training = mode;
  }
}
