/**
 * gradcheck: compares backward's gradients with central finite differences, in float64, as
 * PyTorch's `torch.autograd.gradcheck` does (eps 1e-6, atol 1e-5, rtol 1e-3). An entry point of
 * its own, `@gd/autograd/gradcheck` (as `torch.autograd.gradcheck` is a module of PyTorch's),
 * so that a page that does not check gradients does not load it.
 *
 * @example
 * ```ts
 * import { tensor } from '@gd/autograd';
 * import { gradcheck } from '@gd/autograd/gradcheck';
 *
 * const x = tensor([0.5, -1.2], { dtype: 'float64', requiresGrad: true });
 * console.log(gradcheck((t) => t.tanh().mul(t), [x])); // true
 * ```
 *
 * @packageDocumentation
 */
import { grad } from './grad.js';
import type { Tensor } from './tensor.js';
import { checkGradcheckArgs } from './gradcheck-checks.js';

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Finite-difference step. */
  eps?: number;
  /** Absolute tolerance. */
  atol?: number;
  /** Relative tolerance. */
  rtol?: number;
  /** Throw on a mismatch (default) instead of returning false. */
  raiseException?: boolean;
}

function outputsOf(result: Tensor | readonly Tensor[]): Tensor[] {
  return Array.isArray(result) ? [...(result as readonly Tensor[])] : [result as Tensor];
}

function flatIndexToCoords(i: number, shape: readonly number[]): number[] {
  const coords = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    coords[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return coords;
}

/**
 * Checks `fn`'s analytical gradients against numerical ones for every input that requires
 * grad. Inputs should be float64. Returns true, or throws (or returns false) with a report
 * naming the output, the input and the element that disagree.
 *
 * @example
 * ```ts
 * const x = randn([3], { dtype: 'float64', requiresGrad: true });
 * gradcheck((x) => x.sin().mul(x), [x]); // true
 * ```
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): boolean {
  checkGradcheckArgs([fn, inputs, options]);
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raiseException = true } = options;
  const fail = (message: string): boolean => {
    if (raiseException) throw new Error(`gradcheck failed: ${message}`);
    return false;
  };
  inputs.forEach((t, i) => {
    if (t.requiresGrad && t.dtype !== 'float64') {
      console.warn(
        `gradcheck: input ${i} is ${t.dtype}, not float64; the check may fail from rounding alone`,
      );
    }
  });
  const diffIdx = inputs.map((t, i) => (t.requiresGrad ? i : -1)).filter((i) => i >= 0);
  if (diffIdx.length === 0) return fail('no input requires grad');

  const outputs = outputsOf(fn(...inputs));
  // fn may itself use autograd (a gradient of a gradient), so evaluations keep grad mode on.
  const evalOutputs = (): Float64Array[] =>
    outputsOf(fn(...inputs)).map((o) =>
      Float64Array.from(o.value.contiguous().data as ArrayLike<number>),
    );

  // Analytical Jacobians first, for every output: the perturbations below bump the inputs'
  // versions, which would invalidate the graph of the first evaluation.
  const analytical = outputs.map((out) => {
    if (!out.requiresGrad) return null;
    const n = out.numel();
    const rows: Float64Array[][] = diffIdx.map((i) =>
      Array.from({ length: n }, () => new Float64Array(inputs[i]!.numel())),
    );
    for (let r = 0; r < n; r++) {
      const v = out.newZeros(out.shape);
      v.value.data[r] = 1;
      const grads = grad(
        out,
        diffIdx.map((i) => inputs[i]!),
        { gradOutputs: [v], retainGraph: true, allowUnused: true },
      );
      grads.forEach((g, k) => {
        if (g) rows[k]![r]!.set(g.value.double().contiguous().data as Float64Array);
      });
    }
    return rows;
  });

  // Numerical Jacobians by central differences, perturbing each input element in place.
  for (let k = 0; k < diffIdx.length; k++) {
    const input = inputs[diffIdx[k]!]!;
    const m = input.numel();
    for (let j = 0; j < m; j++) {
      const coords = flatIndexToCoords(j, input.shape);
      const element = input.value.index(...coords);
      const orig = element.item();
      element.fill_(orig + eps);
      const plus = evalOutputs();
      element.fill_(orig - eps);
      const minus = evalOutputs();
      element.fill_(orig);
      for (let oi = 0; oi < outputs.length; oi++) {
        const rows = analytical[oi];
        if (!rows) continue;
        const out = outputs[oi]!;
        for (let r = 0; r < out.numel(); r++) {
          const numeric = (plus[oi]![r]! - minus[oi]![r]!) / (2 * eps);
          const analytic = rows[k]![r]![j]!;
          if (!(Math.abs(numeric - analytic) <= atol + rtol * Math.abs(numeric))) {
            return fail(
              `Jacobian mismatch for output ${oi} with respect to input ${diffIdx[k]} at input element [${coords.join(', ')}] and output element [${flatIndexToCoords(r, out.shape).join(', ')}]: numerical ${numeric}, analytical ${analytic}`,
            );
          }
        }
      }
    }
  }
  return true;
}
