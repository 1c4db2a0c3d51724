/**
 * Bit-exact scalar emulations of the float32 maths that PyTorch's CPU normal kernel uses:
 * `log256_ps` and `sincos256_ps` from `ATen/native/cpu/avx_mathfun.h` (Julien Pommier's
 * Cephes-derived SSE/AVX routines) and the fused multiply-add `_mm256_fmadd_ps`.
 *
 * Every float32 operation is a double operation followed by `Math.fround`; for +, -, * and sqrt
 * of float32 operands this double rounding is exact (53 >= 2 * 24 + 2).
 */

const fround = Math.fround;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const FLT_MAX = 3.4028234663852886e38; // 2^128 - 2^104
const OVERFLOW = 3.4028235677973366e38; // 2^128 - 2^103, halfway from FLT_MAX to 2^128

/**
 * The float32 fused multiply-add `a * b + c` with a single rounding (like `fmaf`), for float32
 * `a`, `b` and `c`.
 *
 * @example
 * ```ts
 * fmaf(Math.fround(0.1), 3, Math.fround(-0.3)); // -7.450580596923828e-9, one rounding like _mm256_fmadd_ps
 * ```
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b; // exact: 24 + 24 significant bits fit in a double
  const s = p + c;
  // TwoSum: s + e === p + c exactly.
  const bv = s - p;
  const e = p - (s - bv) + (c - bv);
  const r = fround(s);
  if (e === 0 || !Number.isFinite(s)) return r;
  // Past FLT_MAX: infinite unless s is the overflow threshold exactly and e points back inside.
  if (!Number.isFinite(r))
    return Math.abs(s) === OVERFLOW && e > 0 !== s > 0 ? (s > 0 ? FLT_MAX : -FLT_MAX) : r;
  // fround(s) is only wrong when s sits exactly halfway between two floats and e breaks the tie.
  const other = 2 * s - r;
  if (other !== r && fround(other) === other && Math.abs(other - s) === Math.abs(r - s)) {
    return other - s > 0 === e > 0 ? other : r;
  }
  return r;
}

// avx_mathfun.h constants (declared as float arrays, so each literal is rounded to float32).
const SQRTHF = fround(0.707106781186547524);
const LOG_P0 = fround(7.0376836292e-2);
const LOG_P1 = fround(-1.151461031e-1);
const LOG_P2 = fround(1.167699874e-1);
const LOG_P3 = fround(-1.2420140846e-1);
const LOG_P4 = fround(1.4249322787e-1);
const LOG_P5 = fround(-1.6668057665e-1);
const LOG_P6 = fround(2.0000714765e-1);
const LOG_P7 = fround(-2.4999993993e-1);
const LOG_P8 = fround(3.3333331174e-1);
const LOG_Q1 = fround(-2.1219444e-4);
const LOG_Q2 = fround(0.693359375);

/**
 * One lane of `log256_ps`: the natural logarithm of a positive float32, as avx_mathfun computes
 * it in float32 arithmetic (NaN for x <= 0; denormals are flushed to the smallest normal).
 *
 * @example
 * ```ts
 * avxLogf(1); // 0
 * avxLogf(Math.fround(0.5)); // -0.6931471824645996 (float32 ln 2, negated)
 * ```
 */
export function avxLogf(xIn: number): number {
  if (!(xIn > 0)) return Number.NaN;
  f32[0] = Math.max(xIn, 1.1754943508222875e-38);
  const bits = u32[0]!;
  const exponent = (bits >>> 23) - 0x7f;
  u32[0] = (bits & ~0x7f800000) | 0x3f000000; // mantissa, scaled into [0.5, 1)
  let x = f32[0]!;
  let e = fround(exponent + 1);
  if (x < SQRTHF) {
    e = fround(e - 1);
    x = fround(fround(x - 1) + x);
  } else {
    x = fround(x - 1);
  }
  const z = fround(x * x);
  // GCC contracts each mul feeding an add into an FMA (the AVX2 kernels are built with -mfma).
  let y = fmaf(LOG_P0, x, LOG_P1);
  y = fmaf(y, x, LOG_P2);
  y = fmaf(y, x, LOG_P3);
  y = fmaf(y, x, LOG_P4);
  y = fmaf(y, x, LOG_P5);
  y = fmaf(y, x, LOG_P6);
  y = fmaf(y, x, LOG_P7);
  y = fmaf(y, x, LOG_P8);
  y = fround(y * x);
  y = fmaf(y, z, fround(e * LOG_Q1));
  y = fround(y - fround(z * 0.5));
  x = fmaf(e, LOG_Q2, fround(x + y));
  return x;
}

const MINUS_DP1 = fround(-0.78515625);
const MINUS_DP2 = fround(-2.4187564849853515625e-4);
const MINUS_DP3 = fround(-3.77489497744594108e-8);
const SINCOF_P0 = fround(-1.9515295891e-4);
const SINCOF_P1 = fround(8.3321608736e-3);
const SINCOF_P2 = fround(-1.6666654611e-1);
const COSCOF_P0 = fround(2.443315711809948e-5);
const COSCOF_P1 = fround(-1.388731625493765e-3);
const COSCOF_P2 = fround(4.166664568298827e-2);
const FOPI = fround(1.27323954473516);

/** Output slots of {@link avxSinCosf}: `[sin, cos]`. */
export const sinCosOut: Float64Array = new Float64Array(2);

/**
 * One lane of `sincos256_ps`: writes float32 sin(x) and cos(x), as avx_mathfun computes them, to
 * `sinCosOut[0]` and `sinCosOut[1]` (accurate for |x| < 8192, which covers theta in [0, 2*pi)).
 *
 * @example
 * ```ts
 * avxSinCosf(0);
 * sinCosOut[0]; // 0
 * sinCosOut[1]; // 1
 * ```
 */
export function avxSinCosf(xIn: number): void {
  let signSin = xIn < 0 || Object.is(xIn, -0);
  let x = Math.abs(xIn);
  // cvttps_epi32 truncates; j = (j + 1) & ~1.
  let j = Math.trunc(fround(x * FOPI)) | 0;
  j = (j + 1) & ~1;
  const y = j; // an even integer, exact in float32 for the arguments we use
  if (j & 4) signSin = !signSin;
  const polyMask = (j & 2) === 0;
  // "Extended precision modular arithmetic": x = ((x - y * DP1) - y * DP2) - y * DP3.
  x = fmaf(y, MINUS_DP1, x);
  x = fmaf(y, MINUS_DP2, x);
  x = fmaf(y, MINUS_DP3, x);
  const signCos = (~(j - 2) & 4) !== 0;
  const z = fround(x * x);
  // Cosine polynomial on [0, pi/4].
  let c = fmaf(COSCOF_P0, z, COSCOF_P1);
  c = fmaf(c, z, COSCOF_P2);
  c = fround(c * z);
  c = fmaf(c, z, -fround(z * 0.5));
  c = fround(c + 1);
  // Sine polynomial on [0, pi/4].
  let s = fmaf(SINCOF_P0, z, SINCOF_P1);
  s = fmaf(s, z, SINCOF_P2);
  s = fround(s * z);
  s = fmaf(s, x, x);
  // Select: ysin2 = mask & s, ysin1 = ~mask & c; sin = ysin1 + ysin2, cos = (c - ysin1) + (s - ysin2).
  const ysin2 = polyMask ? s : 0;
  const ysin1 = polyMask ? 0 : c;
  const sinV = fround(ysin1 + ysin2);
  const cosV = fround(fround(c - ysin1) + fround(s - ysin2));
  sinCosOut[0] = signSin ? -sinV : sinV;
  sinCosOut[1] = signCos ? -cosV : cosV;
}
