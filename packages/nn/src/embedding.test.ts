import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { arange, grad, manualSeed, randn, tensor } from '@gd/autograd';
import { gradcheck } from '@gd/autograd/gradcheck';
import { Embedding, F, Module } from './index.js';

// Golden values: PyTorch 1.13.
// manual_seed(0); nn.Embedding(10, 3).weight (float32)
const INIT = [
  -1.12583983, -1.1523602, -0.250578582, -0.433878809, 0.848710358, 0.692009151, -0.31601277,
  -2.11521935, 0.322274923, -1.26333475, 0.349983186, 0.30813393, 0.119841509, 1.2376579,
  -0.143473849, -0.111609332, -0.613583088, 0.0315927416, -0.492676973, 0.248414755, 0.439695835,
  0.112411186, -0.841064811, -2.31604195, -0.102309652, 0.792443991, -0.289667696, 0.0525074862,
  0.522860467, 2.30220532,
];
// manual_seed(0); e = nn.Embedding(10, 3, padding_idx=2, float64); y = e([[1, 2, 2], [4, 1, 9]]);
// (y * cos(arange(18))).sum().backward()
const Y = [
  0.999509354781, -0.884025004583, -1.27554693021, 0, 0, 0, 0, 0, 0, 1.13574234002, -1.226881339,
  0.519998663179, 0.999509354781, -0.884025004583, -1.27554693021, 1.87277637686, -0.309914974242,
  0.240180234038,
];
const GW = [
  0, 0, 0, 1.84385395873, 1.44774908732, -0.279409618339, 0, 0, 0, 0, 0, 0, -0.911130261885,
  -0.839071529076, 0.00442569798805, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.759687912859,
  -0.957659480323, -0.275163338052,
];
// manual_seed(0); e = nn.Embedding(10, 3, max_norm=1.0); y = e([1, 3, 1]); then e.weight
const MAX_NORM_Y = [
  -0.368350953, 0.720531285, 0.58749634, -0.938135684, 0.259892881, 0.228816181, -0.368350953,
  0.720531285, 0.58749634,
];
const MAX_NORM_W = [
  -1.12583983, -1.1523602, -0.250578582, -0.368350953, 0.720531285, 0.58749634, -0.31601277,
  -2.11521935, 0.322274923, -0.938135684, 0.259892881, 0.228816181, 0.119841509, 1.2376579,
  -0.143473849, -0.111609332, -0.613583088, 0.0315927416, -0.492676973, 0.248414755, 0.439695835,
  0.112411186, -0.841064811, -2.31604195, -0.102309652, 0.792443991, -0.289667696, 0.0525074862,
  0.522860467, 2.30220532,
];

const flat = (t: Tensor): number[] => t.flatten().toArray() as number[];

function expectClose(actual: Tensor, expected: readonly number[], tol = 1e-10): void {
  const got = flat(actual);
  expect(got.length).toBe(expected.length);
  const err = Math.max(
    0,
    ...got.map((v, i) => Math.abs(v - expected[i]!) / (1 + Math.abs(expected[i]!))),
  );
  expect(err).toBeLessThan(tol);
}

const int = (data: number[] | number[][]): Tensor => tensor(data, { dtype: 'int32' });

describe('Embedding initialisation', () => {
  it('draws N(0, 1) like PyTorch after the same manualSeed; the padding row is zero', () => {
    manualSeed(0);
    const emb = new Embedding(10, 3);
    expect(emb.weight.shape).toEqual([10, 3]);
    expect(emb.weight.dtype).toBe('float32');
    expect(emb.weight.requiresGrad).toBe(true);
    expectClose(emb.weight, INIT, 1e-7);
    manualSeed(0);
    const padded = new Embedding(10, 3, { paddingIdx: 2 });
    expectClose(
      padded.weight,
      INIT.map((v, i) => (Math.floor(i / 3) === 2 ? 0 : v)),
      1e-7,
    );
    manualSeed(0);
    expect(new Embedding(10, 3, { paddingIdx: -1 }).paddingIdx).toBe(9);
  });
});

describe('Embedding lookup and gradient vs PyTorch', () => {
  it('looks up rows; gradients accumulate over repeats and skip the padding row', () => {
    manualSeed(0);
    const emb = new Embedding(10, 3, { paddingIdx: 2, dtype: 'float64' });
    const y = emb.call(
      int([
        [1, 2, 2],
        [4, 1, 9],
      ]),
    );
    expect(y.shape).toEqual([2, 3, 3]);
    expect(y.gradFn!.name).toBe('EmbeddingBackward0');
    expectClose(y, Y);
    y.mul(arange(18, { dtype: 'float64' }).reshape([2, 3, 3]).cos())
      .sum()
      .backward();
    expectClose(emb.weight.grad!, GW);
    expect(flat(emb.weight.grad!.select(0, 2))).toEqual([0, 0, 0]);
  });

  it('the padding row gets no gradient even when it is not zero (fromPretrained)', () => {
    const w = tensor(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      { dtype: 'float64' },
    );
    const emb = Embedding.fromPretrained(w, { freeze: false, paddingIdx: 0 });
    const y = emb.call(int([0, 1, 0]));
    expect(y.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [1, 2],
    ]);
    y.sum().backward();
    expect(emb.weight.grad!.toArray()).toEqual([
      [0, 0],
      [1, 1],
      [0, 0],
    ]);
  });

  it('F.embedding on scalar and 1-d indices', () => {
    const w = arange(6, { dtype: 'float64' }).reshape([3, 2]);
    expect(F.embedding(tensor(2, { dtype: 'int32' }), w).toArray()).toEqual([4, 5]);
    expect(F.embedding(int([2, 0]), w).toArray()).toEqual([
      [4, 5],
      [0, 1],
    ]);
    expect(F.embedding(int([]), w).shape).toEqual([0, 2]);
  });

  it('maxNorm renormalises the looked-up rows in place, as PyTorch does', () => {
    manualSeed(0);
    const emb = new Embedding(10, 3, { maxNorm: 1 });
    expectClose(emb.call(int([1, 3, 1])), MAX_NORM_Y, 1e-6);
    expectClose(emb.weight, MAX_NORM_W, 1e-6);
    expect(String(emb)).toBe('Embedding(10, 3, maxNorm=1)');
  });
});

describe('Embedding gradcheck (float64)', () => {
  it('with and without a padding index, and second order', () => {
    manualSeed(40);
    const w = randn([5, 3], { dtype: 'float64', requiresGrad: true });
    const idx = int([
      [0, 2, 4],
      [2, 2, 1],
    ]);
    expect(gradcheck((w) => F.embedding(idx, w!), [w])).toBe(true);
    // The padding row's gradient is zero by design (not the derivative), so it is zeroed in the
    // function as well: the rest must still be exact.
    const keep = tensor([[1], [1], [0], [1], [1]], { dtype: 'float64' });
    expect(gradcheck((w) => F.embedding(idx, w!.mul(keep), { paddingIdx: 2 }).pow(2), [w])).toBe(
      true,
    );
    // the gradient of the gradient: d/dw of sum(g(w)²) where g is the first gradient
    expect(
      gradcheck(
        (w) => {
          const [g] = grad(F.embedding(idx, w!.mul(keep), { paddingIdx: 2 }).pow(3).sum(), [w!], {
            createGraph: true,
          });
          return g!;
        },
        [w],
      ),
    ).toBe(true);
  });
});

describe('Embedding.fromPretrained', () => {
  it('shares the storage and freezes by default', () => {
    const w = tensor([
      [1, 2.3, 3],
      [4, 5.1, 6.3],
    ]);
    const emb = Embedding.fromPretrained(w);
    expect(emb.weight.requiresGrad).toBe(false);
    expect(emb.numEmbeddings).toBe(2);
    expect(emb.embeddingDim).toBe(3);
    expect(emb.call(int([1])).allclose(tensor([[4, 5.1, 6.3]]))).toBe(true);
    w.fill_(0);
    expect(flat(emb.weight)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Embedding.fromPretrained(w, { freeze: false }).weight.requiresGrad).toBe(true);
    expect(() => Embedding.fromPretrained(tensor([1, 2]))).toThrow(
      /^Embeddings parameter is expected to be 2-dimensional$/,
    );
  });
});

describe('Embedding summary, state dict and errors', () => {
  it('prints like PyTorch with camelCase names; the state dict has the weight', () => {
    expect(String(new Embedding(10, 3))).toBe('Embedding(10, 3)');
    expect(String(new Embedding(10, 3, { paddingIdx: 0 }))).toBe('Embedding(10, 3, paddingIdx=0)');
    class Model extends Module {
      tok = new Embedding(5, 2);
      forward(x: Tensor): Tensor {
        return this.tok.call(x);
      }
    }
    expect(Object.keys(new Model().stateDict())).toEqual(['tok.weight']);
  });

  it("throws PyTorch's messages", () => {
    const emb = new Embedding(10, 3);
    expect(() => emb.call(int([10]))).toThrow(/^index out of range in self$/);
    expect(() => emb.call(int([-1]))).toThrow(/^index out of range in self$/);
    expect(() => emb.call(tensor([1]))).toThrow(
      /^Expected tensor for argument #1 'indices' to have one of the following scalar types: int32; but got float32 instead/,
    );
    expect(() => new Embedding(10, 3, { paddingIdx: 10 })).toThrow(
      /^Padding_idx must be within num_embeddings$/,
    );
    expect(() => new Embedding(10, 3, { paddingIdx: -11 })).toThrow(
      /^Padding_idx must be within num_embeddings$/,
    );
    expect(() => new Embedding(10, 3, { weight: randn([3, 10]) })).toThrow(
      /Shape of weight does not match num_embeddings and embedding_dim/,
    );
  });
});
