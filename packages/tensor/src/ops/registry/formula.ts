/**
 * A small language for scalar formulas, so an elementwise op is written once and rendered into
 * every kernel language (JavaScript for the reference backend, here; C++ for the native addon,
 * AssemblyScript for WebAssembly and WGSL for WebGPU, in `@gd/tensor/kernel-languages`) and
 * evaluated on tensors for gradients and ONNX export.
 *
 * @example
 * ```ts
 * import { formula as f } from '@gd/tensor';
 * const x = f.v('x');
 * const elu = f.select(x.gt(0), x, f.v('alpha').mul(f.expm1(x)));
 * f.render(elu, f.JS); // '((x > 0) ? x : (alpha * Math.expm1(x)))'
 * ```
 */

/** Functions a formula may call. Each language says which it has (see {@link LanguageSpec}). */
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
  /** The expression tree's root. */
  declare readonly node: Node;

  /** A formula over the expression tree `node`. */
  constructor(node: Node) {
    this.node = node;
  }
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

// Calls `visit` on every node of a formula, parents first.
function forEachNode(n: Node, visit: (n: Node) => void): void {
  visit(n);
  if (n.k === 'call') n.args.forEach((a) => forEachNode(a, visit));
  else if (n.k === 'bin') [n.a, n.b].forEach((a) => forEachNode(a, visit));
  else if (n.k === 'neg' || n.k === 'not') forEachNode(n.a, visit);
  else if (n.k === 'select') [n.cond, n.then, n.else].forEach((a) => forEachNode(a, visit));
}

/** The variables a formula reads. */
export function variables(f: Formula | Node): Set<string> {
  const out = new Set<string>();
  forEachNode(f instanceof Formula ? f.node : f, (n) => {
    if (n.k === 'var') out.add(n.name);
  });
  return out;
}

/** The functions a formula calls. */
export function functions(f: Formula | Node): Set<MathFn> {
  const out = new Set<MathFn>();
  forEachNode(f instanceof Formula ? f.node : f, (n) => {
    if (n.k === 'call') out.add(n.fn);
  });
  return out;
}

/** An infix operation node of a formula. */
export type BinaryNode = Extract<
  Node,
  {
    /** The kind of node an infix operation is. */
    readonly k: 'bin';
  }
>;

/**
 * How a kernel language spells a formula: the reference backend's JavaScript is {@link JS};
 * the native addon's C++, AssemblyScript and WGSL are in `@gd/tensor/kernel-languages`, each
 * loaded only where its kernels are made (the build, the WebGPU backend).
 *
 * @example
 * ```ts
 * import { formula as f } from '@gd/tensor';
 * const python: f.LanguageSpec = {
 *   name: 'python',
 *   fns: { exp: 'math.exp' },
 *   literal: String,
 *   select: (cond, then, otherwise) => `(${then} if ${cond} else ${otherwise})`,
 * };
 * const x = f.v('x');
 * f.render(f.select(x.gt(0), f.exp(x), 0), python); // '(math.exp(x) if (x > 0) else 0)'
 * ```
 */
export interface LanguageSpec {
  /** The language's name, as errors say it (`wgsl`). */
  readonly name: string;
  /** How each function it has is spelled; a function missing here means no kernel. */
  readonly fns: Partial<Record<MathFn, string>>;
  /** A numeric literal. */
  literal(value: number): string;
  /** An infix operation of rendered operands (default: `(a op b)`). */
  bin?(node: BinaryNode, a: string, b: string): string;
  /** `cond ? then : otherwise` of rendered operands (default: C's conditional expression). */
  select?(cond: string, then: string, otherwise: string): string;
}

function jsLiteral(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '(-Infinity)';
  return Object.is(value, -0) ? '(-0)' : value < 0 ? `(${value})` : String(value);
}

/**
 * JavaScript, as the reference backend runs it: `Math` where it has the function, the rest from
 * the helpers it passes in as `H` (`H.erf`, `H.pow`, ...).
 */
export const JS: LanguageSpec = {
  name: 'js',
  fns: {
    ...Object.fromEntries(
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
    ),
    isfinite: 'Number.isFinite',
    rint: 'H.rint',
    erf: 'H.erf',
    pow: 'H.pow',
    pyMod: 'H.pyMod',
    pyFloorDiv: 'H.pyFloorDiv',
  },
  literal: jsLiteral,
  bin: (n, a, b) => `(${a} ${n.op === '==' ? '===' : n.op === '!=' ? '!==' : n.op} ${b})`,
};

/** Whether `f` can be rendered in `language` (it has every function the formula calls). */
export function renders(f: Formula, language: LanguageSpec): boolean {
  for (const fn of functions(f)) if (language.fns[fn] === undefined) return false;
  return true;
}

/**
 * Renders `f` as an expression of `language`. Variables keep their names unless `names` maps
 * them (kernels rename parameters to their slots, `alpha` -> `p0`).
 */
export function render(
  f: Formula,
  language: LanguageSpec,
  names: Readonly<Record<string, string>> = {},
): string {
  const go = (n: Node): string => {
    switch (n.k) {
      case 'var':
        return names[n.name] ?? n.name;
      case 'num':
        return language.literal(n.value);
      case 'call': {
        const fn = language.fns[n.fn];
        if (fn === undefined) throw new Error(`formula: ${language.name} has no ${n.fn}`);
        return `${fn}(${n.args.map(go).join(', ')})`;
      }
      case 'bin': {
        const [a, b] = [go(n.a), go(n.b)];
        return language.bin ? language.bin(n, a, b) : `(${a} ${n.op} ${b})`;
      }
      case 'neg':
        return `(-${go(n.a)})`;
      case 'not':
        return `(!${go(n.a)})`;
      case 'select': {
        const [c, t, e] = [go(n.cond), go(n.then), go(n.else)];
        return language.select ? language.select(c, t, e) : `(${c} ? ${t} : ${e})`;
      }
    }
  };
  return go(f.node);
}

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
        default:
          // + - * /: the constant folder's arithmetic.
          return foldNumbers(op, a, b)!;
      }
    },
    neg: (a) => -a,
    not: (a) => +(a === 0),
    select: (c, t, e) => (c !== 0 ? t : e),
  };
  return (vars) => evaluate(f, algebra, vars);
}
