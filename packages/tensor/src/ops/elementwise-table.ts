/**
 * The elementwise ops, one row each: the scalar function every backend must agree with and
 * the rule that picks the result dtype. Backends may replace the loops, never the meaning.
 */
import type { DType } from '../dtype.js';
import { DEFAULT_FLOAT_DTYPE, isFloatingDType } from '../dtype.js';

/** How a unary op's result dtype follows from its input's. */
export type UnaryDTypeRule =
  | 'same' // abs, neg, relu: keep the dtype
  | 'float' // exp, sin: integers and bools become the default float dtype
  | 'bool'; // isnan, logicalNot

/** One unary op: `fn(x, p0, p1)`; `p0`/`p1` carry parameters such as clamp bounds. */
export interface UnaryOpDef {
  readonly fn: (x: number, p0: number, p1: number) => number;
  readonly dtype: UnaryDTypeRule;
}

// Abramowitz–Stegun 7.1.26 is too coarse for gradcheck in float64, so erf uses the
// W. J. Cody rational approximations (relative error < 1e-15 in double).
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax <= 0.46875) {
    const t = x * x;
    const num =
      (((0.185777706184603153 * t + 3.1611237438705656) * t + 113.864154151050156) * t +
        377.485237685302021) *
        t +
      3209.37758913846947;
    const den =
      (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t +
      2844.23683343917062;
    return (x * num) / den;
  }
  return Math.sign(x) * (1 - erfcPositive(ax));
}

function erfcPositive(x: number): number {
  let r: number;
  if (x < 4) {
    const num =
      (((((((2.15311535474403846e-8 * x + 5.64188496988670089e-1) * x + 8.88314979438837594) * x +
        66.1191906371416295) *
        x +
        298.635138197400131) *
        x +
        881.95222124176909) *
        x +
        1712.04761263407058) *
        x +
        2051.07837782607147) *
        x +
      1230.33935479799725;
    const den =
      (((((((x + 15.7449261107098347) * x + 117.693950891312499) * x + 537.181101862009858) * x +
        1621.38957456669019) *
        x +
        3290.79923573345963) *
        x +
        4362.61909014324716) *
        x +
        3439.36767414372164) *
        x +
      1230.33935480374942;
    r = num / den;
  } else {
    if (x > 27) return 0;
    const z = 1 / (x * x);
    const num =
      ((((1.63153871373020978e-2 * z + 3.05326634961232344e-1) * z + 3.60344899949804439e-1) * z +
        1.25781726111229246e-1) *
        z +
        1.60837851487422766e-2) *
        z +
      6.58749161529837803e-4;
    const den =
      ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 5.27905102951428412e-1) * z +
        6.05183413124413191e-2) *
        z +
      2.33520497626869185e-3;
    r = (1 / Math.sqrt(Math.PI) - (z * num) / den) / x;
  }
  // Split x^2 so exp(-x^2) keeps full precision for large x.
  const xs = Math.trunc(x * 16) / 16;
  const del = (x - xs) * (x + xs);
  return Math.exp(-xs * xs) * Math.exp(-del) * r;
}

/** The error function, accurate to double precision. */
export const erfScalar = erf;

const SQRT1_2 = Math.SQRT1_2;

/** Every unary op gd knows, by name. */
export const UNARY_OPS = {
  neg: { fn: (x) => -x, dtype: 'same' },
  abs: { fn: (x) => Math.abs(x), dtype: 'same' },
  // As PyTorch: sign(NaN) is 0 and sign(-0) is +0.
  sign: { fn: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), dtype: 'same' },
  exp: { fn: (x) => Math.exp(x), dtype: 'float' },
  log: { fn: (x) => Math.log(x), dtype: 'float' },
  log2: { fn: (x) => Math.log2(x), dtype: 'float' },
  log1p: { fn: (x) => Math.log1p(x), dtype: 'float' },
  expm1: { fn: (x) => Math.expm1(x), dtype: 'float' },
  sqrt: { fn: (x) => Math.sqrt(x), dtype: 'float' },
  rsqrt: { fn: (x) => 1 / Math.sqrt(x), dtype: 'float' },
  reciprocal: { fn: (x) => 1 / x, dtype: 'float' },
  square: { fn: (x) => x * x, dtype: 'same' },
  sin: { fn: (x) => Math.sin(x), dtype: 'float' },
  cos: { fn: (x) => Math.cos(x), dtype: 'float' },
  tan: { fn: (x) => Math.tan(x), dtype: 'float' },
  tanh: { fn: (x) => Math.tanh(x), dtype: 'float' },
  // Split by sign so exp never overflows.
  sigmoid: {
    fn: (x) => {
      if (x >= 0) return 1 / (1 + Math.exp(-x));
      const e = Math.exp(x);
      return e / (1 + e);
    },
    dtype: 'float',
  },
  // clamp_min(x, 0): NaN and -0 pass through, as in PyTorch.
  relu: { fn: (x) => (x < 0 ? 0 : x), dtype: 'same' },
  // Exact GELU (PyTorch's default approximate='none').
  gelu: { fn: (x) => 0.5 * x * (1 + erf(x * SQRT1_2)), dtype: 'float' },
  geluTanh: {
    fn: (x) => 0.5 * x * (1 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))),
    dtype: 'float',
  },
  silu: {
    fn: (x) => (x >= 0 ? x / (1 + Math.exp(-x)) : (x * Math.exp(x)) / (1 + Math.exp(x))),
    dtype: 'float',
  },
  // log(1 + e^x) without overflow; PyTorch's beta=1, threshold=20.
  softplus: { fn: (x) => (x > 20 ? x : Math.log1p(Math.exp(x))), dtype: 'float' },
  erf: { fn: (x) => erf(x), dtype: 'float' },
  floor: { fn: (x) => Math.floor(x), dtype: 'same' },
  ceil: { fn: (x) => Math.ceil(x), dtype: 'same' },
  // Round half to even, as PyTorch does.
  round: {
    fn: (x) => {
      const r = Math.round(x);
      return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
    },
    dtype: 'same',
  },
  trunc: { fn: (x) => Math.trunc(x), dtype: 'same' },
  // clamp(x, min, max): NaN stays NaN; missing bounds arrive as -Infinity / Infinity.
  // min(max(x, lo), hi), so lo > hi gives hi everywhere, as torch.clamp does.
  clamp: {
    fn: (x, lo, hi) => {
      const y = x < lo ? lo : x;
      return y > hi ? hi : y;
    },
    dtype: 'same',
  },
  leakyRelu: { fn: (x, slope) => (x > 0 ? x : x * slope), dtype: 'float' },
  powScalar: {
    fn: (x, p) =>
      x === 1 || (x === -1 && (p === Infinity || p === -Infinity)) ? 1 : Math.pow(x, p),
    dtype: 'same',
  },
  logicalNot: { fn: (x) => (x === 0 ? 1 : 0), dtype: 'bool' }, // NaN is true, so its not is false
  isnan: { fn: (x) => (x !== x ? 1 : 0), dtype: 'bool' },
  isinf: { fn: (x) => (x === Infinity || x === -Infinity ? 1 : 0), dtype: 'bool' },
  isfinite: { fn: (x) => (Number.isFinite(x) ? 1 : 0), dtype: 'bool' },
} satisfies Record<string, UnaryOpDef>;

/** Name of a unary op in {@link UNARY_OPS}. */
export type UnaryOp = keyof typeof UNARY_OPS;

/** How a binary op's result dtype follows from its promoted input dtype. */
export type BinaryDTypeRule =
  | 'promote' // add, mul: the promoted dtype
  | 'float' // div, atan2: the promoted dtype, made floating
  | 'bool'; // comparisons and logical ops

/** One binary op: `fn(a, b, p)`; `p` is `alpha` for add/sub and unused elsewhere. */
export interface BinaryOpDef {
  readonly fn: (a: number, b: number, p: number) => number;
  readonly dtype: BinaryDTypeRule;
}

/** Every binary op gd knows, by name. */
export const BINARY_OPS = {
  add: { fn: (a, b, alpha) => a + alpha * b, dtype: 'promote' },
  sub: { fn: (a, b, alpha) => a - alpha * b, dtype: 'promote' },
  mul: { fn: (a, b) => a * b, dtype: 'promote' },
  div: { fn: (a, b) => a / b, dtype: 'float' },
  // C's pow, which differs from Math.pow in pow(1, y) = 1 (NaN and ±Infinity too) and
  // pow(-1, ±Infinity) = 1.
  pow: {
    fn: (a, b) =>
      a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : Math.pow(a, b),
    dtype: 'promote',
  },
  atan2: { fn: (a, b) => Math.atan2(a, b), dtype: 'float' },
  // Python's modulo: the result takes the sign of the divisor.
  remainder: {
    fn: (a, b) => {
      const r = a % b;
      return r !== 0 && r < 0 !== b < 0 ? r + b : r;
    },
    dtype: 'promote',
  },
  // PyTorch's div_floor: Python's `//` built on fmod, so 1 // 0.1 is 9 (Math.floor(1 / 0.1) is 10).
  floorDivide: {
    fn: (a, b) => {
      if (b === 0) return a / b;
      const mod = a % b;
      let div = (a - mod) / b;
      if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
      if (div === 0) {
        const q = a / b;
        return q < 0 || Object.is(q, -0) ? -0 : 0;
      }
      let fl = Math.floor(div);
      if (div - fl > 0.5) fl += 1;
      return fl;
    },
    dtype: 'promote',
  },
  // NaN wins, as in torch.maximum.
  maximum: { fn: (a, b) => (a !== a || a > b ? a : b), dtype: 'promote' },
  minimum: { fn: (a, b) => (a !== a || a < b ? a : b), dtype: 'promote' },
  eq: { fn: (a, b) => (a === b ? 1 : 0), dtype: 'bool' },
  ne: { fn: (a, b) => (a !== b ? 1 : 0), dtype: 'bool' },
  lt: { fn: (a, b) => (a < b ? 1 : 0), dtype: 'bool' },
  le: { fn: (a, b) => (a <= b ? 1 : 0), dtype: 'bool' },
  gt: { fn: (a, b) => (a > b ? 1 : 0), dtype: 'bool' },
  ge: { fn: (a, b) => (a >= b ? 1 : 0), dtype: 'bool' },
  // Non-zero is true, NaN included (JS's own truthiness would make NaN false).
  logicalAnd: { fn: (a, b) => (a !== 0 && b !== 0 ? 1 : 0), dtype: 'bool' },
  logicalOr: { fn: (a, b) => (a !== 0 || b !== 0 ? 1 : 0), dtype: 'bool' },
  logicalXor: { fn: (a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0), dtype: 'bool' },
} satisfies Record<string, BinaryOpDef>;

/** Name of a binary op in {@link BINARY_OPS}. */
export type BinaryOp = keyof typeof BINARY_OPS;

/** The result dtype of a unary op applied to `dtype`. */
export function unaryResultDType(op: UnaryOp, dtype: DType): DType {
  const rule: UnaryDTypeRule = UNARY_OPS[op].dtype;
  if (rule === 'bool') return 'bool';
  if (rule === 'float' && !isFloatingDType(dtype)) return DEFAULT_FLOAT_DTYPE;
  return dtype;
}

/** The result dtype of a binary op whose operands promote to `promoted`. */
export function binaryResultDType(op: BinaryOp, promoted: DType): DType {
  const rule: BinaryDTypeRule = BINARY_OPS[op].dtype;
  if (rule === 'bool') return 'bool';
  if (rule === 'float' && !isFloatingDType(promoted)) return DEFAULT_FLOAT_DTYPE;
  return promoted;
}

/** The reductions a backend implements. `mean`, `var` and the rest are built on these. */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'any' | 'all' | 'logsumexp';
