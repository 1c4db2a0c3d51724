/**
 * THE table: each gd op name (the `op` of a recorded `OpNode`) to the ONNX nodes that compute
 * it. Patterns that span several recorded ops are matched by the row of the op that ends them:
 * `add(matmul(x, t(W)), b)` -> Gemm in `add`, `reshape(matmul(reshape(W), unfold(x)))` -> Conv in
 * `reshape` (and its bias add in `add`), `cat(x, zeros)` -> Pad in `cat`.
 */
import type {
  AvgPool2dOptions,
  DType,
  FoldOptions,
  NDArray,
  Pair,
  Pool2dOptions,
  UniqueOptions,
} from '@gd/tensor';
import type { OpNode } from '@gd/autograd';
import type { AdaptiveSize } from '@gd/nn';
import type { AttrValue } from './graph.js';
import { attr, onnxDataType } from './graph.js';
import type { BatchDim, Emitted, NodeContext, OpEmitter, Value } from './emit.js';
import { atAxis } from './emit.js';
import type {
  AdaptiveAvgPoolAttrs,
  BatchNormAttrs,
  ConvTransposeAttrs,
  LayerNormAttrs,
} from './trace.js';
import { REGISTRY_ROWS } from './registry-rows.js';
import { padPacked, recurrent } from './recurrent.js';

type Dims = readonly number[] | null;

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
/** Larger than any dim: a Slice end meaning "to the end". */
const TO_END = Number.MAX_SAFE_INTEGER;

const norm = (d: number, rank: number): number => (d < 0 ? d + rank : d);
const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
const pairOf = (p: Pair): [number, number] => (typeof p === 'number' ? [p, p] : [p[0], p[1]]);
const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** The input's value, unchanged (ops that only alias or copy). */
function pass(c: NodeContext, i = 0): Emitted {
  const v = c.value(i);
  return { name: v.name, batch: v.batch };
}

function unary(
  opType: string,
  attributes?: (c: NodeContext) => Readonly<Record<string, AttrValue>>,
): OpEmitter {
  return (c) => {
    const v = c.value(0);
    return {
      name: c.emit(opType, [c.cast(v, c.outDtype)], attributes?.(c)),
      batch: v.batch,
    };
  };
}

function binary(opType: string): OpEmitter {
  return (c) => {
    const a = c.value(0);
    const b = c.value(1);
    return {
      name: c.emit(opType, [c.cast(a, c.outDtype), c.cast(b, c.outDtype)]),
      batch: c.broadcastBatch([a, b]),
    };
  };
}

/** `b * alpha` as an ONNX name (folded into a constant b). */
function scaled(c: NodeContext, b: Value, alpha: number): string {
  if (alpha === 1) return c.cast(b, c.outDtype);
  if (b.constant)
    return c.graph.constant(c.outDtype, b.shape, b.constant.to(c.outDtype).mul(alpha).data);
  return c.emit('Mul', [c.cast(b, c.outDtype), c.scalar(alpha, c.outDtype)]);
}

function addSub(opType: 'Add' | 'Sub'): OpEmitter {
  return (c) => {
    const { alpha } = c.attrs<{ alpha: number }>();
    const a = c.value(0);
    const b = c.value(1);
    return {
      name: c.emit(opType, [c.cast(a, c.outDtype), scaled(c, b, alpha)]),
      batch: c.broadcastBatch([a, b]),
    };
  };
}

// ---- reshaping ------------------------------------------------------------------------------

/**
 * Reshape to `out` without baking the traced batch size. The batch factor keeps its place in
 * the flattened order (the elements after it are `inner` times the dims after its axis), so the
 * output dim holding it is the one whose span covers that place; that dim is written 0 (copy the
 * input's dim) when it is the same dim unchanged, else -1, and every other dim is its traced size.
 */
function reshapeTo(c: NodeContext, v: Value, out: readonly number[]): Emitted {
  if (sameShape(v.shape, out)) return { name: v.name, batch: v.batch };
  const shape = [...out];
  let batch: BatchDim | null = null;
  const b = v.batch;
  if (b !== null && out.length > 0) {
    const size = v.shape[b.axis]!;
    const after = b.inner * prod(v.shape.slice(b.axis + 1));
    const span = after * batchSizeOf(c);
    // The outermost dim j whose elements-after <= after and span fits in it.
    let j = -1;
    for (let k = 0; k < out.length && j < 0; k++) {
      const suffix = prod(out.slice(k + 1));
      if (suffix <= after && span <= suffix * out[k]! && after % suffix === 0) j = k;
    }
    if (j < 0)
      throw c.error(`cannot tell where the batch dim goes in a reshape to [${out.join(', ')}]`);
    const inner = after / prod(out.slice(j + 1));
    const unchanged =
      j === b.axis && out[j] === size && prod(out.slice(0, j)) === prod(v.shape.slice(0, j));
    shape[j] = unchanged ? 0 : -1;
    batch = { axis: j, inner };
  }
  return { name: c.emit('Reshape', [v.name, c.int64s(shape)]), batch };
}

/** The batch size of the traced example (the size of the graph inputs' dim 0). */
function batchSizeOf(c: NodeContext): number {
  return c.exporter.trace.inputs[0]?.shape[0] ?? 1;
}

function flatten(c: NodeContext): Emitted {
  const v = c.value(0);
  const r = v.shape.length;
  if (r === 0) return reshapeTo(c, v, c.outShape);
  const { startDim, endDim } = c.attrs<{ startDim: number; endDim: number }>();
  const s = norm(startDim, r);
  const e = norm(endDim, r);
  if (s >= e) return { name: v.name, batch: v.batch };
  if (s === 1 && e === r - 1 && (v.batch === null || v.batch.axis === 0)) {
    return { name: c.emit('Flatten', [v.name], { axis: attr.int(1) }), batch: v.batch };
  }
  return reshapeTo(c, v, c.outShape);
}

function squeeze(c: NodeContext): Emitted {
  const v = c.value(0);
  const r = v.shape.length;
  const { dims } = c.attrs<{ dims: Dims }>();
  const wanted = dims === null ? v.shape.map((_, i) => i) : dims.map((d) => norm(d, r));
  const axes = [...new Set(wanted)].filter((d) => v.shape[d] === 1).sort((x, y) => x - y);
  if (axes.length === 0) return { name: v.name, batch: v.batch };
  const a = v.batch?.axis ?? null;
  const axis = a === null || axes.includes(a) ? null : a - axes.filter((d) => d < a).length;
  return { name: c.emit('Squeeze', [v.name, c.int64s(axes)]), batch: atAxis(v.batch, axis) };
}

function unsqueeze(c: NodeContext): Emitted {
  const v = c.value(0);
  const d = norm(c.attrs<{ dim: number }>().dim, v.shape.length + 1);
  const a = v.batch?.axis ?? null;
  return {
    name: c.emit('Unsqueeze', [v.name, c.int64s([d])]),
    batch: atAxis(v.batch, a === null ? null : a >= d ? a + 1 : a),
  };
}

function transposeBy(c: NodeContext, v: Value, perm: readonly number[]): Emitted {
  if (perm.every((p, i) => p === i)) return { name: v.name, batch: v.batch };
  return {
    name: c.emit('Transpose', [v.name], { perm: attr.ints(perm) }),
    batch: atAxis(v.batch, v.batch === null ? null : perm.indexOf(v.batch.axis)),
  };
}

function sliceAlong(
  c: NodeContext,
  v: Value,
  dim: number,
  start: number,
  end: number,
  step = 1,
): Emitted {
  const size = v.shape[dim]!;
  const whole = start === 0 && step === 1 && end >= size;
  if (whole && v.batch?.axis === dim) return { name: v.name, batch: v.batch };
  const inputs = [v.name, c.int64s([start]), c.int64s([end >= size ? TO_END : end])];
  inputs.push(c.int64s([dim]));
  if (step !== 1) inputs.push(c.int64s([step]));
  return {
    name: c.emit('Slice', inputs),
    batch: v.batch?.axis === dim ? null : v.batch,
  };
}

// ---- reductions -----------------------------------------------------------------------------

/** A Reduce* node, with axes as an input (ReduceSum from opset 13, all from 18) or attribute. */
function reduceNode(
  c: NodeContext,
  opType: string,
  x: string,
  axes: readonly number[] | null,
  keepdims: boolean,
): string {
  const attributes: Record<string, AttrValue> = { keepdims: attr.int(keepdims ? 1 : 0) };
  if (axes === null) return c.emit(opType, [x], attributes);
  if (opType === 'ReduceSum' || c.opset >= 18)
    return c.emit(opType, [x, c.int64s(axes)], attributes);
  return c.emit(opType, [x], { ...attributes, axes: attr.ints(axes) });
}

/** Normalised reduced axes (null: every axis). */
function axesOf(dims: Dims, rank: number): number[] | null {
  if (dims === null || dims.length === 0) return null;
  return [...new Set(dims.map((d) => norm(d, rank)))].sort((a, b) => a - b);
}

function reducedBatch(v: Value, axes: readonly number[] | null, keepdim: boolean) {
  const a = v.batch?.axis ?? null;
  if (a === null || axes === null || axes.includes(a)) return null;
  return atAxis(v.batch, keepdim ? a : a - axes.filter((d) => d < a).length);
}

function reduction(opType: string): OpEmitter {
  return (c) => {
    const v = c.value(0);
    const { dims, keepdim } = c.attrs<{ dims: Dims; keepdim: boolean }>();
    const axes = axesOf(dims, v.shape.length);
    return {
      name: reduceNode(c, opType, c.cast(v, c.outDtype), axes, keepdim),
      batch: reducedBatch(v, axes, keepdim),
    };
  };
}

/** var and std: mean of squared deviations, divided by (n - correction). */
function variance(root: boolean): OpEmitter {
  return (c) => {
    const v = c.value(0);
    const { dims, correction, keepdim } = c.attrs<{
      dims: Dims;
      correction: number;
      keepdim: boolean;
    }>();
    const axes = axesOf(dims, v.shape.length);
    const all = axes ?? v.shape.map((_, i) => i);
    const n = all.reduce((k, d) => k * v.shape[d]!, 1);
    const t = c.outDtype;
    const mean = reduceNode(c, 'ReduceMean', v.name, all, true);
    const dev = c.emit('Sub', [v.name, mean]);
    const sum = reduceNode(c, 'ReduceSum', c.emit('Mul', [dev, dev]), all, keepdim);
    let out = c.emit('Div', [sum, c.scalar(Math.max(n - correction, 0), t)]);
    if (root) out = c.emit('Sqrt', [out]);
    return { name: out, batch: reducedBatch(v, axes, keepdim) };
  };
}

// ---- patterns -------------------------------------------------------------------------------

function isOp(node: OpNode<unknown> | null, op: string): node is OpNode<unknown> {
  return node !== null && node.op === op;
}

/**
 * Linear: `add(matmul(x, t(W)), b)` with x 2-d and W, b parameters (or constants) -> Gemm.
 * Returns null when the add is something else.
 */
function linearPattern(c: NodeContext): Emitted | null {
  const mm = c.producer(0);
  if (!isOp(mm, 'matmul') || c.attrs<{ alpha: number }>().alpha !== 1) return null;
  const m = c.at(mm, c.shape(0));
  const tr = m.producer(1);
  if (!isOp(tr, 'transpose') || m.shape(0).length !== 2 || m.shape(1).length !== 2) return null;
  const t = m.at(tr, m.shape(1));
  const n = m.shape(1)[1]!;
  if (t.shape(0).length !== 2 || !t.isFixed(0)) return null;
  if (!c.isFixed(1) || c.shape(1).length !== 1 || c.shape(1)[0] !== n) return null;
  const x = m.value(0);
  const t2 = c.outDtype;
  const name = c.emit('Gemm', [m.cast(x, t2), t.nameAs(0, t2), c.nameAs(1, t2)], {
    transB: attr.int(1),
  });
  return { name, batch: x.batch };
}

/** The recorded pieces of gd's conv2d: reshape(matmul(reshape(W, [o, k]), unfold(x))). */
interface ConvPattern {
  /** The unfold op (its input is the image). */
  readonly unfold: NodeContext;
  /** The weight: the 4-d tensor reshaped, or a constant [o, k] matrix. */
  readonly weight: { readonly reshape: NodeContext } | { readonly matrix: NodeContext };
  readonly groups: number;
  readonly outChannels: number;
}

function convPattern(c: NodeContext): ConvPattern | null {
  if (c.op !== 'reshape' || c.outShape.length !== 4) return null;
  const p = c.producer(0);
  if (!p) return null;
  const pc = c.at(p, c.shape(0));
  let parts: NodeContext[];
  if (p.op === 'matmul') parts = [pc];
  else if (p.op === 'cat' && norm(pc.attrs<{ dim: number }>().dim, 3) === 1 && pc.arity > 1) {
    parts = [];
    for (let i = 0; i < pc.arity; i++) {
      const q = pc.producer(i);
      if (!isOp(q, 'matmul')) return null;
      parts.push(pc.at(q, pc.shape(i)));
    }
  } else return null;
  const groups = parts.length;
  let unfoldNode: OpNode<unknown> | null = null;
  let weightNode: OpNode<unknown> | null = null;
  let weightOwner: NodeContext | null = null;
  let weightIndex = 0;
  for (const [g, m] of parts.entries()) {
    // Weight side: reshape(W) (sliced per group with narrow) or a constant matrix.
    let wc = m;
    let wi = 0;
    if (groups > 1) {
      const nw = m.producer(0);
      if (!isOp(nw, 'narrow')) return null;
      const a = m.at(nw).attrs<{ dim: number; start: number; length: number }>();
      if (a.dim !== 0 || a.start !== g * a.length) return null;
      wc = m.at(nw, m.shape(0));
      wi = 0;
    }
    const w = wc.producer(wi);
    if (w && w.op !== 'reshape') return null;
    if (g === 0) {
      weightNode = w;
      weightOwner = wc;
      weightIndex = wi;
    } else if (w !== weightNode) return null;
    // Image side: unfold(x) (sliced per group with narrow).
    let u = m.producer(1);
    if (groups > 1) {
      if (!isOp(u, 'narrow')) return null;
      const a = m.at(u).attrs<{ dim: number; start: number; length: number }>();
      if (a.dim !== 1 || a.start !== g * a.length) return null;
      u = m.at(u).producer(0);
    }
    if (!isOp(u, 'unfold')) return null;
    if (g === 0) unfoldNode = u;
    else if (u !== unfoldNode) return null;
  }
  if (!unfoldNode || !weightOwner) return null;
  const unfold = c.at(unfoldNode);
  if (unfold.shape(0).length !== 4) return null;
  let weight: ConvPattern['weight'];
  if (weightNode) {
    const r = weightOwner.at(weightNode, weightOwner.shape(weightIndex));
    if (r.shape(0).length !== 4) return null;
    weight = { reshape: r };
  } else {
    if (!weightOwner.isFixed(weightIndex) || weightOwner.shape(weightIndex).length !== 2)
      return null;
    weight = { matrix: weightOwner };
  }
  return { unfold, weight, groups, outChannels: c.outShape[1]! };
}

function emitConv(c: NodeContext, p: ConvPattern, bias: string | null): Emitted {
  const u = p.unfold;
  const x = u.value(0);
  const { kernelSize, options } = u.attrs<{ kernelSize: Pair; options: FoldOptions }>();
  const [kh, kw] = pairOf(kernelSize);
  const [sh, sw] = pairOf(options.stride ?? 1);
  const [ph, pw] = pairOf(options.padding ?? 0);
  const [dh, dw] = pairOf(options.dilation ?? 1);
  const cg = x.shape[1]! / p.groups;
  const t = c.outDtype;
  let w: string;
  if ('reshape' in p.weight) {
    w = p.weight.reshape.nameAs(0, t);
  } else {
    const m = p.weight.matrix;
    const leaf = m.leaf(0)!;
    w = c.graph.constant(t, [p.outChannels, cg, kh, kw], leaf.value.to(t).contiguous().data);
  }
  const inputs = [u.cast(x, t), w];
  if (bias !== null) inputs.push(bias);
  const name = c.emit('Conv', inputs, {
    kernel_shape: attr.ints([kh, kw]),
    strides: attr.ints([sh, sw]),
    pads: attr.ints([ph, pw, ph, pw]),
    dilations: attr.ints([dh, dw]),
    group: attr.int(p.groups),
  });
  return { name, batch: x.batch };
}

/** conv2d recorded as one op (`convolution`: x, weight, [bias]) -> Conv. */
function convolution(c: NodeContext): Emitted {
  const x = c.value(0);
  const { options, hasBias } = c.attrs<{
    options: { stride?: Pair; padding: Pair; dilation?: Pair; groups?: number };
    hasBias: boolean;
  }>();
  const [kh, kw] = c.shape(1).slice(2) as [number, number];
  const [sh, sw] = pairOf(options.stride ?? 1);
  const [ph, pw] = pairOf(options.padding);
  const [dh, dw] = pairOf(options.dilation ?? 1);
  const t = c.outDtype;
  const inputs = [c.cast(x, t), c.nameAs(1, t)];
  if (hasBias) inputs.push(c.nameAs(2, t));
  const name = c.emit('Conv', inputs, {
    kernel_shape: attr.ints([kh, kw]),
    strides: attr.ints([sh, sw]),
    pads: attr.ints([ph, pw, ph, pw]),
    dilations: attr.ints([dh, dw]),
    group: attr.int(options.groups ?? 1),
  });
  return { name, batch: x.batch };
}

/** Conv + bias: `add(conv, reshape(b, [1, o, 1, 1]))` -> Conv with its bias input. */
function convBiasPattern(c: NodeContext): Emitted | null {
  const r = c.producer(0);
  if (!isOp(r, 'reshape') || c.attrs<{ alpha: number }>().alpha !== 1) return null;
  const p = convPattern(c.at(r, c.shape(0)));
  if (!p || !sameShape(c.shape(0), c.outShape)) return null;
  const o = p.outChannels;
  if (!sameShape(c.shape(1), [1, o, 1, 1])) return null;
  const rb = c.producer(1);
  let bias: string;
  if (isOp(rb, 'reshape')) {
    const b = c.at(rb, c.shape(1));
    if (!sameShape(b.shape(0), [o])) return null;
    bias = b.nameAs(0, c.outDtype);
  } else if (c.isFixed(1)) {
    bias = c.graph.constant(c.outDtype, [o], c.leaf(1)!.value.to(c.outDtype).contiguous().data);
  } else return null;
  return emitConv(c, p, bias);
}

// ---- pooling --------------------------------------------------------------------------------

/** Runs a 4-d-only node on a 3-d (unbatched) input by adding and removing a leading axis. */
function on4d(c: NodeContext, v: Value, make: (x: string) => string): Emitted {
  if (v.shape.length === 4) return { name: make(v.name), batch: v.batch };
  const x = c.emit('Unsqueeze', [v.name, c.int64s([0])]);
  return { name: c.emit('Squeeze', [make(x), c.int64s([0])]), batch: v.batch };
}

/** ConvTranspose2d (recorded as one op while tracing): ONNX's ConvTranspose, same weight layout. */
function convTranspose2d(c: NodeContext): Emitted {
  const v = c.value(0);
  const a = c.attrs<ConvTransposeAttrs>();
  const t = c.outDtype;
  const inputs = [c.nameAs(1, t)];
  if (a.hasBias) inputs.push(c.nameAs(2, t));
  const [ph, pw] = a.padding;
  return on4d(c, v, (x) =>
    c.emit('ConvTranspose', [c.cast({ ...v, name: x }, t), ...inputs], {
      kernel_shape: attr.ints([...a.kernelSize]),
      strides: attr.ints([...a.stride]),
      pads: attr.ints([ph, pw, ph, pw]),
      output_padding: attr.ints([...a.outputPadding]),
      dilations: attr.ints([...a.dilation]),
      group: attr.int(a.groups),
    }),
  );
}

function pool(opType: 'MaxPool' | 'AveragePool'): OpEmitter {
  return (c) => {
    const v = c.value(0);
    const { kernelSize, options } = c.attrs<{
      kernelSize: Pair;
      options: Pool2dOptions & AvgPool2dOptions;
    }>();
    const [kh, kw] = pairOf(kernelSize);
    const [sh, sw] = pairOf(options.stride ?? kernelSize);
    const [ph, pw] = pairOf(options.padding ?? 0);
    const attributes: Record<string, AttrValue> = {
      kernel_shape: attr.ints([kh, kw]),
      strides: attr.ints([sh, sw]),
      pads: attr.ints([ph, pw, ph, pw]),
      ceil_mode: attr.int(options.ceilMode ? 1 : 0),
    };
    if (opType === 'MaxPool') attributes.dilations = attr.ints(pairOf(options.dilation ?? 1));
    else attributes.count_include_pad = attr.int((options.countIncludePad ?? true) ? 1 : 0);
    return on4d(c, v, (x) => c.emit(opType, [x], attributes));
  };
}

/** Adaptive average pooling along one axis, as gd computes it: mean of each cell, joined. */
function adaptiveAxis(c: NodeContext, x: string, axis: number, inSize: number, outSize: number) {
  if (inSize === outSize) return x;
  const cells: string[] = [];
  for (let i = 0; i < outSize; i++) {
    const start = Math.floor((i * inSize) / outSize);
    const end = Math.ceil(((i + 1) * inSize) / outSize);
    const cell = c.emit('Slice', [x, c.int64s([start]), c.int64s([end]), c.int64s([axis])]);
    cells.push(reduceNode(c, 'ReduceMean', cell, [axis], true));
  }
  return cells.length === 1 ? cells[0]! : c.emit('Concat', cells, { axis: attr.int(axis) });
}

function adaptiveAvgPool(c: NodeContext): Emitted {
  const v = c.value(0);
  const { outputSize } = c.attrs<AdaptiveAvgPoolAttrs>();
  const [h, w] = v.shape.slice(-2) as [number, number];
  const size: AdaptiveSize = outputSize;
  const [oh, ow] = typeof size === 'number' ? [size, size] : [size[0] ?? h, size[1] ?? w];
  if (oh === 1 && ow === 1) return on4d(c, v, (x) => c.emit('GlobalAveragePool', [x]));
  if (oh > 0 && ow > 0 && h % oh === 0 && w % ow === 0) {
    const k = [h / oh, w / ow];
    return on4d(c, v, (x) =>
      c.emit('AveragePool', [x], { kernel_shape: attr.ints(k), strides: attr.ints(k) }),
    );
  }
  // Cells of unequal sizes: no ONNX pooling node computes them; slice and average each cell.
  const r = v.shape.length;
  const rows = adaptiveAxis(c, v.name, r - 2, h, oh);
  return { name: adaptiveAxis(c, rows, r - 1, w, ow), batch: v.batch };
}

// ---- normalisation --------------------------------------------------------------------------

function batchNorm(c: NodeContext): Emitted {
  const x = c.value(0);
  const a = c.attrs<BatchNormAttrs>();
  const t = c.outDtype;
  const channels = x.shape[1]!;
  let i = 3;
  const scale = a.hasWeight
    ? c.nameAs(i++, t)
    : c.graph.constant(t, [channels], new Array<number>(channels).fill(1));
  const bias = a.hasBias
    ? c.nameAs(i++, t)
    : c.graph.constant(t, [channels], new Array<number>(channels).fill(0));
  const name = c.emit('BatchNormalization', [x.name, scale, bias, c.nameAs(1, t), c.nameAs(2, t)], {
    epsilon: attr.float(a.eps),
  });
  return { name, batch: x.batch };
}

function layerNorm(c: NodeContext): Emitted {
  const x = c.value(0);
  const a = c.attrs<LayerNormAttrs>();
  const t = c.outDtype;
  const k = a.normalizedShape.length;
  const r = x.shape.length;
  const weight = a.hasWeight ? c.nameAs(1, t) : null;
  const bias = a.hasBias ? c.nameAs(a.hasWeight ? 2 : 1, t) : null;
  if (c.opset >= 17) {
    const scale =
      weight ??
      c.graph.constant(t, a.normalizedShape, new Array<number>(prod(a.normalizedShape)).fill(1));
    const inputs = [x.name, scale];
    if (bias !== null) inputs.push(bias);
    const name = c.emit('LayerNormalization', inputs, {
      axis: attr.int(r - k),
      epsilon: attr.float(a.eps),
    });
    return { name, batch: x.batch };
  }
  const axes = Array.from({ length: k }, (_, i) => r - k + i);
  const mean = reduceNode(c, 'ReduceMean', x.name, axes, true);
  const dev = c.emit('Sub', [x.name, mean]);
  const varc = reduceNode(c, 'ReduceMean', c.emit('Mul', [dev, dev]), axes, true);
  const std = c.emit('Sqrt', [c.emit('Add', [varc, c.scalar(a.eps, t)])]);
  let out = c.emit('Div', [dev, std]);
  if (weight !== null) out = c.emit('Mul', [out, weight]);
  if (bias !== null) out = c.emit('Add', [out, bias]);
  return { name: out, batch: x.batch };
}

// ---- activations ----------------------------------------------------------------------------

function gelu(c: NodeContext): Emitted {
  const v = c.value(0);
  const t = c.outDtype;
  const { approximate } = c.attrs<{ approximate: 'none' | 'tanh' }>();
  const x = c.cast(v, t);
  if (c.opset >= 20)
    return { name: c.emit('Gelu', [x], { approximate: attr.string(approximate) }), batch: v.batch };
  let inner: string;
  if (approximate === 'tanh') {
    const cube = c.emit('Mul', [c.emit('Mul', [x, x]), x]);
    const poly = c.emit('Add', [x, c.emit('Mul', [cube, c.scalar(0.044715, t)])]);
    inner = c.emit('Tanh', [c.emit('Mul', [poly, c.scalar(SQRT_2_OVER_PI, t)])]);
  } else {
    inner = c.emit('Erf', [c.emit('Mul', [x, c.scalar(Math.SQRT1_2, t)])]);
  }
  const half = c.emit('Mul', [x, c.scalar(0.5, t)]);
  const name = c.emit('Mul', [half, c.emit('Add', [inner, c.scalar(1, t)])]);
  return { name, batch: v.batch };
}

function composite(build: (c: NodeContext, x: string) => string): OpEmitter {
  return (c) => {
    const v = c.value(0);
    return { name: build(c, c.cast(v, c.outDtype)), batch: v.batch };
  };
}

// ---- recurrent cells -------------------------------------------------------------------------

/** The fused LSTM cell: Split into i f g o, their activations, c1 and h1, Concat [h1 | c1]. */
function fusedLstmCell(c: NodeContext): Emitted {
  const gates = c.value(0);
  const state = c.value(1);
  const t = c.outDtype;
  const h = gates.shape[1]! / 4;
  const x = c.cast(gates, t);
  const sizes = [h, h, h, h];
  const [pi, pf, pg, po] =
    c.opset >= 13
      ? c.emitMany('Split', [x, c.int64s(sizes)], { axis: attr.int(1) }, 4)
      : c.emitMany('Split', [x], { axis: attr.int(1), split: attr.ints(sizes) }, 4);
  const [i, f, g, o] = [
    c.emit('Sigmoid', [pi!]),
    c.emit('Sigmoid', [pf!]),
    c.emit('Tanh', [pg!]),
    c.emit('Sigmoid', [po!]),
  ];
  const c1 = c.emit('Add', [c.emit('Mul', [f, c.cast(state, t)]), c.emit('Mul', [i, g])]);
  const h1 = c.emit('Mul', [o, c.emit('Tanh', [c1])]);
  return {
    name: c.emit('Concat', [h1, c1], { axis: attr.int(1) }),
    batch: c.broadcastBatch([gates, state]),
  };
}

// ---- matrix products ------------------------------------------------------------------------

function matmulBatch(a: Value, b: Value, outRank: number): BatchDim | null {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (a.batch !== null && ra >= 2 && a.batch.axis < ra - 1)
    return atAxis(a.batch, a.batch.axis + (outRank - ra));
  if (b.batch !== null && rb >= 2) {
    if (b.batch.axis === rb - 1) return atAxis(b.batch, outRank - 1);
    if (b.batch.axis < rb - 2) return atAxis(b.batch, b.batch.axis + (outRank - rb));
  }
  return null;
}

function matmul(c: NodeContext): Emitted {
  const t = c.outDtype;
  // A Linear without bias: matmul(x, t(W)) with x 2-d -> Gemm.
  const tr = c.producer(1);
  if (isOp(tr, 'transpose') && c.shape(0).length === 2 && c.shape(1).length === 2) {
    const tc = c.at(tr, c.shape(1));
    if (tc.isFixed(0) && tc.shape(0).length === 2) {
      const x = c.value(0);
      const name = c.emit('Gemm', [c.cast(x, t), tc.nameAs(0, t)], { transB: attr.int(1) });
      return { name, batch: x.batch };
    }
  }
  const a = c.value(0);
  const b = c.value(1);
  return {
    name: c.emit('MatMul', [c.cast(a, t), c.cast(b, t)]),
    batch: matmulBatch(a, b, c.outShape.length),
  };
}

/**
 * addmm(input, mat1, mat2) -> Gemm with input as C (broadcast to the product, as Gemm's C is);
 * a Linear's `addmm(b, x, t(W))` with W fixed -> Gemm(x, W, b, transB=1), W stored as is.
 */
function addmm(c: NodeContext): Emitted {
  const t = c.outDtype;
  const { beta, alpha } = c.attrs<{ beta: number; alpha: number }>();
  const scales = {
    ...(alpha !== 1 ? { alpha: attr.float(alpha) } : {}),
    ...(beta !== 1 ? { beta: attr.float(beta) } : {}),
  };
  const x = c.value(1);
  const tr = c.producer(2);
  if (isOp(tr, 'transpose')) {
    const tc = c.at(tr, c.shape(2));
    if (tc.isFixed(0) && tc.shape(0).length === 2) {
      const inputs = [c.cast(x, t), tc.nameAs(0, t), c.nameAs(0, t)];
      return { name: c.emit('Gemm', inputs, { transB: attr.int(1), ...scales }), batch: x.batch };
    }
  }
  const m2 = c.value(2);
  const name = c.emit('Gemm', [c.cast(x, t), c.cast(m2, t), c.nameAs(0, t)], scales);
  return { name, batch: matmulBatch(x, m2, 2) };
}

// ---- joins and indexing ---------------------------------------------------------------------

function isZeroConstant(c: NodeContext, i: number): boolean {
  if (!c.isFixed(i)) return false;
  const t = c.leaf(i)!;
  if (c.exporter.trace.named.has(t)) return false;
  const data = t.value.contiguous().data;
  for (let k = 0; k < data.length; k++) if (data[k] !== 0) return false;
  return true;
}

function cat(c: NodeContext): Emitted {
  const rank = c.outShape.length;
  const dim = norm(c.attrs<{ dim: number }>().dim, rank);
  const items: number[] = [];
  for (let i = 0; i < c.arity; i++) {
    const s = c.shape(i);
    if (!(s.length === 1 && s[0] === 0 && rank !== 1)) items.push(i); // legacy empty inputs
  }
  // cat(x, zeros): zero padding along dim (the zeros' traced batch size is not baked in).
  const live = items.filter((i) => !isZeroConstant(c, i));
  if (live.length === 1 && items.length > 1) {
    const k = live[0]!;
    const x = c.value(k);
    if (x.batch?.axis !== dim) {
      let before = 0;
      let after = 0;
      for (const i of items) {
        if (i < k) before += c.shape(i)[dim]!;
        else if (i > k) after += c.shape(i)[dim]!;
      }
      const pads = new Array<number>(2 * rank).fill(0);
      pads[dim] = before;
      pads[rank + dim] = after;
      return {
        name: c.emit('Pad', [c.cast(x, c.outDtype), c.int64s(pads)]),
        batch: x.batch,
      };
    }
  }
  if (items.length === 1) {
    const v = c.value(items[0]!);
    return { name: c.cast(v, c.outDtype), batch: v.batch };
  }
  const values = items.map((i) => c.value(i));
  return {
    name: c.emit(
      'Concat',
      values.map((v) => c.cast(v, c.outDtype)),
      { axis: attr.int(dim) },
    ),
    batch: c.broadcastBatch(values),
  };
}

/** The embedding lookup's indices: the graph input they came from, or a constant. */
function embeddingIndices(c: NodeContext, indices: NDArray): Value {
  const inputs = c.exporter.trace.inputs;
  const k = inputs.findIndex((t) => t.value.storage === indices.storage);
  if (k < 0) {
    const data = indices.contiguous();
    return {
      name: c.graph.constant('int32', indices.shape, data.data),
      shape: indices.shape,
      dtype: 'int32',
      batch: null,
    };
  }
  const input = c.exporter.valueOfLeaf(inputs[k]!);
  const source = inputs[k]!.value;
  if (indices.offset === source.offset && sameShape(indices.shape, source.shape)) return input;
  if (
    indices.offset === source.offset &&
    indices.isContiguous() &&
    source.isContiguous() &&
    indices.numel() === source.numel()
  ) {
    const r = reshapeTo(c, input, indices.shape);
    return { ...r, shape: indices.shape, dtype: input.dtype };
  }
  throw c.error(
    'the embedding indices were computed from the model input by ops autograd does not record (integer tensors are not traced); index the embedding with the input itself',
  );
}

// ---- sorting, counting, comparing -----------------------------------------------------------

/** `t` (int64 indices from TopK or Unique) as gd's int32. */
function int32Of(c: NodeContext, t: string): string {
  return c.emit('Cast', [t], { to: attr.int(onnxDataType('int32')) });
}

/**
 * ONNX TopK along `dim` taking `k` (null: the whole dim, read from the input's shape when it
 * holds the batch): values and int32 indices. TopK puts the lower index first among equal
 * values, as gd's stable sort does, but onnxruntime places NaN inconsistently, where gd (as
 * PyTorch) takes NaN as the largest value. So floats are sorted in two stable passes: by value
 * with NaN read as 0, then by whether the value is NaN (NaN first when largest, else last).
 */
function topK(c: NodeContext, dim: number, k: number | null, largest: boolean): Emitted {
  const v = c.value(0);
  const r = v.shape.length;
  if (r === 0) {
    // A 0-d input: the value itself, at index 0.
    return { name: v.name, batch: null, more: [{ name: c.graph.scalar(0, 'int32'), batch: null }] };
  }
  const d = norm(dim, r);
  const dynamic = v.batch?.axis === d;
  // The dim's size as a [1] int64 (read at run time where it holds the batch).
  const whole = (): string =>
    dynamic
      ? c.emit('Gather', [c.emit('Shape', [v.name]), c.int64s([d])], { axis: attr.int(0) })
      : c.int64s([v.shape[d]!]);
  const count = k === null ? whole() : c.int64s([k]);
  const sorted = (x: string, n: string): string[] =>
    c.emitMany(
      'TopK',
      [x, n],
      { axis: attr.int(d), largest: attr.int(largest ? 1 : 0), sorted: attr.int(1) },
      2,
    );
  const batch = k === null || !dynamic ? v.batch : null;
  let values: string;
  let indices: string;
  if (v.dtype === 'float32' || v.dtype === 'float64') {
    const nan = c.emit('IsNaN', [v.name]);
    const key = c.emit('Where', [nan, c.scalar(0, v.dtype), v.name]);
    const byValue = sorted(key, whole())[1]!;
    const flag = c.emit('GatherElements', [int32Of(c, nan), byValue], { axis: attr.int(d) });
    const byNan = sorted(flag, count)[1]!;
    indices = c.emit('GatherElements', [byValue, byNan], { axis: attr.int(d) });
    values = c.emit('GatherElements', [v.name, indices], { axis: attr.int(d) });
  } else [values, indices] = sorted(v.name, count) as [string, string];
  return { name: values, batch, more: [{ name: int32Of(c, indices), batch }] };
}

/**
 * unique: ONNX Unique (sorted), inverse indices in the input's shape, counts; int32 as gd.
 * onnxruntime's Unique merges NaNs, which gd (as PyTorch) keeps apart, each last: for floats
 * the NaNs are taken out before Unique and appended after it.
 */
function unique(c: NodeContext): Emitted {
  const v = c.value(0);
  const { options } = c.attrs<{ options: UniqueOptions }>();
  const dim = options.dim ?? null;
  const float = v.dtype === 'float32' || v.dtype === 'float64';
  if (float && dim !== null)
    throw c.error(
      "unique along a dim of a float tensor: onnxruntime's Unique merges slices holding NaN, which gd (as PyTorch) keeps apart",
    );
  if (float) return uniqueFloats(c, v, options);
  // onnxruntime's Unique takes float, double, int8 and int64: int32 goes through int64.
  const attributes: Record<string, AttrValue> = { sorted: attr.int(1) };
  if (dim !== null) attributes.axis = attr.int(norm(dim, v.shape.length));
  const [y, , inverse, counts] = c.emitMany('Unique', [c.cast(v, 'int64')], attributes, 4);
  const values = c.emit('Cast', [y!], { to: attr.int(onnxDataType(v.dtype)) });
  const more: Emitted[] = [];
  if (options.returnInverse) {
    const inv = int32Of(c, inverse!);
    const name = dim === null ? c.emit('Reshape', [inv, c.emit('Shape', [v.name])]) : inv;
    more.push({ name, batch: dim === null ? v.batch : null });
  }
  if (options.returnCounts) more.push({ name: int32Of(c, counts!), batch: null, dataDims: [0] });
  return {
    name: values,
    batch: null,
    more,
    dataDims: [dim === null ? 0 : norm(dim, v.shape.length)],
  };
}

/** unique of a float tensor: Unique of the non-NaN values, then one entry per NaN. */
function uniqueFloats(c: NodeContext, v: Value, options: UniqueOptions): Emitted {
  const t = v.dtype;
  const flat = c.emit('Reshape', [v.name, c.int64s([-1])]);
  const nan = c.emit('IsNaN', [flat]);
  const keep = c.emit('Not', [nan]);
  const [y, , inverse, counts] = c.emitMany(
    'Unique',
    [c.emit('Compress', [flat, keep], { axis: attr.int(0) })],
    { sorted: attr.int(1) },
    4,
  );
  const asInt64 = (b: string): string =>
    c.emit('Cast', [b], { to: attr.int(onnxDataType('int64')) });
  const nans = reduceNode(c, 'ReduceSum', asInt64(nan), [0], true);
  const values = c.emit('Concat', [y!, c.emit('Expand', [c.scalar(NaN, t), nans])], {
    axis: attr.int(0),
  });
  // Running counts along the flattened input: the position among kept values, or among NaNs.
  const rank = (b: string): string =>
    c.emit('Sub', [c.emit('CumSum', [asInt64(b), c.scalar(0, 'int64')]), c.int64s([1])]);
  const more: Emitted[] = [];
  if (options.returnInverse) {
    // A trailing 0 keeps the Gather valid when every value is NaN.
    const padded = c.emit('Concat', [inverse!, c.int64s([0])], { axis: attr.int(0) });
    const kept = c.emit('Gather', [padded, c.emit('Max', [rank(keep), c.int64s([0])])], {
      axis: attr.int(0),
    });
    const afterValues = c.emit('Add', [c.emit('Shape', [y!]), rank(nan)]);
    const flatInverse = int32Of(c, c.emit('Where', [keep, kept, afterValues]));
    more.push({
      name: c.emit('Reshape', [flatInverse, c.emit('Shape', [v.name])]),
      batch: v.batch,
    });
  }
  if (options.returnCounts) {
    const ones = c.emit('Expand', [c.scalar(1, 'int64'), nans]);
    const all = c.emit('Concat', [counts!, ones], { axis: attr.int(0) });
    more.push({ name: int32Of(c, all), batch: null, dataDims: [0] });
  }
  return { name: values, batch: null, more, dataDims: [0] };
}

/**
 * bincount: zeros of length max(max(x) + 1, minlength), with 1 (or the weight) added at each
 * value (ScatterElements with reduction 'add', opset 16).
 */
function bincount(c: NodeContext): Emitted {
  if (c.opset < 16)
    throw c.error(
      `it needs ScatterElements with reduction 'add' (opset 16 or later), not opset ${c.opset}`,
    );
  const x = c.nameAs(0, 'int64');
  const { minlength } = c.attrs<{ minlength: number }>();
  const t = c.outDtype;
  const top = reduceNode(c, 'ReduceMax', x, [0], true);
  const size = c.emit('Max', [c.emit('Add', [top, c.int64s([1])]), c.int64s([minlength])]);
  const zeros = c.emit('Expand', [c.scalar(0, t), size]);
  const updates =
    c.arity > 1 ? c.nameAs(1, t) : c.emit('Expand', [c.scalar(1, t), c.emit('Shape', [x])]);
  const name = c.emit('ScatterElements', [zeros, x, updates], {
    axis: attr.int(0),
    reduction: attr.string('add'),
  });
  return { name, batch: null, dataDims: [0] };
}

/** The dtype isclose compares in: gd's (a as float, then promoted with b). */
function iscloseDtype(a: DType, b: DType | null): DType {
  const af: DType = a === 'float32' || a === 'float64' ? a : 'float64';
  if (b === null || b === af || b === 'int32' || b === 'bool') return af;
  return 'float64';
}

/**
 * isclose as PyTorch computes it: equal, or (with equalNan) both NaN, or a finite difference
 * within atol + rtol * |b|.
 */
function isclose(c: NodeContext): Emitted {
  const { other, rtol, atol, equalNan } = c.attrs<{
    other: number | null;
    rtol: number;
    atol: number;
    equalNan: boolean;
  }>();
  const av = c.value(0);
  const bv = other === null ? c.value(1) : null;
  const t = iscloseDtype(av.dtype, bv?.dtype ?? null);
  const a = c.cast(av, t);
  const b = bv ? c.cast(bv, t) : c.scalar(other!, t);
  let close = c.emit('Equal', [a, b]);
  if (equalNan)
    close = c.emit('Or', [close, c.emit('And', [c.emit('IsNaN', [a]), c.emit('IsNaN', [b])])]);
  const error = c.emit('Abs', [c.emit('Sub', [a, b])]);
  const bound = c.emit('Add', [
    c.emit('Mul', [c.emit('Abs', [b]), c.scalar(rtol, t)]),
    c.scalar(atol, t),
  ]);
  const finite = c.emit('Not', [
    c.emit('Or', [c.emit('IsNaN', [error]), c.emit('IsInf', [error])]),
  ]);
  const within = c.emit('And', [finite, c.emit('LessOrEqual', [error, bound])]);
  return {
    name: c.emit('Or', [close, within]),
    batch: c.broadcastBatch(bv ? [av, bv] : [av]),
  };
}

/** nanToNum: Where over IsNaN and IsInf (each sign), for floats; other dtypes pass. */
function nanToNum(c: NodeContext): Emitted {
  const v = c.value(0);
  if (v.dtype !== 'float32' && v.dtype !== 'float64') return pass(c);
  const { nan, posinf, neginf } = c.attrs<{ nan: number; posinf: number; neginf: number }>();
  const t = v.dtype;
  const x = v.name;
  let y = c.emit('Where', [c.emit('IsNaN', [x]), c.scalar(nan, t), x]);
  const inf = (positive: boolean): string =>
    c.emit('IsInf', [x], {
      detect_positive: attr.int(positive ? 1 : 0),
      detect_negative: attr.int(positive ? 0 : 1),
    });
  y = c.emit('Where', [inf(true), c.scalar(posinf, t), y]);
  y = c.emit('Where', [inf(false), c.scalar(neginf, t), y]);
  return { name: y, batch: v.batch };
}

/** oneHot: the class indices compared with 0..n-1 along a new last dim, as int32. */
function oneHot(c: NodeContext): Emitted {
  const { numClasses, given } = c.attrs<{ numClasses: number; given: boolean }>();
  if (!given)
    throw c.error(
      `numClasses was -1, so the class count (${numClasses}) came from the traced input's largest value, which the graph cannot know: pass numClasses`,
    );
  const v = c.value(0);
  const x = c.emit('Unsqueeze', [c.cast(v, 'int32'), c.int64s([v.shape.length])]);
  const classes = c.graph.constant(
    'int32',
    [numClasses],
    Array.from({ length: numClasses }, (_, i) => i),
  );
  const eq = c.emit('Equal', [x, classes]);
  return { name: c.emit('Cast', [eq], { to: attr.int(onnxDataType('int32')) }), batch: v.batch };
}

// ---- the table ------------------------------------------------------------------------------

/**
 * gd op -> ONNX. Keys are the `op` names of recorded `OpNode`s: @gd/autograd's op tables,
 * @gd/nn's `embedding`, and the layer ops recorded while tracing (`batchNorm`, `layerNorm`,
 * `adaptiveAvgPool2d`, `convTranspose2d`, `recurrent`, `padPacked`).
 */
export const OP_TABLE: Readonly<Record<string, OpEmitter>> = {
  fusedLstmCell,
  // arithmetic
  add: (c) => linearPattern(c) ?? convBiasPattern(c) ?? addSub('Add')(c),
  sub: addSub('Sub'),
  mul: binary('Mul'),
  div: binary('Div'),
  pow: binary('Pow'),
  maximum: binary('Max'),
  minimum: binary('Min'),
  neg: unary('Neg'),
  square: composite((c, x) => c.emit('Mul', [x, x])),
  powScalar: (c) => {
    const { exponent } = c.attrs<{ exponent: number }>();
    const v = c.value(0);
    const x = c.cast(v, c.outDtype);
    let name: string;
    if (exponent === 1) name = x;
    else if (exponent === 2) name = c.emit('Mul', [x, x]);
    else if (exponent === 0.5) name = c.emit('Sqrt', [x]);
    else name = c.emit('Pow', [x, c.scalar(exponent, c.outDtype)]);
    return { name, batch: v.batch };
  },
  clamp: (c) => {
    const { min, max } = c.attrs<{ min: number | null; max: number | null }>();
    const v = c.value(0);
    const t = c.outDtype;
    const inputs = [c.cast(v, t), min === null ? '' : c.scalar(min, t)];
    if (max !== null) inputs.push(c.scalar(max, t));
    return { name: c.emit('Clip', inputs), batch: v.batch };
  },
  where: (c) => {
    const cond = c.value(0);
    const a = c.value(1);
    const b = c.value(2);
    return {
      name: c.emit('Where', [c.cast(cond, 'bool'), c.cast(a, c.outDtype), c.cast(b, c.outDtype)]),
      batch: c.broadcastBatch([cond, a, b]),
    };
  },

  // Python's modulo (the divisor's sign): ONNX Mod takes it for integers; for floats
  // a - floor(a / b) * b.
  remainder: (c) => {
    const a = c.value(0);
    const b = c.value(1);
    const [x, y] = [c.cast(a, c.outDtype), c.cast(b, c.outDtype)];
    const name =
      c.outDtype === 'int32'
        ? c.emit('Mod', [x, y], { fmod: attr.int(0) })
        : c.emit('Sub', [x, c.emit('Mul', [c.emit('Floor', [c.emit('Div', [x, y])]), y])]);
    return { name, batch: c.broadcastBatch([a, b]) };
  },

  // activations (the rest come from the registry below)
  gelu,
  softmax: unary('Softmax', (c) => ({
    axis: attr.int(norm(c.attrs<{ dim: number }>().dim, c.shape(0).length)),
  })),
  logSoftmax: unary('LogSoftmax', (c) => ({
    axis: attr.int(norm(c.attrs<{ dim: number }>().dim, c.shape(0).length)),
  })),

  // reductions
  sum: reduction('ReduceSum'),
  mean: reduction('ReduceMean'),
  prod: reduction('ReduceProd'),
  amax: reduction('ReduceMax'),
  amin: reduction('ReduceMin'),
  logsumexp: reduction('ReduceLogSumExp'),
  norm2: reduction('ReduceL2'),
  maxDim: (c) => {
    const v = c.value(0);
    const { dim, keepdim, op } = c.attrs<{ dim: number; keepdim: boolean; op: 'max' | 'min' }>();
    const axes = v.shape.length === 0 ? null : [norm(dim, v.shape.length)];
    return {
      name: reduceNode(c, op === 'max' ? 'ReduceMax' : 'ReduceMin', v.name, axes, keepdim),
      batch: reducedBatch(v, axes, keepdim),
    };
  },
  var: variance(false),
  std: variance(true),
  cumsum: (c) => {
    const v = c.value(0);
    const dim = norm(c.attrs<{ dim: number }>().dim, Math.max(v.shape.length, 1));
    return { name: c.emit('CumSum', [v.name, c.scalar(dim, 'int64')]), batch: v.batch };
  },

  // matrix products
  matmul,
  addmm,

  // shapes
  view: (c) => reshapeTo(c, c.value(0), c.outShape),
  reshape: (c) => {
    const conv = convPattern(c);
    return conv ? emitConv(c, conv, null) : reshapeTo(c, c.value(0), c.outShape);
  },
  flatten,
  unflatten: (c) => reshapeTo(c, c.value(0), c.outShape),
  squeeze,
  unsqueeze,
  transpose: (c) => {
    const v = c.value(0);
    const r = v.shape.length;
    const { dim0, dim1 } = c.attrs<{ dim0: number; dim1: number }>();
    const perm = v.shape.map((_, i) => i);
    const [d0, d1] = [norm(dim0, r), norm(dim1, r)];
    [perm[d0], perm[d1]] = [perm[d1]!, perm[d0]!];
    return transposeBy(c, v, perm);
  },
  permute: (c) => {
    const v = c.value(0);
    const dims = c.attrs<{ dims: readonly number[] }>().dims.map((d) => norm(d, v.shape.length));
    return transposeBy(c, v, dims);
  },
  expand: (c) => {
    const v = c.value(0);
    const shape = [...c.outShape];
    let batch: BatchDim | null = null;
    if (v.batch !== null) {
      batch = atAxis(v.batch, v.batch.axis + (shape.length - v.shape.length))!;
      shape[batch.axis] = 1; // broadcasting keeps the input's (dynamic) size there
    }
    return { name: c.emit('Expand', [v.name, c.int64s(shape)]), batch };
  },
  narrow: (c) => {
    const v = c.value(0);
    const a = c.attrs<{ dim: number; start: number; length: number }>();
    const d = norm(a.dim, v.shape.length);
    const start = norm(a.start, v.shape[d]!);
    return sliceAlong(c, v, d, start, start + a.length);
  },
  slice: (c) => {
    const v = c.value(0);
    const a = c.attrs<{ dim: number; start: number | null; end: number | null; step: number }>();
    const d = norm(a.dim, v.shape.length);
    const size = v.shape[d]!;
    const clampIndex = (i: number): number => Math.min(Math.max(norm(i, size), 0), size);
    const start = a.start === null ? 0 : clampIndex(a.start);
    const end = a.end === null ? size : clampIndex(a.end);
    return sliceAlong(c, v, d, start, end, a.step);
  },
  select: (c) => {
    const v = c.value(0);
    const a = c.attrs<{ dim: number; index: number }>();
    const d = norm(a.dim, v.shape.length);
    const index = norm(a.index, v.shape[d]!);
    const b = v.batch?.axis ?? null;
    return {
      name: c.emit('Gather', [v.name, c.scalar(index, 'int64')], { axis: attr.int(d) }),
      batch: atAxis(v.batch, b === null || b === d ? null : b > d ? b - 1 : b),
    };
  },
  clone: pass,
  contiguous: pass,
  toDtype: (c) => {
    const v = c.value(0);
    return { name: c.cast(v, c.outDtype), batch: v.batch };
  },
  cat,
  repeat: (c) => {
    const v = c.value(0);
    const { sizes } = c.attrs<{ sizes: readonly number[] }>();
    const lead = sizes.length - v.shape.length;
    let x = v.name;
    if (lead > 0) x = c.emit('Unsqueeze', [x, c.int64s(Array.from({ length: lead }, (_, i) => i))]);
    return {
      name: c.emit('Tile', [x, c.int64s(sizes)]),
      batch:
        v.batch === null || sizes[v.batch.axis + lead] !== 1
          ? null
          : atAxis(v.batch, v.batch.axis + lead),
    };
  },
  gather: (c) => {
    const v = c.value(0);
    const d = norm(c.attrs<{ dim: number }>().dim, v.shape.length);
    const index = c.value(1);
    // The result has the index's shape (and so its batch dim).
    return {
      name: c.emit('GatherElements', [v.name, index.name], { axis: attr.int(d) }),
      batch: index.batch,
    };
  },
  indexSelect: (c) => {
    const v = c.value(0);
    const d = norm(c.attrs<{ dim: number }>().dim, Math.max(v.shape.length, 1));
    return {
      name: c.emit('Gather', [v.name, c.name(1)], { axis: attr.int(d) }),
      batch: v.batch?.axis === d ? null : v.batch,
    };
  },
  maskedFill: (c) => {
    const v = c.value(0);
    const mask = c.value(1);
    const { value } = c.attrs<{ value: number }>();
    return {
      name: c.emit('Where', [
        c.cast(mask, 'bool'),
        c.scalar(value, c.outDtype),
        c.cast(v, c.outDtype),
      ]),
      batch: c.broadcastBatch([v, mask]),
    };
  },
  embedding: (c) => {
    const weight = c.value(0);
    const idx = embeddingIndices(c, c.attrs<{ indices: NDArray }>().indices);
    return {
      name: c.emit('Gather', [c.cast(weight, c.outDtype), idx.name], { axis: attr.int(0) }),
      batch: idx.batch,
    };
  },

  // convolution and pooling (conv2d composed by hand of unfold and matmul is matched in
  // `reshape` and `add`)
  convolution,
  maxPool2d: pool('MaxPool'),
  avgPool2d: pool('AveragePool'),
  adaptiveAvgPool2d: adaptiveAvgPool,
  convTranspose2d,

  // LSTM / GRU / RNN (recorded as single ops while tracing): ONNX's recurrent nodes, and
  // padPackedSequence of their output on a PackedSequence
  recurrent,
  padPacked,

  // normalisation (recorded as single ops while tracing)
  batchNorm,
  layerNorm,
  // torch.layer_norm called directly (a LayerNorm module is traced as `layerNorm`).
  nativeLayerNorm: layerNorm,

  // sorting, counting, comparing (their integer and bool results are recorded while tracing)
  sort: (c) => {
    const { dim, descending } = c.attrs<{ dim: number; descending: boolean }>();
    return topK(c, dim, null, descending);
  },
  argsort: (c) => {
    const { dim, descending } = c.attrs<{ dim: number; descending: boolean }>();
    return topK(c, dim, null, descending).more![0]!;
  },
  topk: (c) => {
    const { k, dim, largest } = c.attrs<{ k: number; dim: number; largest: boolean }>();
    return topK(c, dim, k, largest);
  },
  unique,
  bincount,
  isclose,
  nanToNum,
  oneHot,

  // the ops generated from @gd/tensor's registry (elu, selu, mish, ...)
  ...REGISTRY_ROWS,
};

/**
 * The gd ops {@link exportOnnx} can write, sorted.
 *
 * @example
 * ```ts
 * supportedOps().includes('matmul'); // true
 * ```
 */
export function supportedOps(): string[] {
  return Object.keys(OP_TABLE).sort();
}
