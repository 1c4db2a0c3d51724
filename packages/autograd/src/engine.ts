/**
 * The backward engine: collects the graph behind the roots, then visits each node once, newest
 * first (every edge points from a newer node to an older one, so this is a reverse
 * topological order), handing each node the sum of the gradients flowing into it.
 */
import type { NDArray } from '@gd/tensor';
import {
  formatShape,
  onesLike,
  recycleStorage,
  zeros as zerosArray,
  shapesEqual,
} from '@gd/tensor';
import { isAnomalyEnabled } from './anomaly.js';
import { enableGrad, noGrad } from './grad-mode.js';
import type { Node } from './node.js';
import { AccumulateGrad } from './node.js';
import { OpNode } from './function.js';
import { Tensor, gradEdge } from './tensor.js';
import { sumTo } from './ops/shape-ops.js';

/** Options of `backward()` and `grad()`. */
export interface BackwardOptions {
  /** Keep saved tensors so the graph can be walked again (default: `createGraph`). */
  retainGraph?: boolean;
  /** Record the backward computation itself, for higher-order gradients. */
  createGraph?: boolean;
}

function rootGradients(
  roots: readonly Tensor[],
  grads: readonly (Tensor | null | undefined)[],
): Tensor[] {
  return roots.map((root, i) => {
    if (!root.requiresGrad) {
      throw new Error(`element ${i} of tensors does not require grad and does not have a grad_fn`);
    }
    const g = grads[i];
    if (g === null || g === undefined) {
      if (root.numel() !== 1)
        throw new Error('grad can be implicitly created only for scalar outputs');
      return Tensor.fromArray(onesLike(root.value));
    }
    if (!shapesEqual(g.shape, root.shape)) {
      throw new Error(
        `Mismatch in shape: grad_output[${i}] has a shape of ${formatShape(g.shape)} and output[${i}] has a shape of ${formatShape(root.shape)}.`,
      );
    }
    return g;
  });
}

/**
 * In anomaly mode (on now, or when the node's forward ran), throws PyTorch's error for a NaN in
 * the gradient `g` the node returned for its input `index`. PyTorch's anomaly mode checks for
 * NaN only: an infinite gradient (sqrt at 0) is legitimate.
 */
function checkAnomaly(node: Node, g: Tensor, index: number): void {
  if (!(node.forwardTrace !== null || isAnomalyEnabled())) return;
  if (g.value.isnan().any().item() === 0) return;
  const trace = node.forwardTrace
    ? `\nTraceback of forward call that caused the error:\n${node.forwardTrace}`
    : '';
  throw new Error(`Function '${node.name}' returned nan values in its ${index}th output.${trace}`);
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
  const order = [...nodes].sort((a, b) => b.sequence - a.sequence);
  // leads: the node's gradient matters (captured here or further down); runs: the node must
  // be applied because one of its inputs leads to a capture. A node that is only captured is
  // not applied (nor freed), as in PyTorch. Oldest first, so `next` is known before its users.
  const leads = new Set<Node>();
  const runs = new Set<Node>();
  if (capture) {
    for (let k = order.length - 1; k >= 0; k--) {
      const node = order[k]!;
      const feeds = node.next.some((n) => n !== null && leads.has(n));
      if (feeds) runs.add(node);
      if (feeds || captureAt.has(node)) leads.add(node);
    }
  }

  const buffers = new Map<Node, Tensor>();
  // Buffers the engine allocated itself (sums, region gradients) and nobody else holds: when
  // nothing records the backward pass, later gradients are added into them in place. A
  // buffer leaves the set when its node takes it (backward may pass it on as it is).
  const fresh = new Set<Tensor>();
  const inPlace = !createGraph;
  // `exclusive`: g is a new tensor nobody else holds (see exclusiveGrads), so it may become a
  // buffer the engine owns.
  const add = (node: Node, g: Tensor, exclusive = false): void => {
    const prev = buffers.get(node);
    if (!prev) {
      buffers.set(node, g);
      if (exclusive) fresh.add(g);
    } else if (inPlace && fresh.has(prev) && prev.dtype === g.dtype) {
      prev.value.add_(g.value);
      if (exclusive) recycleStorage(g.value.storage); // added in and held by nobody
    } else {
      const sum = prev.add(g);
      buffers.set(node, sum);
      if (inPlace) fresh.add(sum);
    }
  };
  // A region view's gradient (narrow, select, slice), added into its input's buffer in place.
  const addRegion = (node: OpNode<unknown>, region: (base: NDArray) => NDArray, g: Tensor) => {
    const next = node.next[0]!;
    let buf = buffers.get(next);
    if (!buf || !fresh.has(buf)) {
      // a copy of a gradient the engine does not own (one pass), or zeros
      const own = buf ? buf.value.clone() : zerosArray(node.shapes[0]!, { dtype: node.dtypes[0]! });
      buf = Tensor.fromArray(own);
      buffers.set(next, buf);
      fresh.add(buf);
    }
    region(buf.value).add_(g.value);
  };
  const results: (Tensor | null)[] = capture ? capture.map(() => null) : [];
  const run = createGraph ? enableGrad : noGrad;
  // With createGraph, `.grad` keeps the differentiable gradient itself; like PyTorch's
  // AccumulateGrad, the first one is copied, so that no two `.grad` (nor a `.grad` and the
  // caller's gradient) share storage. (Without createGraph, accumulateGrad copies it.)
  const owned = (t: Tensor, g: Tensor): Tensor =>
    createGraph && t.borrowGrad() === null ? g.clone() : g;

  run(() => {
    roots.forEach((root, i) => add(gradEdge(root), rootGrads[i]!));
    for (const node of order) {
      let g = buffers.get(node);
      if (!g) continue;
      buffers.delete(node);
      const engineOwned = fresh.delete(g);
      if (capture && !leads.has(node)) continue;
      // The tensor's hooks run first (a leaf's live on the leaf), then retainGrad and capture
      // see the hooked gradient, as in PyTorch >= 2.0.
      const unhooked = g;
      if (node instanceof AccumulateGrad) g = node.variable.runHooks(g);
      else for (const hook of node.preHooks) g = hook(g) ?? g;
      if (node.retainGradOf && !capture)
        node.retainGradOf.accumulateGrad(owned(node.retainGradOf, g), createGraph);
      for (const i of captureAt.get(node) ?? []) results[i] = results[i] ? results[i]!.add(g) : g;
      if (capture && !runs.has(node)) continue;
      if (node instanceof AccumulateGrad) {
        // A gradient only the engine holds becomes `.grad` itself (PyTorch steals a gradient
        // whose reference count is 1), unless a hook has seen it or a retainGrad took it.
        const steal = engineOwned && g === unhooked && !node.retainGradOf;
        if (!capture) node.variable.accumulateGrad(owned(node.variable, g), createGraph, steal);
        continue;
      }
      const region = inPlace && node instanceof OpNode ? node.regionOfInput() : null;
      if (region && node instanceof OpNode && node.next[0] && g.dtype === node.dtypes[0]) {
        checkAnomaly(node, g, 0);
        addRegion(node, region, g);
        if (!retainGraph) node.release();
        if (engineOwned && g === unhooked && consumedOnly(node, captureAt)) {
          recycleStorage(g.value.storage);
        }
        continue;
      }
      const grads = node.apply(g);
      // The node's own gradient is still the engine's alone unless a hook or capture saw it.
      const gOwned = engineOwned && g === unhooked && consumedOnly(node, captureAt);
      const exclusive = inPlace && node instanceof OpNode ? exclusiveGrads(grads, g, gOwned) : null;
      grads.forEach((gi, i) => {
        const next = node.next[i];
        if (!gi || !next) return;
        checkAnomaly(node, gi, i);
        if (!(node instanceof OpNode)) return add(next, gi);
        const conformed = conform(node, i, gi);
        // A conversion or a sum made here is new as well.
        const made = conformed.value.storage !== gi.value.storage;
        add(next, conformed, (exclusive?.[i] ?? false) || made);
      });
      if (!retainGraph) node.release();
      // The gradient this node consumed is dead unless it was passed on (add hands g on as it
      // is, a transpose a view of it): its memory goes back for the next allocation.
      if (inPlace && gOwned && node instanceof OpNode && !sharesStorage(grads, g)) {
        recycleStorage(g.value.storage);
      }
    }
  });
  return results;
}

/**
 * Whether a node's incoming gradient has been seen by nothing but the node: no hook, no
 * `retainGrad`, no capture by `grad()` (any of which may keep it).
 */
function consumedOnly(node: Node, captureAt: ReadonlyMap<Node, number[]>): boolean {
  return node.preHooks.length === 0 && !node.retainGradOf && !captureAt.has(node);
}

function sharesStorage(grads: readonly (Tensor | null)[], g: Tensor): boolean {
  return grads.some((gi) => gi !== null && gi.value.storage === g.value.storage);
}

/**
 * Which gradients a built-in op's backward returned are tensors nobody else holds: new
 * storage, or views of the incoming gradient when the engine itself owned that one (`gOwned`:
 * a transpose's backward hands back `g.t()`), and in either case not sharing storage with
 * another returned gradient (add hands g to both inputs). Built-in formulas compute everything
 * else anew; a custom Function's backward may return anything, so the engine asks this only
 * of OpNodes. Only tensors covering their whole storage once qualify (never an expanded view,
 * which must not be added into in place).
 */
function exclusiveGrads(grads: readonly (Tensor | null)[], g: Tensor, gOwned: boolean): boolean[] {
  return grads.map((gi, i) => {
    if (!gi || gi.requiresGrad || !coversStorage(gi.value)) return false;
    const storage = gi.value.storage;
    if (storage === g.value.storage && !gOwned) return false;
    return grads.every((gj, j) => j === i || !gj || gj.value.storage !== storage);
  });
}

// Whether x's elements are its storage's, each exactly once (contiguous up to a permutation
// of its dims: a transposed gradient qualifies, an expanded or sliced one does not).
function coversStorage(x: NDArray): boolean {
  const n = x.numel();
  if (x.offset !== 0 || x.storage.raw.length !== n) return false;
  if (x.isContiguous()) return true; // the common case, without building the sorted dims
  const dims = x.shape
    .map((size, i) => [x.strides[i]!, size] as const)
    .filter(([, size]) => size !== 1)
    .sort((a, b) => a[0] - b[0]);
  let expect = 1;
  for (const [stride, size] of dims) {
    if (stride !== expect) return false;
    expect *= size;
  }
  return true;
}

// Checks a node's gradient against its input's shape and converts it to the input's dtype.
function conform(node: OpNode<unknown>, i: number, g: Tensor): Tensor {
  const shape = node.shapes[i]!;
  if (!shapesEqual(g.shape, shape)) {
    // A gradient that broadcasts from the input's shape is summed back (PyTorch does the same).
    if (expandableTo(shape, g.shape)) return conform(node, i, sumTo(g, shape));
    throw new Error(
      `Function ${node.name} returned an invalid gradient at index ${i} - got ${formatShape(g.shape)} but expected shape compatible with ${formatShape(shape)}`,
    );
  }
  const dtype = node.dtypes[i]!;
  return g.dtype === dtype ? g : g.to(dtype);
}

function expandableTo(shape: readonly number[], target: readonly number[]): boolean {
  if (shape.length > target.length) return false;
  const lead = target.length - shape.length;
  return shape.every((d, k) => d === target[lead + k] || d === 1);
}
