/**
 * How a differentiable op runs: compute the forward result on NDArrays, and — when grad mode
 * is on and an input requires grad — record an {@link OpNode} that saves what the op's
 * backward formula needs. The ops themselves are rows of the tables in `ops/`.
 */
import type { DType, NDArray } from '@gd/tensor';
import { isFloatingDType } from '@gd/tensor';
import { isAnomalyEnabled } from './anomaly.js';
import { isGradEnabled } from './grad-mode.js';
import { Node, SavedTensor, freedGraphError } from './node.js';
import { isTracingOrigins, isTracked, recordOrigin } from './origins.js';
import { Tensor, gradEdge } from './tensor.js';

/** What an op's backward formula can read. */
export interface BackwardContext<A> {
  /** The op's non-tensor arguments. */
  readonly attrs: A;
  /** Input shapes at forward time. */
  readonly shapes: readonly (readonly number[])[];
  /** Input dtypes at forward time. */
  readonly dtypes: readonly DType[];
  /** Whether input i needs a gradient (others may be returned as null). */
  needsGrad(i: number): boolean;
  /** Saved input i (the op must list it in `saveInputs`). */
  input(i: number): Tensor;
  /** The saved output (the op must set `saveOutput`). */
  output(): Tensor;
  /** Extra arrays the forward returned for backward (e.g. max-pool indices). */
  readonly aux: readonly NDArray[];
}

/** Forward result of an op: the output, optionally with arrays kept for backward. */
export type ForwardResult =
  | NDArray
  | {
      /** The op's output. */
      readonly out: NDArray;
      /** Arrays the forward computed on the way and backward needs (max-pool indices). */
      readonly aux: readonly NDArray[];
    };

/** One differentiable op: its forward kernel call, its gradient and what it saves. */
export interface OpSpec<A> {
  /** The gradFn name; defaults to the op name capitalised + `Backward0`. */
  readonly backwardName?: string;
  /**
   * Which inputs backward reads, given which inputs need a gradient (PyTorch saves only what
   * the needed formulas use, so `y = x.mul(2); y.add_(1)` stays differentiable).
   */
  readonly saveInputs?: (needsGrad: readonly boolean[]) => readonly number[];
  /** Whether backward reads the output. */
  readonly saveOutput?: boolean;
  /**
   * For a view of a region of input 0 (narrow, select, slice): that region of an array of the
   * input's shape. Its gradient is the output's gradient written into the region, which the
   * engine adds in place into one buffer when nothing records the backward pass (an unbind of
   * T steps then costs one zero tensor of the input's size, not T).
   */
  readonly region?: (attrs: A) => (base: NDArray) => NDArray;
  /**
   * False for ops without a gradient (integer or bool results, counts, unique values): their
   * results never get a gradFn, whatever their dtype, as in PyTorch. They are recorded only
   * while an exporter traces (see `traceOrigins`), so that it can write them.
   */
  readonly differentiable?: false;
  /** Computes the result from the inputs' arrays. */
  forward(inputs: readonly NDArray[], attrs: A): ForwardResult;
  /**
   * Gradients for each input (null/undefined where none is needed), written with Tensor ops so
   * that `createGraph` gives higher-order gradients.
   */
  backward(grad: Tensor, ctx: BackwardContext<A>): readonly (Tensor | null | undefined)[];
}

/** A table of ops: the mapped type makes a missing forward or backward a compile error. */
export type OpTable<M> = { readonly [K in keyof M]: OpSpec<M[K]> };

/** The node recorded for one op call. */
export class OpNode<A> extends Node implements BackwardContext<A> {
  /** The op's name in its table (`'mul'`, `'matmul'`, ...). */
  declare readonly op: string;
  declare private readonly spec: OpSpec<A>;
  declare readonly attrs: A;
  /** The input tensors, for graph pictures and export; not used by backward. */
  declare readonly inputs: readonly Tensor[];
  declare readonly aux: readonly NDArray[];
  declare readonly name: string;
  declare readonly shapes: readonly (readonly number[])[];
  declare readonly dtypes: readonly DType[];
  declare private readonly requires: readonly boolean[];
  declare private readonly saved: (SavedTensor | null)[];
  private savedOutput: SavedTensor | null = null;
  private released = false;

  constructor(
    /** The op's name in its table (`'mul'`, `'matmul'`, ...). */
    op: string,
    spec: OpSpec<A>,
    attrs: A,
    /** The input tensors, for graph pictures and export; not used by backward. */
    inputs: readonly Tensor[],
    aux: readonly NDArray[],
    name?: string,
  ) {
    super();
    this.op = op;
    this.spec = spec;
    this.attrs = attrs;
    this.inputs = inputs;
    this.aux = aux;
    this.name = name ?? spec.backwardName ?? `${op[0]!.toUpperCase()}${op.slice(1)}Backward0`;
    this.shapes = inputs.map((t) => t.shape);
    this.dtypes = inputs.map((t) => t.dtype);
    this.requires = inputs.map((t) => t.requiresGrad);
    this.next = inputs.map((t) => (t.requiresGrad ? gradEdge(t) : null));
    const keep = spec.saveInputs?.(this.requires) ?? [];
    this.saved = inputs.map((t, i) => (keep.includes(i) ? new SavedTensor(t) : null));
  }

  /** Saves the op's output (called once the output tensor exists). */
  saveOutput(out: Tensor): void {
    this.savedOutput = new SavedTensor(out, this.name);
  }

  /** Re-points a saved output from `from` to `to` (in-place ops write their result into `to`). */
  rebindOutput(from: Tensor, to: Tensor): void {
    if (this.savedOutput?.holds(from)) this.savedOutput = new SavedTensor(to, this.name);
  }

  needsGrad(i: number): boolean {
    return this.requires[i] ?? false;
  }

  input(i: number): Tensor {
    const s = this.saved[i];
    if (s) return s.unpack();
    if (this.released) throw freedGraphError();
    throw new Error(`${this.name}: input ${i} was not saved for backward`);
  }

  output(): Tensor {
    if (this.savedOutput) return this.savedOutput.unpack();
    if (this.released) throw freedGraphError();
    throw new Error(`${this.name}: the output was not saved for backward`);
  }

  apply(grad: Tensor): (Tensor | null)[] {
    const grads = this.spec.backward(grad, this);
    return this.next.map((edge, i) => (edge ? (grads[i] ?? null) : null));
  }

  /** The region of input 0 this op's output views (see {@link OpSpec.region}), or null. */
  regionOfInput(): ((base: NDArray) => NDArray) | null {
    return this.spec.region ? this.spec.region(this.attrs) : null;
  }

  override release(): void {
    this.released = true;
    for (const s of this.saved) s?.release();
    this.savedOutput?.release();
  }

  override savedTensors(): readonly Tensor[] {
    if (this.released) return [];
    const out: Tensor[] = [];
    for (const s of this.saved) if (s) out.push(s.unpack());
    if (this.savedOutput) out.push(this.savedOutput.unpack());
    return out;
  }
}

function splitResult(result: ForwardResult): { out: NDArray; aux: readonly NDArray[] } {
  return 'aux' in result ? result : { out: result, aux: [] };
}

/**
 * Runs op `name` of `table`: forward on the inputs' arrays, plus a recorded node when grad
 * mode is on, some input requires grad and the result is floating point.
 */
export function runOp<M, K extends keyof M & string>(
  table: OpTable<M>,
  name: K,
  inputs: readonly Tensor[],
  attrs: M[K],
  backwardName?: string,
): Tensor {
  const spec = table[name];
  const { out, aux } = splitResult(
    spec.forward(
      inputs.map((t) => t.value),
      attrs,
    ),
  );
  const tensor = wrap(name, spec, attrs, inputs, out, aux, backwardName);
  if (isTracingOrigins() && tensor.gradFn === null && inputs.some(isTracked))
    recordOrigin(new OpNode(name, spec, attrs, inputs, aux, backwardName) as OpNode<unknown>, [
      tensor,
    ]);
  return tensor;
}

/**
 * Runs an op with several outputs: the forward's result and then each of its `aux` arrays as
 * tensors (sort's values and indices, unique's values, inverse and counts). Only the first can
 * be differentiable; the others are recorded for export while tracing, as outputs of the op.
 *
 * @example
 * ```ts
 * const [values, indices] = runOpOutputs(SORTING, 'sort', [x], { dim: -1, descending: false });
 * ```
 */
export function runOpOutputs<M, K extends keyof M & string>(
  table: OpTable<M>,
  name: K,
  inputs: readonly Tensor[],
  attrs: M[K],
  backwardName?: string,
): Tensor[] {
  const spec = table[name];
  const { out, aux } = splitResult(
    spec.forward(
      inputs.map((t) => t.value),
      attrs,
    ),
  );
  const outputs = [
    wrap(name, spec, attrs, inputs, out, aux, backwardName),
    ...aux.map((a) => Tensor.fromArray(a)),
  ];
  if (isTracingOrigins() && inputs.some(isTracked)) {
    const first = outputs[0]!.gradFn;
    const node =
      first instanceof OpNode ? first : new OpNode(name, spec, attrs, inputs, aux, backwardName);
    recordOrigin(node as OpNode<unknown>, outputs);
  }
  return outputs;
}

// The forward's result as a tensor, with its node when autograd records it.
function wrap<A>(
  name: string,
  spec: OpSpec<A>,
  attrs: A,
  inputs: readonly Tensor[],
  out: NDArray,
  aux: readonly NDArray[],
  backwardName: string | undefined,
): Tensor {
  let tensor: Tensor;
  if (
    !isGradEnabled() ||
    spec.differentiable === false ||
    !isFloatingDType(out.dtype) ||
    !inputs.some((t) => t.requiresGrad)
  ) {
    tensor = Tensor.fromArray(out);
  } else {
    const node = new OpNode(name, spec, attrs, inputs, aux, backwardName);
    if (isAnomalyEnabled()) node.forwardTrace = new Error(`${node.name} forward`).stack ?? null;
    tensor = Tensor.fromArray(out, node);
    if (spec.saveOutput) node.saveOutput(tensor);
  }
  // A result sharing its input's storage is a view: in-place ops must know its base.
  const first = inputs[0];
  if (first && out.storage === first.value.storage) tensor.base = first.base ?? first;
  return tensor;
}

/**
 * The backward of an op whose results never get a gradFn (`differentiable: false`): the
 * engine cannot reach it; it says so if a caller runs it by hand.
 *
 * @example
 * ```ts
 * defineOps<{ argsort: { dim: number } }>({
 *   argsort: {
 *     differentiable: false,
 *     forward: ([x], { dim }) => x!.argsort(dim),
 *     backward: noGradient('argsort'),
 *   },
 * });
 * ```
 */
export function noGradient(op: string): () => never {
  return () => {
    throw new Error(`${op} has no gradient (its results are not differentiable)`);
  };
}

const ALL_OPS = new Set<string>();

/**
 * The names of every op gd records (every row of every op table: the differentiable ones, and
 * those with `differentiable: false` recorded only while tracing for export), sorted: what an
 * exporter must map.
 *
 * @example
 * ```ts
 * differentiableOps().includes('matmul'); // true
 * ```
 */
export function differentiableOps(): string[] {
  return [...ALL_OPS].sort();
}

/** Declares a table of ops (typed so that every row is complete) and registers its names. */
export function defineOps<M>(table: OpTable<M>): OpTable<M> {
  for (const name of Object.keys(table)) ALL_OPS.add(name);
  return table;
}
