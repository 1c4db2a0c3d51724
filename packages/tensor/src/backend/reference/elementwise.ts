/** Elementwise kernels of the reference backend: unary, binary, where, copy and fill. */
import type { TypedArray } from '../../dtype.js';
import { KERNEL_BINARY_OPS, UNARY_OPS } from '../../ops/registry/elementwise.js';
import type { KernelBinaryOp, UnaryOp } from '../../ops/registry/elementwise.js';
import type { StridedArray } from '../backend.js';
import { coalesce, forEachRow, specialise } from './iterate.js';

type Unary = (x: number, p0: number, p1: number) => number;
type Binary = (a: number, b: number, p: number) => number;
type UnaryRow = (
  x: TypedArray,
  xo: number,
  xs: number,
  out: TypedArray,
  oo: number,
  os: number,
  n: number,
  p0: number,
  p1: number,
) => void;
type BinaryRow = (
  a: TypedArray,
  ao: number,
  as: number,
  b: TypedArray,
  bo: number,
  bs: number,
  out: TypedArray,
  oo: number,
  os: number,
  n: number,
  p: number,
) => void;

// Kernel factories: copied per op by `specialise`, so they must stay self-contained.
function makeUnaryRow(f: Unary): UnaryRow {
  return (x, xo, xs, out, oo, os, n, p0, p1) => {
    if (xs === 1 && os === 1) {
      for (let i = 0; i < n; i++) out[oo + i] = f(x[xo + i]!, p0, p1);
    } else {
      for (let i = 0; i < n; i++) out[oo + i * os] = f(x[xo + i * xs]!, p0, p1);
    }
  };
}

function makeBinaryRow(f: Binary): BinaryRow {
  return (a, ao, as, b, bo, bs, out, oo, os, n, p) => {
    if (os === 1 && as === 1 && bs === 1) {
      for (let i = 0; i < n; i++) out[oo + i] = f(a[ao + i]!, b[bo + i]!, p);
    } else if (os === 1 && as === 1 && bs === 0) {
      const bv = b[bo]!;
      for (let i = 0; i < n; i++) out[oo + i] = f(a[ao + i]!, bv, p);
    } else if (os === 1 && as === 0 && bs === 1) {
      const av = a[ao]!;
      for (let i = 0; i < n; i++) out[oo + i] = f(av, b[bo + i]!, p);
    } else {
      for (let i = 0; i < n; i++) out[oo + i * os] = f(a[ao + i * as]!, b[bo + i * bs]!, p);
    }
  };
}

const unaryRows = new Map<string, UnaryRow>();
const binaryRows = new Map<string, BinaryRow>();

function unaryRow(key: string, f: Unary): UnaryRow {
  let row = unaryRows.get(key);
  if (!row) {
    row = specialise(makeUnaryRow, `unary ${key}`)(f);
    unaryRows.set(key, row);
  }
  return row;
}

function binaryRowFor(op: KernelBinaryOp): BinaryRow {
  let row = binaryRows.get(op);
  if (!row) {
    row = specialise(makeBinaryRow, `binary ${op}`)(KERNEL_BINARY_OPS[op]!.fn);
    binaryRows.set(op, row);
  }
  return row;
}

// Typed-array stores truncate, so writing into a bool (0/1 byte) buffer needs its own mapping:
// anything non-zero (NaN included, as in PyTorch) is true.
const toBool: Unary = (x) => (x !== 0 ? 1 : 0);
const identity: Unary = (x) => x;

function isBoolBuffer(a: TypedArray): boolean {
  return a instanceof Uint8Array;
}

function runUnary(row: UnaryRow, x: StridedArray, out: StridedArray, p0: number, p1: number): void {
  const nest = coalesce(out.shape, [x.strides, out.strides]);
  const last = nest.shape.length - 1;
  const n = nest.shape[last]!;
  const xs = nest.strides[0]![last]!;
  const os = nest.strides[1]![last]!;
  const xd = x.data;
  const od = out.data;
  forEachRow(nest, [x.offset, out.offset], (o) => row(xd, o[0]!, xs, od, o[1]!, os, n, p0, p1));
}

/** `out = op(x)`, elementwise. */
export function unary(
  op: UnaryOp,
  x: StridedArray,
  out: StridedArray,
  p0: number,
  p1: number,
): void {
  const def = UNARY_OPS[op];
  if (isBoolBuffer(out.data) && def.dtype !== 'bool') {
    const f = def.fn;
    runUnary(
      unaryRow(`${op}->bool`, (v, a, b) => (f(v, a, b) !== 0 ? 1 : 0)),
      x,
      out,
      p0,
      p1,
    );
  } else {
    runUnary(unaryRow(op, def.fn), x, out, p0, p1);
  }
}

/** `out = op(a, b)`, elementwise with broadcasting by stride 0. */
export function binary(
  op: KernelBinaryOp,
  a: StridedArray,
  b: StridedArray,
  out: StridedArray,
  p: number,
): void {
  const nest = coalesce(out.shape, [a.strides, b.strides, out.strides]);
  const last = nest.shape.length - 1;
  const n = nest.shape[last]!;
  const as = nest.strides[0]![last]!;
  const bs = nest.strides[1]![last]!;
  const os = nest.strides[2]![last]!;
  const row = binaryRowFor(op);
  const ad = a.data;
  const bd = b.data;
  const od = out.data;
  forEachRow(nest, [a.offset, b.offset, out.offset], (o) =>
    row(ad, o[0]!, as, bd, o[1]!, bs, od, o[2]!, os, n, p),
  );
}

/** `out = cond ? a : b`, elementwise with broadcasting. */
export function where(
  cond: StridedArray,
  a: StridedArray,
  b: StridedArray,
  out: StridedArray,
): void {
  const nest = coalesce(out.shape, [cond.strides, a.strides, b.strides, out.strides]);
  const last = nest.shape.length - 1;
  const n = nest.shape[last]!;
  const [cs, as, bs, os] = nest.strides.map((s) => s[last]!) as [number, number, number, number];
  const cd = cond.data;
  const ad = a.data;
  const bd = b.data;
  const od = out.data;
  forEachRow(nest, [cond.offset, a.offset, b.offset, out.offset], (o) => {
    let co = o[0]!;
    let ao = o[1]!;
    let bo = o[2]!;
    let oo = o[3]!;
    for (let i = 0; i < n; i++) {
      od[oo] = cd[co] ? ad[ao]! : bd[bo]!;
      co += cs;
      ao += as;
      bo += bs;
      oo += os;
    }
  });
}

/** Copies `src` into `dst` elementwise, converting dtype (to bool: non-zero is true). */
export function copy(src: StridedArray, dst: StridedArray): void {
  if (src.data.constructor === dst.data.constructor && src.shape.length === dst.shape.length) {
    // Same dtype and both contiguous: one block copy.
    const nest = coalesce(dst.shape, [src.strides, dst.strides]);
    if (nest.shape.length === 1 && nest.strides[0]![0] === 1 && nest.strides[1]![0] === 1) {
      const n = nest.shape[0]!;
      dst.data.set(src.data.subarray(src.offset, src.offset + n), dst.offset);
      return;
    }
  }
  const boolOut = isBoolBuffer(dst.data) && !isBoolBuffer(src.data);
  runUnary(unaryRow(boolOut ? 'copy->bool' : 'copy', boolOut ? toBool : identity), src, dst, 0, 0);
}

/** Sets every element of `dst` to `value`. */
export function fill(dst: StridedArray, value: number): void {
  const v = isBoolBuffer(dst.data) ? (value !== 0 ? 1 : 0) : value;
  const nest = coalesce(dst.shape, [dst.strides]);
  const last = nest.shape.length - 1;
  const n = nest.shape[last]!;
  const s = nest.strides[0]![last]!;
  const d = dst.data;
  forEachRow(nest, [dst.offset], (o) => {
    const start = o[0]!;
    if (s === 1) d.fill(v, start, start + n);
    else for (let i = 0; i < n; i++) d[start + i * s] = v;
  });
}
