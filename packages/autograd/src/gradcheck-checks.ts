/**
 * What gradcheck takes, in the notation of checks.ts's table: apart from it so that the main
 * entry point does not carry what only @gd/autograd/gradcheck uses. The misuse tests are
 * generated from both tables.
 */
import type { ArgKind } from '@gd/tensor';
import { checkRow } from '@gd/tensor';
import { AUTOGRAD_KINDS } from './checks.js';
import { Tensor } from './tensor.js';

/** The kinds of checks.ts, and the one only gradcheck takes. */
export const GRADCHECK_KINDS: Readonly<Record<string, ArgKind>> = {
  ...AUTOGRAD_KINDS,
  tensorList: {
    test: (v) => Array.isArray(v) && v.every((t) => t instanceof Tensor),
    accepts: 'an array of Tensors',
    wrong: [1],
  },
};

/** gradcheck's positional parameters and its options' schema. */
export const GRADCHECK_SIGNATURES: Readonly<
  Record<string, { args: readonly string[]; options: Readonly<Record<string, string>> }>
> = {
  gradcheck: {
    args: ['fn:function', 'inputs:tensorList', 'options?:options'],
    options: { eps: 'number', atol: 'number', rtol: 'number', raiseException: 'bool' },
  },
};

/**
 * Checks a call of gradcheck against its row (kinds of the positional parameters, then the
 * options object's keys and kinds).
 *
 * @example
 * ```ts
 * checkGradcheckArgs([fn, x]);
 * // TypeError: gradcheck: inputs must be an array of Tensors, got ...
 * ```
 */
export function checkGradcheckArgs(args: readonly unknown[]): void {
  checkRow('gradcheck', GRADCHECK_SIGNATURES.gradcheck!, args, GRADCHECK_KINDS);
}
