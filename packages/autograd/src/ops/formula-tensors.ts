/**
 * Registry formulas evaluated on tensors: each node becomes the differentiable Tensor op of the
 * same meaning, so a derivative written once in the registry is itself differentiable.
 */
import { formula } from '@gd/tensor';
import { tensor } from '../creation.js';
import type { Tensor } from '../tensor.js';
import { where } from '../tensor.js';

type Value = Tensor | number;
type MathFn = formula.MathFn;

const TENSOR_FNS: Readonly<Partial<Record<MathFn, (t: Tensor, b: Value) => Tensor>>> = {
  abs: (t) => t.abs(),
  exp: (t) => t.exp(),
  expm1: (t) => t.expm1(),
  log: (t) => t.log(),
  log2: (t) => t.log2(),
  log1p: (t) => t.log1p(),
  sqrt: (t) => t.sqrt(),
  sin: (t) => t.sin(),
  cos: (t) => t.cos(),
  tan: (t) => t.tan(),
  tanh: (t) => t.tanh(),
  floor: (t) => t.floor(),
  ceil: (t) => t.ceil(),
  trunc: (t) => t.trunc(),
  rint: (t) => t.round(),
  erf: (t) => t.erf(),
  isfinite: (t) => t.isfinite(),
  pow: (t, b) => t.pow(b),
  atan2: (t, b) => t.atan2(b),
  pyMod: (t, b) => t.remainder(b),
  pyFloorDiv: (t, b) => t.floorDivide(b),
};

const NUMBER_FNS: Readonly<Partial<Record<MathFn, (a: number, b: number) => number>>> = {
  abs: Math.abs,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
};

/**
 * The algebra of tensors of `like`'s dtype: constants become 0-d tensors of that dtype, so a
 * float64 gradient stays float64.
 */
export function tensorAlgebra(like: Tensor): formula.Algebra<Value> {
  const lift = (v: Value): Tensor => (typeof v === 'number' ? tensor(v, { dtype: like.dtype }) : v);
  const both = (a: Value, b: Value, f: (x: Tensor, y: Tensor) => Tensor): Tensor =>
    f(lift(a), lift(b));
  return {
    num: (value) => value,
    call(fn, args) {
      const [a, b = NaN] = args as [Value, Value?];
      const onNumbers = NUMBER_FNS[fn];
      if (typeof a === 'number' && typeof b === 'number' && onNumbers) return onNumbers(a, b);
      const onTensors = TENSOR_FNS[fn];
      if (!onTensors) throw new Error(`formula: no tensor op for ${fn}`);
      return onTensors(lift(a), b);
    },
    bin(op, a, b) {
      const folded = formula.foldNumbers(op, a, b);
      if (folded !== undefined) return folded;
      switch (op) {
        case '+':
          return both(a, b, (x, y) => x.add(y));
        case '-':
          return both(a, b, (x, y) => x.sub(y));
        case '*':
          return both(a, b, (x, y) => x.mul(y));
        case '/':
          return both(a, b, (x, y) => x.div(y));
        case '<':
          return both(a, b, (x, y) => x.lt(y));
        case '<=':
          return both(a, b, (x, y) => x.le(y));
        case '>':
          return both(a, b, (x, y) => x.gt(y));
        case '>=':
          return both(a, b, (x, y) => x.ge(y));
        case '==':
          return both(a, b, (x, y) => x.eq(y));
        case '!=':
          return both(a, b, (x, y) => x.ne(y));
        case '&&':
          return both(a, b, (x, y) => x.logicalAnd(y));
        case '||':
          return both(a, b, (x, y) => x.logicalOr(y));
      }
    },
    neg: (a) => (typeof a === 'number' ? -a : a.neg()),
    not: (a) => lift(a).logicalNot(),
    select: (cond, then, otherwise) => where(lift(cond), lift(then), lift(otherwise)),
  };
}
