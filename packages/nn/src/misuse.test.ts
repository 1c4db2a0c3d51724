/**
 * Misuse of the layers, generated from LAYER_SIGNATURES (the table the constructors check
 * from): each positional parameter and each option given a value of the wrong kind must throw
 * a TypeError naming the layer and the parameter; unknown options are named too.
 */
import { describe, expect, it } from 'vitest';
import { ones } from '@gd/autograd';
import * as T from '@gd/tensor';
import * as nn from './index.js';
import * as safetensors from './safetensors.js';
import * as init from './init.js';
import * as utils from './utils.js';
import { F } from './index.js';
import { FUNCTION_SIGNATURES, LAYER_SIGNATURES, MODULE_SIGNATURES } from './checks.js';
import {
  ENTRY_POINT_KINDS,
  INIT_SIGNATURES,
  SAFETENSORS_SIGNATURES,
  UTILS_SIGNATURES,
} from './checks-entry-points.js';

type Ctor = new (...args: unknown[]) => unknown;

const VALID: Record<string, () => unknown> = {
  int: () => 2,
  pair: () => 2,
  bool: () => true,
  options: () => ({}),
  number: () => 0.5,
  dim: () => 1,
  shape: () => [2],
  ints: () => [2],
  approximate: () => 'tanh',
  adaptive: () => 2,
  input: () => ones([1, 1, 2, 2]),
  tensor: () => ones([1, 1, 1, 1]),
};
const wrong = (kind: string): unknown =>
  (ENTRY_POINT_KINDS[kind] ?? (T.BASE_KINDS as Record<string, T.ArgKind>)[kind])!.wrong;

const positional = Object.entries(LAYER_SIGNATURES).flatMap(([layer, row]) =>
  T.signature(row.args).map((p, i) => ({ layer, param: p.name, kind: p.kind, i })),
);
const options = Object.entries(LAYER_SIGNATURES).flatMap(([layer, row]) =>
  Object.entries(row.options ?? {}).map(([key, spec]) => ({
    layer,
    key,
    kind: spec.split('|')[0]!,
  })),
);
const ctor = (layer: string) => (nn as unknown as Record<string, Ctor>)[layer]!;
const validArgs = (layer: string) =>
  T.signature(LAYER_SIGNATURES[layer]!.args)
    .filter((p) => !p.optional)
    .map((p) => VALID[p.kind]!());

describe('layer constructors: a wrong kind of each parameter names it', () => {
  it.each(positional)('$layer: $param', ({ layer, param, kind, i }) => {
    const Layer = ctor(layer);
    expect(() => new Layer(...validArgs(layer))).not.toThrow();
    const args = T.signature(LAYER_SIGNATURES[layer]!.args)
      .slice(0, i + 1)
      .map((p) => VALID[p.kind]!());
    args[i] = wrong(kind);
    expect(() => new Layer(...args)).toThrow(TypeError);
    expect(() => new Layer(...args)).toThrow(`${layer}: ${param} must be`);
  });

  it.each(options)('$layer: option $key', ({ layer, key, kind }) => {
    const Layer = ctor(layer);
    const sig = T.signature(LAYER_SIGNATURES[layer]!.args);
    const args = sig.filter((p) => p.name !== 'options').map((p) => VALID[p.kind]?.());
    const at = sig.findIndex((p) => p.name === 'options');
    args[at] = { [key]: wrong(kind) };
    expect(() => new Layer(...args)).toThrow(`${layer}: ${key} must be`);
    args[at] = { [`${key}X`]: 1 };
    expect(() => new Layer(...args)).toThrow(`${layer}: unknown option '${key}X'`);
  });
});

describe('Module.call takes an NDArray as a constant input', () => {
  it('model.call(ndarray) equals model.call(Tensor.fromArray(ndarray))', () => {
    const layer = new nn.Linear(3, 2);
    const a = T.ones([4, 3]);
    const out = layer.call(a as never);
    expect(out.toArray()).toEqual(layer.call(ones([4, 3])).toArray());
  });
});

describe('F functions: a wrong kind of each parameter names it', () => {
  const rows = Object.entries(FUNCTION_SIGNATURES).flatMap(([fn, row]) => [
    ...T.signature(row.args).map((p, i) => ({ fn, what: p.name, kind: p.kind, i, option: false })),
    ...Object.entries(row.options ?? {}).map(([key, spec]) => ({
      fn,
      what: key,
      kind: spec.split('|')[0]!,
      i: T.signature(row.args).findIndex((p) => p.name === 'options'),
      option: true,
    })),
  ]);
  it.each(rows)('$fn: $what', ({ fn, what, kind, i, option }) => {
    const f = (F as unknown as Record<string, (...a: unknown[]) => unknown>)[fn]!;
    const args = T.signature(FUNCTION_SIGNATURES[fn]!.args).map((p) => VALID[p.kind]!());
    args[i] = option ? { [what]: wrong(kind) } : wrong(kind);
    expect(() => f(...args)).toThrow(TypeError);
    expect(() => f(...args)).toThrow(`${fn}: ${what} must be`);
  });
  it('NDArray inputs are taken as constants', () => {
    const x = T.ones([2, 3]);
    expect(F.mseLoss(x as never, T.zeros([2, 3]) as never).item()).toBe(1);
  });
});

describe('init, utils, Module methods and safetensors helpers: a wrong kind of each parameter names it', () => {
  const valid: Record<string, () => unknown> = {
    ...VALID,
    tensor: () => ones([2, 3]),
    string: () => 'relu',
    function: () => () => undefined,
    rng: () => new T.Generator(),
    parameters: () => [ones([2]).requiresGrad_()],
    stateDict: () => ({}),
    tensorRecord: () => ({}),
    stringRecord: () => ({}),
    bytes: () => new Uint8Array(0),
    module: () => ({}),
  };
  const call =
    (target: () => Record<string, unknown>) =>
    (fn: string, args: unknown[]): unknown =>
      (target()[fn] as (...a: unknown[]) => unknown).apply(target(), args);
  const module = new nn.Linear(2, 2);
  const tables = [
    { prefix: 'init', table: INIT_SIGNATURES, run: call(() => init as never) },
    { prefix: 'utils', table: UTILS_SIGNATURES, run: call(() => utils as never) },
    { prefix: 'Module', table: MODULE_SIGNATURES, run: call(() => module as never) },
    // Each call fails its argument check before reading or writing anything.
    { prefix: '', table: SAFETENSORS_SIGNATURES, run: call(() => safetensors as never) },
  ];
  const rows = tables.flatMap(({ prefix, table, run }) =>
    Object.entries(table).flatMap(([fn, row]) => {
      const sig = T.signature(row.args);
      const at = sig.findIndex((p) => p.name === 'options');
      return [
        ...sig.map((p, i) => ({
          prefix,
          fn,
          run,
          row,
          what: p.name,
          kind: p.kind,
          i,
          option: false,
        })),
        ...Object.entries(row.options ?? {}).map(([key, spec]) => ({
          prefix,
          fn,
          run,
          row,
          what: key,
          kind: spec.split('|')[0]!,
          i: at,
          option: true,
        })),
      ];
    }),
  );
  it.each(rows)('$prefix $fn: $what', ({ prefix, fn, run, row, what, kind, i, option }) => {
    const args = T.signature(row.args).map((p) => valid[p.kind]!());
    args[i] = option ? { [what]: wrong(kind) } : wrong(kind);
    expect(() => run(fn, args)).toThrow(TypeError);
    const name = prefix ? `${prefix}.${fn}` : fn;
    expect(() => run(fn, args)).toThrow(`${name}: ${what} must be`);
    if (option) {
      args[i] = { [`${what}X`]: 1 };
      expect(() => run(fn, args)).toThrow(`${name}: unknown option '${what}X'`);
    }
  });

  it('an iterable of parameters holding something else is named', () => {
    expect(() => utils.clipGradNorm_(new Set([1]) as never, 1)).toThrow(
      'utils.clipGradNorm_: parameters must be a Tensor or an iterable of Tensors, got an iterable holding number 1',
    );
  });
});
