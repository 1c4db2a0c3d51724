/**
 * Batched matmul for the reference backend: a cache-blocked GEMM in the GotoBLAS shape.
 * Blocks of A and B are packed into float64 micro-panels (4 rows of A, 4 columns of B,
 * interleaved along K), and a 4x4 micro-kernel keeps 16 accumulators in registers. Operands
 * are read through their strides while packing, so transposed views cost nothing extra.
 */
import type { TypedArray } from '../../dtype.js';
import type { StridedArray } from '../backend.js';

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 512;

interface Scratch {
  a: Float64Array;
  b: Float64Array;
}
let scratch: Scratch | undefined;
function getScratch(): Scratch {
  // Kernels may pool scratch buffers; these are fixed-size, so one pair serves every call.
  scratch ??= { a: new Float64Array(MC * KC), b: new Float64Array(KC * NC) };
  return scratch;
}

// Packs A[i0:i0+mc, k0:k0+kc] into panels of MR rows: ap[p*kc*MR + k*MR + r].
function packA(
  a: TypedArray,
  off: number,
  rs: number,
  cs: number,
  i0: number,
  mc: number,
  k0: number,
  kc: number,
  ap: Float64Array,
): void {
  for (let p = 0; p < mc; p += MR) {
    const base = p * kc;
    const rows = Math.min(MR, mc - p);
    for (let r = 0; r < MR; r++) {
      if (r < rows) {
        let src = off + (i0 + p + r) * rs + k0 * cs;
        for (let k = 0; k < kc; k++, src += cs) ap[base + k * MR + r] = a[src]!;
      } else {
        for (let k = 0; k < kc; k++) ap[base + k * MR + r] = 0;
      }
    }
  }
}

// Packs B[k0:k0+kc, j0:j0+nc] into panels of NR columns: bp[q*kc*NR + k*NR + c].
function packB(
  b: TypedArray,
  off: number,
  rs: number,
  cs: number,
  k0: number,
  kc: number,
  j0: number,
  nc: number,
  bp: Float64Array,
): void {
  for (let q = 0; q < nc; q += NR) {
    const base = q * kc;
    const cols = Math.min(NR, nc - q);
    if (cols === NR && cs === 1) {
      for (let k = 0; k < kc; k++) {
        const src = off + (k0 + k) * rs + j0 + q;
        const dst = base + k * NR;
        bp[dst] = b[src]!;
        bp[dst + 1] = b[src + 1]!;
        bp[dst + 2] = b[src + 2]!;
        bp[dst + 3] = b[src + 3]!;
      }
      continue;
    }
    for (let k = 0; k < kc; k++) {
      const row = off + (k0 + k) * rs;
      const dst = base + k * NR;
      for (let c = 0; c < NR; c++) bp[dst + c] = c < cols ? b[row + (j0 + q + c) * cs]! : 0;
    }
  }
}

// C[i0.., j0..] (+)= Ap-panel x Bp-panel for one MR x NR tile.
function microKernel(
  kc: number,
  ap: Float64Array,
  ao: number,
  bp: Float64Array,
  bo: number,
  c: TypedArray,
  co: number,
  ldc: number,
  rows: number,
  cols: number,
  accumulate: boolean,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let k = 0; k < kc; k++) {
    const a0 = ap[ao]!,
      a1 = ap[ao + 1]!,
      a2 = ap[ao + 2]!,
      a3 = ap[ao + 3]!;
    const b0 = bp[bo]!,
      b1 = bp[bo + 1]!,
      b2 = bp[bo + 2]!,
      b3 = bp[bo + 3]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
    ao += MR;
    bo += NR;
  }
  if (rows === MR && cols === NR) {
    if (accumulate) {
      c[co] = c[co]! + c00;
      c[co + 1] = c[co + 1]! + c01;
      c[co + 2] = c[co + 2]! + c02;
      c[co + 3] = c[co + 3]! + c03;
      co += ldc;
      c[co] = c[co]! + c10;
      c[co + 1] = c[co + 1]! + c11;
      c[co + 2] = c[co + 2]! + c12;
      c[co + 3] = c[co + 3]! + c13;
      co += ldc;
      c[co] = c[co]! + c20;
      c[co + 1] = c[co + 1]! + c21;
      c[co + 2] = c[co + 2]! + c22;
      c[co + 3] = c[co + 3]! + c23;
      co += ldc;
      c[co] = c[co]! + c30;
      c[co + 1] = c[co + 1]! + c31;
      c[co + 2] = c[co + 2]! + c32;
      c[co + 3] = c[co + 3]! + c33;
    } else {
      c[co] = c00;
      c[co + 1] = c01;
      c[co + 2] = c02;
      c[co + 3] = c03;
      co += ldc;
      c[co] = c10;
      c[co + 1] = c11;
      c[co + 2] = c12;
      c[co + 3] = c13;
      co += ldc;
      c[co] = c20;
      c[co + 1] = c21;
      c[co + 2] = c22;
      c[co + 3] = c23;
      co += ldc;
      c[co] = c30;
      c[co + 1] = c31;
      c[co + 2] = c32;
      c[co + 3] = c33;
    }
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const v = tile[r * 4 + q]!;
      if (accumulate) c[co + r * ldc + q] = c[co + r * ldc + q]! + v;
      else c[co + r * ldc + q] = v;
    }
  }
}

/** One GEMM: out[M, N] (contiguous at `oo`) = A[M, K] x B[K, N], read through strides. */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: TypedArray,
  ao: number,
  ars: number,
  acs: number,
  b: TypedArray,
  bo: number,
  brs: number,
  bcs: number,
  out: TypedArray,
  oo: number,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    out.fill(0, oo, oo + m * n);
    return;
  }
  const { a: ap, b: bp } = getScratch();
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(b, bo, brs, bcs, pc, kc, jc, nc, bp);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, ao, ars, acs, ic, mc, pc, kc, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = Math.min(MR, mc - ir);
            microKernel(
              kc,
              ap,
              ir * kc,
              bp,
              jr * kc,
              out,
              oo + (ic + ir) * n + jc + jr,
              n,
              rows,
              cols,
              pc > 0,
            );
          }
        }
      }
    }
  }
}

/** Batched matmul over broadcast batch dims: a [..., M, K] x b [..., K, N] -> out [..., M, N]. */
export function matmul(a: StridedArray, b: StridedArray, out: StridedArray): void {
  const nd = out.shape.length;
  const m = out.shape[nd - 2]!;
  const n = out.shape[nd - 1]!;
  const k = a.shape[nd - 1]!;
  const batchShape = out.shape.slice(0, nd - 2);
  let batches = 1;
  for (const d of batchShape) batches *= d;
  const idx = new Array<number>(batchShape.length).fill(0);
  for (let t = 0; t < batches; t++) {
    let aOff = a.offset;
    let bOff = b.offset;
    for (let d = 0; d < batchShape.length; d++) {
      aOff += idx[d]! * a.strides[d]!;
      bOff += idx[d]! * b.strides[d]!;
    }
    gemm(
      m,
      n,
      k,
      a.data,
      aOff,
      a.strides[nd - 2]!,
      a.strides[nd - 1]!,
      b.data,
      bOff,
      b.strides[nd - 2]!,
      b.strides[nd - 1]!,
      out.data,
      out.offset + t * m * n,
    );
    for (let d = batchShape.length - 1; d >= 0; d--) {
      if (++idx[d]! < batchShape[d]!) break;
      idx[d] = 0;
    }
  }
}
