/**
 * Every model of @gd/nn's models.ts exported at batch 2 and run in onnxruntime-node at batch 1
 * and 64 (within 1e-5 of gd), with initializers named by the state-dict keys.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, randn } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import {
  AdaptiveAvgPool2d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  GELU,
  LayerNorm,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
} from '@gd/nn';
import { DeepMnistNN, DeepNN, LogisticRegression, MnistCNN, ResNet, SimpleNN } from '@gd/nn/models';
import { decodeOnnx, exportOnnx, verifyOnnx } from './index.js';

const MODELS: { name: string; make: () => Module; sample: number[]; nodes: string[] }[] = [
  {
    name: 'LogisticRegression',
    make: () => new LogisticRegression(),
    sample: [1, 28, 28],
    nodes: ['Reshape', 'Gemm'],
  },
  {
    name: 'SimpleNN',
    make: () => new SimpleNN(),
    sample: [1, 28, 28],
    nodes: ['Flatten', 'Gemm', 'Relu', 'Gemm'],
  },
  {
    name: 'DeepNN',
    make: () => new DeepNN([784, 64, 32, 10]),
    sample: [784],
    nodes: ['Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm'],
  },
  {
    name: 'DeepMnistNN (dropout removed in eval)',
    make: () => new DeepMnistNN(),
    sample: [1, 28, 28],
    nodes: ['Flatten', 'Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm'],
  },
  {
    name: 'ResNet (residual Add)',
    make: () => new ResNet(32, 2),
    sample: [32],
    nodes: ['Gemm', 'Relu', 'Gemm', 'Add', 'Gemm', 'Relu', 'Gemm', 'Add'],
  },
  {
    name: 'MnistCNN (Conv, MaxPool)',
    make: () => new MnistCNN(),
    sample: [1, 28, 28],
    nodes: [
      'Conv',
      'Relu',
      'MaxPool',
      'Conv',
      'Relu',
      'MaxPool',
      'Flatten',
      'Gemm',
      'Relu',
      'Gemm',
    ],
  },
];

describe('the lecture models', () => {
  for (const { name, make, sample, nodes } of MODELS) {
    it(name, async () => {
      manualSeed(1);
      const model = make();
      expect(model.training).toBe(true);
      const bytes = exportOnnx(model, randn([2, ...sample]));
      expect(model.training).toBe(true); // restored

      const proto = decodeOnnx(bytes);
      expect(proto.graph.node.map((n) => n.op_type)).toEqual(nodes);
      const initializers = proto.graph.initializer
        .map((t) => t.name!)
        .filter((n) => !n.startsWith('const_'));
      expect(initializers).toEqual(Object.keys(model.stateDict()));
      const dims = (v: (typeof proto.graph.input)[number]) => v.type.tensor_type.shape.dim;
      expect(dims(proto.graph.input[0]!)[0]).toEqual({ dim_param: 'batch' });
      const outFeatures = name.startsWith('ResNet') ? 32 : 10;
      expect(dims(proto.graph.output[0]!)).toEqual([
        { dim_param: 'batch' },
        { dim_value: outFeatures },
      ]);

      for (const b of [1, 64]) {
        const { maxAbsDiff, outputs } = await verifyOnnx(model, bytes, [randn([b, ...sample])]);
        expect(outputs[0]!.shape[0]).toBe(b);
        expect(maxAbsDiff).toBeLessThan(1e-5);
      }
      expect(model.training).toBe(true);
    });
  }
});

/** A model with every other layer the exporter knows, trained for a few steps of BatchNorm. */
class Modern extends Module {
  readonly stem = new Sequential(
    new Conv2d(1, 8, 3, { padding: 1, bias: false }),
    new BatchNorm2d(8),
    new ReLU(),
    new MaxPool2d(2),
  );
  readonly body = new Sequential(
    new Conv2d(8, 8, 3, { padding: 1, groups: 2 }),
    new BatchNorm2d(8),
  );
  readonly pool = new AdaptiveAvgPool2d(1);
  readonly head = new Sequential(
    new Flatten(),
    new LayerNorm(8),
    new Linear(8, 16),
    new GELU(),
    new Dropout(0.3),
    new Linear(16, 10),
  );
  forward(x: Tensor): Tensor {
    const h = this.stem.call(x);
    return this.head.call(this.pool.call(this.body.call(h).add(h).relu())).logSoftmax(1);
  }
}

describe('a model with BatchNorm, grouped conv, residual, adaptive pooling, LayerNorm, GELU', () => {
  it('matches gd at batch 1 and 64, at opset 17 and 20', async () => {
    manualSeed(2);
    const model = new Modern();
    for (let i = 0; i < 3; i++) model.call(randn([8, 1, 12, 12])); // running statistics
    for (const opset of [17, 20]) {
      const bytes = exportOnnx(model, randn([2, 1, 12, 12]), { opset });
      expect(decodeOnnx(bytes).graph.node.map((n) => n.op_type)).toEqual([
        'Conv',
        'BatchNormalization',
        'Relu',
        'MaxPool',
        'Conv',
        'BatchNormalization',
        'Add',
        'Relu',
        'GlobalAveragePool',
        'Flatten',
        'LayerNormalization',
        'Gemm',
        ...(opset >= 20 ? ['Gelu'] : ['Mul', 'Erf', 'Mul', 'Add', 'Mul']),
        'Gemm',
        'LogSoftmax',
      ]);
      for (const b of [1, 64]) {
        const { maxAbsDiff } = await verifyOnnx(model, bytes, [randn([b, 1, 12, 12])]);
        expect(maxAbsDiff).toBeLessThan(1e-5);
      }
    }
    expect(model.training).toBe(true);
  });
});
