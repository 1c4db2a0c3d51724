/**
 * Misuse of the optimizers, generated from one table: each option of each optimizer given a
 * value of the wrong kind, misspelt, or set in a parameter group it does not have; each call
 * must throw a TypeError naming the optimizer and the option.
 */
import { describe, expect, it } from 'vitest';
import { zeros } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { Adagrad, Adam, AdamW, RMSprop, SGD } from './index.js';
import {
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  StepLR,
} from './lr-scheduler.js';

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

describe('LR schedulers: wrong kinds, missing and unknown options are named', () => {
  const opt = () => new SGD(params(), { lr: 0.1 });
  const SCHEDULERS: readonly [string, (o: object) => unknown, Record<string, unknown>][] = [
    ['StepLR', (o) => new StepLR(opt(), o as never), { stepSize: 2, gamma: 0.5, lastEpoch: -1 }],
    ['MultiStepLR', (o) => new MultiStepLR(opt(), o as never), { milestones: [1, 2], gamma: 0.5 }],
    ['ExponentialLR', (o) => new ExponentialLR(opt(), o as never), { gamma: 0.9 }],
    ['CosineAnnealingLR', (o) => new CosineAnnealingLR(opt(), o as never), { tMax: 10, etaMin: 0 }],
    ['LinearLR', (o) => new LinearLR(opt(), o as never), { startFactor: 0.5, totalIters: 4 }],
    [
      'OneCycleLR',
      (o) => new OneCycleLR(opt(), o as never),
      { maxLr: 1, totalSteps: 10, threePhase: false },
    ],
  ];
  const rows = SCHEDULERS.flatMap(([name, make, good]) =>
    Object.keys(good).map((key) => ({ name, make, good, key })),
  );
  it.each(rows)('$name: $key', ({ name, make, good, key }) => {
    expect(() => make(good)).not.toThrow();
    const v = good[key];
    const bad = typeof v === 'boolean' ? 1 : typeof v === 'number' ? String(v) : 'x';
    expect(() => make({ ...good, [key]: bad })).toThrow(`${name}: ${key} must be`);
  });
  it.each(SCHEDULERS)('%s: unknown option', (name, make, good) => {
    expect(() => make({ ...good, step_size: 1 })).toThrow(`${name}: unknown option 'step_size'`);
  });
  it('a missing required option is named', () => {
    expect(() => new StepLR(opt(), {} as never)).toThrow("StepLR: missing option 'stepSize'");
    expect(() => new ExponentialLR(opt(), {} as never)).toThrow(
      "ExponentialLR: missing option 'gamma'",
    );
  });
});
