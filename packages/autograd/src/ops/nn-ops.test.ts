/**
 * Gradients of convolution and pooling (FOLDING, POOLING, and conv2d composed of unfold and
 * matmul): gradcheck in float64 over strides, padding, dilation, groups, bias, unbatched inputs
 * and ceil mode; second-order checks; PyTorch's values for ties and padding rules
 * (torch.autograd.grad, PyTorch 1.13, float64).
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../index.js';
import { arange, avgPool2d, conv2d, fold, grad, maxPool2d, tensor, unfold } from '../index.js';
import { gradcheck } from '../gradcheck.js';

/** Deterministic, distinct float64 values in `shape` (requires grad). */
function seq(shape: number[], scale = 0.37): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return arange(n, { dtype: 'float64' })
    .add(0.5)
    .mul(scale)
    .sin()
    .add(arange(n, { dtype: 'float64' }).mul(0.01))
    .reshape(shape)
    .detach()
    .requiresGrad_();
}

/**
 * gradgradcheck: gradcheck of the vector-Jacobian product `grad(f(xs), xs, v)` built with
 * createGraph, differentiated with respect to the inputs and to `v` itself.
 */
function gradgradcheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): boolean {
  const n = inputs.length;
  const v = seq([...f(...inputs).shape], 0.61);
  return gradcheck(
    (...args: Tensor[]) =>
      grad(f(...args.slice(0, n)), args.slice(0, n), {
        gradOutputs: args[n]!,
        createGraph: true,
      }).map((g) => g!),
    [...inputs, v],
  );
}

function expectClose(got: unknown, want: unknown, digits = 12): void {
  if (Array.isArray(want)) {
    expect(Array.isArray(got)).toBe(true);
    expect((got as unknown[]).length).toBe(want.length);
    want.forEach((w, i) => expectClose((got as unknown[])[i], w, digits));
  } else {
    expect(got as number).toBeCloseTo(want as number, digits);
  }
}

describe('conv2d', () => {
  it('plain, with bias, batched', () => {
    expect(
      gradcheck(
        (x, w, b) => conv2d(x, w, b),
        [seq([2, 2, 4, 4]), seq([3, 2, 2, 2], 0.53), seq([3], 0.7)],
      ),
    ).toBe(true);
  });
  it('stride', () => {
    expect(
      gradcheck(
        (x, w) => conv2d(x, w, null, { stride: 2 }),
        [seq([1, 2, 5, 5]), seq([2, 2, 3, 3], 0.53)],
      ),
    ).toBe(true);
    expect(
      gradcheck(
        (x, w) => conv2d(x, w, null, { stride: [1, 2] }),
        [seq([1, 1, 4, 5]), seq([2, 1, 2, 2], 0.53)],
      ),
    ).toBe(true);
  });
  it('padding (numbers, pairs, valid, same with an odd kernel)', () => {
    expect(
      gradcheck(
        (x, w) => conv2d(x, w, null, { padding: 1 }),
        [seq([1, 2, 3, 3]), seq([2, 2, 3, 3], 0.53)],
      ),
    ).toBe(true);
    expect(
      gradcheck(
        (x, w) => conv2d(x, w, null, { padding: [0, 2] }),
        [seq([1, 1, 3, 3]), seq([1, 1, 2, 2], 0.53)],
      ),
    ).toBe(true);
    expect(
      gradcheck(
        (x, w) => conv2d(x, w, null, { padding: 'valid' }),
        [seq([1, 1, 3, 3]), seq([1, 1, 2, 2], 0.53)],
      ),
    ).toBe(true);
    expect(
      gradcheck(
        (x, w) => conv2d(x, w, null, { padding: 'same' }),
        [seq([1, 1, 4, 4]), seq([1, 1, 3, 3], 0.53)],
      ),
    ).toBe(true);
  });
  it('dilation', () => {
    expect(
      gradcheck(
        (x, w) => conv2d(x, w, null, { dilation: 2 }),
        [seq([1, 1, 5, 5]), seq([2, 1, 2, 2], 0.53)],
      ),
    ).toBe(true);
    expect(
      gradcheck(
        (x, w) => conv2d(x, w, null, { dilation: [2, 1], padding: 1, stride: 2 }),
        [seq([1, 2, 5, 4]), seq([1, 2, 2, 2], 0.53)],
      ),
    ).toBe(true);
  });
  it('groups (including depthwise), with bias', () => {
    expect(
      gradcheck(
        (x, w, b) => conv2d(x, w, b, { groups: 2 }),
        [seq([1, 4, 3, 3]), seq([2, 2, 2, 2], 0.53), seq([2], 0.7)],
      ),
    ).toBe(true);
    expect(
      gradcheck(
        (x, w) => conv2d(x, w, null, { groups: 2, padding: 1 }),
        [seq([2, 2, 3, 3]), seq([4, 1, 2, 2], 0.53)],
      ),
    ).toBe(true);
  });
  it('unbatched input [C, H, W]', () => {
    const y = conv2d(seq([2, 4, 4]), seq([3, 2, 2, 2], 0.53), seq([3], 0.7), { padding: 1 });
    expect(y.shape).toEqual([3, 5, 5]);
    expect(
      gradcheck(
        (x, w, b) => conv2d(x, w, b, { stride: 2 }),
        [seq([2, 4, 4]), seq([3, 2, 2, 2], 0.53), seq([3], 0.7)],
      ),
    ).toBe(true);
  });
  it('non-contiguous input and weight', () => {
    expect(
      gradcheck(
        (x, w) => conv2d(x.transpose(2, 3), w.permute(1, 0, 2, 3), null, { padding: 1 }),
        [seq([1, 2, 3, 4]), seq([2, 3, 2, 2], 0.53)],
      ),
    ).toBe(true);
  });
  it('only the input, or only the weight, requires grad', () => {
    const w = seq([2, 1, 2, 2], 0.53).detach();
    const x = seq([1, 1, 3, 3]).detach();
    expect(gradcheck((t) => conv2d(t, w), [seq([1, 1, 3, 3])])).toBe(true);
    expect(gradcheck((t) => conv2d(x, t), [seq([2, 1, 2, 2], 0.53)])).toBe(true);
  });
  it("padding 'same' with an even kernel pads one more on the right and bottom (PyTorch)", () => {
    const x = tensor(
      Array.from({ length: 16 }, (_, i) => Math.sin(i * 0.37)),
      { dtype: 'float64' },
    )
      .reshape([1, 1, 4, 4])
      .requiresGrad_();
    const w = tensor(
      Array.from({ length: 4 }, (_, i) => Math.cos(i * 0.53 + 0.1)),
      { dtype: 'float64' },
    )
      .reshape([1, 1, 2, 2])
      .requiresGrad_();
    const y = conv2d(x, w, null, { padding: 'same' });
    expect(y.shape).toEqual([1, 1, 4, 4]);
    expectClose(y.toArray(), [
      [
        [
          [0.5755734485965114, 1.1937984133321076, 1.6504483631847273, 1.1004955438831174],
          [1.8620349994407548, 1.5883344272246906, 1.0996602414973993, 0.20168840676389468],
          [-0.23790597217912499, -0.9057646879140047, -1.4510324022739591, -1.0639207129293162],
          [-1.7625004442178276, -1.7115516522999144, -1.4289523734949754, -0.6658964455599521],
        ],
      ],
    ]);
    const [gx, gw] = grad(y.sum(), [x, w]);
    expectClose(gx!.toArray(), [
      [
        [
          [0.9950041652780257, 1.8030316735901777, 1.8030316735901777, 1.8030316735901777],
          [1.3943436946842986, 2.0834496336998383, 2.0834496336998383, 2.0834496336998383],
          [1.3943436946842986, 2.0834496336998383, 2.0834496336998383, 2.0834496336998383],
          [1.3943436946842986, 2.0834496336998383, 2.0834496336998383, 2.0834496336998383],
        ],
      ],
    ]);
    expectClose(gw!.toArray(), [
      [
        [
          [0.35190827892949994, 0.13856209707094425],
          [-1.5796937503436541, -1.7930399322022108],
        ],
      ],
    ]);
    expect(
      gradcheck(
        (t, k) => conv2d(t, k, null, { padding: 'same' }),
        [seq([1, 1, 3, 4]), seq([1, 1, 2, 3], 0.53)],
      ),
    ).toBe(true);
    expect(
      gradcheck(
        (t, k) => conv2d(t, k, null, { padding: 'same', dilation: [1, 3] }),
        [seq([2, 4, 4]), seq([1, 2, 2, 2], 0.53)],
      ),
    ).toBe(true);
    expect(() =>
      conv2d(seq([1, 1, 4, 4]), seq([1, 1, 2, 2]), null, { padding: 'same', stride: 2 }),
    ).toThrow(/padding='same' is not supported for strided convolutions/);
  });
  it('second order', () => {
    expect(
      gradgradcheck(
        (x, w, b) => conv2d(x, w, b, { padding: 1, stride: 2 }),
        [seq([1, 2, 3, 3]), seq([2, 2, 2, 2], 0.53), seq([2], 0.7)],
      ),
    ).toBe(true);
    expect(
      gradgradcheck(
        (x, w) => conv2d(x, w, null, { groups: 2 }).tanh(),
        [seq([1, 2, 3, 3]), seq([2, 1, 2, 2], 0.53)],
      ),
    ).toBe(true);
  });
});

describe('unfold / fold', () => {
  it('unfold with kernel, stride, padding and dilation', () => {
    expect(gradcheck((x) => unfold(x, 2), [seq([1, 2, 3, 3])])).toBe(true);
    expect(
      gradcheck((x) => unfold(x, [2, 3], { stride: 2, padding: 1 }), [seq([2, 1, 4, 4])]),
    ).toBe(true);
    expect(
      gradcheck((x) => unfold(x, 2, { dilation: 2, stride: [1, 2] }), [seq([1, 1, 4, 5])]),
    ).toBe(true);
  });
  it('fold (overlapping blocks sum), and fold of unfold', () => {
    expect(gradcheck((c) => fold(c, [3, 3], 2), [seq([1, 2 * 4, 4])])).toBe(true);
    expect(gradcheck((c) => fold(c, 4, [2, 2], { stride: 2, padding: 1 }), [seq([2, 4, 9])])).toBe(
      true,
    );
    expect(
      gradcheck(
        (x) => fold(unfold(x, 2, { dilation: 2 }), [4, 4], 2, { dilation: 2 }),
        [seq([1, 1, 4, 4])],
      ),
    ).toBe(true);
  });
  it('gradFn names follow PyTorch', () => {
    const cols = unfold(seq([1, 1, 3, 3]), 2);
    expect(cols.gradFn!.name).toBe('Im2ColBackward0');
    expect(fold(cols, 3, 2).gradFn!.name).toBe('Col2ImBackward0');
  });
  it('second order', () => {
    expect(gradgradcheck((x) => unfold(x, 2, { padding: 1 }).square(), [seq([1, 1, 3, 3])])).toBe(
      true,
    );
    expect(gradgradcheck((c) => fold(c, 3, 2).square(), [seq([1, 4, 4])])).toBe(true);
  });
});

describe('maxPool2d', () => {
  it('kernel only, stride, padding, dilation, ceil mode', () => {
    expect(gradcheck((x) => maxPool2d(x, 2), [seq([2, 2, 4, 4])])).toBe(true);
    expect(gradcheck((x) => maxPool2d(x, 3, { stride: 1 }), [seq([1, 1, 4, 4])])).toBe(true);
    expect(
      gradcheck((x) => maxPool2d(x, [2, 3], { stride: [1, 2], padding: 1 }), [seq([1, 2, 4, 5])]),
    ).toBe(true);
    expect(gradcheck((x) => maxPool2d(x, 2, { dilation: 2 }), [seq([1, 1, 5, 5])])).toBe(true);
    expect(gradcheck((x) => maxPool2d(x, 2, { ceilMode: true }), [seq([1, 1, 5, 5])])).toBe(true);
    expect(
      gradcheck(
        (x) => maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
        [seq([1, 1, 6, 6])],
      ),
    ).toBe(true);
  });
  it('unbatched input [C, H, W], and a non-contiguous input', () => {
    expect(gradcheck((x) => maxPool2d(x, 2, { stride: 1 }), [seq([2, 3, 3])])).toBe(true);
    expect(
      gradcheck((x) => maxPool2d(x.transpose(2, 3), 2, { stride: 1 }), [seq([1, 2, 3, 4])]),
    ).toBe(true);
    expect(
      gradcheck((x) => avgPool2d(x.transpose(2, 3), 2, { stride: 1 }), [seq([1, 2, 3, 4])]),
    ).toBe(true);
  });
  it('ties send the gradient to one index (the first, as PyTorch); overlapping windows add up', () => {
    const x = tensor(
      [
        [
          [
            [1, 3, 3, 0],
            [3, 2, 1, 1],
            [0, 0, 2, 2],
            [0, 1, 2, 2],
          ],
        ],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    expect(grad(maxPool2d(x, 2).sum(), x)[0]!.toArray()).toEqual([
      [
        [
          [0, 1, 1, 0],
          [0, 0, 0, 0],
          [0, 0, 1, 0],
          [0, 1, 0, 0],
        ],
      ],
    ]);
    const y = maxPool2d(x, 3, { stride: 2, padding: 1 });
    expect(y.toArray()).toEqual([
      [
        [
          [3, 3],
          [3, 2],
        ],
      ],
    ]);
    expect(grad(y.sum(), x)[0]!.toArray()).toEqual([
      [
        [
          [0, 2, 0, 0],
          [1, 1, 0, 0],
          [0, 0, 0, 0],
          [0, 0, 0, 0],
        ],
      ],
    ]);
  });
  it('second order (through MaxPool2DWithIndicesBackwardBackward0)', () => {
    expect(gradgradcheck((x) => maxPool2d(x, 2, { stride: 1 }), [seq([1, 2, 3, 3])])).toBe(true);
    expect(
      gradgradcheck((x) => maxPool2d(x.square(), 2, { padding: 1 }), [seq([1, 1, 3, 3])]),
    ).toBe(true);
    expect(gradgradcheck((x) => maxPool2d(x, 2, { stride: 1 }).square(), [seq([2, 3, 3])])).toBe(
      true,
    );
  });
});

describe('avgPool2d', () => {
  for (const countIncludePad of [true, false]) {
    for (const ceilMode of [false, true]) {
      it(`padding with countIncludePad ${countIncludePad}, ceilMode ${ceilMode}`, () => {
        const options = { stride: 2, padding: 1, countIncludePad, ceilMode };
        expect(gradcheck((x) => avgPool2d(x, 2, options), [seq([1, 2, 5, 5])])).toBe(true);
        expect(gradcheck((x) => avgPool2d(x, 3, options), [seq([1, 1, 6, 6])])).toBe(true);
      });
    }
  }
  it('kernel only, stride, rectangular, unbatched', () => {
    expect(gradcheck((x) => avgPool2d(x, 2), [seq([2, 1, 4, 4])])).toBe(true);
    expect(gradcheck((x) => avgPool2d(x, [2, 3], { stride: 1 }), [seq([1, 1, 3, 4])])).toBe(true);
    expect(gradcheck((x) => avgPool2d(x, 2, { stride: 1 }), [seq([2, 3, 3])])).toBe(true);
  });
  it('the divisors PyTorch uses with padding and ceil mode', () => {
    const x = seq([1, 1, 5, 5]);
    const withPad = grad(avgPool2d(x, 2, { stride: 2, padding: 1, ceilMode: true }).sum(), x)[0]!;
    expect(withPad.toArray()).toEqual([
      [Array.from({ length: 5 }, () => [0.25, 0.25, 0.25, 0.25, 0.25])],
    ]);
    const withoutPad = grad(
      avgPool2d(x, 2, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }).sum(),
      x,
    )[0]!;
    expect(withoutPad.toArray()).toEqual([
      [
        [
          [1, 0.5, 0.5, 0.5, 0.5],
          [0.5, 0.25, 0.25, 0.25, 0.25],
          [0.5, 0.25, 0.25, 0.25, 0.25],
          [0.5, 0.25, 0.25, 0.25, 0.25],
          [0.5, 0.25, 0.25, 0.25, 0.25],
        ],
      ],
    ]);
  });
  it('second order', () => {
    expect(gradgradcheck((x) => avgPool2d(x, 2, { stride: 1 }), [seq([1, 2, 3, 3])])).toBe(true);
    expect(
      gradgradcheck(
        (x) => avgPool2d(x.square(), 2, { padding: 1, countIncludePad: false, ceilMode: true }),
        [seq([1, 1, 4, 4])],
      ),
    ).toBe(true);
  });
});
