/**
 * Where one training step's time goes: the step split into data loading, forward, backward
 * and optimizer, and the kernels it ran (every call through the active backend, timed by a
 * backend that wraps it, as burn wraps a backend to add autodiff). What the kernels do not
 * account for is JavaScript: autograd's bookkeeping, shape checks and dispatch.
 */
import { fromTypedArray, manualSeed, tensor } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { F } from '@gd/nn';
import type { Module } from '@gd/nn';
import { SGD } from '@gd/optim';
import type { Backend, StridedArray } from '@gd/tensor';
import { getBackend, registerBackend, setBackend } from '@gd/tensor';
import { gatherRows, loadMnist, permutation } from './mnist.js';
import { BATCH, LR } from './settings.js';

/** Time and calls per kernel label (`matmul`, `binary mul`, `maxPool2d`, ...). */
type KernelTimes = Map<string, { ms: number; calls: number }>;

// Ops whose first argument names the operation, so each gets its own row.
const NAMED = new Set(['unary', 'binary', 'reduce']);

/** `A^T` where a matrix operand is read transposed (its columns contiguous). */
function operand(name: string, a: StridedArray): string {
  const [rs, cs] = a.strides.slice(-2);
  return a.shape.length >= 2 && cs !== 1 && rs === 1 ? `${name}^T` : name;
}

/**
 * A kernel's row label: the op (`binary add`), a matrix product with its shape and which
 * operands it reads transposed (`matmul 128x784x10 A B^T`: the products of one layer's
 * forward and backward are different kernels), an allocation with its size.
 */
function label(key: string, args: unknown[]): string {
  if (NAMED.has(key)) return `${key} ${String(args[0])}`;
  if (key === 'matmul') {
    const [a, b] = args as [StridedArray, StridedArray];
    const [m, k] = a.shape.slice(-2);
    const batch = a.shape.length > 2 ? `${a.shape.slice(0, -2).join('x')} of ` : '';
    return `matmul ${batch}${m}x${k}x${b.shape.at(-1)} ${operand('A', a)} ${operand('B', b)}`;
  }
  if (key === 'alloc' || key === 'allocUninitialized') return `${key} ${String(args[1])}`;
  return key;
}

/** A backend that times every kernel of `inner` into `times`. */
function timedBackend(inner: Backend, times: KernelTimes): Backend {
  const wrapped: Record<string, unknown> = { name: `${inner.name}+profile` };
  for (const [key, value] of Object.entries(inner)) {
    if (typeof value !== 'function') continue;
    wrapped[key] = (...args: unknown[]): unknown => {
      const row = label(key, args);
      const t0 = performance.now();
      const out = (value as (...a: unknown[]) => unknown).apply(inner, args);
      const entry = times.get(row) ?? { ms: 0, calls: 0 };
      entry.ms += performance.now() - t0;
      entry.calls++;
      times.set(row, entry);
      return out;
    };
  }
  return wrapped as unknown as Backend;
}

/**
 * Phase and kernel times (ms per step) of `steps` SGD steps of `model` after a warm-up of
 * `warmUpSteps` steps or `warmUpSeconds`, whichever ends first: the small models' JavaScript runs
 * in V8's interpreter for its first ~2,500 steps (README, "gd's first epochs are its slowest"),
 * and a profile of those steps would mostly show the warm-up. The timing itself (every kernel
 * called through a generic wrapper, two clock reads a call) makes a step about 1.7x slower than
 * the same step in an epoch: read the rows as shares of the step, not as an epoch's time.
 */
export function profileSteps(
  model: Module<[Tensor], Tensor>,
  shape: readonly number[],
  steps = 100,
  warmUpSteps = 2500,
  warmUpSeconds = 4,
): Record<string, number> {
  const data = loadMnist();
  manualSeed(0);
  const opt = new SGD(model.parameters(), { lr: LR });
  const order = permutation(data.trainY.length, 7);
  const batches = Math.floor(data.trainY.length / BATCH);
  const phases = { data: 0, forward: 0, backward: 0, optimizer: 0 };
  const run = (step: number, timed: boolean): void => {
    const i = step % batches;
    const t0 = performance.now();
    const xb = new Float32Array(BATCH * 784);
    gatherRows(data.trainX, 784, order, i * BATCH, BATCH, xb);
    const yb = new Int32Array(BATCH);
    for (let k = 0; k < BATCH; k++) yb[k] = data.trainY[order[i * BATCH + k]!]!;
    const x = fromTypedArray(xb, [BATCH, ...shape]);
    const y = tensor(yb);
    const t1 = performance.now();
    const loss = F.crossEntropy(model.call(x), y);
    const t2 = performance.now();
    opt.zeroGrad();
    loss.backward();
    const t3 = performance.now();
    opt.step();
    const t4 = performance.now();
    if (!timed) return;
    phases.data += t1 - t0;
    phases.forward += t2 - t1;
    phases.backward += t3 - t2;
    phases.optimizer += t4 - t3;
  };
  model.train();
  const inner = getBackend();
  const times: KernelTimes = new Map();
  registerBackend(timedBackend(inner, times), -1);
  // The warm-up runs through the timing backend too, so its wrappers are compiled as well.
  setBackend(`${inner.name}+profile`);
  let step: number;
  try {
    const warmUpEnd = performance.now() + warmUpSeconds * 1000;
    let warmUp = 0;
    while (warmUp < warmUpSteps && performance.now() < warmUpEnd) run(warmUp++, false);
    times.clear();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) run(warmUp + i, true);
    step = (performance.now() - t0) / steps;
  } finally {
    setBackend(inner.name);
  }
  const values: Record<string, number> = { 'step ms': step };
  for (const [k, v] of Object.entries(phases)) values[`${k} ms`] = v / steps;
  let kernels = 0;
  const rows = [...times].sort((a, b) => b[1].ms - a[1].ms);
  for (const [, { ms }] of rows) kernels += ms;
  for (const [row, { ms, calls }] of rows.slice(0, 16)) {
    values[`kernel ${row} ms (${Math.round(calls / steps)} calls)`] = ms / steps;
  }
  values['all kernels ms'] = kernels / steps;
  values['JavaScript (autograd, dispatch) ms'] = step - kernels / steps;
  return values;
}
