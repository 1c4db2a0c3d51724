/**
 * Where results that autograd does not record came from, while a module is traced for export.
 * Autograd records a node only for floating results that need a gradient; an exporter also
 * needs the integer and bool results (argsort, sort/topk indices, unique, oneHot, isclose) and
 * the ops applied to them, or it would freeze them as constants. While {@link traceOrigins}
 * runs, each result of an op on a tracked tensor (a trace root, a result with a gradFn, or one
 * with an origin) that gets no gradFn remembers its op as an {@link Origin}. Outside it nothing
 * is recorded: the ops pay one boolean test.
 */
import type { DType } from '@gd/tensor';
import type { OpNode } from './function.js';
import type { Tensor } from './tensor.js';

/** The op a tensor without a gradFn was computed by, recorded while tracing. */
export interface Origin {
  /** The op (a node of the same kind autograd records; it is never run backward). */
  readonly node: OpNode<unknown>;
  /** Which of the op's outputs the tensor is (0: the first). */
  readonly output: number;
  /** The shapes of all the op's outputs. */
  readonly shapes: readonly (readonly number[])[];
  /** The dtypes of all the op's outputs. */
  readonly dtypes: readonly DType[];
}

let tracing = false;
let origins = new WeakMap<Tensor, Origin>();
let roots = new WeakSet<Tensor>();

/**
 * Runs `fn` with origins recorded for results computed from `inputs` (the traced model's
 * inputs). Used by exporters (@gd/onnx); the records are dropped when the next trace starts.
 *
 * @example
 * ```ts
 * const x = randn([2, 3]);
 * const i = traceOrigins([x], () => x.argsort(1));
 * originOf(i)!.node.op; // 'argsort'
 * ```
 */
export function traceOrigins<T>(inputs: readonly Tensor[], fn: () => T): T {
  const previous = tracing;
  if (!previous) {
    origins = new WeakMap();
    roots = new WeakSet();
  }
  for (const x of inputs) roots.add(x);
  tracing = true;
  try {
    return fn();
  } finally {
    tracing = previous;
  }
}

/** Whether {@link traceOrigins} is running. */
export function isTracingOrigins(): boolean {
  return tracing;
}

/**
 * The recorded origin of a tensor that has no gradFn, or null.
 *
 * @example
 * ```ts
 * originOf(tensor([1, 2])); // null
 * ```
 */
export function originOf(t: Tensor): Origin | null {
  return origins.get(t) ?? null;
}

/** Whether `t` is one of the traced model's inputs. @internal */
export function isTraceRoot(t: Tensor): boolean {
  return roots.has(t);
}

/** Whether a result computed from `t` must be recorded while tracing. @internal */
export function isTracked(t: Tensor): boolean {
  return t.gradFn !== null || roots.has(t) || origins.has(t);
}

/**
 * Records each of `outputs` (every output of one op, in order) that has no gradFn as that
 * output of `node`. @internal
 */
export function recordOrigin(node: OpNode<unknown>, outputs: readonly Tensor[]): void {
  const shapes = outputs.map((t) => t.shape);
  const dtypes = outputs.map((t) => t.dtype);
  outputs.forEach((t, output) => {
    if (t.gradFn === null) origins.set(t, { node, output, shapes, dtypes });
  });
}

/** Gives `to` the origin of `from` (an in-place op wrote `from`'s values into `to`). @internal */
export function moveOrigin(from: Tensor, to: Tensor): void {
  const o = origins.get(from);
  if (o) origins.set(to, o);
  else origins.delete(to);
}
