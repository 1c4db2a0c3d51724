/**
 * What autograd's entry points outside the Tensor methods take (`backward`, `grad`), as one
 * table in @gd/tensor's signature notation: each checks its arguments from here, and the misuse
 * tests are generated from it. gradcheck's row is in gradcheck-checks.ts, with its entry point.
 */
import type { ArgKind } from '@gd/tensor';
import { NDArray, checkRow, describe } from '@gd/tensor';
import { Tensor } from './tensor.js';

const isTensor = (v: unknown): boolean => v instanceof Tensor;
const isTensorList = (v: unknown): boolean => Array.isArray(v) && v.every(isTensor);

/** The kinds the table uses beyond @gd/tensor's base kinds. */
export const AUTOGRAD_KINDS: Readonly<Record<string, ArgKind>> = {
  tensor: { test: isTensor, accepts: 'a Tensor', wrong: [1] },
  tensors: {
    test: (v) => isTensor(v) || isTensorList(v),
    accepts: 'a Tensor or an array of Tensors',
    wrong: 'x',
  },
  gradOutputs: {
    test: (v) => isTensor(v) || (Array.isArray(v) && v.every((g) => g === null || isTensor(g))),
    accepts: 'a Tensor or an array of Tensors (or nulls)',
    wrong: [1],
  },
};

const BACKWARD = { retainGraph: 'bool', createGraph: 'bool' };

/** Each entry point: positional parameters, and its options' schema. */
export const AUTOGRAD_SIGNATURES: Readonly<
  Record<string, { args: readonly string[]; options: Readonly<Record<string, string>> }>
> = {
  backward: { args: ['gradient?:tensor|null', 'options?:options'], options: BACKWARD },
  grad: {
    args: ['outputs:tensors', 'inputs:tensors', 'options?:options'],
    options: { ...BACKWARD, gradOutputs: 'gradOutputs|null', allowUnused: 'bool' },
  },
};

/**
 * Checks a call of one of {@link AUTOGRAD_SIGNATURES}' entry points.
 *
 * @example
 * ```ts
 * checkEntry('grad', [y, x, { createGraph: 1 }]);
 * // TypeError: grad: createGraph must be a boolean, got number 1
 * ```
 */
export function checkEntry(fn: string, args: readonly unknown[]): void {
  checkRow(fn, AUTOGRAD_SIGNATURES[fn]!, args, AUTOGRAD_KINDS);
}

/** The tensor a function form works on, checked (`exp(3)` names the problem). */
export function inputTensor(fn: string, x: unknown): Tensor {
  if (x instanceof Tensor) return x;
  throw new TypeError(
    `${fn}: input must be a Tensor, got ${describe(x)}${x instanceof NDArray ? '; wrap an NDArray with Tensor.fromArray(a) or tensor(a)' : ''}`,
  );
}
