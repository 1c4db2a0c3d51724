/**
 * The recurrent, attention, transformer and other layers of @gd/nn exported at batch 2 and run in
 * onnxruntime-node at batch 1 and 5 (within 1e-5 of gd).
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, randn } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { Conv1d, ConvTranspose2d, F, GroupNorm, LayerNorm, Linear, Module, PReLU } from '@gd/nn';
import {
  MultiheadAttention,
  TransformerDecoder,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerEncoderLayer,
} from '@gd/nn/transformer';
import { GRU, LSTM, RNN } from '@gd/nn/rnn';
import { decodeOnnx, exportOnnx, verifyOnnx } from './index.js';

class LastStep extends Module {
  constructor(
    readonly rnn: Module<[Tensor], [Tensor, unknown]>,
    readonly head: Linear,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    const out = this.rnn.call(x)[0];
    return this.head.call(out.select(1, out.shape[1]! - 1));
  }
}

class Attend extends Module {
  readonly mha: MultiheadAttention;
  constructor(options: { addBiasKv?: boolean; addZeroAttn?: boolean } = {}) {
    super();
    this.mha = new MultiheadAttention(8, 2, { batchFirst: true, ...options });
  }
  forward(x: Tensor): Tensor {
    return this.mha.call(x, x, x)[0];
  }
}

class Encoder extends Module {
  readonly encoder = new TransformerEncoder(
    new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, normFirst: true }),
    2,
  );
  forward(x: Tensor): Tensor {
    return this.encoder.call(x, { mask: F.generateSquareSubsequentMask(x.shape[1]!) });
  }
}

class EncoderDecoder extends Module {
  readonly encoder = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true });
  readonly decoder = new TransformerDecoder(
    new TransformerDecoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, activation: 'gelu' }),
    2,
    new LayerNorm(8),
  );
  forward(x: Tensor): Tensor {
    const memory = this.encoder.call(x);
    const tgt = x.narrow(1, 0, 3);
    return this.decoder.call(tgt, memory, { tgtMask: F.generateSquareSubsequentMask(3) });
  }
}

class Fn extends Module {
  constructor(readonly fn: (x: Tensor) => Tensor) {
    super();
  }
  forward(x: Tensor): Tensor {
    return this.fn(x);
  }
}

const CASES: { name: string; make: () => Module; sample: number[]; has: string[] }[] = [
  {
    name: 'LSTM (2 layers, bidirectional, batchFirst) + Linear',
    make: () =>
      new LastStep(
        new LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true }),
        new Linear(8, 2),
      ),
    has: ['Gemm', 'LSTM', 'Concat'],
    sample: [5, 3],
  },
  {
    name: 'GRU (batchFirst) + Linear',
    make: () => new LastStep(new GRU(3, 4, { batchFirst: true }), new Linear(4, 2)),
    has: ['Gemm', 'GRU'],
    sample: [5, 3],
  },
  {
    name: 'RNN relu (batchFirst) + Linear',
    make: () =>
      new LastStep(new RNN(3, 4, { batchFirst: true, nonlinearity: 'relu' }), new Linear(4, 2)),
    has: ['Gemm', 'RNN'],
    sample: [5, 3],
  },
  {
    name: 'MultiheadAttention',
    make: () => new Attend(),
    has: ['MatMul', 'Softmax'],
    sample: [5, 8],
  },
  {
    name: 'MultiheadAttention addBiasKv addZeroAttn',
    make: () => new Attend({ addBiasKv: true, addZeroAttn: true }),
    has: ['MatMul', 'Softmax', 'Pad'],
    sample: [5, 8],
  },
  {
    name: 'TransformerEncoder (causal mask)',
    make: () => new Encoder(),
    has: ['MatMul', 'Softmax', 'LayerNormalization', 'Add'],
    sample: [5, 8],
  },
  {
    name: 'TransformerDecoder over an encoder layer (causal target mask, final norm)',
    make: () => new EncoderDecoder(),
    has: ['MatMul', 'Softmax', 'LayerNormalization', 'Erf'],
    sample: [5, 8],
  },
  {
    name: 'Conv1d',
    make: () => new Conv1d(3, 4, 3, { padding: 1 }),
    has: ['Conv'],
    sample: [3, 9],
  },
  {
    name: 'ConvTranspose2d',
    make: () => new ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
    has: ['ConvTranspose'],
    sample: [4, 3, 3],
  },
  {
    name: 'GroupNorm',
    make: () => new GroupNorm(2, 4),
    has: ['ReduceMean', 'Sqrt'],
    sample: [4, 3, 3],
  },
  { name: 'PReLU', make: () => new PReLU(4), has: ['Relu', 'Clip'], sample: [4, 3, 3] },
  {
    name: 'F.pad reflect + F.interpolate bilinear',
    make: () =>
      new Fn((x) =>
        F.interpolate(F.pad(x, [1, 1, 2, 0], 'reflect'), { size: [6, 7], mode: 'bilinear' }),
      ),
    has: ['Gather'],
    sample: [2, 3, 3],
  },
];

describe('new layers export to ONNX and run in onnxruntime', () => {
  for (const { name, make, sample, has } of CASES) {
    it(name, async () => {
      manualSeed(2);
      const model = make();
      const bytes = exportOnnx(model, randn([2, ...sample]));
      const proto = decodeOnnx(bytes);
      const ops = new Set(proto.graph.node.map((n) => n.op_type));
      for (const op of has) expect([...ops], op).toContain(op);
      for (const b of [1, 5]) {
        const { maxAbsDiff, outputs } = await verifyOnnx(model, bytes, [randn([b, ...sample])]);
        expect(outputs[0]!.shape[0]).toBe(b);
        expect(maxAbsDiff).toBeLessThan(1e-5);
      }
    });
  }
});
