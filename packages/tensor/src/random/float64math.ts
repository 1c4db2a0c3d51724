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

/**
 * Scratch registers: [0] the error term of the last error-free transformation, [1] and [2] the
 * hi and lo parts of the last double-double result. (A typed array, not module-level `let`s:
 * V8 boxes doubles stored in module variables, which made every operation allocate.)
 */
const reg = new Float64Array(3);

/** a * b = p + reg[0] exactly (Dekker's product with Veltkamp's split); returns p. */
function twoProduct(a: number, b: number): number {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  reg[0] = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}

/** a + b = s + reg[0] exactly (Knuth's TwoSum); returns s. */
function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  reg[0] = a - (s - bb) + (b - bb);
  return s;
}

/** a + b rounded to odd: exact when representable, else the neighbour with an odd last bit. */
function addRoundToOdd(a: number, b: number): number {
  const s = twoSum(a, b);
  const e = reg[0]!;
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
  const ul = reg[0]!;
  const th = twoSum(c, uh);
  const tl = reg[0]!;
  return th + addRoundToOdd(tl, ul);
}

// ---------------------------------------------------------------------------------------------
// Double-double (hi + lo) arithmetic. Results are returned in (reg[1], reg[2]).
// ---------------------------------------------------------------------------------------------

/** (reg[1], reg[2]) = a + b with |a| >= |b| (Dekker's fast two-sum). */
function quickTwoSum(a: number, b: number): void {
  const s = a + b;
  reg[2] = b - (s - a);
  reg[1] = s;
}

/** (reg[1], reg[2]) = (ah, al) + (bh, bl), the accurate double-double sum. */
function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  let s1 = twoSum(ah, bh);
  let s2 = reg[0]!;
  const t1 = twoSum(al, bl);
  const t2 = reg[0]!;
  s2 += t1;
  quickTwoSum(s1, s2);
  s1 = reg[1]!;
  s2 = reg[2]! + t2;
  quickTwoSum(s1, s2);
}

/** (reg[1], reg[2]) = (ah, al) * (bh, bl). */
function ddMul(ah: number, al: number, bh: number, bl: number): void {
  const p = twoProduct(ah, bh);
  quickTwoSum(p, reg[0]! + (ah * bl + al * bh));
}

/** (reg[1], reg[2]) = 1 / n as a double-double. */
function ddReciprocal(n: number): void {
  const hi = 1 / n;
  const p = twoProduct(hi, n); // hi * n = p + reg[0]
  quickTwoSum(hi, (1 - p - reg[0]!) / n);
}

/** (reg[1], reg[2]) = (ah, al) / (bh, bl), to about 2^-104. */
function ddDiv(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  ddMul(q1, 0, bh, bl);
  ddAdd(ah, al, -reg[1]!, -reg[2]!);
  const q2 = reg[1]! / bh;
  quickTwoSum(q1, q2);
}

const SQRT2 = 1.4142135623730951;
const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;
const LOG_TABLE_BITS = 7; // log(c) tabulated for c = 1 + j / 128
const LOG_TABLE_SCALE = 1 << LOG_TABLE_BITS;
const LOG_TABLE_MIN = -38; // c from 1 - 38/128 (< sqrt(1/2)) to 1 + 53/128 (> sqrt(2))
const LOG_TABLE_MAX = 53;
const LOG_TABLE_HI = new Float64Array(LOG_TABLE_MAX - LOG_TABLE_MIN + 1);
const LOG_TABLE_LO = new Float64Array(LOG_TABLE_MAX - LOG_TABLE_MIN + 1);

// log(c) = 2 atanh(s), s = (c - 1) / (c + 1), summed entirely in double-double (|s| < 0.18).
for (let j = LOG_TABLE_MIN; j <= LOG_TABLE_MAX; j++) {
  const c = 1 + j / LOG_TABLE_SCALE;
  ddDiv(c - 1, 0, c + 1, 0);
  const sh = reg[1]!;
  const sl = reg[2]!;
  ddMul(sh, sl, sh, sl);
  const s2h = reg[1]!;
  const s2l = reg[2]!;
  let accH = 0;
  let accL = 0;
  for (let n = 24; n >= 0; n--) {
    ddMul(accH, accL, s2h, s2l);
    const mh = reg[1]!;
    const ml = reg[2]!;
    ddReciprocal(2 * n + 1);
    ddAdd(mh, ml, reg[1]!, reg[2]!);
    accH = reg[1]!;
    accL = reg[2]!;
  }
  ddMul(accH, accL, 2 * sh, 2 * sl);
  LOG_TABLE_HI[j - LOG_TABLE_MIN] = reg[1]!;
  LOG_TABLE_LO[j - LOG_TABLE_MIN] = reg[2]!;
}

/**
 * The natural logarithm, correctly rounded except in about one case in 2^15 (double-double
 * evaluation to ~2^-70). glibc's `log` is correctly rounded in all but a few cases in 10^3-10^4,
 * so this agrees with it far more often than `Math.log`, whose last bit differs in several
 * percent of cases.
 *
 * @example
 * ```ts
 * accurateLog(0.5); // -0.6931471805599453
 * ```
 */
export function accurateLog(x: number): number {
  if (x === 1) return 0;
  if (!(x > 0) || x === Number.POSITIVE_INFINITY) return Math.log(x);
  f64[0] = x;
  let hiWord = u32[HI]!;
  let k = (hiWord >>> 20) - 1023;
  if (k === -1023) {
    // Subnormal: scale into the normal range first.
    f64[0] = x * 18014398509481984; // 2^54
    hiWord = u32[HI]!;
    k = (hiWord >>> 20) - 1023 - 54;
  }
  u32[HI] = (hiWord & 0x000fffff) | 0x3ff00000;
  let m = f64[0]!; // in [1, 2)
  if (m > SQRT2) {
    m *= 0.5;
    k += 1;
  }
  const j = Math.round((m - 1) * LOG_TABLE_SCALE);
  const c = 1 + j / LOG_TABLE_SCALE;
  // r = (m - c) / (m + c) as a double-double; m - c is exact (Sterbenz).
  const num = m - c;
  const dh = twoSum(m, c);
  const dl = reg[0]!;
  const rh = num / dh;
  const p = twoProduct(rh, dh);
  const rl = (num - p - reg[0]! - rh * dl) / dh;
  // log(m / c) = 2 atanh(r) = 2r + 2r^3 (1/3 + r^2/5 + r^4/7 + r^6/9), |r| < 2^-8.
  const r2 = rh * rh;
  const tail = 2 * rh * r2 * (1 / 3 + r2 * (1 / 5 + r2 * (1 / 7 + r2 / 9)));
  quickTwoSum(2 * rh, 2 * rl + tail);
  const ah = reg[1]!;
  const al = reg[2]!;
  ddAdd(ah, al, LOG_TABLE_HI[j - LOG_TABLE_MIN]!, LOG_TABLE_LO[j - LOG_TABLE_MIN]!);
  if (k !== 0) {
    const bh = reg[1]!;
    const bl = reg[2]!;
    const kh = twoProduct(k, LN2_HI);
    ddAdd(kh, reg[0]! + k * LN2_LO, bh, bl);
  }
  return reg[1]! + reg[2]!;
}

// pi/2 = PIO2_1 + PIO2_2 + PIO2_3 (+ 2^-170), the first two with 33 significant bits so that
// k * PIO2_1 and k * PIO2_2 are exact for |k| < 2^20.
const PIO2_1 = 1.5707963267341256;
const PIO2_2 = 6.077100506303966e-11;
const PIO2_3 = 2.0222662487959506e-21;
const TWO_OVER_PI = 0.6366197723675814;

// Double-double Taylor coefficients: SIN_C[n] = (-1)^n / (2n+1)!, COS_C[n] = (-1)^n / (2n)!.
const SIN_HI = new Float64Array(4);
const SIN_LO = new Float64Array(4);
const COS_HI = new Float64Array(4);
const COS_LO = new Float64Array(4);
for (let n = 1; n < 4; n++) {
  let f = 1;
  for (let i = 2; i <= 2 * n + 1; i++) f *= i; // exact: 7! = 5040
  ddReciprocal(f);
  SIN_HI[n] = n % 2 ? -reg[1]! : reg[1]!;
  SIN_LO[n] = n % 2 ? -reg[2]! : reg[2]!;
  f = 1;
  for (let i = 2; i <= 2 * n; i++) f *= i;
  ddReciprocal(f);
  COS_HI[n] = n % 2 ? -reg[1]! : reg[1]!;
  COS_LO[n] = n % 2 ? -reg[2]! : reg[2]!;
}
// Plain-double tails of the series, n = 4 .. 11.
const SIN_TAIL = new Float64Array(8);
const COS_TAIL = new Float64Array(8);
{
  let fs = 5040;
  let fc = 720;
  for (let n = 4; n <= 11; n++) {
    fs *= 2 * n * (2 * n + 1);
    fc *= (2 * n - 1) * (2 * n);
    SIN_TAIL[n - 4] = (n % 2 ? -1 : 1) / fs;
    COS_TAIL[n - 4] = (n % 2 ? -1 : 1) / fc;
  }
}

/** Output slots of {@link accurateSinCos}: `[sin, cos]`. */
export const accurateSinCosOut: Float64Array = new Float64Array(2);

/**
 * sin(x) and cos(x), correctly rounded except in about one case in 2^15 (double-double
 * evaluation after a three-part reduction by pi/2), written to `accurateSinCosOut[0]` and
 * `accurateSinCosOut[1]`. Meant for |x| up to a few thousand; larger arguments fall back to
 * `Math.sin` / `Math.cos`.
 *
 * @example
 * ```ts
 * accurateSinCos(1);
 * accurateSinCosOut[0]; // 0.8414709848078965
 * accurateSinCosOut[1]; // 0.5403023058681398
 * ```
 */
export function accurateSinCos(x: number): void {
  if (!(Math.abs(x) < 1e5)) {
    accurateSinCosOut[0] = Math.sin(x);
    accurateSinCosOut[1] = Math.cos(x);
    return;
  }
  const k = Math.round(x * TWO_OVER_PI);
  // r = x - k pi/2 as a double-double.
  const t1 = x - k * PIO2_1; // exact
  const sh = twoSum(t1, -(k * PIO2_2));
  const sl = reg[0]!;
  const ph = twoProduct(k, PIO2_3);
  ddAdd(sh, sl, -ph, -reg[0]!);
  const rh = reg[1]!;
  const rl = reg[2]!;
  ddMul(rh, rl, rh, rl);
  const zh = reg[1]!;
  const zl = reg[2]!;
  // sin(r) = r + r z (S1 + z (S2 + z (S3 + z tail(z)))).
  let t = 0;
  for (let i = SIN_TAIL.length - 1; i >= 0; i--) t = SIN_TAIL[i]! + zh * t;
  let accH = t;
  let accL = 0;
  for (let n = 3; n >= 1; n--) {
    ddMul(accH, accL, zh, zl);
    ddAdd(SIN_HI[n]!, SIN_LO[n]!, reg[1]!, reg[2]!);
    accH = reg[1]!;
    accL = reg[2]!;
  }
  ddMul(accH, accL, zh, zl);
  ddMul(reg[1]!, reg[2]!, rh, rl);
  ddAdd(rh, rl, reg[1]!, reg[2]!);
  const sinR = reg[1]! + reg[2]!;
  // cos(r) = 1 + z (C1 + z (C2 + z (C3 + z tail(z)))).
  t = 0;
  for (let i = COS_TAIL.length - 1; i >= 0; i--) t = COS_TAIL[i]! + zh * t;
  accH = t;
  accL = 0;
  for (let n = 3; n >= 1; n--) {
    ddMul(accH, accL, zh, zl);
    ddAdd(COS_HI[n]!, COS_LO[n]!, reg[1]!, reg[2]!);
    accH = reg[1]!;
    accL = reg[2]!;
  }
  ddMul(accH, accL, zh, zl);
  ddAdd(1, 0, reg[1]!, reg[2]!);
  const cosR = reg[1]! + reg[2]!;
  switch (((k % 4) + 4) % 4) {
    case 0:
      accurateSinCosOut[0] = sinR;
      accurateSinCosOut[1] = cosR;
      break;
    case 1:
      accurateSinCosOut[0] = cosR;
      accurateSinCosOut[1] = -sinR;
      break;
    case 2:
      accurateSinCosOut[0] = -sinR;
      accurateSinCosOut[1] = -cosR;
      break;
    default:
      accurateSinCosOut[0] = -cosR;
      accurateSinCosOut[1] = sinR;
  }
}
