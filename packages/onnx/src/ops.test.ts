/**
 * Every row of the op table: a tiny module using the op is exported at batch 2 and run in
 * onnxruntime-node at batch 1 and 64, agreeing with gd's forward within 1e-5 (float32).
 */
import { describe, expect, it } from 'vitest';
import type { Node, Tensor } from '@gd/autograd';
import {
  OpNode,
  addmm,
  cat,
  originOf,
  differentiableOps,
  layerNorm,
  manualSeed,
  noGrad,
  rand,
  randint,
  randn,
  tensor,
  where,
} from '@gd/autograd';
import { fusedLstmCell } from '@gd/autograd/rnn';
import {
  AdaptiveAvgPool2d,
  ConvTranspose2d,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Embedding,
  F,
  Flatten,
  GELU,
  LayerNorm,
  LeakyReLU,
  Linear,
  LogSoftmax,
  MaxPool2d,
  Module,
  Parameter,
  ReLU,
  SiLU,
  Softplus,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
  Unflatten,
} from '@gd/nn';
import { packPaddedSequence, padPackedSequence } from '@gd/nn/rnn';
import { GRU, LSTM } from '@gd/nn/rnn';
import type { GeneratedUnaryOp } from '@gd/tensor';
import { GENERATED_UNARY_OPS, unaryEntry } from '@gd/tensor';
import { UNARY_OP_INFO } from '@gd/tensor/op-info';
import { MAX_OPSET, NOT_EXPORTED, exportOnnx, supportedOps, verifyOnnx } from './index.js';
import { traceModule } from './trace.js';

/** A module computing `f(x)` with the given parameters (registered by name). */
class Fn extends Module {
  constructor(
    private readonly f: (x: Tensor, m: Fn) => Tensor,
    params: Record<string, Tensor> = {},
  ) {
    super();
    for (const [k, v] of Object.entries(params)) this.registerParameter(k, new Parameter(v));
  }
  p(name: string): Parameter {
    return (this as unknown as Record<string, Parameter>)[name]!;
  }
  forward(x: Tensor): Tensor {
    return this.f(x, this);
  }
}

/**
 * A GRU on a packed batch, unpacked by padPackedSequence (batch first, padding value). Its
 * lengths come from the input by recorded ops (every sequence runs its full 5 steps), so the one
 * input scales with the batch; packed.test.ts runs lengths as a graph input.
 */
class PackedGru extends Module<[Tensor], Tensor> {
  readonly gru = new GRU(3, 4, { bidirectional: true });
  forward(x: Tensor): Tensor {
    const lengths = x.select(2, 0).select(1, 0).mul(0).add(5);
    const packed = packPaddedSequence(x, lengths, { batchFirst: true, enforceSorted: false });
    return padPackedSequence(this.gru.call(packed)[0], { batchFirst: true, paddingValue: 2 })[0];
  }
}

interface Case {
  /** Test name. */
  name: string;
  make: () => Module;
  /** An input batch of size b. */
  input: (b: number) => Tensor;
  opset?: number;
}

const vec =
  (n = 5) =>
  (b: number) =>
    randn([b, n]);
const positive =
  (n = 5) =>
  (b: number) =>
    rand([b, n]).add(0.25);
const image =
  (c = 3, h = 6, w = 6) =>
  (b: number) =>
    randn([b, c, h, w]);

function fn(f: (x: Tensor, m: Fn) => Tensor, params: Record<string, Tensor> = {}): () => Module {
  return () => new Fn(f, params);
}

function withStats<T extends BatchNorm1d | BatchNorm2d>(bn: T): T {
  noGrad(() => {
    bn.runningMean!.copy_(randn([bn.numFeatures]).mul(0.5));
    bn.runningVar!.copy_(rand([bn.numFeatures]).add(0.5));
    bn.weight?.copy_(randn([bn.numFeatures]));
    bn.bias?.copy_(randn([bn.numFeatures]));
  });
  return bn;
}

const CASES: Case[] = [
  // arithmetic
  {
    name: 'add (tensor, alpha)',
    make: fn((x, m) => x.add(m.p('w'), 0.5), { w: randn([5]) }),
    input: vec(),
  },
  { name: 'add (scalar)', make: fn((x) => x.add(1.5)), input: vec() },
  { name: 'sub (alpha)', make: fn((x, m) => x.sub(m.p('w'), 2), { w: randn([5]) }), input: vec() },
  { name: 'mul', make: fn((x, m) => x.mul(m.p('w')).mul(3), { w: randn([5]) }), input: vec() },
  { name: 'div', make: fn((x, m) => x.div(m.p('w')), { w: rand([5]).add(0.5) }), input: vec() },
  {
    name: 'pow (tensor exponent)',
    make: fn((x, m) => x.pow(m.p('w')), { w: randn([5]) }),
    input: positive(),
  },
  {
    name: 'powScalar (3, 2, 0.5, 1.7)',
    make: fn((x) => x.pow(3).add(x.pow(2)).add(x.pow(0.5)).add(x.pow(1.7))),
    input: positive(),
  },
  {
    name: 'remainder (Python sign rule) with a parameter divisor of both signs',
    make: fn((x, m) => x.mul(4).remainder(m.p('w')), { w: tensor([1.5, -0.7, 2.2, -3.1, 0.9]) }),
    input: vec(),
  },
  {
    name: 'maximum / minimum',
    make: fn((x, m) => x.maximum(m.p('w')).add(x.minimum(m.p('w'))), { w: randn([5]) }),
    input: vec(),
  },
  { name: 'neg / abs / sign', make: fn((x) => x.neg().add(x.abs()).add(x.sign())), input: vec() },
  { name: 'exp / log', make: fn((x) => x.exp().add(x.log())), input: positive() },
  {
    name: 'log2 / log1p / expm1',
    make: fn((x) => x.log2().add(x.log1p()).add(x.expm1())),
    input: positive(),
  },
  {
    name: 'sqrt / rsqrt / reciprocal',
    make: fn((x) => x.sqrt().add(x.rsqrt()).add(x.reciprocal())),
    input: positive(),
  },
  { name: 'square', make: fn((x) => x.square()), input: vec() },
  {
    name: 'sin / cos / tan',
    make: fn((x) => x.sin().add(x.cos()).add(x.tan())),
    input: (b) => rand([b, 5]).sub(0.5),
  },
  { name: 'erf', make: fn((x) => x.erf()), input: vec() },
  {
    name: 'floor / ceil / round / trunc',
    make: fn((x) =>
      x.mul(3).floor().add(x.mul(3).ceil()).add(x.mul(3).round()).add(x.mul(3).trunc()),
    ),
    input: vec(),
  },
  {
    name: 'clamp (both, min only, max only)',
    make: fn((x) => x.clamp(-0.5, 0.5).add(x.clamp(0.2)).add(x.clamp(null, -0.1))),
    input: vec(),
  },
  {
    name: 'where (constant condition)',
    make: fn(
      (x, m) => where(tensor([true, false, true, false, false], { dtype: 'bool' }), x, m.p('w')),
      { w: randn([5]) },
    ),
    input: vec(),
  },
  // activations
  { name: 'ReLU', make: () => new ReLU(), input: vec() },
  { name: 'LeakyReLU', make: () => new LeakyReLU(0.2), input: vec() },
  { name: 'Tanh', make: () => new Tanh(), input: vec() },
  { name: 'Sigmoid', make: () => new Sigmoid(), input: vec() },
  { name: 'SiLU', make: () => new SiLU(), input: vec() },
  {
    name: 'softplus (both sides of the threshold)',
    make: fn((x) => x.softplus()),
    input: (b) => randn([b, 5]).mul(15),
  },
  {
    name: 'Softplus beta 2, threshold 5 (written out: ONNX Softplus has neither)',
    make: () => new Softplus(2, 5),
    input: (b) => randn([b, 5]).mul(5),
  },
  { name: 'GELU exact, opset 17 (Erf)', make: () => new GELU(), input: vec() },
  { name: 'GELU tanh, opset 17', make: () => new GELU('tanh'), input: vec() },
  { name: 'GELU exact, opset 20 (Gelu)', make: () => new GELU(), input: vec(), opset: 20 },
  { name: 'GELU tanh, opset 20 (Gelu)', make: () => new GELU('tanh'), input: vec(), opset: 20 },
  { name: 'Softmax', make: () => new Softmax(1), input: vec() },
  { name: 'LogSoftmax (negative dim)', make: () => new LogSoftmax(-1), input: vec() },
  // reductions
  {
    name: 'sum (dim, keepdim, all)',
    make: fn((x) =>
      x
        .sum(1, true)
        .add(x.sum())
        .add(x.sum([1]).unsqueeze(1)),
    ),
    input: vec(),
  },
  { name: 'mean (dim, all)', make: fn((x) => x.mean(-1).add(x.mean())), input: vec() },
  {
    name: 'mean at opset 18 (axes input)',
    make: fn((x) => x.mean(-1, true)),
    input: vec(),
    opset: 18,
  },
  { name: 'prod', make: fn((x) => x.prod(1)), input: positive() },
  { name: 'amax / amin', make: fn((x) => x.amax(1).add(x.amin(1))), input: vec() },
  {
    name: 'max / min along a dim (values)',
    make: fn((x) => x.max(1).values.add(x.min(1, true).values.squeeze(1))),
    input: vec(),
  },
  { name: 'logsumexp', make: fn((x) => x.logsumexp(1)), input: vec() },
  { name: 'norm (2)', make: fn((x) => x.norm(2, 1)), input: vec() },
  {
    name: 'var / std',
    make: fn((x) => x.var(1).add(x.std(1, { correction: 0, keepdim: true }).squeeze(1))),
    input: vec(),
  },
  { name: 'cumsum', make: fn((x) => x.cumsum(1)), input: vec() },
  // matrix products
  { name: 'Linear (Gemm)', make: () => new Linear(5, 3), input: vec() },
  { name: 'Linear without bias (Gemm)', make: () => new Linear(5, 3, false), input: vec() },
  {
    name: 'Linear on 3-d input (MatMul + Add)',
    make: () => new Linear(5, 3),
    input: (b) => randn([b, 4, 5]),
  },
  {
    name: 'nativeLayerNorm (layerNorm called directly, with and without weight and bias)',
    make: fn(
      (x, m) => layerNorm(x, [5], m.p('w'), m.p('b')).add(layerNorm(x.mul(2), [5]).mul(0.5)),
      { w: randn([5]), b: randn([5]) },
    ),
    input: vec(),
  },
  {
    name: 'fusedLstmCell (a batch of cell states and one broadcast state)',
    make: fn(
      (x, m) => {
        const [h, c] = fusedLstmCell(x.matmul(m.p('w')), x.narrow(1, 0, 2));
        const [h2] = fusedLstmCell(x.matmul(m.p('w')), m.p('c0'));
        return cat([h, c, h2], 1);
      },
      { w: randn([5, 8]), c0: randn([1, 2]) },
    ),
    input: vec(),
  },
  {
    name: 'matmul with a weight',
    make: fn((x, m) => x.matmul(m.p('w')), { w: randn([5, 3]) }),
    input: vec(),
  },
  {
    name: 'addmm with scales and a row-major weight (Gemm alpha, beta)',
    make: fn((x, m) => addmm(m.p('b'), x, m.p('w'), { beta: 0.5, alpha: -2 }), {
      b: randn([3]),
      w: randn([5, 3]),
    }),
    input: vec(),
  },
  {
    name: 'addmm with a computed input column and a computed mat2',
    make: fn((x, m) => addmm(x.narrow(1, 0, 1), x.tanh(), m.p('w').exp(), { beta: 2 }), {
      w: randn([5, 3]),
    }),
    input: vec(),
  },
  {
    name: 'batched matmul',
    make: fn((x) => x.matmul(x.transpose(1, 2))),
    input: (b) => randn([b, 3, 4]),
  },
  // shapes
  { name: 'view with -1', make: fn((x) => x.view(-1, 5, 2).mul(2)), input: vec(10) },
  {
    name: 'reshape merging the batch dim and back',
    make: fn((x) => x.reshape([-1]).relu().reshape([-1, 10])),
    input: vec(10),
  },
  {
    name: 'reshape with the batch dim inside',
    make: fn((x) => x.transpose(0, 1).reshape([-1]).exp().reshape([10, -1]).transpose(0, 1)),
    input: vec(10),
  },
  { name: 'Flatten (axis 1)', make: () => new Flatten(), input: image() },
  {
    name: 'flatten (2, -1) and Unflatten',
    make: () => new Sequential(new Fn((x) => x.flatten(2)), new Unflatten(2, [6, 6])),
    input: image(),
  },
  {
    name: 'squeeze / unsqueeze',
    make: fn((x) => x.unsqueeze(1).exp().squeeze(1).unsqueeze(-1).squeeze(-1)),
    input: vec(),
  },
  {
    name: 'transpose / permute',
    make: fn((x) => x.transpose(1, 2).exp().permute(0, 2, 1)),
    input: (b) => randn([b, 3, 4]),
  },
  { name: 'expand', make: fn((x) => x.unsqueeze(1).expand([-1, 3, 5]).mul(2)), input: vec() },
  {
    name: 'narrow / slice / select',
    make: fn((x) =>
      x
        .narrow(1, 1, 3)
        .add(x.slice(1, 0, null, 2))
        .add(x.select(1, 4).unsqueeze(1)),
    ),
    input: vec(),
  },
  { name: 'slice with negative bounds', make: fn((x) => x.slice(1, -4, -1).exp()), input: vec() },
  {
    name: 'clone / contiguous',
    make: fn((x) => x.clone().transpose(0, 1).contiguous().transpose(0, 1).exp()),
    input: vec(),
  },
  { name: 'to(float64) and back', make: fn((x) => x.double().mul(2).float()), input: vec() },
  { name: 'cat', make: fn((x) => cat([x, x.exp(), x.mul(2)], 1)), input: vec() },
  { name: 'repeat', make: fn((x) => x.repeat(1, 2).exp()), input: vec() },
  {
    name: 'gather (of a weight)',
    make: fn((x, m) => x.add(m.p('w').gather(1, tensor([[4, 3, 2, 1, 0]], { dtype: 'int32' }))), {
      w: randn([1, 5]),
    }),
    input: vec(),
  },
  {
    name: 'indexSelect',
    make: fn((x) => x.indexSelect(1, tensor([3, 0, 3], { dtype: 'int32' })).exp()),
    input: vec(),
  },
  {
    name: 'maskedFill (constant mask)',
    make: fn((x) =>
      x.maskedFill(tensor([false, true, false, false, true], { dtype: 'bool' }), 0.5),
    ),
    input: vec(),
  },
  {
    name: 'Embedding (Gather)',
    make: () => new Embedding(10, 4),
    input: (b) => randint(10, [b, 3], { dtype: 'int32' }),
  },
  // convolution and pooling
  { name: 'Conv2d', make: () => new Conv2d(3, 4, 3), input: image() },
  {
    name: 'Conv2d stride 2, padding 1, no bias',
    make: () => new Conv2d(3, 4, 3, { stride: 2, padding: 1, bias: false }),
    input: image(),
  },
  {
    name: 'Conv2d dilation 2, rectangular kernel',
    make: () => new Conv2d(3, 2, [2, 3], { dilation: 2, padding: [1, 0] }),
    input: image(),
  },
  {
    name: 'Conv2d groups 3 (depthwise)',
    make: () => new Conv2d(3, 6, 3, { groups: 3, padding: 1 }),
    input: image(),
  },
  {
    name: "Conv2d padding 'same', even kernel (Pad)",
    make: () => new Conv2d(3, 2, 2, { padding: 'same' }),
    input: image(),
  },
  { name: 'MaxPool2d', make: () => new MaxPool2d(2), input: image() },
  {
    name: 'MaxPool2d kernel 3, stride 2, padding 1, ceil mode',
    make: () => new MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }),
    input: image(2, 7, 7),
  },
  {
    name: 'MaxPool2d dilation 2',
    make: () => new MaxPool2d(2, { dilation: 2, stride: 1 }),
    input: image(),
  },
  { name: 'AvgPool2d', make: () => new AvgPool2d(2), input: image() },
  {
    name: 'AvgPool2d padding, countIncludePad',
    make: () => new AvgPool2d(3, { stride: 2, padding: 1 }),
    input: image(2, 7, 7),
  },
  {
    name: 'AvgPool2d padding, countIncludePad false',
    make: () => new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
    input: image(2, 7, 7),
  },
  {
    name: 'AvgPool2d ceil mode',
    make: () => new AvgPool2d(2, { ceilMode: true }),
    input: image(2, 7, 7),
  },
  {
    name: 'AdaptiveAvgPool2d 1x1 (GlobalAveragePool)',
    make: () => new AdaptiveAvgPool2d(1),
    input: image(),
  },
  {
    name: 'AdaptiveAvgPool2d 3x2 on 6x6 (AveragePool)',
    make: () => new AdaptiveAvgPool2d([3, 2]),
    input: image(),
  },
  {
    name: 'AdaptiveAvgPool2d 4x4 on 6x6 (uneven cells)',
    make: () => new AdaptiveAvgPool2d(4),
    input: image(),
  },
  {
    name: 'ConvTranspose2d (stride, padding, outputPadding, groups)',
    make: () => new ConvTranspose2d(3, 4, 3, { stride: 2, padding: 1, outputPadding: 1 }),
    input: image(),
  },
  {
    name: 'ConvTranspose2d dilation, no bias',
    make: () => new ConvTranspose2d(3, 2, 2, { dilation: 2, bias: false }),
    input: image(),
  },
  // recurrent (more in recurrent.test.ts)
  {
    name: 'LSTM (batchFirst): output, hN and cN',
    make: () => new LSTM(3, 4, { batchFirst: true }) as unknown as Module,
    input: (b: number) => randn([b, 5, 3]),
  },
  {
    name: 'GRU on a PackedSequence, padPackedSequence of its output',
    make: () => new PackedGru() as unknown as Module,
    input: (b: number) => randn([b, 5, 3]),
  },
  // normalisation
  { name: 'BatchNorm2d (eval)', make: () => withStats(new BatchNorm2d(3)), input: image() },
  {
    name: 'BatchNorm1d (eval), no affine',
    make: () => withStats(new BatchNorm1d(5, { affine: false })),
    input: vec(),
  },
  { name: 'LayerNorm (LayerNormalization)', make: () => new LayerNorm(5), input: vec() },
  {
    name: 'LayerNorm over 2 dims, no affine',
    make: () => new LayerNorm([4, 5], { elementwiseAffine: false }),
    input: (b) => randn([b, 4, 5]),
  },
  {
    name: 'LayerNorm at opset 16 (decomposed)',
    make: () => {
      const ln = new LayerNorm(5);
      noGrad(() => ln.weight!.copy_(randn([5])));
      return ln;
    },
    input: vec(),
    opset: 16,
  },

  // sorting, counting, comparing (more forms in sorting.test.ts)
  { name: 'sort (TopK over the whole dim)', make: fn((x) => x.sort(1, true).values), input: vec() },
  { name: 'argsort', make: fn((x) => x.argsort(1)), input: vec() },
  { name: 'topk', make: fn((x) => x.topk(2).values), input: vec() },
  {
    name: 'unique (inverse)',
    make: fn((x) => (x.unique({ returnInverse: true }) as { inverse: Tensor }).inverse),
    input: (b) => randint(0, 3, [b, 4]),
  },
  {
    name: 'bincount',
    make: fn((x) => x.bincount({ minlength: 5 }).narrow(0, 0, 1).add(x)),
    input: (b) => randint(0, 5, [b]),
  },
  { name: 'isclose', make: fn((x) => x.isclose(x.mul(1.000001))), input: vec() },
  { name: 'nanToNum', make: fn((x) => x.log().nanToNum()), input: vec() },
  { name: 'oneHot', make: fn((x) => F.oneHot(x, 4)), input: (b) => randint(0, 4, [b]) },
];

/** The op names recorded while tracing `module` (what the exporter maps). */
function tracedOps(module: Module, x: Tensor): Set<string> {
  const trace = traceModule(module as never, [x]);
  const ops = new Set<string>();
  // Recorded ops, and the ops results without a gradFn came from (their origins).
  const producer = (t: Tensor): Node | null => t.gradFn ?? originOf(t)?.node ?? null;
  const stack = trace.outputs.map(producer).filter((n) => n !== null);
  const seen = new Set(stack);
  while (stack.length) {
    const node = stack.pop()!;
    if (node instanceof OpNode) ops.add(node.op);
    const inputs = node instanceof OpNode ? node.inputs.map(producer) : [];
    for (const next of [...node.next, ...inputs]) {
      if (next && !seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return ops;
}

/** Each generated registry op at opset 17 and, when later, at the opset of its own operator. */
function registryCases(): Case[] {
  const apply = (x: Tensor, op: GeneratedUnaryOp, params: Record<string, number>): Tensor =>
    (x[op] as (...a: unknown[]) => Tensor)(...(Object.keys(params).length ? [params] : []));
  return GENERATED_UNARY_OPS.flatMap((op) => {
    const generated = unaryEntry(op).generated!;
    const info = UNARY_OP_INFO[op];
    const paramSets = [{}, ...(info.samples ?? [])];
    const since = info.onnx?.since ?? 17;
    const opsets = since > 17 && since <= MAX_OPSET ? [17, since] : [17];
    return opsets.flatMap((opset) =>
      paramSets.map((params) => ({
        name: `${op}(${JSON.stringify(params)}) from the registry, opset ${opset}${opset >= since && info.onnx ? ` (${info.onnx.op})` : ''}`,
        make: fn((x) => apply(x, op, params)),
        // Both signs, away from 0, ±3 and tan's poles, so that float32 results compare at 1e-5.
        input: (b: number) => {
          const grid = tensor([-2.9, -2.2, -1.3, -0.6, -0.2, 0.3, 1.2, 2.7]);
          const x = grid.add(rand([b, 8]).mul(0.02));
          return generated.domain === 'positive' ? x.abs() : x;
        },
        opset,
      })),
    );
  });
}
CASES.push(...registryCases());

describe('each op of the table, exported at batch 2 and run at batch 1 and 64', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      manualSeed(7);
      const module = c.make();
      const bytes = exportOnnx(module, c.input(2), c.opset ? { opset: c.opset } : {});
      for (const b of [1, 64]) {
        const { maxAbsDiff, outputs } = await verifyOnnx(module, bytes, [c.input(b)]);
        expect(outputs[0]!.shape[0]).toBe(b);
        expect(maxAbsDiff).toBeLessThan(1e-5);
      }
    });
  }

  it('every differentiable op has a row or a reason it is not exported, never both', () => {
    const rows = new Set(supportedOps());
    expect(differentiableOps().filter((op) => !rows.has(op) && !(op in NOT_EXPORTED))).toEqual([]);
    expect(Object.keys(NOT_EXPORTED).filter((op) => rows.has(op))).toEqual([]);
  });

  it('every row of the table is exercised by a case above', () => {
    manualSeed(7);
    const covered = new Set<string>();
    for (const c of CASES) for (const op of tracedOps(c.make(), c.input(2))) covered.add(op);
    expect(supportedOps().filter((op) => !covered.has(op))).toEqual([]);
  });
});
