/**
 * @gd/tensor/kernel-languages — how the fast backends' kernel languages spell a formula: C++ for
 * the native addon and AssemblyScript for the WebAssembly kernels (both rendered at build time),
 * WGSL for the WebGPU backend (rendered as its kernels are made). JavaScript, the reference
 * backend's language, is `formula.JS` in `@gd/tensor`; the rest live here so that a page loads
 * each only with the code that renders it.
 *
 * @example
 * ```ts
 * import { formula as f, unaryFormula } from '@gd/tensor';
 * import { LANGUAGES } from '@gd/tensor/kernel-languages';
 * for (const [name, language] of Object.entries(LANGUAGES)) {
 *   console.log(name, f.renders(unaryFormula('erf'), language)); // false for as, wgsl-i32
 * }
 * f.render(unaryFormula('relu'), LANGUAGES.cpp); // '((x < C(0.0)) ? C(0.0) : x)'
 * ```
 *
 * @packageDocumentation
 */
import type { BinaryNode, LanguageSpec, MathFn } from './ops/registry/formula.js';
import { JS, isBooleanNode } from './ops/registry/formula.js';

/** A kernel language a formula renders into, by name. */
export type Language = 'js' | 'cpp' | 'as' | 'wgsl' | 'wgsl-i32';

function cLiteral(value: number, type: string, nan: string, inf: string): string {
  if (Number.isNaN(value)) return nan;
  if (value === Infinity) return inf;
  if (value === -Infinity) return `(-${inf})`;
  const s = Number.isInteger(value) && Math.abs(value) < 1e15 ? `${value}.0` : String(value);
  return `${type}(${Object.is(value, -0) ? '-0.0' : s})`;
}

/** C++ (`C` is the compute type of the native addon's kernels). */
export const CPP: LanguageSpec = {
  name: 'cpp',
  fns: {
    abs: 'std::fabs',
    exp: 'std::exp',
    expm1: 'std::expm1',
    log: 'std::log',
    log2: 'std::log2',
    log1p: 'std::log1p',
    sqrt: 'std::sqrt',
    sin: 'std::sin',
    cos: 'std::cos',
    tan: 'std::tan',
    tanh: 'std::tanh',
    atan2: 'std::atan2',
    floor: 'std::floor',
    ceil: 'std::ceil',
    trunc: 'std::trunc',
    rint: 'std::nearbyint',
    erf: 'std::erf',
    pow: 'std::pow',
    isfinite: 'std::isfinite',
  },
  literal: (value) => cLiteral(value, 'C', 'C(NAN)', 'C(INFINITY)'),
};

// JavaScript's Math, as far as JavaScript spells it `Math.fn` (AssemblyScript's Math is float64).
const MATH = Object.fromEntries(
  Object.entries(JS.fns).filter(([, spelled]) => spelled.startsWith('Math.')),
) as Partial<Record<MathFn, string>>;

/** AssemblyScript, the WebAssembly kernels' language (float64 math). */
export const AS: LanguageSpec = {
  name: 'as',
  fns: { ...MATH, rint: 'nearest<f64>', isfinite: 'isFinite<f64>' },
  literal: (value) => `(${cLiteral(value, '<f64>', 'NaN', 'Infinity')})`,
};

// WGSL rejects literals outside f32's range at compile time, so non-finite ones are bit casts.
function wgslLiteral(value: number): string {
  if (Number.isNaN(value)) return 'bitcast<f32>(gd_u(0x7fc00000u))';
  if (value === Infinity || value > 3.4028234663852886e38) return 'bitcast<f32>(gd_u(0x7f800000u))';
  if (value === -Infinity || value < -3.4028234663852886e38)
    return 'bitcast<f32>(gd_u(0xff800000u))';
  if (Object.is(value, -0)) return '(-0.0f)';
  const s = String(value);
  const f = /[.eE]/.test(s) ? s : `${s}.0`;
  return value < 0 ? `(${f}f)` : `${f}f`;
}

// Integer literals for the int32 kernels; a formula with a fractional constant has none.
function wgslIntLiteral(value: number): string {
  if (!Number.isInteger(value) || Math.abs(value) > 2147483647) {
    throw new Error(`formula: wgsl-i32 has no literal ${value}`);
  }
  return value < 0 ? `(${value}i)` : `${value}i`;
}

// Float comparisons in WGSL go through helpers with IEEE NaN semantics (see WGSL).
const WGSL_COMPARE: Readonly<Partial<Record<BinaryNode['op'], string>>> = {
  '<': 'gd_lt',
  '<=': 'gd_le',
  '>': 'gd_gt',
  '>=': 'gd_ge',
  '==': 'gd_eq',
  '!=': 'gd_ne',
};

const wgslSelect = (cond: string, then: string, otherwise: string): string =>
  `select(${otherwise}, ${then}, ${cond})`;

/**
 * WGSL over f32 (WGSL has no f64); the gd_* helpers are the WebGPU backend's WGSL_HELPERS.
 * WGSL lets implementations assume finite math, so functions whose special values matter
 * (NaN, infinities, signed zeros, out-of-domain inputs) go through gd_* helpers that handle
 * them explicitly, and so do comparisons of numbers.
 */
export const WGSL: LanguageSpec = {
  name: 'wgsl',
  fns: {
    abs: 'abs',
    exp: 'gd_exp',
    expm1: 'gd_expm1',
    log: 'gd_log',
    log2: 'gd_log2',
    log1p: 'gd_log1p',
    sqrt: 'gd_sqrt',
    sin: 'gd_sin',
    cos: 'gd_cos',
    tan: 'gd_tan',
    tanh: 'gd_tanh',
    atan2: 'gd_atan2',
    floor: 'floor',
    ceil: 'ceil',
    trunc: 'trunc',
    // WGSL's round() rounds half to even.
    rint: 'round',
    erf: 'gd_erf',
    pow: 'gd_pow',
    pyMod: 'gd_py_mod',
    pyFloorDiv: 'gd_py_floor_div',
    isfinite: 'gd_isfinite',
  },
  literal: wgslLiteral,
  bin: (n, a, b) => {
    const compare = isBooleanNode(n.a) ? undefined : WGSL_COMPARE[n.op];
    return compare ? `${compare}(${a}, ${b})` : `(${a} ${n.op} ${b})`;
  },
  select: wgslSelect,
};

/** WGSL over int32 operands (wrapping arithmetic, exact comparisons): no math functions. */
export const WGSL_I32: LanguageSpec = {
  name: 'wgsl-i32',
  fns: { abs: 'abs' },
  literal: wgslIntLiteral,
  select: wgslSelect,
};

/** Every kernel language, by name. */
export const LANGUAGES: Readonly<Record<Language, LanguageSpec>> = {
  js: JS,
  cpp: CPP,
  as: AS,
  wgsl: WGSL,
  'wgsl-i32': WGSL_I32,
};
