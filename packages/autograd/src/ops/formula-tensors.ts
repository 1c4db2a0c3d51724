/**
 * Registry formulas evaluated on tensors: each node becomes the differentiable Tensor op of the
 * same meaning, so a derivative written once in the registry is itself differentiable.
 */
import { formula } from '@gd/tensor';
import { tensor } from '../creation.js';
import { Tensor, where } from '../tensor.js';

type Value = Tensor | number;
type MathFn = formula.MathFn;

// The Tensor method of each registry function and operator. A function's method has its name
// unless listed here (the type makes every other function name a Tensor method).
const RENAMED_FNS: Readonly<Record<Exclude<MathFn, keyof Tensor>, keyof Tensor>> = {
  rint: 'round',
  pyMod: 'remainder',
  pyFloorDiv: 'floorDivide',
};

const OPERATOR_METHODS: Readonly<Record<formula.BinaryOperator, keyof Tensor>> = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
  '==': 'eq',
  '!=': 'ne',
  '&&': 'logicalAnd',
  '||': 'logicalOr',
};

type TensorMethod = (this: Tensor, ...args: Value[]) => Tensor;
const method = (name: keyof Tensor): TensorMethod =>
  Tensor.prototype[name] as unknown as TensorMethod;

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
  return {
    num: (value) => value,
    call(fn, args) {
      const [a, b = NaN] = args as [Value, Value?];
      const onNumbers = NUMBER_FNS[fn];
      if (typeof a === 'number' && typeof b === 'number' && onNumbers) return onNumbers(a, b);
      const renamed: Partial<Record<MathFn, keyof Tensor>> = RENAMED_FNS;
      const onTensors = method(renamed[fn] ?? (fn as keyof Tensor));
      if (!onTensors) throw new Error(`formula: no tensor op for ${fn}`);
      // A unary function's method is called without a second argument (methods check arity).
      return onTensors.apply(lift(a), args.length > 1 ? [b] : []);
    },
    bin(op, a, b) {
      const folded = formula.foldNumbers(op, a, b);
      if (folded !== undefined) return folded;
      return method(OPERATOR_METHODS[op]).call(lift(a), lift(b));
    },
    neg: (a) => (typeof a === 'number' ? -a : a.neg()),
    not: (a) => lift(a).logicalNot(),
    select: (cond, then, otherwise) => where(lift(cond), lift(then), lift(otherwise)),
  };
}
