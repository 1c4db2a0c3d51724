/**
 * The ops of issue 14 that are composed of exportable ops export to ONNX with no mapping of
 * their own; each is checked in onnxruntime on an input other than the traced one.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { einsum, randn } from '@gd/autograd';

const WEIGHT = randn([3, 4]);
import { Module } from '@gd/nn';
import { exportOnnx, verifyOnnx } from './index.js';

const OPS: readonly [string, (x: Tensor) => Tensor][] = [
  ['flip', (x) => x.flip(1)],
  ['roll', (x) => x.roll(2, 1)],
  ['tril', (x) => x.reshape(-1, 2, 2).tril().reshape(-1, 4)],
  ['triu', (x) => x.reshape(-1, 2, 2).triu(1).reshape(-1, 4)],
  ['repeatInterleave', (x) => x.repeatInterleave(2, 1)],
  ['einsum (bilinear)', (x) => einsum('bi,bj->bij', x, x).sum(2)],
  ['einsum (with a weight)', (x) => einsum('bi,oi->bo', x, WEIGHT)],
  ['einsum (trace per row)', (x) => einsum('bii->b', x.reshape(-1, 2, 2)).unsqueeze(1)],
];

describe('composite ops export to ONNX', () => {
  it.each(OPS)('%s', async (_, op) => {
    class M extends Module {
      forward(x: Tensor): Tensor {
        return op(x);
      }
    }
    const m = new M();
    const bytes = exportOnnx(m, randn([3, 4]));
    const r = await verifyOnnx(m, bytes, [randn([5, 4])]);
    expect(r.maxAbsDiff).toBeLessThan(1e-5);
  });
});
