// WebAssembly SIMD kernels of gd's `wasm` backend, compiled by scripts/build-wasm.mjs with
// AssemblyScript (`asc --enable simd,threads`). Every kernel works on float32 data that the
// JS side copied into this module's (shared) memory; pointers are byte addresses, strides are
// in elements. Arithmetic follows the reference backend: float where that gives the same bits
// (+, -, *, / and comparisons of two floats), double otherwise, rounded once on store.

import {
  B_ADD,
  B_DIV,
  B_MUL,
  B_RELU_GRAD,
  B_SUB,
  DT_BOOL,
  DT_FLOAT32,
  DT_FLOAT64,
  DT_INT32,
  REDUCE_MAX,
  REDUCE_MIN,
  REDUCE_SUM,
  U_RELU,
  binOp,
  binOpF,
  binaryExactF32,
  binaryKnown,
  unOp,
  unaryKnown,
} from '../build/generated/elementwise';

// The op tables by code, read back by the TypeScript side.
export {
  binaryTable,
  binaryTableLength,
  unaryTable,
  unaryTableLength,
} from '../build/generated/elementwise';

// ---- GEMM -------------------------------------------------------------------------------------
// A packed, register-blocked GEMM: B blocks of KC x NC and A blocks of MC x KC are packed into
// micro-panels, and a 4 x 8 micro-kernel keeps its tile of C in eight f32x4 registers.

const MR: i32 = 4;
const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 128;
export const NC: i32 = 2048;

// ap[panel][k][r] from A rows (rs, cs strides in elements), zero-padded past mc.
function packA(a: usize, rs: i32, cs: i32, mc: i32, kc: i32, ap: usize): void {
  for (let p = 0; p < mc; p += MR) {
    const rows = min(MR, mc - p);
    const dst = ap + ((<usize>(p * kc)) << 2);
    if (rows == MR) {
      const r0 = a + ((<usize>(p * rs)) << 2);
      const r1 = r0 + ((<usize>rs) << 2);
      const r2 = r1 + ((<usize>rs) << 2);
      const r3 = r2 + ((<usize>rs) << 2);
      for (let k = 0; k < kc; k++) {
        const o = (<usize>(k * cs)) << 2;
        const d = dst + ((<usize>(k * MR)) << 2);
        store<f32>(d, load<f32>(r0 + o));
        store<f32>(d, load<f32>(r1 + o), 4);
        store<f32>(d, load<f32>(r2 + o), 8);
        store<f32>(d, load<f32>(r3 + o), 12);
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let r = 0; r < MR; r++) {
          const v: f32 = r < rows ? load<f32>(a + ((<usize>((p + r) * rs + k * cs)) << 2)) : 0;
          store<f32>(dst + ((<usize>(k * MR + r)) << 2), v);
        }
      }
    }
  }
}

// bp[panel][k][c] from B columns, zero-padded past nc.
function packB(b: usize, rs: i32, cs: i32, kc: i32, nc: i32, bp: usize): void {
  for (let q = 0; q < nc; q += NR) {
    const cols = min(NR, nc - q);
    const dst = bp + ((<usize>(q * kc)) << 2);
    if (cols == NR && cs == 1) {
      for (let k = 0; k < kc; k++) {
        const src = b + ((<usize>(k * rs + q)) << 2);
        const d = dst + ((<usize>(k * NR)) << 2);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
    } else if (cols == NR && rs == 1) {
      for (let c = 0; c < NR; c++) {
        const src = b + ((<usize>((q + c) * cs)) << 2);
        for (let k = 0; k < kc; k++) {
          store<f32>(dst + ((<usize>(k * NR + c)) << 2), load<f32>(src + ((<usize>k) << 2)));
        }
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let c = 0; c < NR; c++) {
          const v: f32 = c < cols ? load<f32>(b + ((<usize>(k * rs + (q + c) * cs)) << 2)) : 0;
          store<f32>(dst + ((<usize>(k * NR + c)) << 2), v);
        }
      }
    }
  }
}

function storeRow(c: usize, x0: v128, x1: v128, acc: bool): void {
  if (acc) {
    v128.store(c, f32x4.add(v128.load(c), x0));
    v128.store(c, f32x4.add(v128.load(c, 16), x1), 16);
  } else {
    v128.store(c, x0);
    v128.store(c, x1, 16);
  }
}

function kernel(
  kc: i32,
  ap: usize,
  bp: usize,
  c: usize,
  ldc: i32,
  rows: i32,
  cols: i32,
  acc: bool,
  tile: usize,
): void {
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = f32x4.splat(load<f32>(ap));
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = f32x4.splat(load<f32>(ap, 4));
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = f32x4.splat(load<f32>(ap, 8));
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = f32x4.splat(load<f32>(ap, 12));
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16;
    bp += 32;
  }
  const ld = (<usize>ldc) << 2;
  if (rows == MR && cols == NR) {
    storeRow(c, c00, c01, acc);
    storeRow(c + ld, c10, c11, acc);
    storeRow(c + 2 * ld, c20, c21, acc);
    storeRow(c + 3 * ld, c30, c31, acc);
    return;
  }
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  v128.store(tile, c10, 32);
  v128.store(tile, c11, 48);
  v128.store(tile, c20, 64);
  v128.store(tile, c21, 80);
  v128.store(tile, c30, 96);
  v128.store(tile, c31, 112);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const p = c + <usize>r * ld + ((<usize>q) << 2);
      const v = load<f32>(tile + ((<usize>(r * NR + q)) << 2));
      store<f32>(p, acc ? load<f32>(p) + v : v);
    }
  }
}

/**
 * C[m, n] (row stride ldc) = A[m, k] x B[k, n] (+ C with acc), single-threaded over one
 * rectangle. `scratch` holds this thread's packing buffers: MC*KC + KC*NC floats + a tile.
 */
export function gemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  ars: i32,
  acs: i32,
  b: usize,
  brs: i32,
  bcs: i32,
  c: usize,
  ldc: i32,
  acc: bool,
  scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!acc)
      for (let i = 0; i < m; i++) memory.fill(c + ((<usize>(i * ldc)) << 2), 0, (<usize>n) << 2);
    return;
  }
  const ap = scratch;
  const bp = ap + ((<usize>(MC * KC)) << 2);
  const tile = bp + ((<usize>(KC * NC)) << 2);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(b + ((<usize>(pc * brs + jc * bcs)) << 2), brs, bcs, kc, nc, bp);
      const accum = acc || pc > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a + ((<usize>(ic * ars + pc * acs)) << 2), ars, acs, mc, kc, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            kernel(
              kc,
              ap + ((<usize>(ir * kc)) << 2),
              bp + ((<usize>(jr * kc)) << 2),
              c + ((<usize>((ic + ir) * ldc + jc + jr)) << 2),
              ldc,
              rows,
              cols,
              accum,
              tile,
            );
          }
        }
      }
    }
  }
}

/** Floats of scratch one gemm thread needs. */
export function gemmScratchFloats(): i32 {
  return MC * KC + KC * NC + MR * NR;
}

/**
 * One row of A times B, summed in double: c[j] = sum_k a[k] * B[k, j]. With B's rows
 * contiguous, rows of B are accumulated in order into `scratch` (n doubles; 0: no scratch).
 */
export function gemv(
  n: i32,
  k: i32,
  a: usize,
  acs: i32,
  b: usize,
  brs: i32,
  bcs: i32,
  c: usize,
  acc: bool,
  scratch: usize,
): void {
  if (bcs == 1 && scratch != 0) {
    for (let j = 0; j < n; j++) {
      const v: f64 = acc ? <f64>load<f32>(c + ((<usize>j) << 2)) : 0;
      store<f64>(scratch + ((<usize>j) << 3), v);
    }
    for (let p = 0; p < k; p++) {
      const av = f64x2.splat(<f64>load<f32>(a + ((<usize>(p * acs)) << 2)));
      const row = b + ((<usize>(p * brs)) << 2);
      let j = 0;
      for (; j + 2 <= n; j += 2) {
        const bv = f64x2.promote_low_f32x4(v128.load64_zero(row + ((<usize>j) << 2)));
        const d = scratch + ((<usize>j) << 3);
        v128.store(d, f64x2.add(v128.load(d), f64x2.mul(av, bv)));
      }
      for (; j < n; j++) {
        const d = scratch + ((<usize>j) << 3);
        store<f64>(
          d,
          load<f64>(d) + f64x2.extract_lane(av, 0) * <f64>load<f32>(row + ((<usize>j) << 2)),
        );
      }
    }
    for (let j = 0; j < n; j++) {
      store<f32>(c + ((<usize>j) << 2), <f32>load<f64>(scratch + ((<usize>j) << 3)));
    }
    return;
  }
  for (let j = 0; j < n; j++) {
    let s: f64 = 0;
    const bj = b + ((<usize>(j * bcs)) << 2);
    for (let p = 0; p < k; p++) {
      s +=
        <f64>load<f32>(a + ((<usize>(p * acs)) << 2)) *
        <f64>load<f32>(bj + ((<usize>(p * brs)) << 2));
    }
    const pc = c + ((<usize>j) << 2);
    store<f32>(pc, acc ? <f32>(<f64>load<f32>(pc) + s) : <f32>s);
  }
}

// ---- elementwise ------------------------------------------------------------------------------
// Operands are 2-d strided views [n0, n1] of float32 or uint8 (bool) data. The ops' formulas
// (binOp, binOpF, unOp) are generated from the op registry; an op code this module does not
// know is declined (the kernel returns false) and runs on the reference backend.

function ldv(p: usize, dt: i32): f64 {
  return dt == DT_BOOL ? <f64>load<u8>(p) : <f64>load<f32>(p);
}

function ldf(p: usize, dt: i32): f32 {
  return dt == DT_BOOL ? <f32>load<u8>(p) : load<f32>(p);
}

function simdOp(op: i32, x: v128, y: v128): v128 {
  if (op == B_ADD) return f32x4.add(x, y);
  if (op == B_SUB) return f32x4.sub(x, y);
  if (op == B_MUL) return f32x4.mul(x, y);
  // g · (y > 0 ? 1 : 0): the comparison's lanes select 1.0, then one exact product.
  if (op == B_RELU_GRAD) return f32x4.mul(x, v128.and(f32x4.gt(y, f32x4.splat(0)), f32x4.splat(1)));
  return f32x4.div(x, y);
}

// Contiguous float32 rows with a SIMD body (add, sub, mul, div at alpha 1 and relu's gradient:
// exact in float).
function binaryRowSimd(op: i32, a: usize, as: i32, b: usize, bs: i32, o: usize, n: i32): void {
  let j = 0;
  if (as == 1 && bs == 1) {
    for (; j + 4 <= n; j += 4) {
      const x = v128.load(a + ((<usize>j) << 2));
      const y = v128.load(b + ((<usize>j) << 2));
      v128.store(o + ((<usize>j) << 2), simdOp(op, x, y));
    }
  } else if (as == 1 && bs == 0) {
    const y = f32x4.splat(load<f32>(b));
    for (; j + 4 <= n; j += 4) {
      const x = v128.load(a + ((<usize>j) << 2));
      v128.store(o + ((<usize>j) << 2), simdOp(op, x, y));
    }
  } else if (as == 0 && bs == 1) {
    const x = f32x4.splat(load<f32>(a));
    for (; j + 4 <= n; j += 4) {
      const y = v128.load(b + ((<usize>j) << 2));
      v128.store(o + ((<usize>j) << 2), simdOp(op, x, y));
    }
  }
  for (; j < n; j++) {
    store<f32>(
      o + ((<usize>j) << 2),
      binOpF(op, load<f32>(a + ((<usize>(j * as)) << 2)), load<f32>(b + ((<usize>(j * bs)) << 2))),
    );
  }
}

/**
 * out = op(a, b) over [n0, n1]. Element sizes follow the dtype codes (float32 4 bytes,
 * uint8 1); ops that write bool store uint8. Returns false for an op code it does not know.
 */
export function binary(
  op: i32,
  n0: i32,
  n1: i32,
  a: usize,
  adt: i32,
  as0: i32,
  as1: i32,
  b: usize,
  bdt: i32,
  bs0: i32,
  bs1: i32,
  o: usize,
  odt: i32,
  os0: i32,
  os1: i32,
  p: f64,
): bool {
  if (!binaryKnown(op)) return false;
  const ash: usize = adt == DT_BOOL ? 0 : 2;
  const bsh: usize = bdt == DT_BOOL ? 0 : 2;
  const osh: usize = odt == DT_BOOL ? 0 : 2;
  const floatOnly = adt != DT_BOOL && bdt != DT_BOOL && odt != DT_BOOL && binaryExactF32(op, p);
  const simd = op == B_ADD || op == B_SUB || op == B_MUL || op == B_DIV || op == B_RELU_GRAD;
  for (let i = 0; i < n0; i++) {
    const ar = a + ((<usize>(i * as0)) << ash);
    const br = b + ((<usize>(i * bs0)) << bsh);
    const or = o + ((<usize>(i * os0)) << osh);
    if (floatOnly) {
      if (
        simd &&
        os1 == 1 &&
        (as1 == 1 || as1 == 0) &&
        (bs1 == 1 || bs1 == 0) &&
        !(as1 == 0 && bs1 == 0)
      ) {
        binaryRowSimd(op, ar, as1, br, bs1, or, n1);
      } else {
        for (let j = 0; j < n1; j++) {
          store<f32>(
            or + ((<usize>(j * os1)) << 2),
            binOpF(
              op,
              load<f32>(ar + ((<usize>(j * as1)) << 2)),
              load<f32>(br + ((<usize>(j * bs1)) << 2)),
            ),
          );
        }
      }
    } else if (odt == DT_BOOL) {
      for (let j = 0; j < n1; j++) {
        const r = binOp(
          op,
          ldv(ar + ((<usize>(j * as1)) << ash), adt),
          ldv(br + ((<usize>(j * bs1)) << bsh), bdt),
          p,
        );
        store<u8>(or + <usize>(j * os1), r != 0 ? 1 : 0);
      }
    } else {
      for (let j = 0; j < n1; j++) {
        const r = binOp(
          op,
          ldv(ar + ((<usize>(j * as1)) << ash), adt),
          ldv(br + ((<usize>(j * bs1)) << bsh), bdt),
          p,
        );
        store<f32>(or + ((<usize>(j * os1)) << 2), <f32>r);
      }
    }
  }
  return true;
}

/** out = op(x) over [n0, n1], float32. Returns false for an op code it does not know. */
export function unary(
  op: i32,
  n0: i32,
  n1: i32,
  x: usize,
  xs0: i32,
  xs1: i32,
  o: usize,
  os0: i32,
  os1: i32,
  p0: f64,
  p1: f64,
): bool {
  if (!unaryKnown(op)) return false;
  for (let i = 0; i < n0; i++) {
    const xr = x + ((<usize>(i * xs0)) << 2);
    const or = o + ((<usize>(i * os0)) << 2);
    let j = 0;
    if (op == U_RELU && xs1 == 1 && os1 == 1) {
      // relu: x < 0 ? 0 : x keeps NaN and -0, like the reference.
      const z = f32x4.splat(0);
      for (; j + 4 <= n1; j += 4) {
        const v = v128.load(xr + ((<usize>j) << 2));
        v128.store(or + ((<usize>j) << 2), v128.bitselect(z, v, f32x4.lt(v, z)));
      }
    }
    for (; j < n1; j++) {
      const v = <f64>load<f32>(xr + ((<usize>(j * xs1)) << 2));
      store<f32>(or + ((<usize>(j * os1)) << 2), <f32>unOp(op, v, p0, p1));
    }
  }
  return true;
}

/** out = cond ? a : b over [n0, n1], float32 values and uint8 cond. */
export function where(
  n0: i32,
  n1: i32,
  c: usize,
  cs0: i32,
  cs1: i32,
  a: usize,
  as0: i32,
  as1: i32,
  b: usize,
  bs0: i32,
  bs1: i32,
  o: usize,
  os0: i32,
  os1: i32,
): void {
  for (let i = 0; i < n0; i++) {
    for (let j = 0; j < n1; j++) {
      const take = load<u8>(c + <usize>(i * cs0 + j * cs1));
      const v = take
        ? load<f32>(a + ((<usize>(i * as0 + j * as1)) << 2))
        : load<f32>(b + ((<usize>(i * bs0 + j * bs1)) << 2));
      store<f32>(o + ((<usize>(i * os0 + j * os1)) << 2), v);
    }
  }
}

/** Strided copy over [n0, n1] between float32 and uint8 (bool) buffers. */
export function copy(
  n0: i32,
  n1: i32,
  x: usize,
  xdt: i32,
  xs0: i32,
  xs1: i32,
  o: usize,
  odt: i32,
  os0: i32,
  os1: i32,
): void {
  const xsh: usize = xdt == DT_BOOL ? 0 : 2;
  if (xdt != DT_BOOL && odt != DT_BOOL && xs0 == 1 && os1 == 1 && xs1 > 1) {
    // A transpose, in 16 x 16 tiles.
    for (let ib = 0; ib < n0; ib += 16) {
      for (let jb = 0; jb < n1; jb += 16) {
        const ie = min(n0, ib + 16);
        const je = min(n1, jb + 16);
        for (let j = jb; j < je; j++) {
          for (let i = ib; i < ie; i++) {
            store<f32>(
              o + ((<usize>(i * os0 + j)) << 2),
              load<f32>(x + ((<usize>(i + j * xs1)) << 2)),
            );
          }
        }
      }
    }
    return;
  }
  for (let i = 0; i < n0; i++) {
    for (let j = 0; j < n1; j++) {
      const v = ldf(x + ((<usize>(i * xs0 + j * xs1)) << xsh), xdt);
      if (odt == DT_BOOL) store<u8>(o + <usize>(i * os0 + j * os1), v != 0 ? 1 : 0);
      else store<f32>(o + ((<usize>(i * os0 + j * os1)) << 2), v);
    }
  }
}

/** out[p] = reduce_r x[p*ps + r*rs] (sum in double, max, min; NaN propagates).
 * Returns false for a code it does not know. */
export function reduce(
  op: i32,
  np: i32,
  nr: i32,
  x: usize,
  ps: i32,
  rs: i32,
  o: usize,
  os: i32,
): bool {
  if (op != REDUCE_SUM && op != REDUCE_MAX && op != REDUCE_MIN) return false;
  if (op == REDUCE_SUM && ps == 1 && rs != 1) {
    // Column sums: accumulate rows in order into a double strip.
    const acc = o; // reuse nothing: accumulate per column below
    for (let p = 0; p < np; p++) {
      let s: f64 = 0;
      for (let r = 0; r < nr; r++) s += <f64>load<f32>(x + ((<usize>(p + r * rs)) << 2));
      store<f32>(acc + ((<usize>(p * os)) << 2), <f32>s);
    }
    return true;
  }
  for (let p = 0; p < np; p++) {
    const xp = x + ((<usize>(p * ps)) << 2);
    let s: f64;
    if (op == REDUCE_SUM) {
      s = 0;
      for (let r = 0; r < nr; r++) s += <f64>load<f32>(xp + ((<usize>(r * rs)) << 2));
    } else if (op == REDUCE_MAX) {
      s = -Infinity;
      for (let r = 0; r < nr; r++) {
        const v = <f64>load<f32>(xp + ((<usize>(r * rs)) << 2));
        if (v > s || v != v) s = v;
      }
    } else {
      s = Infinity;
      for (let r = 0; r < nr; r++) {
        const v = <f64>load<f32>(xp + ((<usize>(r * rs)) << 2));
        if (v < s || v != v) s = v;
      }
    }
    store<f32>(o + ((<usize>(p * os)) << 2), <f32>s);
  }
  return true;
}

/** Softmax (or log-softmax) over np lines of len elements, in double like the reference. */
export function softmax(
  log: bool,
  np: i32,
  len: i32,
  x: usize,
  xps: i32,
  xls: i32,
  o: usize,
  ops: i32,
  ols: i32,
): void {
  for (let p = 0; p < np; p++) {
    const xr = x + ((<usize>(p * xps)) << 2);
    const or = o + ((<usize>(p * ops)) << 2);
    let m: f64 = -Infinity;
    for (let i = 0; i < len; i++) {
      const v = <f64>load<f32>(xr + ((<usize>(i * xls)) << 2));
      if (v > m || v != v) m = v;
    }
    let sum: f64 = 0;
    for (let i = 0; i < len; i++)
      sum += Math.exp(<f64>load<f32>(xr + ((<usize>(i * xls)) << 2)) - m);
    if (log) {
      const lse = Math.log(sum) + m;
      for (let i = 0; i < len; i++) {
        store<f32>(
          or + ((<usize>(i * ols)) << 2),
          <f32>(<f64>load<f32>(xr + ((<usize>(i * xls)) << 2)) - lse),
        );
      }
    } else {
      const inv = 1 / sum;
      for (let i = 0; i < len; i++) {
        store<f32>(
          or + ((<usize>(i * ols)) << 2),
          <f32>(Math.exp(<f64>load<f32>(xr + ((<usize>(i * xls)) << 2)) - m) * inv),
        );
      }
    }
  }
}

// ---- convolution and pooling ------------------------------------------------------------------
// Contiguous NCHW float32 planes (int32 indices), in the reference backend's loop order and
// precision, so results are bit-identical to it.

/** out [n, o, l] += bias [o] broadcast over n and l (float32 sums are correctly rounded). */
export function addBias(out: usize, n: i32, o: i32, l: i32, bias: usize): void {
  let row = out;
  for (let b = 0; b < n; b++) {
    for (let q = 0; q < o; q++) {
      const v = load<f32>(bias + ((<usize>q) << 2));
      const vv = f32x4.splat(v);
      let j = 0;
      for (; j + 4 <= l; j += 4) {
        const at = row + ((<usize>j) << 2);
        v128.store(at, f32x4.add(v128.load(at), vv));
      }
      for (; j < l; j++) {
        const at = row + ((<usize>j) << 2);
        store<f32>(at, load<f32>(at) + v);
      }
      row += (<usize>l) << 2;
    }
  }
}

/**
 * One tap's row of columns (oh x w) for a stride-1, undilated window whose output is as wide as
 * the plane [h, w]: the plane shifted by (dy, dx), one copy; the rows hanging over the top or
 * bottom and the columns that wrapped around a side are zeroed.
 */
function shiftedPlane(plane: usize, h: i32, w: i32, oh: i32, dy: i32, dx: i32, r: usize): void {
  const n = oh * w;
  const off = dy * w + dx;
  const y0 = min(oh, max(0, -dy));
  const y1 = max(y0, min(oh, h - dy));
  const lo = min(y1 * w, max(y0 * w, -off));
  const hi = max(lo, min(y1 * w, h * w - off));
  memory.fill(r, 0, (<usize>lo) << 2);
  memory.copy(r + ((<usize>lo) << 2), plane + ((<usize>(lo + off)) << 2), (<usize>(hi - lo)) << 2);
  memory.fill(r + ((<usize>hi) << 2), 0, (<usize>(n - hi)) << 2);
  if (dx == 0) return;
  const z0 = dx < 0 ? 0 : max(0, w - dx);
  const z1 = dx < 0 ? min(w, -dx) : w;
  for (let oy = y0; oy < y1; oy++) {
    memory.fill(r + ((<usize>(oy * w + z0)) << 2), 0, (<usize>(z1 - z0)) << 2);
  }
}

/** x [n, c, h, w] into cols [n, c*kh*kw, l] (l = oh * ow). */
export function im2col(
  x: usize,
  n: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  dh: i32,
  dw: i32,
  cols: usize,
  l: i32,
): void {
  const ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
  const oh = l / ow;
  let o = cols;
  const shifted = sh == 1 && sw == 1 && dh == 1 && dw == 1 && ow == w;
  for (let p = 0; p < n * c; p++) {
    const plane = x + ((<usize>(p * h * w)) << 2);
    if (shifted) {
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
          shiftedPlane(plane, h, w, oh, ki - ph, kj - pw, o);
          o += (<usize>l) << 2;
        }
      }
      continue;
    }
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - ph + ki * dh;
          if (iy < 0 || iy >= h) {
            memory.fill(o, 0, (<usize>ow) << 2);
            o += (<usize>ow) << 2;
            continue;
          }
          const row = plane + ((<usize>(iy * w)) << 2);
          for (let ox = 0; ox < ow; ox++) {
            const ix = ox * sw - pw + kj * dw;
            store<f32>(o, ix >= 0 && ix < w ? load<f32>(row + ((<usize>ix) << 2)) : 0);
            o += 4;
          }
        }
      }
    }
  }
}

/** Sums cols [n, c*kh*kw, l] into out [n, c, h, w] (which holds its current values). */
export function col2im(
  cols: usize,
  n: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  dh: i32,
  dw: i32,
  out: usize,
  l: i32,
): void {
  const ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
  const oh = l / ow;
  for (let p = 0; p < n * c; p++) {
    const plane = out + ((<usize>(p * h * w)) << 2);
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        const row = cols + ((<usize>((p * kh * kw + ki * kw + kj) * l)) << 2);
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - ph + ki * dh;
          if (iy < 0 || iy >= h) continue;
          if (sw == 1 && dw == 1) {
            // Unit stride: the columns inside the plane are one run, added four at a time
            // (each element gets one term per tap, so the order within the run is free).
            const shift = kj - pw;
            const lo = min(ow, max(0, -shift));
            const hi = max(lo, min(ow, w - shift));
            const dst = plane + ((<usize>(iy * w + shift)) << 2);
            const src = row + ((<usize>(oy * ow)) << 2);
            let ox = lo;
            for (; ox + 4 <= hi; ox += 4) {
              const at = dst + ((<usize>ox) << 2);
              v128.store(at, f32x4.add(v128.load(at), v128.load(src + ((<usize>ox) << 2))));
            }
            for (; ox < hi; ox++) {
              const at = dst + ((<usize>ox) << 2);
              store<f32>(at, load<f32>(at) + load<f32>(src + ((<usize>ox) << 2)));
            }
            continue;
          }
          for (let ox = 0; ox < ow; ox++) {
            const ix = ox * sw - pw + kj * dw;
            if (ix >= 0 && ix < w) {
              const at = plane + ((<usize>(iy * w + ix)) << 2);
              store<f32>(at, load<f32>(at) + load<f32>(row + ((<usize>(oy * ow + ox)) << 2)));
            }
          }
        }
      }
    }
  }
}

/**
 * Max pooling of x [n, c, h, w] into out and idx [n, c, oh, ow], as PyTorch's CPU kernel: the
 * first maximum wins ties, NaN beats everything, a window of only -Infinity reports its first
 * valid position.
 */
export function maxPool2d(
  x: usize,
  n: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  dh: i32,
  dw: i32,
  out: usize,
  idx: usize,
  oh: i32,
  ow: i32,
): void {
  // The CNN's 2x2, stride-2 window without padding: straight-line code with selects (a
  // data-dependent branch mispredicts half the time), the general loop's comparisons in order.
  const twoByTwo =
    kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1;
  for (let p = 0; p < n * c; p++) {
    const xp = x + ((<usize>(p * h * w)) << 2);
    const base = p * oh * ow;
    if (twoByTwo) {
      for (let oy = 0; oy < oh; oy++) {
        const r0 = xp + ((<usize>(2 * oy * w)) << 2);
        const r1 = r0 + ((<usize>w) << 2);
        const o = (<usize>(base + oy * ow)) << 2;
        let ox = 0;
        // Four windows at a time: even and odd columns split out with shuffles, then the
        // comparisons as lane masks (a scalar select on floats compiles to a branch).
        for (; ox + 4 <= ow; ox += 4) {
          const c0 = (<usize>(2 * ox)) << 2;
          const a0 = v128.load(r0 + c0);
          const a1 = v128.load(r0 + c0 + 16);
          const b0 = v128.load(r1 + c0);
          const b1 = v128.load(r1 + c0 + 16);
          const i0 = i32x4.add(i32x4.splat(2 * oy * w + 2 * ox), i32x4(0, 2, 4, 6));
          let best = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
          let bi = i0;
          const v1 = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
          let t = v128.or(f32x4.gt(v1, best), f32x4.ne(v1, v1));
          best = v128.bitselect(v1, best, t);
          bi = v128.bitselect(i32x4.add(i0, i32x4.splat(1)), bi, t);
          const v2 = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
          t = v128.or(f32x4.gt(v2, best), f32x4.ne(v2, v2));
          best = v128.bitselect(v2, best, t);
          bi = v128.bitselect(i32x4.add(i0, i32x4.splat(w)), bi, t);
          const v3 = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
          t = v128.or(f32x4.gt(v3, best), f32x4.ne(v3, v3));
          best = v128.bitselect(v3, best, t);
          bi = v128.bitselect(i32x4.add(i0, i32x4.splat(w + 1)), bi, t);
          v128.store(out + o + ((<usize>ox) << 2), best);
          v128.store(idx + o + ((<usize>ox) << 2), bi);
        }
        for (; ox < ow; ox++) {
          const i0 = 2 * oy * w + 2 * ox;
          const c0 = (<usize>(2 * ox)) << 2;
          let best = load<f32>(r0 + c0);
          let bi = i0;
          const v1 = load<f32>(r0 + c0 + 4);
          const t1 = <bool>((<i32>(v1 > best)) | (<i32>(v1 != v1)));
          best = select<f32>(v1, best, t1);
          bi = select<i32>(i0 + 1, bi, t1);
          const v2 = load<f32>(r1 + c0);
          const t2 = <bool>((<i32>(v2 > best)) | (<i32>(v2 != v2)));
          best = select<f32>(v2, best, t2);
          bi = select<i32>(i0 + w, bi, t2);
          const v3 = load<f32>(r1 + c0 + 4);
          const t3 = <bool>((<i32>(v3 > best)) | (<i32>(v3 != v3)));
          best = select<f32>(v3, best, t3);
          bi = select<i32>(i0 + w + 1, bi, t3);
          store<f32>(out + o + ((<usize>ox) << 2), best);
          store<i32>(idx + o + ((<usize>ox) << 2), bi);
        }
      }
      continue;
    }
    for (let oy = 0; oy < oh; oy++) {
      let y0 = oy * sh - ph;
      const y1 = min(y0 + (kh - 1) * dh + 1, h);
      while (y0 < 0) y0 += dh;
      for (let ox = 0; ox < ow; ox++) {
        let x0 = ox * sw - pw;
        const x1 = min(x0 + (kw - 1) * dw + 1, w);
        while (x0 < 0) x0 += dw;
        let best: f32 = -Infinity;
        let bi = y0 * w + x0;
        for (let iy = y0; iy < y1; iy += dh) {
          for (let ix = x0; ix < x1; ix += dw) {
            const v = load<f32>(xp + ((<usize>(iy * w + ix)) << 2));
            if (v > best || v != v) {
              best = v;
              bi = iy * w + ix;
            }
          }
        }
        const at = (<usize>(base + oy * ow + ox)) << 2;
        store<f32>(out + at, best);
        store<i32>(idx + at, bi);
      }
    }
  }
}

/**
 * Max pooling's gradient over `planes` planes: each output plane (hw floats) is zeros with the
 * plane's gradient (ohw floats) added at its indices, in window order (the reference's
 * scatter-add). Returns false, writing nothing, when an index lies outside [0, hw).
 */
export function maxPool2dBackward(
  grad: usize,
  idx: usize,
  out: usize,
  planes: i32,
  ohw: i32,
  hw: i32,
): bool {
  const total = planes * ohw;
  for (let i = 0; i < total; i++) {
    const k = load<i32>(idx + ((<usize>i) << 2));
    if (k < 0 || k >= hw) return false;
  }
  memory.fill(out, 0, (<usize>(planes * hw)) << 2);
  for (let p = 0; p < planes; p++) {
    const op = out + ((<usize>(p * hw)) << 2);
    const base = (<usize>(p * ohw)) << 2;
    for (let j = 0; j < ohw; j++) {
      const at = op + ((<usize>load<i32>(idx + base + ((<usize>j) << 2))) << 2);
      store<f32>(at, load<f32>(at) + load<f32>(grad + base + ((<usize>j) << 2)));
    }
  }
  return true;
}

// PyTorch's window bounds for average pooling: start and end (clipped), and the padded size.
let winStart: i32 = 0;
let winEnd: i32 = 0;
let winPadded: i32 = 0;
function avgWindow(o: i32, stride: i32, pad: i32, k: i32, size: i32): void {
  let start = o * stride - pad;
  let end = min(start + k, size + pad);
  winPadded = end - start;
  winStart = max(start, 0);
  winEnd = min(end, size);
}

/** Average pooling (dilation 1), the sum in double. */
export function avgPool2d(
  x: usize,
  n: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  out: usize,
  oh: i32,
  ow: i32,
  includePad: bool,
): void {
  for (let p = 0; p < n * c; p++) {
    const xp = x + ((<usize>(p * h * w)) << 2);
    for (let oy = 0; oy < oh; oy++) {
      avgWindow(oy, sh, ph, kh, h);
      const y0 = winStart;
      const y1 = winEnd;
      const hp = winPadded;
      for (let ox = 0; ox < ow; ox++) {
        avgWindow(ox, sw, pw, kw, w);
        let sum: f64 = 0;
        for (let iy = y0; iy < y1; iy++)
          for (let ix = winStart; ix < winEnd; ix++)
            sum += <f64>load<f32>(xp + ((<usize>(iy * w + ix)) << 2));
        const div: f64 = includePad
          ? <f64>(hp * winPadded)
          : <f64>((y1 - y0) * (winEnd - winStart));
        store<f32>(out + ((<usize>((p * oh + oy) * ow + ox)) << 2), <f32>(sum / div));
      }
    }
  }
}

/** The gradient of average pooling, spread over each window and added into out. */
export function avgPool2dBackward(
  grad: usize,
  n: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  out: usize,
  oh: i32,
  ow: i32,
  includePad: bool,
): void {
  for (let p = 0; p < n * c; p++) {
    const op = out + ((<usize>(p * h * w)) << 2);
    for (let oy = 0; oy < oh; oy++) {
      avgWindow(oy, sh, ph, kh, h);
      const y0 = winStart;
      const y1 = winEnd;
      const hp = winPadded;
      for (let ox = 0; ox < ow; ox++) {
        avgWindow(ox, sw, pw, kw, w);
        const div: f64 = includePad
          ? <f64>(hp * winPadded)
          : <f64>((y1 - y0) * (winEnd - winStart));
        const v: f64 = <f64>load<f32>(grad + ((<usize>((p * oh + oy) * ow + ox)) << 2)) / div;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = winStart; ix < winEnd; ix++) {
            const at = op + ((<usize>(iy * w + ix)) << 2);
            store<f32>(at, <f32>(<f64>load<f32>(at) + v));
          }
        }
      }
    }
  }
}

// ---- Random -----------------------------------------------------------------------------------
// PyTorch's scalar-p Bernoulli (at::bernoulli_distribution over at::mt19937): two 32-bit draws
// per element, their 53-bit integer compared with p * 2^53. The engine's 624 words and its
// (left, next) counters were copied in by the JS side, which copies them back afterwards.

const MT_N: i32 = 624;
const MT_M: i32 = 397;

function mtTwist(s: usize, j: i32, k: i32, src: i32): void {
  const u = load<u32>(s + ((<usize>j) << 2));
  const v = load<u32>(s + ((<usize>k) << 2));
  const y = (u & 0x80000000) | (v & 0x7fffffff);
  const mixed = load<u32>(s + ((<usize>src) << 2)) ^ (y >>> 1) ^ ((0 - (v & 1)) & 0x9908b0df);
  store<u32>(s + ((<usize>j) << 2), mixed);
}

// Words j .. j+3 at once: each lane reads words the scalar order has (or has not yet) rewritten
// in the same way, so the result is the scalar one.
function mtTwist4(s: usize, j: i32, src: i32): void {
  const u = v128.load(s + ((<usize>j) << 2));
  const v = v128.load(s + ((<usize>(j + 1)) << 2));
  const y = v128.or(v128.and(u, i32x4.splat(0x80000000)), v128.and(v, i32x4.splat(0x7fffffff)));
  const odd = i32x4.sub(i32x4.splat(0), v128.and(v, i32x4.splat(1)));
  const mixed = v128.xor(
    v128.xor(v128.load(s + ((<usize>src) << 2)), i32x4.shr_u(y, 1)),
    v128.and(odd, i32x4.splat(0x9908b0df)),
  );
  v128.store(s + ((<usize>j) << 2), mixed);
}

function mtRefill(s: usize): void {
  let j = 0;
  for (; j + 4 <= MT_N - MT_M; j += 4) mtTwist4(s, j, j + MT_M);
  for (; j < MT_N - MT_M; j++) mtTwist(s, j, j + 1, j + MT_M);
  for (; j + 4 <= MT_N - 1; j += 4) mtTwist4(s, j, j + MT_M - MT_N);
  for (; j < MT_N - 1; j++) mtTwist(s, j, j + 1, j + MT_M - MT_N);
  mtTwist(s, MT_N - 1, 0, MT_M - 1);
}

let mtLeft: i32 = 1;
let mtNext: i32 = 0;

function mtTemper(y: u32): u32 {
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y;
}

// Fills count words at w with the engine's next outputs, a run between refills at a time.
function mtFill(s: usize, w: usize, count: i32): void {
  let i = 0;
  while (i < count) {
    if (mtLeft == 1) {
      mtRefill(s);
      mtLeft = MT_N;
      mtNext = 0;
      store<u32>(w + ((<usize>i) << 2), mtTemper(load<u32>(s)));
      mtNext = 1;
      i++;
      continue;
    }
    let take = mtLeft - 1;
    if (take > count - i) take = count - i;
    const src = s + ((<usize>mtNext) << 2);
    const dst = w + ((<usize>i) << 2);
    let j = 0;
    for (; j + 4 <= take; j += 4) {
      let y = v128.load(src + ((<usize>j) << 2));
      y = v128.xor(y, i32x4.shr_u(y, 11));
      y = v128.xor(y, v128.and(i32x4.shl(y, 7), i32x4.splat(0x9d2c5680)));
      y = v128.xor(y, v128.and(i32x4.shl(y, 15), i32x4.splat(0xefc60000)));
      y = v128.xor(y, i32x4.shr_u(y, 18));
      v128.store(dst + ((<usize>j) << 2), y);
    }
    for (; j < take; j++) {
      store<u32>(dst + ((<usize>j) << 2), mtTemper(load<u32>(src + ((<usize>j) << 2))));
    }
    i += take;
    mtNext += take;
    mtLeft -= take;
  }
}

/** Words of scratch mtBernoulli needs (its draws are made a block at a time). */
export const MT_BLOCK_WORDS: i32 = 2048;

/**
 * Fills n elements at out (dtype code dt: float32, float64, int32 or bool) with Bernoulli
 * samples from the engine at state; counters holds (left, next) and is updated; scratch holds
 * MT_BLOCK_WORDS words.
 */
export function mtBernoulli(
  state: usize,
  counters: usize,
  out: usize,
  dt: i32,
  n: i32,
  threshold: f64,
  scratch: usize,
): void {
  mtLeft = load<i32>(counters);
  mtNext = load<i32>(counters + 4);
  if (dt == DT_FLOAT32) bernoulliInto<f32>(state, out, n, threshold, scratch);
  else if (dt == DT_FLOAT64) bernoulliInto<f64>(state, out, n, threshold, scratch);
  else if (dt == DT_INT32) bernoulliInto<i32>(state, out, n, threshold, scratch);
  else bernoulliInto<u8>(state, out, n, threshold, scratch);
  store<i32>(counters, mtLeft);
  store<i32>(counters + 4, mtNext);
}

// u < threshold for the 53-bit integer u = (hi & 0x1fffff) * 2^32 + lo is u < ceil(threshold),
// compared as two 32-bit halves (no 64-bit arithmetic, so four elements fit a vector).
let bernHi: u32 = 0;
let bernLo: u32 = 0;

function bernoulliInto<T>(state: usize, out: usize, n: i32, threshold: f64, w: usize): void {
  const t = Math.ceil(threshold);
  bernHi = <u32>Math.floor(t / 4294967296);
  bernLo = <u32>(t - <f64>bernHi * 4294967296);
  const block = MT_BLOCK_WORDS >> 1;
  for (let start = 0; start < n; start += block) {
    const count = min(block, n - start);
    mtFill(state, w, 2 * count);
    let j = 0;
    if (sizeof<T>() == 4 && isFloat<T>()) {
      for (; j + 4 <= count; j += 4) {
        const a = v128.load(w + ((<usize>(2 * j)) << 2));
        const b = v128.load(w + ((<usize>(2 * j + 4)) << 2));
        const hi = v128.and(
          i8x16.shuffle(a, b, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27),
          i32x4.splat(0x1fffff),
        );
        const lo = i8x16.shuffle(a, b, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
        const th = i32x4.splat(bernHi);
        const hit = v128.or(
          i32x4.lt_u(hi, th),
          v128.and(i32x4.eq(hi, th), i32x4.lt_u(lo, i32x4.splat(bernLo))),
        );
        v128.store(out + ((<usize>(start + j)) << 2), v128.and(hit, f32x4.splat(1)));
      }
    }
    for (; j < count; j++) {
      const hi = load<u32>(w + ((<usize>(2 * j)) << 2)) & 0x1fffff;
      const lo = load<u32>(w + ((<usize>(2 * j + 1)) << 2));
      const hit = hi < bernHi || (hi == bernHi && lo < bernLo);
      store<T>(out + <usize>(start + j) * sizeof<T>(), <T>(hit ? 1 : 0));
    }
  }
}
