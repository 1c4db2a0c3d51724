/**
 * Graph nodes. Every result of a recorded op holds a {@link Node} (its `gradFn`); each node
 * points at the nodes that receive its inputs' gradients, and leaves that require grad end in
 * an {@link AccumulateGrad} node that adds into `.grad`.
 */
import type { Tensor } from './tensor.js';
import { formatShape } from '@gd/tensor';

let sequence = 0;

/** A gradient hook: may return a replacement gradient. */
export type GradHook = (grad: Tensor) => Tensor | void | undefined;

/** Returned by `registerHook`; `remove()` unregisters the hook. */
export interface RemovableHandle {
  /** Unregisters the hook (a second call does nothing). */
  remove(): void;
}

/** The error for reading saved tensors that an earlier backward pass freed. */
export function freedGraphError(): Error {
  return new Error(
    'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ' +
      'Saved intermediate values of the graph are freed when you call backward() or grad(). ' +
      'Specify retainGraph: true if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.',
  );
}

/** A tensor saved for backward, with the version it had when saved. */
export class SavedTensor {
  declare private tensor: Tensor | null;
  declare private readonly version: number;
  /** Description of where the saved tensor came from, for the version-mismatch message. */
  declare private readonly origin: string;

  constructor(tensor: Tensor, isOutputOf?: string) {
    this.tensor = tensor;
    this.version = tensor.version;
    const fn = isOutputOf ?? tensor.gradFn?.name;
    this.origin = fn ? `, which is output 0 of ${fn},` : '';
  }

  /** The saved tensor; throws if it was freed or modified in place since it was saved. */
  unpack(): Tensor {
    const t = this.tensor;
    if (t === null) throw freedGraphError();
    if (t.version !== this.version) {
      throw new Error(
        `one of the variables needed for gradient computation has been modified by an inplace operation: ` +
          `[${t.dtype} tensor of shape ${formatShape(t.shape)}]${this.origin} is at version ${t.version}; expected version ${this.version} instead. ` +
          'Hint: run the forward pass inside detectAnomaly(() => ...) to find the operation that failed to compute its gradient.',
      );
    }
    return t;
  }

  /** Whether this saved slot holds `t`. */
  holds(t: Tensor): boolean {
    return this.tensor === t;
  }

  /** Drops the reference so the memory can be collected. */
  release(): void {
    this.tensor = null;
  }
}

/**
 * A node of the backward graph (PyTorch's `grad_fn`). `next[i]` receives the gradient for the
 * op's i-th input (null where that input needs none).
 */
export abstract class Node {
  /** PyTorch-style name, e.g. `MulBackward0`. */
  abstract readonly name: string;
  /**
   * Creation order: every edge goes from a newer node to an older one, so visiting nodes by
   * decreasing sequence is a reverse topological order.
   */
  readonly sequence: number = sequence++;
  /** The nodes receiving each input's gradient. */
  next: (Node | null)[] = [];
  /** Hooks on the gradient of this node's output tensor (registered on non-leaf tensors). */
  readonly preHooks: GradHook[] = [];
  /** The output tensor, when it asked to retain its gradient. */
  retainGradOf: Tensor | null = null;
  /** Where the forward op was called, recorded while anomaly detection is on. */
  forwardTrace: string | null = null;

  /** Gradients for each input, given the gradient of the output. */
  abstract apply(grad: Tensor): (Tensor | null)[];

  /** Frees saved tensors after a backward pass without `retainGraph`. */
  release(): void {}

  /** Tensors this node saved (for graph pictures); empty once released. */
  savedTensors(): readonly Tensor[] {
    return [];
  }

  /** The node's name in angle brackets, as PyTorch prints a `grad_fn` (`<MulBackward0>`). */
  toString(): string {
    return `<${this.name}>`;
  }
}

/** The node at the end of a leaf: adds incoming gradients into the leaf's `.grad`. */
export class AccumulateGrad extends Node {
  /** The leaf whose `.grad` receives the gradients. */
  declare readonly variable: Tensor;
  readonly name = 'AccumulateGrad';
  // Created lazily (possibly after the ops that use its leaf) and with no outgoing edges, so
  // it sorts after every op node.
  override readonly sequence = -1;
  constructor(
    /** The leaf whose `.grad` receives the gradients. */
    variable: Tensor,
  ) {
    super();
    this.variable = variable;
  }

  apply(): (Tensor | null)[] {
    return [];
  }
}
