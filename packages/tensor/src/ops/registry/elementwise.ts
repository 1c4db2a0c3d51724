/**
 * THE registry of elementwise ops: one entry per op, the single source that every layer reads.
 * An entry gives the op's parameters (typed, with defaults), the rule for its result dtype, its
 * formula (rendered into the reference backend's JavaScript and into the native and WebAssembly
 * kernels by the build), and, for ops whose upper layers are generated, its derivative: what running
 * the op takes. What the op is documented and tested by (its line of
 * documentation, the PyTorch call its fixtures come from) is its row of `op-info.ts`
 * (`@gd/tensor/op-info`), which the compiler holds to the same ops. See the package README.
 *
 * @example
 * ```ts
 * import { UNARY_REGISTRY } from '@gd/tensor';
 * UNARY_REGISTRY.elu.params; // [{ name: 'alpha', default: 1 }]
 * ```
 */
import type { DType } from '../../dtype.js';
import { DEFAULT_FLOAT_DTYPE, isFloatingDType } from '../../dtype.js';
import type { Formula } from './formula.js';
import * as f from './formula.js';
import { JS_HELPERS } from './helpers.js';

export { erfScalar } from './helpers.js';

/** How a unary op's result dtype follows from its input's. */
export type UnaryDTypeRule =
  | 'same' // abs, neg, relu: keep the dtype
  | 'float' // exp, sin: integers and bools become the default float dtype
  | 'bool'; // isnan, logicalNot

/** How a binary op's result dtype follows from its promoted input dtype. */
export type BinaryDTypeRule =
  | 'promote' // add, mul: the promoted dtype
  | 'float' // div, atan2: the promoted dtype, made floating
  | 'bool'; // comparisons and logical ops

/** A numeric parameter of an op, in the order of its positional arguments. */
export interface ParamSpec {
  /** Its name in gd's API (PyTorch's, in camelCase). */
  readonly name: string;
  /** Its value when the caller leaves it out. */
  readonly default: number;
  /** Values outside this range are refused with an error naming the op and the parameter. */
  readonly range?: 'any' | 'finite' | 'positive' | 'nonNegative';
}

/** What the generated upper layers (methods, gradients, ONNX export) need of a unary op. */
export interface GeneratedUnary {
  /** The derivative dy/dx as a formula of `x`, `y` (the output) and the parameters. */
  readonly grad: (x: Formula, y: Formula, p: Readonly<Record<string, Formula>>) => Formula;
  /** PyTorch's name for the backward node (`EluBackward0`). */
  readonly gradFn: string;
  /** Where the derivative is checked: everywhere (default) or at positive x only (log, sqrt). */
  readonly domain?: 'positive';
  /**
   * The derivative only takes the values -1, 0 and 1 (relu, abs), so the gradient kernel
   * g · f′ gives the same bits in float32 as in double: kernels may skip the conversion.
   */
  readonly gradExact?: boolean;
}

/** One unary op. */
export interface UnaryEntry {
  /** How the result dtype follows from the input dtype. */
  readonly dtype: UnaryDTypeRule;
  /** Up to two numeric parameters (the kernels' two parameter slots). */
  readonly params?: readonly ParamSpec[];
  /** The value, from `x` and the parameters. */
  readonly formula: (x: Formula, p: Readonly<Record<string, Formula>>) => Formula;
  /**
   * Computing in the input's float type gives the same bits as computing in double and
   * rounding once (true of sign, abs, sqrt, ...): kernels may then skip the conversion.
   */
  readonly exact?: boolean;
  /** Present for ops whose methods, gradient, ONNX export and fixtures are generated. */
  readonly generated?: GeneratedUnary;
}

/** One binary op. */
export interface BinaryEntry {
  /** How the result dtype follows from the promoted input dtype. */
  readonly dtype: BinaryDTypeRule;
  /** At most one numeric parameter (`alpha` of add and sub). */
  readonly params?: readonly ParamSpec[];
  /** The value, from `a`, `b` and the parameter. */
  readonly formula: (a: Formula, b: Formula, p: Readonly<Record<string, Formula>>) => Formula;
  /** As {@link UnaryEntry.exact}, when the parameters are at their defaults. */
  readonly exact?: boolean;
}

const x0 = f.num(0);
/** SELU's alpha and scale (PyTorch's constants), shared with its ONNX mapping in op-info.ts. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/** Every unary op gd knows, by name. */
export const UNARY_REGISTRY = {
  neg: {
    dtype: 'same',
    exact: true,
    formula: (x) => x.neg(),
  },
  abs: {
    dtype: 'same',
    exact: true,
    formula: (x) => f.abs(x),
    generated: {
      grad: (x) => f.select(x.gt(0), 1, f.select(x.lt(0), -1, 0)),
      gradFn: 'AbsBackward0',
    },
  },
  // As PyTorch: sign(NaN) is 0 and sign(-0) is +0.
  sign: {
    dtype: 'same',
    exact: true,
    formula: (x) => f.select(x.gt(0), 1, f.select(x.lt(0), -1, 0)),
    generated: {
      grad: () => f.num(0),
      gradFn: 'SignBackward0',
    },
  },
  exp: {
    dtype: 'float',
    formula: (x) => f.exp(x),
    generated: {
      grad: (_x, y) => y,
      gradFn: 'ExpBackward0',
    },
  },
  log: {
    dtype: 'float',
    formula: (x) => f.log(x),
    generated: {
      grad: (x) => f.num(1).div(x),
      gradFn: 'LogBackward0',
      domain: 'positive',
    },
  },
  log2: {
    dtype: 'float',
    formula: (x) => f.call('log2', x),
    generated: {
      grad: (x) => f.num(1).div(x.mul(Math.LN2)),
      gradFn: 'Log2Backward0',
      domain: 'positive',
    },
  },
  log1p: {
    dtype: 'float',
    formula: (x) => f.log1p(x),
    generated: {
      grad: (x) => f.num(1).div(x.add(1)),
      gradFn: 'Log1PBackward0',
      domain: 'positive',
    },
  },
  expm1: {
    dtype: 'float',
    formula: (x) => f.expm1(x),
    generated: {
      grad: (_x, y) => y.add(1),
      gradFn: 'Expm1Backward0',
    },
  },
  sqrt: {
    dtype: 'float',
    exact: true,
    formula: (x) => f.sqrt(x),
    generated: {
      grad: (_x, y) => f.num(0.5).div(y),
      gradFn: 'SqrtBackward0',
      domain: 'positive',
    },
  },
  rsqrt: {
    dtype: 'float',
    formula: (x) => f.num(1).div(f.sqrt(x)),
    generated: {
      grad: (_x, y) => y.mul(y).mul(y).mul(-0.5),
      gradFn: 'RsqrtBackward0',
      domain: 'positive',
    },
  },
  reciprocal: {
    dtype: 'float',
    exact: true,
    formula: (x) => f.num(1).div(x),
    generated: {
      grad: (_x, y) => y.mul(y).neg(),
      gradFn: 'ReciprocalBackward0',
    },
  },
  square: {
    dtype: 'same',
    exact: true,
    formula: (x) => x.mul(x),
  },
  sin: {
    dtype: 'float',
    formula: (x) => f.call('sin', x),
    generated: {
      grad: (x) => f.call('cos', x),
      gradFn: 'SinBackward0',
    },
  },
  cos: {
    dtype: 'float',
    formula: (x) => f.call('cos', x),
    generated: {
      grad: (x) => f.call('sin', x).neg(),
      gradFn: 'CosBackward0',
    },
  },
  tan: {
    dtype: 'float',
    formula: (x) => f.call('tan', x),
    generated: {
      grad: (_x, y) => y.mul(y).add(1),
      gradFn: 'TanBackward0',
    },
  },
  tanh: {
    dtype: 'float',
    formula: (x) => f.tanh(x),
    generated: {
      grad: (_x, y) => f.num(1).sub(y.mul(y)),
      gradFn: 'TanhBackward0',
    },
  },
  sigmoid: {
    dtype: 'float',
    formula: (x) => f.sigmoid(x),
    generated: {
      grad: (_x, y) => y.mul(f.num(1).sub(y)),
      gradFn: 'SigmoidBackward0',
    },
  },
  // clamp_min(x, 0): NaN and -0 pass through, as in PyTorch.
  relu: {
    dtype: 'same',
    exact: true,
    formula: (x) => f.select(x.lt(0), 0, x),
    generated: {
      grad: (_x, y) => f.indicator(y.gt(0)),
      gradExact: true,
      gradFn: 'ReluBackward0',
    },
  },
  // Exact GELU (PyTorch's default approximate='none').
  gelu: {
    dtype: 'float',
    formula: (x) =>
      f
        .num(0.5)
        .mul(x)
        .mul(f.erf(x.mul(Math.SQRT1_2)).add(1)),
  },
  geluTanh: {
    dtype: 'float',
    formula: (x) =>
      f
        .num(0.5)
        .mul(x)
        .mul(
          f.tanh(f.num(0.7978845608028654).mul(x.add(f.num(0.044715).mul(x).mul(x).mul(x)))).add(1),
        ),
  },
  silu: {
    dtype: 'float',
    formula: (x) =>
      f.select(x.ge(0), x.div(f.exp(x.neg()).add(1)), x.mul(f.exp(x)).div(f.exp(x).add(1))),
    generated: {
      grad: (x) => {
        const s = f.sigmoid(x);
        return s.mul(x.mul(f.num(1).sub(s)).add(1));
      },
      gradFn: 'SiluBackward0',
    },
  },
  // log(1 + e^(beta·x)) / beta, linear above the threshold (no overflow), as PyTorch.
  softplus: {
    dtype: 'float',
    params: [
      { name: 'beta', default: 1, range: 'finite' },
      { name: 'threshold', default: 20, range: 'any' },
    ],
    formula: (x, p) =>
      f.select(x.mul(p.beta!).gt(p.threshold!), x, f.log1p(f.exp(x.mul(p.beta!))).div(p.beta!)),
    generated: {
      grad: (x, _y, p) => f.select(x.mul(p.beta!).gt(p.threshold!), 1, f.sigmoid(x.mul(p.beta!))),
      gradFn: 'SoftplusBackward0',
      // ONNX's Softplus has neither: other values are written out as the formula
    },
  },
  erf: {
    dtype: 'float',
    formula: (x) => f.erf(x),
    generated: {
      grad: (x) => f.exp(x.mul(x).neg()).mul(2 / Math.sqrt(Math.PI)),
      gradFn: 'ErfBackward0',
    },
  },
  floor: {
    dtype: 'same',
    exact: true,
    formula: (x) => f.call('floor', x),
    generated: {
      grad: () => f.num(0),
      gradFn: 'FloorBackward0',
    },
  },
  ceil: {
    dtype: 'same',
    exact: true,
    formula: (x) => f.call('ceil', x),
    generated: {
      grad: () => f.num(0),
      gradFn: 'CeilBackward0',
    },
  },
  round: {
    dtype: 'same',
    exact: true,
    formula: (x) => f.call('rint', x),
    generated: {
      grad: () => f.num(0),
      gradFn: 'RoundBackward0',
    },
  },
  trunc: {
    dtype: 'same',
    exact: true,
    formula: (x) => f.call('trunc', x),
    generated: {
      grad: () => f.num(0),
      gradFn: 'TruncBackward0',
    },
  },
  // clamp(x, min, max): NaN stays NaN; missing bounds arrive as -Infinity / Infinity.
  // min(max(x, lo), hi), so lo > hi gives hi everywhere, as torch.clamp does.
  clamp: {
    dtype: 'same',
    params: [
      { name: 'min', default: -Infinity },
      { name: 'max', default: Infinity },
    ],
    formula: (x, p) => f.clamp(x, p.min!, p.max!),
  },
  leakyRelu: {
    dtype: 'float',
    params: [{ name: 'negativeSlope', default: 0.01 }],
    formula: (x, p) => f.select(x.gt(0), x, x.mul(p.negativeSlope!)),
    generated: {
      grad: (x, _y, p) => f.select(x.gt(0), 1, p.negativeSlope!),
      gradFn: 'LeakyReluBackward0',
    },
  },
  powScalar: {
    dtype: 'same',
    params: [{ name: 'exponent', default: 1 }],
    formula: (x, p) => f.call('pow', x, p.exponent!),
  },
  // NaN is true, so its not is false.
  logicalNot: {
    dtype: 'bool',
    formula: (x) => f.indicator(x.eq(0)),
  },
  isnan: {
    dtype: 'bool',
    formula: (x) => f.indicator(x.ne(x)),
  },
  isinf: {
    dtype: 'bool',
    formula: (x) => f.indicator(f.abs(x).eq(Infinity)),
  },
  isfinite: {
    dtype: 'bool',
    formula: (x) => f.indicator(f.call('isfinite', x)),
  },

  // ---- activations generated end to end from their entries --------------------------------
  elu: {
    dtype: 'float',
    params: [{ name: 'alpha', default: 1 }],
    // `+ 0`: PyTorch's elu(-0) is +0 (it computes exp(x) - 1 where we use the exacter expm1).
    formula: (x, p) => f.select(x.gt(0), x, p.alpha!.mul(f.expm1(x))).add(0),
    generated: {
      grad: (x, _y, p) => f.select(x.gt(0), 1, p.alpha!.mul(f.exp(x))),
      gradFn: 'EluBackward0',
    },
  },
  selu: {
    dtype: 'float',
    formula: (x) =>
      f.select(x.gt(0), x.mul(SELU_SCALE), f.num(SELU_SCALE * SELU_ALPHA).mul(f.expm1(x))).add(0),
    generated: {
      grad: (x) => f.select(x.gt(0), SELU_SCALE, f.num(SELU_SCALE * SELU_ALPHA).mul(f.exp(x))),
      gradFn: 'EluBackward0',
    },
  },
  celu: {
    dtype: 'float',
    params: [{ name: 'alpha', default: 1, range: 'finite' }],
    formula: (x, p) => f.select(x.gt(0), x, p.alpha!.mul(f.expm1(x.div(p.alpha!)))).add(0),
    generated: {
      grad: (x, _y, p) => f.select(x.gt(0), 1, f.exp(x.div(p.alpha!))),
      gradFn: 'CeluBackward0',
    },
  },
  mish: {
    dtype: 'float',
    formula: (x) => x.mul(f.tanh(f.log1p(f.exp(x)))),
    generated: {
      grad: (x) => {
        const t = f.tanh(f.log1p(f.exp(x)));
        return t.add(x.mul(f.sigmoid(x)).mul(f.num(1).sub(t.mul(t))));
      },
      gradFn: 'MishBackward0',
    },
  },
  hardswish: {
    dtype: 'float',
    formula: (x) => x.mul(f.clamp(x.add(3), 0, 6)).div(6),
    generated: {
      grad: (x) => f.select(x.lt(-3), 0, f.select(x.le(3), x.div(3).add(0.5), 1)),
      gradFn: 'HardswishBackward0',
    },
  },
  hardsigmoid: {
    dtype: 'float',
    formula: (x) => f.clamp(x.add(3), 0, 6).div(6),
    generated: {
      grad: (x) => f.select(x.gt(-3).and(x.lt(3)), 1 / 6, 0),
      gradFn: 'HardsigmoidBackward0',
    },
  },
  logsigmoid: {
    dtype: 'float',
    formula: (x) => f.select(x.lt(0), x, x0).sub(f.log1p(f.exp(f.abs(x).neg()))),
    generated: {
      grad: (x) => f.sigmoid(x.neg()),
      gradFn: 'LogSigmoidBackward0',
    },
  },
  hardtanh: {
    dtype: 'same',
    params: [
      { name: 'minVal', default: -1 },
      { name: 'maxVal', default: 1 },
    ],
    formula: (x, p) => f.clamp(x, p.minVal!, p.maxVal!),
    generated: {
      grad: (x, _y, p) => f.indicator(x.gt(p.minVal!).and(x.lt(p.maxVal!))),
      gradFn: 'HardtanhBackward0',
    },
  },
  softshrink: {
    dtype: 'float',
    params: [{ name: 'lambd', default: 0.5, range: 'nonNegative' }],
    formula: (x, p) =>
      f.select(x.gt(p.lambd!), x.sub(p.lambd!), f.select(x.lt(p.lambd!.neg()), x.add(p.lambd!), 0)),
    generated: {
      grad: (x, _y, p) => f.indicator(f.abs(x).gt(p.lambd!)),
      gradFn: 'SoftshrinkBackward0',
    },
  },
} as const satisfies Record<string, UnaryEntry>;

/** Name of a unary op in {@link UNARY_REGISTRY}. */
export type UnaryOp = keyof typeof UNARY_REGISTRY;

/** Every binary op gd knows, by name. */
export const BINARY_REGISTRY = {
  add: {
    dtype: 'promote',
    exact: true,
    params: [{ name: 'alpha', default: 1 }],
    formula: (a, b, p) => a.add(p.alpha!.mul(b)),
  },
  sub: {
    dtype: 'promote',
    exact: true,
    params: [{ name: 'alpha', default: 1 }],
    formula: (a, b, p) => a.sub(p.alpha!.mul(b)),
  },
  mul: {
    dtype: 'promote',
    exact: true,
    formula: (a, b) => a.mul(b),
  },
  div: {
    dtype: 'float',
    exact: true,
    formula: (a, b) => a.div(b),
  },
  pow: {
    dtype: 'promote',
    formula: (a, b) => f.call('pow', a, b),
  },
  atan2: {
    dtype: 'float',
    formula: (a, b) => f.call('atan2', a, b),
  },
  remainder: {
    dtype: 'promote',
    formula: (a, b) => f.call('pyMod', a, b),
  },
  floorDivide: {
    dtype: 'promote',
    formula: (a, b) => f.call('pyFloorDiv', a, b),
  },
  // NaN wins, as in torch.maximum.
  maximum: {
    dtype: 'promote',
    exact: true,
    formula: (a, b) => f.select(a.ne(a).or(a.gt(b)), a, b),
  },
  minimum: {
    dtype: 'promote',
    exact: true,
    formula: (a, b) => f.select(a.ne(a).or(a.lt(b)), a, b),
  },
  eq: {
    dtype: 'bool',
    formula: (a, b) => f.indicator(a.eq(b)),
  },
  ne: {
    dtype: 'bool',
    formula: (a, b) => f.indicator(a.ne(b)),
  },
  lt: {
    dtype: 'bool',
    formula: (a, b) => f.indicator(a.lt(b)),
  },
  le: {
    dtype: 'bool',
    formula: (a, b) => f.indicator(a.le(b)),
  },
  gt: {
    dtype: 'bool',
    formula: (a, b) => f.indicator(a.gt(b)),
  },
  ge: {
    dtype: 'bool',
    formula: (a, b) => f.indicator(a.ge(b)),
  },
  // Non-zero is true, NaN included (JS's own truthiness would make NaN false).
  logicalAnd: {
    dtype: 'bool',
    formula: (a, b) => f.indicator(a.ne(0).and(b.ne(0))),
  },
  logicalOr: {
    dtype: 'bool',
    formula: (a, b) => f.indicator(a.ne(0).or(b.ne(0))),
  },
  logicalXor: {
    dtype: 'bool',
    formula: (a, b) => f.indicator(a.ne(0).ne(b.ne(0))),
  },
} as const satisfies Record<string, BinaryEntry>;

/** Name of a binary op in {@link BINARY_REGISTRY}. */
export type BinaryOp = keyof typeof BINARY_REGISTRY;

/** The unary ops whose methods, gradients and ONNX rows are generated from their entries. */
export type GeneratedUnaryOp = {
  [K in UnaryOp]: (typeof UNARY_REGISTRY)[K] extends {
    /** The entries with this field are the generated ones. */
    generated: GeneratedUnary;
  }
    ? K
    : never;
}[UnaryOp];

/** The entry of a unary op, widened to the interface. */
export const unaryEntry = (op: UnaryOp): UnaryEntry => UNARY_REGISTRY[op];

/** The unary ops with generated upper layers, in registry order. */
export const GENERATED_UNARY_OPS = (Object.keys(UNARY_REGISTRY) as UnaryOp[]).filter(
  (op) => unaryEntry(op).generated !== undefined,
) as GeneratedUnaryOp[];

/** The parameter variables of an entry, as formulas. */
export function paramVars(params: readonly ParamSpec[] | undefined): Record<string, Formula> {
  return Object.fromEntries((params ?? []).map((p) => [p.name, f.v(p.name)]));
}

// ---- gradient kernels ------------------------------------------------------------------------

/** A gradient kernel: `${op}Grad`(g, v) = g · op'(v), v the op's input or its output. */
export type GradOp = `${GeneratedUnaryOp}Grad`;

/** A binary op a backend runs: the public binary ops and the gradient kernels. */
export type KernelBinaryOp = BinaryOp | GradOp;

/** What a backend needs of a binary op (public or gradient kernel). */
export interface KernelBinaryEntry {
  /** How the result dtype follows from the promoted input dtype. */
  readonly dtype: BinaryDTypeRule;
  /** At most one numeric parameter. */
  readonly params?: readonly ParamSpec[];
  /** The value, from `a`, `b` and the parameter. */
  readonly formula: (a: Formula, b: Formula, p: Readonly<Record<string, Formula>>) => Formula;
  /** As {@link UnaryEntry.exact}. */
  readonly exact?: boolean;
}

/** A gradient kernel's entry, with what its second operand is. */
export interface GradEntry extends KernelBinaryEntry {
  /** The unary op it differentiates. */
  readonly of: GeneratedUnaryOp;
  /** Whether the kernel's second operand is the op's input (`x`) or its output (`y`). */
  readonly reads: 'x' | 'y';
}

// One pass instead of one per node of the derivative plus the final product: backward of an
// activation reads g and one saved tensor and writes one result, as PyTorch's threshold_backward,
// sigmoid_backward and tanh_backward do. Ops whose derivative reads both x and y, or whose
// parameters do not fit the binary kernels' one slot, keep the formula path.
function gradEntry(op: GeneratedUnaryOp): GradEntry | null {
  const e = unaryEntry(op);
  const generated = e.generated!;
  if ((e.params?.length ?? 0) > 1) return null;
  const reads = f.variables(generated.grad(f.v('x'), f.v('y'), paramVars(e.params)));
  // both: not a binary kernel; neither: a constant derivative (0 for floor, sign) needs no pass
  if (reads.has('x') === reads.has('y')) return null;
  return {
    of: op,
    reads: reads.has('y') ? 'y' : 'x',
    dtype: 'float',
    ...(e.params ? { params: e.params } : {}),
    ...(generated.gradExact ? { exact: true } : {}),
    formula: (g, v, p) => g.mul(generated.grad(v, v, p)),
  };
}

/** The gradient kernels, by name (`sigmoidGrad`, `reluGrad`, ...). */
export const GRAD_REGISTRY: Readonly<Partial<Record<GradOp, GradEntry>>> = Object.fromEntries(
  GENERATED_UNARY_OPS.flatMap((op) => {
    const entry = gradEntry(op);
    return entry ? [[`${op}Grad`, entry]] : [];
  }),
);

/** The entry of a binary op or gradient kernel, widened to the interface. */
export const binaryEntry = (op: KernelBinaryOp): KernelBinaryEntry =>
  (BINARY_REGISTRY as Record<string, KernelBinaryEntry>)[op] ?? GRAD_REGISTRY[op as GradOp]!;

// One record per op, made on first use (backward asks on every call).
const GRAD_KERNELS = new Map<GeneratedUnaryOp, (GradEntry & { name: GradOp }) | null>();

/** The gradient kernel of a generated unary op, or null where it has none. */
export function gradKernelOf(op: GeneratedUnaryOp):
  | (GradEntry & {
      /** The kernel's name for the backend (`reluGrad`). */
      name: GradOp;
    })
  | null {
  let kernel = GRAD_KERNELS.get(op);
  if (kernel === undefined) {
    const name = `${op}Grad` as GradOp;
    const entry = GRAD_REGISTRY[name];
    kernel = entry ? { ...entry, name } : null;
    GRAD_KERNELS.set(op, kernel);
  }
  return kernel;
}

/** The value formula of a unary op in `x` and its parameter names. */
export function unaryFormula(op: UnaryOp): Formula {
  const e = unaryEntry(op);
  return e.formula(f.v('x'), paramVars(e.params));
}

/** The value formula of a binary op in `a`, `b` and its parameter name. */
export function binaryFormula(op: KernelBinaryOp): Formula {
  const e = binaryEntry(op);
  return e.formula(f.v('a'), f.v('b'), paramVars(e.params));
}

// ---- the reference backend's scalar functions, compiled from the formulas --------------------

type Scalar = (...args: number[]) => number;

// The formula as JavaScript source when the platform allows it (fast), else as closures
// (pages whose Content-Security-Policy forbids eval).
function compile(formula: Formula, vars: readonly string[]): Scalar {
  try {
    const body = f.render(formula, f.JS);
    return new Function('H', `return (${vars.join(', ')}) => +${body};`)(JS_HELPERS) as Scalar;
  } catch {
    const run = f.evaluator(formula, JS_HELPERS);
    return (...args) => run(Object.fromEntries(vars.map((n, i) => [n, args[i]!])));
  }
}

/** One unary op for the reference backend: `fn(x, p0, p1)` and its dtype rule. */
export interface UnaryOpDef {
  readonly fn: (x: number, p0: number, p1: number) => number;
  /** How the result dtype follows from the input dtype. */
  readonly dtype: UnaryDTypeRule;
}

/** One binary op for the reference backend: `fn(a, b, p)` and its dtype rule. */
export interface BinaryOpDef {
  readonly fn: (a: number, b: number, p: number) => number;
  /** How the result dtype follows from the promoted input dtype. */
  readonly dtype: BinaryDTypeRule;
}

const slots = (params: readonly ParamSpec[] | undefined, n: number): string[] => {
  const names = (params ?? []).map((p) => p.name);
  while (names.length < n) names.push(`_p${names.length}`);
  return names;
};

/** Every unary op's scalar function (compiled from its formula) and dtype rule. */
export const UNARY_OPS = Object.fromEntries(
  (Object.keys(UNARY_REGISTRY) as UnaryOp[]).map((op) => {
    const e = unaryEntry(op);
    return [op, { fn: compile(unaryFormula(op), ['x', ...slots(e.params, 2)]), dtype: e.dtype }];
  }),
) as Record<UnaryOp, UnaryOpDef>;

/** Every binary op's scalar function (compiled from its formula) and dtype rule. */
export const BINARY_OPS = Object.fromEntries(
  (Object.keys(BINARY_REGISTRY) as BinaryOp[]).map((op) => [op, binaryOpDef(op)]),
) as Record<BinaryOp, BinaryOpDef>;

function binaryOpDef(op: KernelBinaryOp): BinaryOpDef {
  const e = binaryEntry(op);
  return { fn: compile(binaryFormula(op), ['a', 'b', ...slots(e.params, 1)]), dtype: e.dtype };
}

/** The binary ops and gradient kernels, for the reference backend. */
export const KERNEL_BINARY_OPS: Readonly<Partial<Record<KernelBinaryOp, BinaryOpDef>>> = {
  ...BINARY_OPS,
  ...Object.fromEntries(Object.keys(GRAD_REGISTRY).map((op) => [op, binaryOpDef(op as GradOp)])),
};

/** The result dtype of a unary op applied to `dtype`. */
export function unaryResultDType(op: UnaryOp, dtype: DType): DType {
  const rule = unaryEntry(op).dtype;
  if (rule === 'bool') return 'bool';
  if (rule === 'float' && !isFloatingDType(dtype)) return DEFAULT_FLOAT_DTYPE;
  return dtype;
}

/** The result dtype of a binary op whose operands promote to `promoted`. */
export function binaryResultDType(op: KernelBinaryOp, promoted: DType): DType {
  const rule = binaryEntry(op).dtype;
  if (rule === 'bool') return 'bool';
  if (rule === 'float' && !isFloatingDType(promoted)) return DEFAULT_FLOAT_DTYPE;
  return promoted;
}

/** The reductions a backend implements. `mean`, `var` and the rest are built on these. */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'any' | 'all' | 'logsumexp';
