/**
 * The reference backend: plain TypeScript kernels that define what every backend must compute.
 * Written for speed where it is cheap (coalesced strided loops, per-op specialised inner loops,
 * a packed and register-blocked matmul); faster backends are checked against it.
 */
import type { DType, TypedArray } from '../../dtype.js';
import { typedArrayConstructor } from '../../dtype.js';
import type { Backend } from '../backend.js';
import { registerBackend } from '../backend.js';
import { avgPool2d, avgPool2dBackward, col2im, im2col, maxPool2d } from './conv.js';
import { binary, copy, fill, unary, where } from './elementwise.js';
import { gather, scatter } from './indexing.js';
import { matmul } from './matmul.js';
import { argReduce, reduce, softmax } from './reduce.js';
import { layerNorm, layerNormBackward } from './layer-norm.js';
import { adamStep, sgdStep } from './optim.js';

/**
 * The reference TypeScript backend, registered at priority 0.
 *
 * @example
 * ```ts
 * import { referenceBackend, setBackend } from '@gd/tensor';
 * setBackend(referenceBackend.name);
 * ```
 */
export const referenceBackend: Backend = {
  name: 'reference',
  alloc(dtype: DType, size: number): TypedArray {
    return new (typedArrayConstructor(dtype))(size);
  },
  unary,
  binary,
  where,
  copy,
  fill,
  reduce,
  argReduce,
  softmax,
  matmul,
  gather,
  scatter,
  im2col,
  col2im,
  maxPool2d,
  avgPool2d,
  avgPool2dBackward,
  layerNorm,
  layerNormBackward,
  adamStep,
  sgdStep,
};

registerBackend(referenceBackend, 0);
