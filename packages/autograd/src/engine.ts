/**
 * The backward engine: collects the graph behind the roots, then visits each node once, newest
 * first (every edge points from a newer node to an older one, so this is a reverse
 * topological order), handing each node the sum of the gradients flowing into it.
 */
import { onesLike } from '@gd/tensor';
import { isAnomalyEnabled } from './anomaly.js';
import { enableGrad, noGrad } from './grad-mode.js';
import { AccumulateGrad, Node } from './node.js';
import { OpNode } from './function.js';
import { Tensor, gradEdge } from './tensor.js';

/** Options of `backward()` and `grad()`. */
export interface BackwardOptions {
  /** Keep saved tensors so the graph can be walked again (default: `createGraph`). */
  retainGraph?: boolean;
  /** Record the backward computation itself, for higher-order gradients. */
  createGraph?: boolean;
}

function rootGradients(roots: readonly Tensor[], grads: readonly (Tensor | null | undefined)[]): Tensor[] {
  return roots.map((root, i) => {
    if (!root.requiresGrad) {
      throw new Error(`element ${i} of tensors does not require grad and does not have a grad_fn`);
    }
    const g = grads[i];
    if (g === null || g === undefined) {
      if (root.numel() !== 1) throw new Error('grad can be implicitly created only for scalar outputs');
      return Tensor.fromArray(onesLike(root.value));
    }
    if (g.shape.length !== root.shape.length || g.shape.some((d, k) => d !== root.shape[k])) {
      throw new Error(
        `Mismatch in shape: grad_output[${i}] has a shape of [${g.shape.join(', ')}] and output[${i}] has a shape of [${root.shape.join(', ')}].`,
      );
    }
    return g;
  });
}

function hasNonFinite(t: Tensor): boolean {
  return t.value.isfinite().all().item() === 0;
}

function anomalyError(node: Node, index: number): Error {
  const trace = node.forwardTrace ? `\nTraceback of forward call that caused the error:\n${node.forwardTrace}` : '';
  return new Error(`Function '${node.name}' returned nan or inf values in its ${index}th output.${trace}`);
}

/**
 * Runs backward from `roots`. Without `capture`, gradients accumulate into the leaves' `.grad`;
 * with it (for `grad()`), the gradients of the captured tensors are returned instead and no
 * `.grad` is touched.
 */
export function runBackward(
  roots: readonly Tensor[],
  gradOutputs: readonly (Tensor | null | undefined)[],
  options: BackwardOptions,
  capture?: readonly Tensor[],
): (Tensor | null)[] {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const rootGrads = rootGradients(roots, gradOutputs);

  // Collect the reachable graph.
  const nodes = new Set<Node>();
  const stack = roots.map(gradEdge);
  while (stack.length) {
    const node = stack.pop()!;
    if (nodes.has(node)) continue;
    nodes.add(node);
    for (const next of node.next) if (next && !nodes.has(next)) stack.push(next);
  }

  // For grad(): which node's incoming gradient answers which input, and which nodes lead there.
  const captureAt = new Map<Node, number[]>();
  capture?.forEach((t, i) => {
    const node = gradEdge(t);
    captureAt.set(node, [...(captureAt.get(node) ?? []), i]);
  });
  const needed = new Map<Node, boolean>();
  const leadsToCapture = (node: Node): boolean => {
    const known = needed.get(node);
    if (known !== undefined) return known;
    needed.set(node, false); // no cycles, but guard anyway
    const result = captureAt.has(node) || node.next.some((n) => n !== null && leadsToCapture(n));
    needed.set(node, result);
    return result;
  };

  const buffers = new Map<Node, Tensor>();
  const add = (node: Node, g: Tensor): void => {
    const prev = buffers.get(node);
    buffers.set(node, prev ? prev.add(g) : g);
  };
  const results: (Tensor | null)[] = capture ? capture.map(() => null) : [];
  const run = createGraph ? enableGrad : noGrad;

  run(() => {
    roots.forEach((root, i) => add(gradEdge(root), rootGrads[i]!));
    const order = [...nodes].sort((a, b) => b.sequence - a.sequence);
    for (const node of order) {
      let g = buffers.get(node);
      if (!g) continue;
      buffers.delete(node);
      if (capture && !leadsToCapture(node)) continue;
      for (const hook of node.preHooks) g = hook(g) ?? g;
      if (node.retainGradOf && !capture) node.retainGradOf.accumulateGrad(g, createGraph);
      for (const i of captureAt.get(node) ?? []) results[i] = results[i] ? results[i]!.add(g) : g;
      if (node instanceof AccumulateGrad) {
        if (!capture) node.variable.accumulateGrad(node.variable.runHooks(g), createGraph);
        continue;
      }
      const grads = node.apply(g);
      grads.forEach((gi, i) => {
        const next = node.next[i];
        if (!gi || !next) return;
        if ((node.forwardTrace !== null || isAnomalyEnabled()) && hasNonFinite(gi)) throw anomalyError(node, i);
        add(next, node instanceof OpNode ? conform(node, i, gi) : gi);
      });
      if (!retainGraph) node.release();
    }
  });
  return results;
}

// Checks a node's gradient against its input's shape and converts it to the input's dtype.
function conform(node: OpNode<unknown>, i: number, g: Tensor): Tensor {
  const shape = node.shapes[i]!;
  if (g.shape.length !== shape.length || g.shape.some((d, k) => d !== shape[k])) {
    throw new Error(
      `Function ${node.name} returned an invalid gradient at index ${i} - got [${g.shape.join(', ')}] but expected shape compatible with [${shape.join(', ')}]`,
    );
  }
  const dtype = node.dtypes[i]!;
  return g.dtype === dtype ? g : g.to(dtype);
}
