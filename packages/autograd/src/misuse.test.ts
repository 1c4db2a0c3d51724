/**
 * Misuse at the autograd level, generated from @gd/tensor's signature table (which Tensor's
 * methods are checked from) and from the table of function forms below: a value of the wrong
 * kind for each parameter must throw a TypeError naming the function and the parameter.
 */
import { describe, expect, it } from 'vitest';
import * as T from '@gd/tensor';
import type { ParamSig } from '@gd/tensor';
import * as gd from './index.js';
import type { Tensor } from './index.js';
import { arange, tensor } from './index.js';
import { gradcheck } from './gradcheck.js';
import { AUTOGRAD_SIGNATURES } from './checks.js';
import { GRADCHECK_KINDS, GRADCHECK_SIGNATURES } from './gradcheck-checks.js';

type Fn = (...args: unknown[]) => unknown;

const x = (): Tensor => arange(24, { dtype: 'float32' }).reshape(2, 3, 4);
const VALID: Record<string, () => unknown> = {
  int: () => 0,
  dim: () => 0,
  dims: () => 0,
  ints: () => 1,
  shape: () => [24],
  number: () => 1,
  bool: () => false,
  value: () => 0,
  norm: () => 2,
  generator: () => ({}),
  array: x,
  arrayOrNumber: () => 1,
  index: () => tensor([[[0]]], { dtype: 'int32' }),
};
const WRONG: Record<string, unknown> = {
  ...Object.fromEntries(Object.entries(T.BASE_KINDS).map(([k, v]) => [k, v.wrong])),
  array: T.tensor([1]), // an NDArray where a Tensor is needed
  arrayOrNumber: '1',
  index: '0',
};

const cases = Object.entries(T.METHOD_SIGNATURES as Record<string, readonly ParamSig[]>).flatMap(
  ([name, sig]) => sig.map((p, i) => ({ name, param: p.name, i, sig })),
);

describe('Tensor methods: a wrong kind of each parameter names it', () => {
  it.each(cases)('$name: $param', ({ name, param, i, sig }) => {
    const args = sig.slice(0, i + 1).map((p) => VALID[p.kind]!());
    args[i] = sig[i]!.rest ? 'x' : WRONG[sig[i]!.kind];
    const method = (x() as unknown as Record<string, Fn>)[name]!;
    expect(() => method.apply(x(), args)).toThrow(TypeError);
    expect(() => method.apply(x(), args)).toThrow(`${name}: ${param}`);
  });

  it('an NDArray where a Tensor is needed gets advice', () => {
    expect(() => x().matmul(T.ones([4, 2]) as never)).toThrow(
      'matmul: other must be a Tensor, got an NDArray of shape [4, 2] (float32); wrap an NDArray with Tensor.fromArray(a)',
    );
  });
});

const FUNCTIONS: readonly [string, () => unknown[], readonly string[]][] = [
  ['cat', () => [[x(), x()], 0], ['tensors', 'dim']],
  ['stack', () => [[x(), x()], 0], ['tensors', 'dim']],
  ['exp', () => [x()], ['input']],
  ['sum', () => [x(), 0, false], ['input', 'dim', 'keepdim']],
  ['mean', () => [x(), 0, false], ['input', 'dim', 'keepdim']],
  ['clamp', () => [x(), 0, 1], ['input', 'min', 'max']],
  ['gelu', () => [x(), 'tanh'], ['input', 'approximate']],
  ['add', () => [x(), 1, 1], ['other', 'alpha']],
  ['where', () => [x().gt(0), x(), 0], ['condition', 'input', 'other']],
  ['zeros', () => [[2], {}], ['shape', 'options']],
];
const WRONG_FOR: Record<string, unknown> = {
  tensors: 'x',
  dim: '0',
  keepdim: 1,
  input: 'x',
  min: '0',
  max: '1',
  approximate: 'Tanh',
  other: '1',
  alpha: '1',
  condition: 'yes',
  shape: { n: 2 },
  options: 'float64',
};

describe('autograd function forms: a wrong kind names the parameter', () => {
  const rows = FUNCTIONS.flatMap(([name, valid, params]) =>
    params.map((param, k) => ({ name, valid, param, i: name === 'add' ? k + 1 : k })),
  );
  it.each(rows)('$name: $param', ({ name, valid, param, i }) => {
    const args = valid();
    args[i] = WRONG_FOR[param];
    const fn = (gd as unknown as Record<string, Fn>)[name]!;
    expect(() => fn(...args)).toThrow(TypeError);
    expect(() => fn(...args)).toThrow(new RegExp(`${name}: .*${param}|${param}`));
  });
});

// backward, grad and gradcheck, generated from AUTOGRAD_SIGNATURES and GRADCHECK_SIGNATURES.
describe('backward, grad and gradcheck: a wrong kind of each parameter or option names it', () => {
  const leaf = () => tensor([1, 2], { dtype: 'float64', requiresGrad: true });
  const valid: Record<string, () => unknown> = {
    tensor: () => null,
    tensors: leaf,
    tensorList: () => [leaf()],
    function: () => (t: Tensor) => t.sum(),
    options: () => ({}),
  };
  const run: Record<string, (args: unknown[]) => unknown> = {
    backward: (args) => (leaf().sum().backward as Fn)(...args),
    grad: (args) => (gd.grad as Fn)(...args),
    gradcheck: (args) => (gradcheck as Fn)(...args),
  };
  const wrong = (kind: string): unknown =>
    (GRADCHECK_KINDS[kind] ?? (T.BASE_KINDS as Record<string, T.ArgKind>)[kind])!.wrong;
  const rows = Object.entries({ ...AUTOGRAD_SIGNATURES, ...GRADCHECK_SIGNATURES }).flatMap(
    ([fn, row]) => {
      const sig = T.signature(row.args);
      const at = sig.findIndex((p) => p.name === 'options');
      return [
        ...sig.map((p, i) => ({ fn, row, what: p.name, kind: p.kind, i, option: false })),
        ...Object.entries(row.options).map(([key, spec]) => ({
          fn,
          row,
          what: key,
          kind: spec.split('|')[0]!,
          i: at,
          option: true,
        })),
      ];
    },
  );
  it.each(rows)('$fn: $what', ({ fn, row, what, kind, i, option }) => {
    const args = T.signature(row.args).map((p) => valid[p.kind]!());
    args[i] = option ? { [what]: wrong(kind) } : wrong(kind);
    expect(() => run[fn]!(args)).toThrow(TypeError);
    expect(() => run[fn]!(args)).toThrow(`${fn}: ${what} must be`);
    if (option) {
      args[i] = { [`${what}X`]: 1 };
      expect(() => run[fn]!(args)).toThrow(`${fn}: unknown option '${what}X'`);
    }
  });
});
