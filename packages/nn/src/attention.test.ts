import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { manualSeed, randn, tensor } from '@gd/autograd';
import { gradcheck } from '@gd/autograd/gradcheck';
import * as F from './functional/index.js';
import { MultiheadAttention, TransformerEncoder, TransformerEncoderLayer } from './transformer.js';

const f64 = { dtype: 'float64' as const };
const leaf = (shape: number[]): Tensor => randn(shape, { ...f64, requiresGrad: true });

describe('attention gradcheck (float64)', () => {
  it('scaledDotProductAttention with a float mask, a bool mask and isCausal', () => {
    manualSeed(0);
    const mask = randn([3, 4], f64);
    const keep = tensor([
      [true, false, true, true],
      [true, true, false, true],
      [false, true, true, true],
    ]);
    for (const options of [{ attnMask: mask }, { attnMask: keep }, { isCausal: true }]) {
      expect(
        gradcheck(
          (q, k, v) => F.scaledDotProductAttention(q!, k!, v!, options),
          [leaf([2, 3, 5]), leaf([2, 4, 5]), leaf([2, 4, 2])],
        ),
      ).toBe(true);
    }
  });

  it('MultiheadAttention: inputs, in_proj_weight and out_proj through both outputs', () => {
    manualSeed(1);
    const mha = new MultiheadAttention(4, 2, f64);
    const kpm = tensor([
      [false, false, true],
      [false, false, false],
    ]);
    expect(
      gradcheck(
        (q, k, v) => {
          const [out, w] = mha.call(q!, k!, v!, { keyPaddingMask: kpm });
          return [out, w!];
        },
        [
          leaf([2, 2, 4]),
          leaf([3, 2, 4]),
          leaf([3, 2, 4]),
          mha.in_proj_weight!,
          mha.out_proj.weight,
        ],
      ),
    ).toBe(true);
  });
});

describe('attention and transformer layers: behaviour and errors', () => {
  it('generateSquareSubsequentMask is -inf above the diagonal', () => {
    expect(F.generateSquareSubsequentMask(3).toArray()).toEqual([
      [0, -Infinity, -Infinity],
      [0, 0, -Infinity],
      [0, 0, 0],
    ]);
  });

  it('a causal float mask and isCausal agree', () => {
    const q = randn([2, 4, 3]);
    const a = F.scaledDotProductAttention(q, q, q, { isCausal: true });
    const b = F.scaledDotProductAttention(q, q, q, { attnMask: F.generateSquareSubsequentMask(4) });
    expect(a.allclose(b)).toBe(true);
  });

  it('refuses bad shapes and options with clear messages', () => {
    const q = randn([2, 3, 4]);
    expect(() => F.scaledDotProductAttention(q, q, q, { isCausal: true, attnMask: q })).toThrow(
      'Explicit attnMask should not be set when isCausal=true',
    );
    expect(() => new MultiheadAttention(6, 4)).toThrow('embedDim must be divisible by numHeads');
    const mha = new MultiheadAttention(4, 2);
    expect(() => mha.call(q, q, q, { attnMask: randn([3, 3]) })).toThrow(
      'The shape of the attnMask should be [2, 2] or [6, 2, 2], but got [3, 3]',
    );
    expect(() => mha.call(randn([2, 3, 5]), q, q)).toThrow(
      'was expecting embedding dimension of 4, but got 5',
    );
  });

  it('TransformerEncoder stacks independent copies with PyTorch defaults', () => {
    const layer = new TransformerEncoderLayer(8, 2);
    expect(layer.linear1.outFeatures).toBe(2048);
    expect(layer.dropout.p).toBe(0.1);
    const enc = new TransformerEncoder(layer, 2);
    const [a, b] = enc.layers.children() as TransformerEncoderLayer[];
    expect(a!.linear1.weight.equal(b!.linear1.weight)).toBe(true);
    expect(a!.linear1.weight).not.toBe(b!.linear1.weight);
    expect(enc.namedParameters()[0]![0]).toBe('layers.0.self_attn.in_proj_weight');
    enc.eval();
    expect(enc.call(randn([5, 2, 8])).shape).toEqual([5, 2, 8]);
  });
});
