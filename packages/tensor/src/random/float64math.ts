/**
 * Float64 helpers for reproducing PyTorch's CPU kernels: an exact fused multiply-add (GCC
 * contracts `a * b + c` into an FMA in PyTorch's AVX2 kernels) built from error-free
 * transformations and Boldo–Melquiond rounding to odd.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the low / high 32-bit word of a float64 in `u32` (little- or big-endian host). */
const LO = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;
const SPLITTER = 134217729; // 2^27 + 1
const SPLIT_LIMIT = 6.69692879491417e299; // 2^996: above this Veltkamp's split may overflow

/** Scratch outputs of the error-free transformations. */
let errOut = 0;

/** a * b = p + errOut exactly (Dekker's product with Veltkamp's split); returns p. */
function twoProduct(a: number, b: number): number {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  errOut = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}

/** a + b = s + errOut exactly (Knuth's TwoSum); returns s. */
function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  errOut = a - (s - bb) + (b - bb);
  return s;
}

/** a + b rounded to odd: exact when representable, else the neighbour with an odd last bit. */
function addRoundToOdd(a: number, b: number): number {
  const s = twoSum(a, b);
  const e = errOut;
  if (e === 0 || !Number.isFinite(s)) return s;
  f64[0] = s;
  if ((u32[LO]! & 1) === 1) return s;
  // Step one ulp towards the exact value a + b = s + e (away from zero when e has s's sign).
  const away = e > 0 === s > 0;
  if (away) {
    if (u32[LO] === 0xffffffff) {
      u32[LO] = 0;
      u32[HI] = u32[HI]! + 1;
    } else u32[LO] = u32[LO]! + 1;
  } else if (u32[LO] === 0) {
    u32[LO] = 0xffffffff;
    u32[HI] = u32[HI]! - 1;
  } else u32[LO] = u32[LO]! - 1;
  return f64[0]!;
}

/**
 * The float64 fused multiply-add `a * b + c` with a single rounding (C's `fma`).
 * Exact for finite arguments whose product neither overflows nor underflows; otherwise it falls
 * back to `a * b + c`.
 *
 * @example
 * ```ts
 * fma(0.1, 10, -1); // 5.551115123125783e-17, where 0.1 * 10 - 1 gives 0
 * ```
 */
export function fma(a: number, b: number, c: number): number {
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  if (!(aa < SPLIT_LIMIT && ab < SPLIT_LIMIT) || !Number.isFinite(c)) return a * b + c;
  const p = a * b;
  if (p === 0 || Math.abs(p) < 2.004168360008973e-292 || Math.abs(p) > 1.7e308) return p + c;
  const uh = twoProduct(a, b);
  const ul = errOut;
  const th = twoSum(c, uh);
  const tl = errOut;
  return th + addRoundToOdd(tl, ul);
}
