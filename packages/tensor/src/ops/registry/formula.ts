/**
 * A small language for scalar formulas, so an elementwise op is written once and rendered into
 * every kernel language (JavaScript for the reference backend, C++ for the native addon,
 * AssemblyScript for WebAssembly, WGSL for WebGPU) and evaluated on tensors for gradients and ONNX
 * export.
 *
 * @example
 * ```ts
 * import { formula as f } from '@gd/tensor';
 * const x = f.v('x');
 * const elu = f.select(x.gt(0), x, f.v('alpha').mul(f.expm1(x)));
 * f.render(elu, 'js'); // '((x > 0) ? x : (alpha * Math.expm1(x)))'
 * ```
 */

/** Functions a formula may call. Each language says which it has (see {@link LANGUAGES}). */
export type MathFn =
  | 'abs'
  | 'exp'
  | 'expm1'
  | 'log'
  | 'log2'
  | 'log1p'
  | 'sqrt'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'tanh'
  | 'atan2'
  | 'floor'
  | 'ceil'
  | 'trunc'
  // round half to even
  | 'rint'
  | 'erf'
  // C's pow: pow(1, y) = 1 for any y, pow(-1, ±inf) = 1
  | 'pow'
  // Python's modulo and floor division (torch.remainder, torch.floor_divide)
  | 'pyMod'
  | 'pyFloorDiv'
  | 'isfinite';

/** Infix operators; comparisons and logic give booleans, the rest numbers. */
export type BinaryOperator =
  '+' | '-' | '*' | '/' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||';

/** A node of a formula. Build them with {@link v}, {@link num} and the functions below. */
export type Node =
  | {
      /** A variable. */
      readonly k: 'var';
      /** Its name (`x`, `y`, a parameter's name). */
      readonly name: string;
    }
  | {
      /** A constant. */
      readonly k: 'num';
      /** Its value. */
      readonly value: number;
    }
  | {
      /** A call of a math function. */
      readonly k: 'call';
      /** The function. */
      readonly fn: MathFn;
      /** Its arguments. */
      readonly args: readonly Node[];
    }
  | {
      /** An infix operation. */
      readonly k: 'bin';
      /** The operator. */
      readonly op: BinaryOperator;
      /** The left operand. */
      readonly a: Node;
      /** The right operand. */
      readonly b: Node;
    }
  | {
      /** Negation, `-a`. */
      readonly k: 'neg';
      /** The operand. */
      readonly a: Node;
    }
  | {
      /** Logical not, `!a`. */
      readonly k: 'not';
      /** The operand. */
      readonly a: Node;
    }
  | {
      /** `cond ? then : else`. */
      readonly k: 'select';
      /** The condition, a boolean formula. */
      readonly cond: Node;
      /** The value where it holds. */
      readonly then: Node;
      /** The value where it does not. */
      readonly else: Node;
    };

/** A number or a formula, where a formula is expected. */
export type FormulaLike = Formula | number;

/** A formula: an expression tree with chainable arithmetic. */
export class Formula {
  constructor(
    /** The expression tree's root. */
    readonly node: Node,
  ) {}
  /** `this + o`. */
  add(o: FormulaLike): Formula {
    return bin('+', this, o);
  }
  /** `this - o`. */
  sub(o: FormulaLike): Formula {
    return bin('-', this, o);
  }
  /** `this * o`. */
  mul(o: FormulaLike): Formula {
    return bin('*', this, o);
  }
  /** `this / o`. */
  div(o: FormulaLike): Formula {
    return bin('/', this, o);
  }
  /** `this < o` (a boolean). */
  lt(o: FormulaLike): Formula {
    return bin('<', this, o);
  }
  /** `this <= o` (a boolean). */
  le(o: FormulaLike): Formula {
    return bin('<=', this, o);
  }
  /** `this > o` (a boolean). */
  gt(o: FormulaLike): Formula {
    return bin('>', this, o);
  }
  /** `this >= o` (a boolean). */
  ge(o: FormulaLike): Formula {
    return bin('>=', this, o);
  }
  /** `this == o` (a boolean). */
  eq(o: FormulaLike): Formula {
    return bin('==', this, o);
  }
  /** `this != o` (a boolean). */
  ne(o: FormulaLike): Formula {
    return bin('!=', this, o);
  }
  /** `this && o`, on booleans. */
  and(o: FormulaLike): Formula {
    return bin('&&', this, o);
  }
  /** `this || o`, on booleans. */
  or(o: FormulaLike): Formula {
    return bin('||', this, o);
  }
  /** `-this`. */
  neg(): Formula {
    return new Formula({ k: 'neg', a: this.node });
  }
  /** `!this`, on a boolean. */
  not(): Formula {
    return new Formula({ k: 'not', a: this.node });
  }
}

const lift = (x: FormulaLike): Node => (typeof x === 'number' ? { k: 'num', value: x } : x.node);
const bin = (op: BinaryOperator, a: FormulaLike, b: FormulaLike): Formula =>
  new Formula({ k: 'bin', op, a: lift(a), b: lift(b) });

/** A variable: an op's inputs (`x`; `a`, `b`), its output (`y`) or a parameter by name. */
export const v = (name: string): Formula => new Formula({ k: 'var', name });
/** A constant. */
export const num = (value: number): Formula => new Formula({ k: 'num', value });
/** `cond ? then : else`. */
export const select = (cond: Formula, then: FormulaLike, otherwise: FormulaLike): Formula =>
  new Formula({ k: 'select', cond: cond.node, then: lift(then), else: lift(otherwise) });
/** Calls a math function. */
export const call = (fn: MathFn, ...args: FormulaLike[]): Formula =>
  new Formula({ k: 'call', fn, args: args.map(lift) });

/** `abs(x)`. |x|. */
export const abs = (x: FormulaLike): Formula => call('abs', x);
/** `exp(x)`. e^x. */
export const exp = (x: FormulaLike): Formula => call('exp', x);
/** `expm1(x)`. `e^x - 1`, accurate near 0. */
export const expm1 = (x: FormulaLike): Formula => call('expm1', x);
/** `log(x)`. The natural log. */
export const log = (x: FormulaLike): Formula => call('log', x);
/** `log1p(x)`. `log(1 + x)`, accurate near 0. */
export const log1p = (x: FormulaLike): Formula => call('log1p', x);
/** `sqrt(x)`. The square root. */
export const sqrt = (x: FormulaLike): Formula => call('sqrt', x);
/** `tanh(x)`. The hyperbolic tangent. */
export const tanh = (x: FormulaLike): Formula => call('tanh', x);
/** `erf(x)`. The error function. */
export const erf = (x: FormulaLike): Formula => call('erf', x);
/** 1 if cond else 0. */
export const indicator = (cond: Formula): Formula => select(cond, 1, 0);
/** NaN-propagating max(x, lo) then min(·, hi), as torch.clamp. */
export const clamp = (x: Formula, lo: FormulaLike, hi: FormulaLike): Formula => {
  const low = select(x.lt(lo), lo, x);
  return select(low.gt(hi), hi, low);
};
/** The logistic function, split by sign so exp never overflows. */
export const sigmoid = (x: Formula): Formula =>
  select(x.ge(0), num(1).div(exp(x.neg()).add(1)), exp(x).div(exp(x).add(1)));

/** The variables a formula reads. */
export function variables(f: Formula | Node): Set<string> {
  const out = new Set<string>();
  const walk = (n: Node): void => {
    switch (n.k) {
      case 'var':
        out.add(n.name);
        return;
      case 'num':
        return;
      case 'call':
        n.args.forEach(walk);
        return;
      case 'bin':
        walk(n.a);
        walk(n.b);
        return;
      case 'neg':
      case 'not':
        walk(n.a);
        return;
      case 'select':
        walk(n.cond);
        walk(n.then);
        walk(n.else);
    }
  };
  walk(f instanceof Formula ? f.node : f);
  return out;
}

/** The functions a formula calls. */
export function functions(f: Formula | Node): Set<MathFn> {
  const out = new Set<MathFn>();
  const walk = (n: Node): void => {
    if (n.k === 'call') out.add(n.fn);
    if (n.k === 'call') n.args.forEach(walk);
    else if (n.k === 'bin') [n.a, n.b].forEach(walk);
    else if (n.k === 'neg' || n.k === 'not') walk(n.a);
    else if (n.k === 'select') [n.cond, n.then, n.else].forEach(walk);
  };
  walk(f instanceof Formula ? f.node : f);
  return out;
}

/** A kernel language a formula renders into. */
export type Language = 'js' | 'cpp' | 'as' | 'wgsl' | 'wgsl-i32';

interface LanguageSpec {
  /** How each function it has is spelled; a function missing here means no kernel. */
  readonly fns: Partial<Record<MathFn, string>>;
  /** A numeric literal. */
  literal(value: number): string;
}

function jsLiteral(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '(-Infinity)';
  return Object.is(value, -0) ? '(-0)' : value < 0 ? `(${value})` : String(value);
}

function cLiteral(value: number, type: string, nan: string, inf: string): string {
  if (Number.isNaN(value)) return nan;
  if (value === Infinity) return inf;
  if (value === -Infinity) return `(-${inf})`;
  const s = Number.isInteger(value) && Math.abs(value) < 1e15 ? `${value}.0` : String(value);
  return `${type}(${Object.is(value, -0) ? '-0.0' : s})`;
}

// Spelled the same in JavaScript and AssemblyScript (whose Math is float64).
const MATH: Partial<Record<MathFn, string>> = Object.fromEntries(
  (
    [
      'abs',
      'exp',
      'expm1',
      'log',
      'log2',
      'log1p',
      'sqrt',
      'sin',
      'cos',
      'tan',
      'tanh',
      'atan2',
      'floor',
      'ceil',
      'trunc',
    ] as const
  ).map((fn) => [fn, `Math.${fn}`]),
);

/** How each language spells the functions and literals (`C` is the compute type in C++). */
export const LANGUAGES: Readonly<Record<Language, LanguageSpec>> = {
  js: {
    fns: {
      ...MATH,
      isfinite: 'Number.isFinite',
      // The rest come from JS_HELPERS, passed in by the reference backend.
      rint: 'H.rint',
      erf: 'H.erf',
      pow: 'H.pow',
      pyMod: 'H.pyMod',
      pyFloorDiv: 'H.pyFloorDiv',
    },
    literal: jsLiteral,
  },
  cpp: {
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
  },
  as: {
    fns: {
      ...MATH,
      rint: 'nearest<f64>',
      isfinite: 'isFinite<f64>',
    },
    literal: (value) => `(${cLiteral(value, '<f64>', 'NaN', 'Infinity')})`,
  },
  // f32 only (WGSL has no f64); the gd_* helpers are WGSL_HELPERS in the WebGPU backend.
  // WGSL lets implementations assume finite math, so functions whose special values matter
  // (NaN, infinities, signed zeros, out-of-domain inputs) go through gd_* helpers that handle
  // them explicitly.
  wgsl: {
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
  },
  // WGSL over int32 operands (wrapping arithmetic, exact comparisons): no math functions.
  'wgsl-i32': {
    fns: { abs: 'abs' },
    literal: wgslIntLiteral,
  },
};

// Integer literals for the int32 kernels; a formula with a fractional constant has none.
function wgslIntLiteral(value: number): string {
  if (!Number.isInteger(value) || Math.abs(value) > 2147483647) {
    throw new Error(`formula: wgsl-i32 has no literal ${value}`);
  }
  return value < 0 ? `(${value}i)` : `${value}i`;
}

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

/** Whether `f` can be rendered in `language` (it has every function the formula calls). */
export function renders(f: Formula, language: Language): boolean {
  const fns = LANGUAGES[language].fns;
  for (const fn of functions(f)) if (fns[fn] === undefined) return false;
  return true;
}

/**
 * Renders `f` as an expression of `language`. Variables keep their names unless `names` maps
 * them (kernels rename parameters to their slots, `alpha` -> `p0`).
 */
export function render(
  f: Formula,
  language: Language,
  names: Readonly<Record<string, string>> = {},
): string {
  const spec = LANGUAGES[language];
  const go = (n: Node): string => {
    switch (n.k) {
      case 'var':
        return names[n.name] ?? n.name;
      case 'num':
        return spec.literal(n.value);
      case 'call': {
        const fn = spec.fns[n.fn];
        if (fn === undefined) throw new Error(`formula: ${language} has no ${n.fn}`);
        return `${fn}(${n.args.map(go).join(', ')})`;
      }
      case 'bin':
        if (language === 'wgsl' && n.op in WGSL_COMPARE && !isBooleanNode(n.a)) {
          return `${WGSL_COMPARE[n.op as keyof typeof WGSL_COMPARE]}(${go(n.a)}, ${go(n.b)})`;
        }
        return `(${go(n.a)} ${n.op === '==' && language === 'js' ? '===' : n.op === '!=' && language === 'js' ? '!==' : n.op} ${go(n.b)})`;
      case 'neg':
        return `(-${go(n.a)})`;
      case 'not':
        return `(!${go(n.a)})`;
      case 'select':
        return language === 'wgsl' || language === 'wgsl-i32'
          ? `select(${go(n.else)}, ${go(n.then)}, ${go(n.cond)})`
          : `(${go(n.cond)} ? ${go(n.then)} : ${go(n.else)})`;
    }
  };
  return go(f.node);
}

// Float comparisons in WGSL go through helpers with IEEE NaN semantics (see LANGUAGES.wgsl).
const WGSL_COMPARE = {
  '<': 'gd_lt',
  '<=': 'gd_le',
  '>': 'gd_gt',
  '>=': 'gd_ge',
  '==': 'gd_eq',
  '!=': 'gd_ne',
} as const;

/**
 * Whether a formula node has a boolean value (a comparison, logic, `isfinite`) rather than a
 * number: kernel languages without implicit conversions need to know.
 */
export function isBooleanNode(n: Node): boolean {
  switch (n.k) {
    case 'bin':
      return !['+', '-', '*', '/'].includes(n.op);
    case 'not':
      return true;
    case 'call':
      return n.fn === 'isfinite';
    case 'select':
      return isBooleanNode(n.then);
    default:
      return false;
  }
}

/**
 * `a op b` when both are plain numbers and op is arithmetic, else undefined: algebras over
 * tensors or graph values fold constants with it instead of emitting ops for them.
 */
export function foldNumbers(op: BinaryOperator, a: unknown, b: unknown): number | undefined {
  if (typeof a !== 'number' || typeof b !== 'number') return undefined;
  if (op === '+') return a + b;
  if (op === '-') return a - b;
  if (op === '*') return a * b;
  if (op === '/') return a / b;
  return undefined;
}

/**
 * What a formula means over some kind of value: numbers (the reference backend), tensors
 * (gradients in autograd), graph values (ONNX export). {@link evaluate} folds a formula with one.
 */
export interface Algebra<T> {
  /** A constant. */
  num(value: number): T;
  /** A math function applied to its arguments. */
  call(fn: MathFn, args: readonly T[]): T;
  /** An infix operator. */
  bin(op: BinaryOperator, a: T, b: T): T;
  /** Negation. */
  neg(a: T): T;
  /** Logical not. */
  not(a: T): T;
  /** `cond ? then : otherwise`, elementwise. */
  select(cond: T, then: T, otherwise: T): T;
}

/**
 * Evaluates `f` in `algebra` with the given variables. A subtree shared by several parents
 * (built once, used twice) is evaluated once.
 */
export function evaluate<T>(f: Formula, algebra: Algebra<T>, vars: Readonly<Record<string, T>>): T {
  const memo = new Map<Node, T>();
  const go = (n: Node): T => {
    const hit = memo.get(n);
    if (hit !== undefined) return hit;
    let r: T;
    switch (n.k) {
      case 'var': {
        const value = vars[n.name];
        if (value === undefined) throw new Error(`formula: no value for variable ${n.name}`);
        r = value;
        break;
      }
      case 'num':
        r = algebra.num(n.value);
        break;
      case 'call':
        r = algebra.call(n.fn, n.args.map(go));
        break;
      case 'bin':
        r = algebra.bin(n.op, go(n.a), go(n.b));
        break;
      case 'neg':
        r = algebra.neg(go(n.a));
        break;
      case 'not':
        r = algebra.not(go(n.a));
        break;
      case 'select':
        r = algebra.select(go(n.cond), go(n.then), go(n.else));
    }
    memo.set(n, r);
    return r;
  };
  return go(f.node);
}

type NumberHelpers = Readonly<
  Record<'rint' | 'erf' | 'pow' | 'pyMod' | 'pyFloorDiv', (...args: number[]) => number>
>;

/** Scalar evaluation without code generation (for pages that forbid `new Function`). */
export function evaluator(
  f: Formula,
  helpers: NumberHelpers,
): (vars: Readonly<Record<string, number>>) => number {
  const math = (fn: MathFn, args: readonly number[]): number => {
    const [a = NaN, b = NaN] = args;
    switch (fn) {
      case 'isfinite':
        return Number.isFinite(a) ? 1 : 0;
      case 'rint':
      case 'erf':
      case 'pow':
      case 'pyMod':
      case 'pyFloorDiv':
        return helpers[fn](a, b);
      default:
        return (Math[fn] as (...v: number[]) => number)(a, b);
    }
  };
  const algebra: Algebra<number> = {
    num: (value) => value,
    call: math,
    bin: (op, a, b) => {
      switch (op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '<':
          return +(a < b);
        case '<=':
          return +(a <= b);
        case '>':
          return +(a > b);
        case '>=':
          return +(a >= b);
        case '==':
          return +(a === b);
        case '!=':
          return +(a !== b);
        case '&&':
          return +(a !== 0 && b !== 0);
        case '||':
          return +(a !== 0 || b !== 0);
      }
    },
    neg: (a) => -a,
    not: (a) => +(a === 0),
    select: (c, t, e) => (c !== 0 ? t : e),
  };
  return (vars) => evaluate(f, algebra, vars);
}
