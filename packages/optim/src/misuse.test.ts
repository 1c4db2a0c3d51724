/**
 * Misuse of the optimizers, generated from one table: each option of each optimizer given a
 * value of the wrong kind, misspelt, or set in a parameter group it does not have; each call
 * must throw a TypeError naming the optimizer and the option.
 */
import { describe, expect, it } from 'vitest';
import { zeros } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { Adagrad, Adam, AdamW, RMSprop, SGD } from './index.js';

type Ctor = new (params: Tensor[] | object[], options?: object) => unknown;

const OPTIMIZERS: readonly [string, Ctor, Record<string, unknown>][] = [
  [
    'SGD',
    SGD as Ctor,
    { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
  ],
  [
    'Adam',
    Adam as Ctor,
    { lr: 0.1, betas: [0.9, 0.99], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false },
  ],
  [
    'AdamW',
    AdamW as Ctor,
    { lr: 0.1, betas: [0.9, 0.99], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false },
  ],
  [
    'RMSprop',
    RMSprop as Ctor,
    {
      lr: 0.1,
      alpha: 0.9,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
      maximize: false,
    },
  ],
  [
    'Adagrad',
    Adagrad as Ctor,
    {
      lr: 0.1,
      lrDecay: 0,
      weightDecay: 0,
      initialAccumulatorValue: 0,
      eps: 1e-10,
      maximize: false,
    },
  ],
];

const wrongFor = (v: unknown): unknown =>
  typeof v === 'number' ? '0.1' : typeof v === 'boolean' ? 1 : 'pair';
const params = (): Tensor[] => [zeros([2], { requiresGrad: true })];

const rows = OPTIMIZERS.flatMap(([name, Opt, good]) =>
  Object.keys(good).map((key) => ({ name, Opt, good, key })),
);

describe('optimizer options: wrong kinds and unknown keys name the option', () => {
  it.each(rows)('$name: $key', ({ name, Opt, good, key }) => {
    expect(() => new Opt(params(), good)).not.toThrow();
    const bad = { ...good, [key]: wrongFor(good[key]) };
    expect(() => new Opt(params(), bad)).toThrow(TypeError);
    expect(() => new Opt(params(), bad)).toThrow(`${name}: ${key} must be`);
    // The same option, wrong, in a parameter group.
    expect(() => new Opt([{ params: params(), [key]: wrongFor(good[key]) }], good)).toThrow(
      `${name}: ${key} must be`,
    );
  });

  it.each(OPTIMIZERS)('%s: unknown and misspelt options', (name, Opt) => {
    expect(() => new Opt(params(), { lr: 0.1, learningRate: 0.1 })).toThrow(
      `${name}: unknown option 'learningRate'`,
    );
    expect(() => new Opt(params(), { lr: 0.1, weight_decay: 0.1 })).toThrow(
      `${name}: unknown option 'weight_decay' (did you mean 'weightDecay'?)`,
    );
    expect(() => new Opt([{ params: params(), lrr: 0.1 }], { lr: 0.1 })).toThrow(
      `${name}: unknown option 'lrr' in a parameter group`,
    );
    expect(() => new Opt(params(), 0.1 as never)).toThrow(
      `${name}: options must be an options object`,
    );
  });
});
