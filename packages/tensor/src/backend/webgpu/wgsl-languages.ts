/**
 * The WGSL kernel languages of `@gd/tensor/kernel-languages` (`WGSL`, `WGSL_I32`). The f32 one
 * is made from the formula module's `isBooleanNode` instead of importing it: the WebGPU backend
 * makes its own from the function the package hands it (see ../core.ts), so that its chunk of a
 * browser bundle shares no module with what every page loads up front.
 */
import type { BinaryNode, LanguageSpec, Node } from '../../ops/registry/formula.js';

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
 *
 * `isBooleanNode` is the formula module's (comparisons of booleans stay plain operators).
 */
export function wgslF32Language(isBooleanNode: (n: Node) => boolean): LanguageSpec {
  return {
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
}

/** WGSL over int32 operands (wrapping arithmetic, exact comparisons): no math functions. */
export const WGSL_I32_LANGUAGE: LanguageSpec = {
  name: 'wgsl-i32',
  fns: { abs: 'abs' },
  literal: wgslIntLiteral,
  select: wgslSelect,
};
