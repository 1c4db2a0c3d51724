/** Padding (PyTorch's `F.pad`): constant, reflect and replicate, from differentiable ops. */
import { formatShape } from '@gd/tensor';
import type { Tensor } from '@gd/autograd';
import { cat, full, tensor } from '@gd/autograd';

/** How {@link pad} fills the border. */
export type PadMode = 'constant' | 'reflect' | 'replicate';

/** The source index of every output position along a dim of size n padded by (l, r). */
function borderIndex(mode: 'reflect' | 'replicate', n: number, l: number, r: number): number[] {
  const at = (i: number): number => {
    if (mode === 'replicate') return Math.min(Math.max(i, 0), n - 1);
    return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
  };
  return Array.from({ length: l + n + r }, (_, k) => at(k - l));
}

/**
 * Pads the last dims: `pad` = [left, right] for the last dim, then [top, bottom] for the one
 * before, and so on (PyTorch's order). 'constant' fills with `value` (negative amounts crop);
 * 'reflect' mirrors without repeating the edge; 'replicate' repeats the edge.
 *
 * @example
 * ```ts
 * F.pad(tensor([[1, 2, 3]]), [2, 1], 'reflect'); // [[3, 2, 1, 2, 3, 2]]
 * F.pad(x, [1, 1, 1, 1]); // zero border on H and W of [N, C, H, W]
 * ```
 */
export function pad(
  input: Tensor,
  padding: readonly number[],
  mode: PadMode = 'constant',
  value = 0,
): Tensor {
  if (padding.length % 2 !== 0) throw new RangeError('Padding length must be divisible by 2');
  if (padding.length / 2 > input.ndim)
    throw new RangeError(
      `Padding length should be less than or equal to two times the input dimension but got padding length ${padding.length} and input of dimension ${input.ndim}`,
    );
  if (padding.some((p) => !Number.isInteger(p)))
    throw new RangeError(`pad: amounts must be integers, got ${formatShape(padding)}`);
  if (mode !== 'constant' && mode !== 'reflect' && mode !== 'replicate')
    throw new RangeError(
      `Unrecognised padding mode ${String(mode)}: expected 'constant', 'reflect' or 'replicate'`,
    );
  let out = input;
  for (let i = 0; i < padding.length / 2; i++) {
    const dim = input.ndim - 1 - i;
    const l = padding[2 * i]!;
    const r = padding[2 * i + 1]!;
    if (l === 0 && r === 0) continue;
    const n = out.shape[dim]!;
    if (mode === 'constant') {
      if (l < 0 || r < 0)
        out = out.narrow(dim, Math.max(-l, 0), n - Math.max(-l, 0) - Math.max(-r, 0));
      const side = (k: number): Tensor => {
        const shape = [...out.shape];
        shape[dim] = k;
        return full(shape, value, { dtype: out.dtype });
      };
      const parts = [...(l > 0 ? [side(l)] : []), out, ...(r > 0 ? [side(r)] : [])];
      out = parts.length === 1 ? out : cat(parts, dim);
      continue;
    }
    if (l < 0 || r < 0)
      throw new RangeError(
        `pad: ${mode} padding must be non-negative, got ${formatShape(padding)}`,
      );
    if (mode === 'reflect' && (l >= n || r >= n))
      throw new RangeError(
        `Padding size should be less than the corresponding input dimension, but got: padding (${l}, ${r}) at dimension ${dim} of input ${formatShape(input.shape)}`,
      );
    if (n === 0) throw new RangeError(`pad: cannot ${mode}-pad dimension ${dim} of size 0`);
    out = out.indexSelect(dim, tensor(borderIndex(mode, n, l, r), { dtype: 'int32' }));
  }
  return out;
}
