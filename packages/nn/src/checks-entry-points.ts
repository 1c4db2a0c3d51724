/**
 * The argument tables of the entry points other than the main one (`@gd/nn/init`,
 * `@gd/nn/utils` and the safetensors helpers), in the notation of checks.ts, and the kinds only
 * they use: apart from checks.ts so that a page that imports `@gd/nn` alone does not load them.
 * The misuse tests are generated from these tables too.
 */
import { Tensor } from '@gd/autograd';
import type { ArgKind, SignatureRow } from '@gd/tensor';
import { Generator, NDArray, checkRow as checkTableRow } from '@gd/tensor';
import { NN_KINDS, isPlainObject } from './checks.js';
import { Module } from './module.js';

/** {@link NN_KINDS} and the kinds the other entry points add. */
export const ENTRY_POINT_KINDS: Readonly<Record<string, ArgKind>> = {
  ...NN_KINDS,
  // Parameters for @gd/nn/utils: one Tensor, or an iterable of them (an array, model.parameters()).
  parameters: {
    test: (v) =>
      v instanceof Tensor ||
      (typeof v === 'object' &&
        v !== null &&
        !(v instanceof NDArray) &&
        Symbol.iterator in v &&
        (!Array.isArray(v) || v.every((e) => e instanceof Tensor))),
    accepts: 'a Tensor or an iterable of Tensors (e.g. model.parameters())',
    wrong: 1,
  },
  rng: { test: (v) => v instanceof Generator, accepts: 'a Generator', wrong: 42 },
  // Objects whose entries the function checks itself (with its own messages).
  tensorRecord: { test: isPlainObject, accepts: 'an object of Tensors', wrong: [1] },
  stringRecord: { test: isPlainObject, accepts: 'an object of strings', wrong: 'epoch=3' },
  bytes: { test: (v) => v instanceof Uint8Array, accepts: 'a Uint8Array', wrong: [0, 1] },
  // save's first argument: a Module (its state dict is saved) or an object of Tensors.
  module: {
    test: (v) => v instanceof Module || isPlainObject(v),
    accepts: 'a Module or an object of Tensors',
    wrong: 'model',
  },
};

const KAIMING = {
  args: ['tensor:tensor', 'options?:options'],
  // Kinds only: a wrong name gets PyTorch's own message (from calculateGain, kaimingStd).
  options: { a: 'number', mode: 'string', nonlinearity: 'string', generator: 'rng' },
};

/** `@gd/nn/init`'s functions (PyTorch's `torch.nn.init`). */
export const INIT_SIGNATURES: Readonly<Record<string, SignatureRow>> = {
  calculateGain: { args: ['nonlinearity:string', 'param?:number|null'] },
  calculateFanInAndFanOut: { args: ['tensor:tensor'] },
  uniform_: { args: ['tensor:tensor', 'a?:number', 'b?:number', 'generator?:rng'] },
  normal_: { args: ['tensor:tensor', 'mean?:number', 'std?:number', 'generator?:rng'] },
  constant_: { args: ['tensor:tensor', 'value:number'] },
  zeros_: { args: ['tensor:tensor'] },
  ones_: { args: ['tensor:tensor'] },
  xavierUniform_: { args: ['tensor:tensor', 'gain?:number', 'generator?:rng'] },
  xavierNormal_: { args: ['tensor:tensor', 'gain?:number', 'generator?:rng'] },
  kaimingUniform_: KAIMING,
  kaimingNormal_: KAIMING,
  orthogonal_: { args: ['tensor:tensor', 'gain?:number', 'generator?:rng'] },
};

/** `@gd/nn/utils`'s functions (PyTorch's `torch.nn.utils`). */
export const UTILS_SIGNATURES: Readonly<Record<string, SignatureRow>> = {
  clipGradNorm_: {
    args: ['parameters:parameters', 'maxNorm:number', 'options?:options'],
    options: { normType: 'number', errorIfNonfinite: 'bool' },
  },
  clipGradValue_: { args: ['parameters:parameters', 'clipValue:number'] },
  parametersToVector: { args: ['parameters:parameters'] },
  vectorToParameters: { args: ['vec:tensor', 'parameters:parameters'] },
};

/** The safetensors helpers. */
export const SAFETENSORS_SIGNATURES: Readonly<Record<string, SignatureRow>> = {
  saveSafetensors: { args: ['tensors:tensorRecord', 'metadata?:stringRecord'] },
  loadSafetensors: { args: ['bytes:bytes', 'options?:options'], options: { name: 'string' } },
  save: { args: ['moduleOrTensors:module', 'path:string', 'metadata?:stringRecord'] },
  load: { args: ['path:string'] },
  loadFile: { args: ['path:string'] },
};

/**
 * Checks `args` against a row of one of the tables above (kinds of the positional parameters,
 * then the options object's keys and kinds); errors are named `fn`.
 *
 * @example
 * ```ts
 * checkEntryPointRow('utils.clipGradNorm_', UTILS_SIGNATURES.clipGradNorm_!, [model.parameters(), '1']);
 * // TypeError: utils.clipGradNorm_: maxNorm must be a number, got the string "1"
 * ```
 */
export function checkEntryPointRow(fn: string, row: SignatureRow, args: ArrayLike<unknown>): void {
  checkTableRow(fn, row, args, ENTRY_POINT_KINDS);
}
