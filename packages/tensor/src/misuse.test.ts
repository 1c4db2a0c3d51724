/**
 * Misuse, generated from tables: every parameter of every method in the signature table, and
 * of the function forms and creation functions below, is given a value of the wrong kind; the
 * call must throw a TypeError naming the function and the parameter.
 */
import { describe, expect, it } from 'vitest';
import * as gd from './index.js';
import * as functional from './functional.js';
import { BASE_KINDS, CHECKED_IN_BODY, METHOD_SIGNATURES, arange, tensor } from './index.js';
import type { ArgKind, ParamSig, NDArray } from './index.js';
import { CONV_KINDS, CONV_SIGNATURES } from './ops/conv.js';

type Fn = (...args: unknown[]) => unknown;

const x = (): NDArray => arange(24, { dtype: 'float32' }).reshape(2, 3, 4);
const idx = (): NDArray => tensor([[[0]]], { dtype: 'int32' });

// A value of the right kind for each kind (ranges may be wrong: kinds are checked first).
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
  index: idx,
};
const WRONG: Record<string, unknown> = {
  ...Object.fromEntries(Object.entries(BASE_KINDS).map(([k, v]) => [k, v.wrong])),
  array: [1],
  arrayOrNumber: '1',
  index: '0',
};

function cases(sigs: Readonly<Record<string, readonly ParamSig[]>>) {
  return Object.entries(sigs).flatMap(([name, sig]) =>
    sig.map((p, i) => ({ name, param: p.name, i, sig })),
  );
}

describe('NDArray methods: a wrong kind of each parameter names it', () => {
  it.each(cases(METHOD_SIGNATURES))('$name: $param', ({ name, param, i, sig }) => {
    const args = sig.slice(0, i + 1).map((p) => VALID[p.kind]!());
    // A rest parameter takes sizes one by one, so a lone integer is right: give a string.
    args[i] = sig[i]!.rest ? 'x' : WRONG[sig[i]!.kind];
    const method = (x() as unknown as Record<string, Fn>)[name]!;
    expect(() => method.apply(x(), args)).toThrow(TypeError);
    expect(() => method.apply(x(), args)).toThrow(`${name}: ${param}`);
  });

  it('an autograd-like Tensor gets advice on converting it', () => {
    const fake = { value: x(), gradFn: null };
    expect(() => x().matmul(fake as never)).toThrow(
      'matmul: other must be an NDArray, got an autograd Tensor; an autograd Tensor is converted with t.value',
    );
  });

  it('too many arguments are refused', () => {
    expect(() => (x().transpose as Fn)(0, 1, 2)).toThrow(
      'transpose takes at most 2 arguments (dim0, dim1), got 3',
    );
  });

  it('the methods that check in their body are in the table too', () => {
    for (const name of CHECKED_IN_BODY) expect(METHOD_SIGNATURES[name]).toBeDefined();
  });
});

// Function forms and creation functions: [name, valid arguments, the parameter each names].
const FUNCTIONS: readonly [string, () => unknown[], readonly string[]][] = [
  ['tensor', () => [[1, 2], { dtype: 'float64' }], ['data', 'options']],
  ['zeros', () => [[2], {}], ['shape', 'options']],
  ['ones', () => [[2], {}], ['shape', 'options']],
  ['full', () => [[2], 1, {}], ['shape', 'value', 'options']],
  ['cat', () => [[x(), x()], 0], ['tensors', 'dim']],
  ['exp', () => [x()], ['input']],
  ['sum', () => [x(), 0, false], ['input', 'dim', 'keepdim']],
  ['mean', () => [x(), 0, false], ['input', 'dim', 'keepdim']],
  ['clamp', () => [x(), 0, 1], ['input', 'min', 'max']],
  ['gelu', () => [x(), 'tanh'], ['input', 'approximate']],
  ['argmax', () => [x(), 0], ['input', 'dim']],
  ['arange', () => [0, 4, 1, {}], ['start', 'end', 'step', 'options']],
  ['linspace', () => [0, 1, 5, {}], ['start', 'end', 'steps', 'options']],
  ['eye', () => [2, 3, {}], ['n', 'm', 'options']],
  ['rand', () => [[2], {}], ['shape', 'options']],
  ['randn', () => [[2], {}], ['shape', 'options']],
  ['normal', () => [0, 1, [2], {}], ['mean', 'std', 'shape', 'options']],
  ['randint', () => [0, 5, [2], {}], ['low', 'high', 'shape', 'options']],
  ['randperm', () => [4, {}], ['n', 'options']],
  ['fromTypedArray', () => [new Float32Array(2), [2]], ['data', 'shape']],
  ['zerosLike', () => [x(), {}], ['x', 'options']],
  ['einsum', () => ['ij->ji', x().select(0, 0)], ['equation', 'operands']],
  ['sort', () => [x(), 0, false], ['input', 'dim', 'descending']],
  ['topk', () => [x(), 1, 0], ['input', 'k', 'dim']],
  ['tril', () => [x(), 0], ['input', 'diagonal']],
  ['flip', () => [x(), 0], ['input', 'dims']],
  ['roll', () => [x(), 1, 0], ['input', 'shifts', 'dims']],
];
const WRONG_FOR: Record<string, unknown> = {
  start: '0',
  end: '4',
  step: '1',
  steps: 2.5,
  n: '2',
  m: '3',
  mean: '0',
  std: '1',
  low: '0',
  high: '5',
  x: [1],
  equation: 3,
  operands: [1],
  descending: 'yes',
  k: '1',
  diagonal: '0',
  dims: '0',
  shifts: '1',
  data: { a: 1 },
  options: 'float64',
  shape: { n: 2 },
  value: '1',
  tensors: 'x',
  dim: '0',
  keepdim: 1,
  input: 3,
  min: '0',
  max: '1',
  approximate: 'Tanh',
};

describe('function forms and creation functions: a wrong kind names the parameter', () => {
  const rows = FUNCTIONS.flatMap(([name, valid, params]) =>
    params.map((param, i) => ({ name, valid, param, i })),
  );
  it.each(rows)('$name: $param', ({ name, valid, param, i }) => {
    const args = valid();
    args[i] = WRONG_FOR[param];
    const fn = ({ ...gd, ...functional } as unknown as Record<string, Fn>)[name]!;
    expect(() => fn(...args)).toThrow(TypeError);
    expect(() => fn(...args)).toThrow(new RegExp(`${param}|${name}`));
  });
});

// The options forms of the hand-written ops: unknown keys and wrong kinds.
describe('options objects: unknown keys are named', () => {
  it.each([
    ['sum', { dims: 0 }],
    ['mean', { keepDim: true }],
    ['amax', { axis: 0 }],
    ['var', { unbiased: false }],
    ['clamp', { low: 0 }],
    ['gelu', { approx: 'tanh' }],
    ['max', { axis: 0 }],
    ['elu', { a: 1 }],
  ] as const)('%s(%o)', (name, options) => {
    const method = (x() as unknown as Record<string, Fn>)[name]!;
    expect(() => method.call(x(), options)).toThrow(
      `${name}: unknown option '${Object.keys(options)[0]}'`,
    );
  });
  it('near misses get a suggestion', () => {
    expect(() => x().mean({ dim: 0, keepDim: true } as never)).toThrow("did you mean 'keepdim'?");
  });
});

// The convolution, pooling and fold functions, generated from CONV_SIGNATURES.
describe('convolution and pooling functions: a wrong kind of each parameter names it', () => {
  const valid: Record<string, () => unknown> = {
    array: () => arange(16, { dtype: 'float32' }).reshape(1, 1, 4, 4),
    shape: () => [1, 1, 4, 4],
    pair: () => 2,
    options: () => ({}),
  };
  const wrongOf = (kind: string): unknown =>
    (CONV_KINDS[kind] ?? (BASE_KINDS as Record<string, ArgKind>)[kind])!.wrong;
  const rows = Object.entries(CONV_SIGNATURES).flatMap(([fn, row]) => {
    const sig = gd.signature(row.args);
    const at = sig.findIndex((p) => p.name === 'options');
    return [
      ...sig.map((p, i) => ({ fn, row, what: p.name, kind: p.kind, i, option: false })),
      ...Object.entries(row.options ?? {}).map(([key, spec]) => ({
        fn,
        row,
        what: key,
        kind: spec.split('|')[0]!,
        i: at,
        option: true,
      })),
    ];
  });
  it.each(rows)('$fn: $what', ({ fn, row, what, kind, i, option }) => {
    const args = gd.signature(row.args).map((p) => valid[p.kind]!());
    args[i] = option ? { [what]: wrongOf(kind) } : wrongOf(kind);
    const f = (gd as unknown as Record<string, Fn>)[fn]!;
    expect(() => f(...args)).toThrow(TypeError);
    expect(() => f(...args)).toThrow(`${fn}: ${what} must be`);
    if (option) {
      args[i] = { [`${what}X`]: 1 };
      expect(() => f(...args)).toThrow(`${fn}: unknown option '${what}X'`);
    }
  });
});
