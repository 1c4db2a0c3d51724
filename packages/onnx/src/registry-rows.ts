/**
 * The op-table rows of the ops generated from `@gd/tensor`'s registry: the ONNX operator of the
 * op's `@gd/tensor/op-info` row (with its float attributes) from the opset that has it, and
 * below that opset the entry's formula written out as ONNX nodes, so every generated op exports
 * at every opset.
 */
import type { GeneratedUnaryOp } from '@gd/tensor';
import { GENERATED_UNARY_OPS, formula, unaryFormula } from '@gd/tensor';
import { UNARY_OP_INFO } from '@gd/tensor/op-info';
import type { AttrValue } from './graph.js';
import { attr } from './graph.js';
import type { NodeContext, OpEmitter } from './emit.js';

type Value = string | number;

// Functions with one ONNX operator of the same meaning.
const ONNX_FNS: Readonly<Partial<Record<formula.MathFn, string>>> = {
  abs: 'Abs',
  exp: 'Exp',
  log: 'Log',
  sqrt: 'Sqrt',
  sin: 'Sin',
  cos: 'Cos',
  tan: 'Tan',
  tanh: 'Tanh',
  floor: 'Floor',
  ceil: 'Ceil',
  erf: 'Erf',
  rint: 'Round', // ONNX rounds half to even, as torch.round does
  pow: 'Pow',
};

const COMPARISONS: Readonly<Partial<Record<formula.BinaryOperator, string>>> = {
  '+': 'Add',
  '-': 'Sub',
  '*': 'Mul',
  '/': 'Div',
  '<': 'Less',
  '<=': 'LessOrEqual',
  '>': 'Greater',
  '>=': 'GreaterOrEqual',
  '==': 'Equal',
  '&&': 'And',
  '||': 'Or',
};

/** Formulas over ONNX value names: each node becomes the ONNX operators of the same meaning. */
function onnxAlgebra(c: NodeContext): formula.Algebra<Value> {
  const lift = (v: Value): string => (typeof v === 'number' ? c.scalar(v, c.outDtype) : v);
  const one = (): string => c.scalar(1, c.outDtype);
  return {
    num: (value) => value,
    call(fn, args) {
      const [a, b] = args.map(lift) as [string, string?];
      switch (fn) {
        case 'expm1':
          return c.emit('Sub', [c.emit('Exp', [a]), one()]);
        case 'log1p':
          return c.emit('Log', [c.emit('Add', [a, one()])]);
        case 'log2':
          return c.emit('Div', [c.emit('Log', [a]), c.scalar(Math.LN2, c.outDtype)]);
        case 'trunc':
          return c.emit('Where', [
            c.emit('Less', [a, c.scalar(0, c.outDtype)]),
            c.emit('Ceil', [a]),
            c.emit('Floor', [a]),
          ]);
        case 'isfinite':
          return c.emit('Not', [c.emit('Or', [c.emit('IsInf', [a]), c.emit('IsNaN', [a])])]);
        default: {
          const opType = ONNX_FNS[fn];
          if (opType === undefined) throw c.error(`no ONNX operator computes ${fn}`);
          return c.emit(opType, b === undefined ? [a] : [a, b]);
        }
      }
    },
    bin(op, a, b) {
      const folded = formula.foldNumbers(op, a, b);
      if (folded !== undefined) return folded;
      if (op === '!=') return c.emit('Not', [c.emit('Equal', [lift(a), lift(b)])]);
      return c.emit(COMPARISONS[op]!, [lift(a), lift(b)]);
    },
    neg: (a) => (typeof a === 'number' ? -a : c.emit('Neg', [a])),
    not: (a) => c.emit('Not', [lift(a)]),
    select: (cond, then, otherwise) => c.emit('Where', [lift(cond), lift(then), lift(otherwise)]),
  };
}

function registryRow(op: GeneratedUnaryOp): OpEmitter {
  const mapping = UNARY_OP_INFO[op].onnx;
  const value = unaryFormula(op);
  return (c) => {
    const v = c.value(0);
    const x = c.cast(v, c.outDtype);
    const params = c.attrs<Readonly<Record<string, number>>>();
    if (mapping && c.opset >= mapping.since && (mapping.when?.(params) ?? true)) {
      const attrs: Record<string, AttrValue> = {};
      for (const [k, n] of Object.entries(mapping.attrs?.(params) ?? {})) attrs[k] = attr.float(n);
      return { name: c.emit(mapping.op, [x], attrs), batch: v.batch };
    }
    const name = formula.evaluate(value, onnxAlgebra(c), { x, ...params });
    return { name: typeof name === 'number' ? c.scalar(name, c.outDtype) : name, batch: v.batch };
  };
}

/** The rows of every generated registry op, by op name. */
export const REGISTRY_ROWS: Readonly<Record<GeneratedUnaryOp, OpEmitter>> = Object.fromEntries(
  GENERATED_UNARY_OPS.map((op) => [op, registryRow(op)]),
) as Record<GeneratedUnaryOp, OpEmitter>;
