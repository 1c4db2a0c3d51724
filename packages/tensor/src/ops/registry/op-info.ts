/**
 * What each op of the registry is documented, tested and exported by, kept apart from what
 * running it takes (`elementwise.ts`), as PyTorch keeps its OpInfo entries and docstrings apart
 * from `native_functions.yaml`: the op's line of documentation (the generated methods' comment
 * in the API reference), the PyTorch call its fixtures are made from
 * (`tooling/fixtures/generate.mjs`), the parameter sets they cover and the ONNX operator
 * `@gd/onnx` writes for it. A page running ops never loads it. The tables are typed
 * over the registry's op names, so an op without its row here (or a row without its op) does
 * not compile.
 */
import type { BinaryOp, UnaryOp } from './elementwise.js';
import { SELU_ALPHA, SELU_SCALE } from './elementwise.js';

/** How an op is written in ONNX: one operator with float attributes, from an opset on. */
export interface OnnxMapping {
  /** The ONNX operator type. */
  readonly op: string;
  /** The first opset that has it; below it the exporter writes the formula out as nodes. */
  readonly since: number;
  /** Its float attributes from the op's parameters. */
  readonly attrs?: (params: Readonly<Record<string, number>>) => Readonly<Record<string, number>>;
  /** The parameters the operator can express (default: all); others get the formula. */
  readonly when?: (params: Readonly<Record<string, number>>) => boolean;
}

/** What the PyTorch fixtures of an op are made of (tooling/fixtures/generate.mjs). */
export interface FixtureSpec {
  /** The PyTorch expression, in the inputs (`x`; `a`, `b`) and the parameter names. */
  readonly torch: string;
  /** Parameter sets the fixtures cover besides the defaults. */
  readonly samples?: readonly Readonly<Record<string, number>>[];
  /** Integer right operands of a binary op, where the usual grid does not apply (pow). */
  readonly intB?: readonly number[];
}

/** What a unary op is documented and tested by. */
export interface UnaryOpInfo extends FixtureSpec {
  /** One line for the method's documentation. */
  readonly doc: string;
  /** For a kernel-level op with no method or function of its own: the public call reaching it. */
  readonly via?: string;
  /** How @gd/onnx exports a generated op; without a mapping it writes the formula out. */
  readonly onnx?: OnnxMapping;
}

/** What a binary op is documented and tested by. */
export interface BinaryOpInfo extends FixtureSpec {
  /** One line for the method's documentation. */
  readonly doc: string;
}

/** The documentation and fixture spec of every unary op of the registry, by name. */
export const UNARY_OP_INFO: Readonly<Record<UnaryOp, UnaryOpInfo>> = {
  neg: {
    doc: '`-x`.',
    torch: 'torch.neg(x)',
  },
  abs: {
    doc: '|x|.',
    torch: 'torch.abs(x)',
    onnx: { op: 'Abs', since: 6 },
  },
  sign: {
    doc: '-1, 0 or 1.',
    torch: 'torch.sign(x)',
    onnx: { op: 'Sign', since: 9 },
  },
  exp: {
    doc: 'e^x.',
    torch: 'torch.exp(x)',
    onnx: { op: 'Exp', since: 6 },
  },
  log: {
    doc: 'Natural log.',
    torch: 'torch.log(x)',
    onnx: { op: 'Log', since: 6 },
  },
  log2: {
    doc: 'log base 2.',
    torch: 'torch.log2(x)',
  },
  log1p: {
    doc: 'log(1 + x), accurate near 0.',
    torch: 'torch.log1p(x)',
  },
  expm1: {
    doc: 'e^x - 1, accurate near 0.',
    torch: 'torch.expm1(x)',
  },
  sqrt: {
    doc: 'Square root.',
    torch: 'torch.sqrt(x)',
    onnx: { op: 'Sqrt', since: 6 },
  },
  rsqrt: {
    doc: '1 / sqrt(x).',
    torch: 'torch.rsqrt(x)',
  },
  reciprocal: {
    doc: '1 / x.',
    torch: 'torch.reciprocal(x)',
    onnx: { op: 'Reciprocal', since: 6 },
  },
  square: {
    doc: 'x².',
    torch: 'torch.square(x)',
  },
  sin: {
    doc: 'Sine.',
    torch: 'torch.sin(x)',
    onnx: { op: 'Sin', since: 7 },
  },
  cos: {
    doc: 'Cosine.',
    torch: 'torch.cos(x)',
    onnx: { op: 'Cos', since: 7 },
  },
  tan: {
    doc: 'Tangent.',
    torch: 'torch.tan(x)',
    onnx: { op: 'Tan', since: 7 },
  },
  tanh: {
    doc: 'Hyperbolic tangent.',
    torch: 'torch.tanh(x)',
    onnx: { op: 'Tanh', since: 6 },
  },
  sigmoid: {
    doc: '1 / (1 + e^-x).',
    torch: 'torch.sigmoid(x)',
    onnx: { op: 'Sigmoid', since: 6 },
  },
  relu: {
    doc: 'max(x, 0).',
    torch: 'torch.relu(x)',
    onnx: { op: 'Relu', since: 6 },
  },
  gelu: {
    doc: 'x · Φ(x).',
    torch: 'torch.nn.functional.gelu(x)',
  },
  geluTanh: {
    doc: 'GELU with the tanh approximation.',
    via: "gelu(x, 'tanh')",
    torch: "torch.nn.functional.gelu(x, approximate='tanh')",
  },
  silu: {
    doc: 'x · sigmoid(x).',
    torch: 'torch.nn.functional.silu(x)',
  },
  softplus: {
    doc: 'log(1 + e^(beta·x)) / beta, and x where beta·x > threshold.',
    torch: 'torch.nn.functional.softplus(x, beta, threshold)',
    samples: [
      { beta: 2, threshold: 5 },
      { beta: 0.5, threshold: 1 },
    ],
    onnx: { op: 'Softplus', since: 1, when: (p) => p.beta === 1 && p.threshold === 20 },
  },
  erf: {
    doc: 'The error function.',
    torch: 'torch.erf(x)',
    onnx: { op: 'Erf', since: 9 },
  },
  floor: {
    doc: 'Round down.',
    torch: 'torch.floor(x)',
    onnx: { op: 'Floor', since: 6 },
  },
  ceil: {
    doc: 'Round up.',
    torch: 'torch.ceil(x)',
    onnx: { op: 'Ceil', since: 6 },
  },
  round: {
    doc: 'Round half to even.',
    torch: 'torch.round(x)',
    onnx: { op: 'Round', since: 11 },
  },
  trunc: {
    doc: 'Round toward zero.',
    torch: 'torch.trunc(x)',
  },
  clamp: {
    doc: 'x limited to [min, max].',
    // None for a missing bound, as torch.clamp(x, min=None) (an infinite bound would promote).
    torch:
      "torch.clamp(x, min if min != -float('inf') else None, max if max != float('inf') else None)",
    samples: [{ min: -1.5, max: 2 }, { min: 0.5 }, { max: -1 }],
  },
  leakyRelu: {
    doc: 'x for x > 0, slope · x otherwise.',
    torch: 'torch.nn.functional.leaky_relu(x, negativeSlope)',
    samples: [{ negativeSlope: 0.2 }],
    onnx: {
      op: 'LeakyRelu',
      since: 6,
      attrs: (p) => ({ alpha: p.negativeSlope! }),
    },
  },
  powScalar: {
    doc: 'x to a scalar power.',
    via: 'pow(x, exponent)',
    torch: 'torch.pow(x, exponent)',
    samples: [{ exponent: 3 }, { exponent: 0.5 }, { exponent: -2 }],
  },
  logicalNot: {
    doc: 'Logical not.',
    torch: 'torch.logical_not(x)',
  },
  isnan: {
    doc: 'Whether x is NaN.',
    torch: 'torch.isnan(x)',
  },
  isinf: {
    doc: 'Whether x is ±Infinity.',
    torch: 'torch.isinf(x)',
  },
  isfinite: {
    doc: 'Whether x is finite.',
    torch: 'torch.isfinite(x)',
  },
  elu: {
    doc: 'x for x > 0, alpha · (e^x - 1) otherwise (torch.nn.functional.elu).',
    torch: 'torch.nn.functional.elu(x, alpha)',
    samples: [{ alpha: 0.5 }],
    onnx: { op: 'Elu', since: 6, attrs: (p) => ({ alpha: p.alpha! }) },
  },
  selu: {
    doc: 'scale · elu(x, alpha) with the self-normalising constants (torch.nn.functional.selu).',
    torch: 'torch.nn.functional.selu(x)',
    onnx: {
      op: 'Selu',
      since: 6,
      attrs: () => ({ alpha: SELU_ALPHA, gamma: SELU_SCALE }),
    },
  },
  celu: {
    doc: 'x for x > 0, alpha · (e^(x/alpha) - 1) otherwise (torch.nn.functional.celu).',
    torch: 'torch.nn.functional.celu(x, alpha)',
    samples: [{ alpha: 2 }],
    onnx: { op: 'Celu', since: 12, attrs: (p) => ({ alpha: p.alpha! }) },
  },
  mish: {
    doc: 'x · tanh(softplus(x)) (torch.nn.functional.mish).',
    torch: 'torch.nn.functional.mish(x)',
    onnx: { op: 'Mish', since: 18 },
  },
  hardswish: {
    doc: 'x · relu6(x + 3) / 6 (torch.nn.functional.hardswish).',
    torch: 'torch.nn.functional.hardswish(x)',
    onnx: { op: 'HardSwish', since: 14 },
  },
  hardsigmoid: {
    doc: 'relu6(x + 3) / 6 (torch.nn.functional.hardsigmoid).',
    torch: 'torch.nn.functional.hardsigmoid(x)',
    onnx: { op: 'HardSigmoid', since: 6, attrs: () => ({ alpha: 1 / 6, beta: 0.5 }) },
  },
  logsigmoid: {
    doc: 'log(sigmoid(x)), computed without overflow (torch.nn.functional.logsigmoid).',
    torch: 'torch.nn.functional.logsigmoid(x)',
  },
  hardtanh: {
    doc: 'x limited to [minVal, maxVal] (torch.nn.functional.hardtanh).',
    torch: 'torch.nn.functional.hardtanh(x, minVal, maxVal)',
    samples: [{ minVal: -2, maxVal: 3 }],
  },
  softshrink: {
    doc: 'x - lambd above lambd, x + lambd below -lambd, 0 between (torch.nn.functional.softshrink).',
    torch: 'torch.nn.functional.softshrink(x, lambd)',
    samples: [{ lambd: 1.5 }],
    onnx: { op: 'Shrink', since: 9, attrs: (p) => ({ bias: p.lambd!, lambd: p.lambd! }) },
  },
};

/** The documentation and fixture spec of every binary op of the registry, by name. */
export const BINARY_OP_INFO: Readonly<Record<BinaryOp, BinaryOpInfo>> = {
  add: {
    doc: '`a + alpha * b`.',
    torch: 'torch.add(a, b, alpha=alpha)',
    samples: [{ alpha: 2.5 }, { alpha: 3 }],
  },
  sub: {
    doc: '`a - alpha * b`.',
    torch: 'torch.sub(a, b, alpha=alpha)',
    samples: [{ alpha: -1.5 }, { alpha: -2 }],
  },
  mul: {
    doc: '`a * b`.',
    torch: 'torch.mul(a, b)',
  },
  div: {
    doc: '`a / b`.',
    torch: 'torch.div(a, b)',
  },
  pow: {
    doc: '`a ** b`.',
    torch: 'torch.pow(a, b)',
    // Integers to negative powers are an error (tested on its own).
    intB: [0, 1, 2, 3],
  },
  atan2: {
    doc: 'atan2(a, b).',
    torch: 'torch.atan2(a, b)',
  },
  remainder: {
    doc: 'Python-style modulo (the sign of the divisor).',
    torch: 'torch.remainder(a, b)',
  },
  floorDivide: {
    doc: "Floor of the quotient (Python's `//`).",
    torch: 'torch.floor_divide(a, b)',
  },
  maximum: {
    doc: 'Elementwise maximum (NaN wins).',
    torch: 'torch.maximum(a, b)',
  },
  minimum: {
    doc: 'Elementwise minimum (NaN wins).',
    torch: 'torch.minimum(a, b)',
  },
  eq: {
    doc: 'a == b.',
    torch: 'torch.eq(a, b)',
  },
  ne: {
    doc: 'a != b.',
    torch: 'torch.ne(a, b)',
  },
  lt: {
    doc: 'a < b.',
    torch: 'torch.lt(a, b)',
  },
  le: {
    doc: 'a <= b.',
    torch: 'torch.le(a, b)',
  },
  gt: {
    doc: 'a > b.',
    torch: 'torch.gt(a, b)',
  },
  ge: {
    doc: 'a >= b.',
    torch: 'torch.ge(a, b)',
  },
  logicalAnd: {
    doc: 'Logical and.',
    torch: 'torch.logical_and(a, b)',
  },
  logicalOr: {
    doc: 'Logical or.',
    torch: 'torch.logical_or(a, b)',
  },
  logicalXor: {
    doc: 'Logical xor.',
    torch: 'torch.logical_xor(a, b)',
  },
};
