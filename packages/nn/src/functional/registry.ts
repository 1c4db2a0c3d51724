/**
 * Functional forms of the ops generated from `@gd/tensor`'s registry (`F.elu(x, alpha)`,
 * `F.mish(x)`, ...): each calls the op's method, so arguments are checked the same way.
 */
import type { Tensor } from '@gd/autograd';
import type { GeneratedUnaryOp, OpArgs } from '@gd/tensor';
import { GENERATED_UNARY_OPS } from '@gd/tensor';

/** One function per generated registry op: `(input, ...params) => Tensor`. */
export type RegistryFunctions = {
  readonly [K in GeneratedUnaryOp]: (input: Tensor, ...args: OpArgs<K>) => Tensor;
};

/**
 * The functional forms of every generated registry op.
 *
 * @example
 * ```ts
 * registryFunctions.elu(tensor([-1, 2]), { alpha: 0.5 }); // tensor([-0.3161,  2.0000])
 * ```
 */
export const registryFunctions = Object.fromEntries(
  GENERATED_UNARY_OPS.map((op) => [
    op,
    (input: Tensor, ...args: unknown[]) => (input[op] as (...a: unknown[]) => Tensor)(...args),
  ]),
) as unknown as RegistryFunctions;
