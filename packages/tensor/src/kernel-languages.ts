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
import type { LanguageSpec, MathFn } from './ops/registry/formula.js';
import { JS, isBooleanNode } from './ops/registry/formula.js';
import { WGSL_I32_LANGUAGE, wgslF32Language } from './backend/webgpu/wgsl-languages.js';

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

/**
 * WGSL over f32 (WGSL has no f64); the gd_* helpers are the WebGPU backend's WGSL_HELPERS.
 * WGSL lets implementations assume finite math, so functions whose special values matter
 * (NaN, infinities, signed zeros, out-of-domain inputs) go through gd_* helpers that handle
 * them explicitly, and so do comparisons of numbers.
 */
export const WGSL: LanguageSpec = wgslF32Language(isBooleanNode);

/** WGSL over int32 operands (wrapping arithmetic, exact comparisons): no math functions. */
export const WGSL_I32: LanguageSpec = WGSL_I32_LANGUAGE;

/** Every kernel language, by name. */
export const LANGUAGES: Readonly<Record<Language, LanguageSpec>> = {
  js: JS,
  cpp: CPP,
  as: AS,
  wgsl: WGSL,
  'wgsl-i32': WGSL_I32,
};
