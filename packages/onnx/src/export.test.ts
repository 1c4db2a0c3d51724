/**
 * exportOnnx's contract: metadata, names, errors naming the op and module path, restored
 * module state, symbolic batch dims, opset-dependent forms, saveOnnx, verifyOnnx's checks.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { manualSeed, noGrad, randint, randn, tensor, where, zeros } from '@gd/autograd';
import {
  AdaptiveAvgPool2d,
  BatchNorm2d,
  Conv2d,
  Embedding,
  GELU,
  LayerNorm,
  Linear,
  Module,
  ReLU,
  Sequential,
} from '@gd/nn';
import { LogisticRegression, SimpleNN } from '@gd/nn/models';
import type { ModelProto, NodeProto } from './index.js';
import {
  GD_ONNX_VERSION,
  OnnxExportError,
  decodeOnnx,
  exportOnnx,
  readOnnxMetadata,
  saveOnnx,
  supportedOps,
  verifyOnnx,
} from './index.js';
import { importOnnxRuntime } from './verify.js';

const opTypes = (bytes: Uint8Array): string[] => decodeOnnx(bytes).graph.node.map((n) => n.op_type);

/** The int64 values of an initializer (shapes, axes). */
function int64s(model: ModelProto, name: string): number[] {
  const t = model.graph.initializer.find((i) => i.name === name)!;
  const raw = t.raw_data!;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Array.from({ length: raw.byteLength / 8 }, (_, i) =>
    Number(view.getBigInt64(i * 8, true)),
  );
}

class Inner extends Module {
  forward(x: Tensor): Tensor {
    return x.atan2(x.exp()); // atan2 has no ONNX mapping
  }
}

class Block extends Module {
  readonly lin = new Linear(4, 4);
  readonly inner = new Inner();
  forward(x: Tensor): Tensor {
    return this.inner.call(this.lin.call(x));
  }
}

class Net extends Module {
  readonly block = new Block();
  forward(x: Tensor): Tensor {
    return this.block.call(x).relu();
  }
}

describe('model fields and metadata', () => {
  it('writes producer gd with its version, the opset, and the given metadata props', () => {
    const bytes = exportOnnx(new SimpleNN(), randn([2, 1, 28, 28]), {
      metadata: {
        normalization_mean: '[0.1307]',
        normalization_std: '[0.3081]',
        class_labels: JSON.stringify([...'0123456789']),
        training_summary: 'epochs=1 accuracy=0.97',
      },
    });
    const model = decodeOnnx(bytes);
    expect(model.producer_name).toBe('gd');
    expect(model.producer_version).toBe(GD_ONNX_VERSION);
    expect(model.opset_import).toEqual([{ domain: '', version: 17 }]);
    expect(model.ir_version).toBe(8);
    expect(model.graph.name).toBe('SimpleNN');
    expect(readOnnxMetadata(bytes)).toEqual({
      producer: 'gd',
      producer_version: GD_ONNX_VERSION,
      normalization_mean: '[0.1307]',
      normalization_std: '[0.3081]',
      class_labels: '["0","1","2","3","4","5","6","7","8","9"]',
      training_summary: 'epochs=1 accuracy=0.97',
    });
  });

  it('GD_ONNX_VERSION is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(GD_ONNX_VERSION).toBe(pkg.version);
  });

  it('names inputs and outputs as asked, and exports several outputs', async () => {
    class TwoHeads extends Module<[Tensor], Tensor[]> {
      readonly fc = new Linear(6, 3);
      forward(x: Tensor): Tensor[] {
        const logits = this.fc.call(x);
        return [logits, logits.softmax(1)];
      }
    }
    const m = new TwoHeads();
    const bytes = exportOnnx(m, randn([2, 6]), {
      inputNames: ['pixels'],
      outputNames: ['logits', 'probs'],
    });
    const model = decodeOnnx(bytes);
    expect(model.graph.input.map((v) => v.name)).toEqual(['pixels']);
    expect(model.graph.output.map((v) => v.name)).toEqual(['logits', 'probs']);
    const r = await verifyOnnx(m, bytes, [randn([5, 6])]);
    expect(r.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['logits', [5, 3]],
      ['probs', [5, 3]],
    ]);
    expect(r.maxAbsDiff).toBeLessThan(1e-5);
  });

  it('an output that is the input itself goes through an Identity node', async () => {
    class Same extends Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const bytes = exportOnnx(new Same(), randn([2, 3]));
    expect(opTypes(bytes)).toEqual(['Identity']);
    expect((await verifyOnnx(new Same(), bytes, [randn([4, 3])])).maxAbsDiff).toBe(0);
  });

  it('lists the ops it maps', () => {
    expect(supportedOps()).toEqual(
      expect.arrayContaining(['add', 'matmul', 'reshape', 'batchNorm']),
    );
    expect(supportedOps()).not.toContain('atan2');
  });
});

describe('errors', () => {
  it('an op with no mapping: the message names the op and the module path', () => {
    expect(() => exportOnnx(new Net(), randn([2, 4]))).toThrow(OnnxExportError);
    expect(() => exportOnnx(new Net(), randn([2, 4]))).toThrow(
      /gd op 'atan2' \(Atan2Backward0\) has no ONNX mapping \(ONNX has no atan2, .*\); it was recorded in module 'block\.inner' \(Inner\)/,
    );
  });

  it('an op in the traced module itself is reported at <root>', () => {
    class Top extends Module {
      forward(x: Tensor): Tensor {
        return x.atan2(x);
      }
    }
    expect(() => exportOnnx(new Top(), randn([2, 4]))).toThrow(/module '<root>' \(Top\)/);
  });

  it("the module's state is restored after a failed export", () => {
    const net = new Net();
    net.block.lin.bias!.requiresGrad_(false);
    expect(() => exportOnnx(net, randn([2, 4]))).toThrow(/atan2/);
    expect(net.modules().every((m) => m.training)).toBe(true);
    expect(net.modules().some((m) => Object.prototype.hasOwnProperty.call(m, 'call'))).toBe(false);
    expect(net.block.lin.bias!.requiresGrad).toBe(false);
    expect(net.block.lin.weight.requiresGrad).toBe(true);
  });

  it('an output that does not depend on the input through recorded ops', () => {
    class ArgMax extends Module {
      readonly fc = new Linear(4, 3);
      forward(x: Tensor): Tensor {
        return this.fc.call(x).argmax(1);
      }
    }
    expect(() => exportOnnx(new ArgMax(), randn([2, 4]))).toThrow(/does not depend on the input/);
  });

  it('a constant computed from the input by unrecorded ops is caught, naming its op', () => {
    class Masked extends Module {
      readonly fc = new Linear(4, 4);
      forward(x: Tensor): Tensor {
        const h = this.fc.call(x);
        return where(x.gt(0), h, 0); // the condition is not recorded: it would be frozen
      }
    }
    const m = new Masked();
    const x = tensor([
      [1, -2, 3, -4],
      [-1, 2, -3, 4],
    ]);
    expect(() => exportOnnx(m, x)).toThrow(
      /a constant of shape \[2, 4\] used by gd op 'where' \(WhereBackward0\) in module '<root>' \(Masked\) depends on the example input's values/,
    );
    // Opting out exports the frozen mask.
    expect(opTypes(exportOnnx(m, x, { checkConstants: false }))).toEqual(['Gemm', 'Where']);
  });

  it('control flow reading tensor values is caught', () => {
    class Branchy extends Module {
      forward(x: Tensor): Tensor {
        return x.select(0, 0).sum().item() > 0 ? x.exp() : x.relu();
      }
    }
    const x = tensor([
      [1, 1],
      [-1, -1],
    ]);
    expect(() => exportOnnx(new Branchy(), x)).toThrow(/recorded different ops/);
  });

  it('a constant holding the traced batch size is caught', () => {
    class Bias extends Module {
      forward(x: Tensor): Tensor {
        return x.add(noGrad(() => zeros([x.shape[0]!, 1]).add(1)));
      }
    }
    expect(() => exportOnnx(new Bias(), randn([2, 3]))).toThrow(
      /a constant used by gd op 'add' \(AddBackward0\) in module '<root>' \(Bias\) has the traced batch size in its shape \(\[2, 1\], but \[3, 1\] when traced with one row more\), so the model would only run at batch 2/,
    );
    expect(opTypes(exportOnnx(new Bias(), randn([2, 3]), { dynamicBatch: false }))).toEqual([
      'Add',
    ]);
  });

  it('rejects opsets outside the table, 0-d inputs and clashing names', () => {
    const m = new SimpleNN();
    const x = randn([2, 1, 28, 28]);
    expect(() => exportOnnx(m, x, { opset: 12 })).toThrow(/opset must be an integer from 13 to 22/);
    expect(() => exportOnnx(m, x, { opset: 23 })).toThrow(/opset/);
    expect(() => exportOnnx(new ReLU(), randn([]))).toThrow(/batch dim/);
    expect(() => exportOnnx(m, x, { inputNames: ['a', 'b'] })).toThrow(/2 input names for 1 input/);
    expect(() => exportOnnx(m, x, { inputNames: ['x'], outputNames: ['x'] })).toThrow(
      /duplicate input\/output name 'x'/,
    );
    expect(() => exportOnnx(m, x, { inputNames: ['fc1.weight'] })).toThrow(/taken by a parameter/);
  });
});

describe('module state', () => {
  it('training flags, frozen parameters and BatchNorm statistics are left as they were', () => {
    const bn = new BatchNorm2d(2);
    const model = new Sequential(new Conv2d(1, 2, 3), bn, new ReLU());
    (model.children()[0] as Conv2d).weight.requiresGrad_(false);
    model.train();
    const before = bn.runningMean!.toArray();
    const bytes = exportOnnx(model, randn([2, 1, 5, 5]));
    expect(model.modules().every((m) => m.training)).toBe(true);
    expect((model.children()[0] as Conv2d).weight.requiresGrad).toBe(false);
    expect(bn.runningMean!.toArray()).toEqual(before);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    expect(opTypes(bytes)).toEqual(['Conv', 'BatchNormalization', 'Relu']);
  });
});

describe('graph forms', () => {
  it('initializers are the state-dict keys, BatchNorm statistics by their buffer names', () => {
    const model = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2));
    const proto = decodeOnnx(exportOnnx(model, randn([2, 1, 5, 5])));
    const bnNode = proto.graph.node.find((n) => n.op_type === 'BatchNormalization')!;
    expect(bnNode.input.slice(1)).toEqual(['1.weight', '1.bias', '1.runningMean', '1.runningVar']);
    expect(proto.graph.initializer.map((t) => t.name)).toEqual(
      Object.keys(model.stateDict()).filter((k) => !k.endsWith('numBatchesTracked')),
    );
    // The values are the parameters' own.
    const w = proto.graph.initializer.find((t) => t.name === '0.weight')!;
    const raw = w.raw_data!;
    const values = new Float32Array(
      raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength),
    );
    expect(Array.from(values)).toEqual(Array.from(model.stateDict()['0.weight']!.value.data));
  });

  it('a view of a buffer that autograd did not record reads the named buffer', async () => {
    class Shift extends Module {
      constructor() {
        super();
        this.registerBuffer('offset', randn([5]));
      }
      forward(x: Tensor): Tensor {
        const offset = (this as unknown as { offset: Tensor }).offset;
        return x.add(offset.reshape([1, 5]));
      }
    }
    const m = new Shift();
    const bytes = exportOnnx(m, randn([2, 5]));
    const proto = decodeOnnx(bytes);
    expect(proto.graph.initializer.map((t) => t.name)).toContain('offset');
    expect((await verifyOnnx(m, bytes, [randn([3, 5])])).maxAbsDiff).toBeLessThan(1e-6);
  });

  it('never bakes the traced batch size into a Reshape', () => {
    const proto = decodeOnnx(exportOnnx(new LogisticRegression(), randn([3, 1, 28, 28])));
    const reshapes = proto.graph.node.filter((n: NodeProto) => n.op_type === 'Reshape');
    expect(reshapes.length).toBe(1);
    expect(int64s(proto, reshapes[0]!.input[1]!)).toEqual([0, 784]);
  });

  it('a dim 0 merging the batch with fixed factors is named batch*k', async () => {
    class Tokens extends Module {
      readonly emb = new Embedding(10, 4);
      forward(x: Tensor): Tensor {
        return this.emb.call(x.flatten()); // int32: not recorded, shares the input's storage
      }
    }
    const m = new Tokens();
    const bytes = exportOnnx(m, randint(10, [2, 3], { dtype: 'int32' }));
    const proto = decodeOnnx(bytes);
    expect(proto.graph.output[0]!.type.tensor_type.shape.dim).toEqual([
      { dim_param: 'batch*3' },
      { dim_value: 4 },
    ]);
    for (const b of [1, 64]) {
      const r = await verifyOnnx(m, bytes, [randint(10, [b, 3], { dtype: 'int32' })]);
      expect(r.outputs[0]!.shape).toEqual([3 * b, 4]);
      expect(r.maxAbsDiff).toBe(0);
    }
  });

  it('dynamicBatch false keeps every dim fixed', async () => {
    const m = new SimpleNN();
    const bytes = exportOnnx(m, randn([2, 1, 28, 28]), { dynamicBatch: false });
    const proto = decodeOnnx(bytes);
    expect(proto.graph.input[0]!.type.tensor_type.shape.dim).toEqual(
      [2, 1, 28, 28].map((d) => ({ dim_value: d })),
    );
    expect((await verifyOnnx(m, bytes, [randn([2, 1, 28, 28])])).maxAbsDiff).toBeLessThan(1e-5);
    await expect(verifyOnnx(m, bytes, [randn([3, 1, 28, 28])])).rejects.toThrow();
  });

  it('GELU: Erf below opset 20, Gelu from 20', () => {
    const x = randn([2, 4]);
    expect(opTypes(exportOnnx(new GELU(), x))).toEqual(['Mul', 'Erf', 'Mul', 'Add', 'Mul']);
    expect(opTypes(exportOnnx(new GELU('tanh'), x))).toContain('Tanh');
    expect(opTypes(exportOnnx(new GELU(), x, { opset: 20 }))).toEqual(['Gelu']);
    expect(opTypes(exportOnnx(new GELU('tanh'), x, { opset: 20 }))).toEqual(['Gelu']);
    const gelu = decodeOnnx(exportOnnx(new GELU('tanh'), x, { opset: 20 })).graph.node[0]!;
    expect(new TextDecoder().decode(gelu.attribute![0]!.s)).toBe('tanh');
  });

  it('LayerNorm: LayerNormalization from opset 17, arithmetic below', () => {
    const x = randn([2, 4]);
    expect(opTypes(exportOnnx(new LayerNorm(4), x))).toEqual(['LayerNormalization']);
    const below = opTypes(exportOnnx(new LayerNorm(4), x, { opset: 16 }));
    expect(below).not.toContain('LayerNormalization');
    expect(below).toContain('ReduceMean');
  });

  it('AdaptiveAvgPool2d: GlobalAveragePool, AveragePool, or slices for uneven cells', () => {
    const x = randn([2, 3, 6, 6]);
    expect(opTypes(exportOnnx(new AdaptiveAvgPool2d(1), x))).toEqual(['GlobalAveragePool']);
    expect(opTypes(exportOnnx(new AdaptiveAvgPool2d(2), x))).toEqual(['AveragePool']);
    const uneven = opTypes(exportOnnx(new AdaptiveAvgPool2d(4), x));
    expect(uneven).toContain('Slice');
    expect(uneven).not.toContain('AveragePool');
  });

  it("conv2d's unfold and matmul become one Conv; padding 'same' with an even kernel a Pad", () => {
    expect(opTypes(exportOnnx(new Conv2d(2, 3, 3, { padding: 1 }), randn([2, 2, 5, 5])))).toEqual([
      'Conv',
    ]);
    expect(
      opTypes(exportOnnx(new Conv2d(2, 3, 2, { padding: 'same' }), randn([2, 2, 5, 5]))),
    ).toEqual(['Pad', 'Pad', 'Conv']);
  });

  it('Linear with a frozen weight is still a Gemm on the named weight', () => {
    const fc = new Linear(3, 2);
    fc.weight.requiresGrad_(false);
    const proto = decodeOnnx(exportOnnx(fc, randn([2, 3])));
    expect(proto.graph.node.map((n) => [n.op_type, n.input])).toEqual([
      ['Gemm', ['input', 'weight', 'bias']],
    ]);
    expect(fc.weight.requiresGrad).toBe(false);
  });

  it('ops on constants only are folded into constants', async () => {
    class Scaled extends Module {
      readonly fc = new Linear(3, 2);
      forward(x: Tensor): Tensor {
        const scale = noGrad(() => zeros([2]).add(2));
        return this.fc.call(x).mul(scale);
      }
    }
    const m = new Scaled();
    const bytes = exportOnnx(m, randn([2, 3]));
    expect(opTypes(bytes)).toEqual(['Gemm', 'Mul']);
    expect((await verifyOnnx(m, bytes, [randn([7, 3])])).maxAbsDiff).toBeLessThan(1e-6);
  });
});

describe('saveOnnx', () => {
  it('writes atomically (creating the directory, replacing a previous file, no temp left)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-onnx-'));
    const path = join(dir, 'runs', 'a', 'model.onnx');
    const bytes = exportOnnx(new Linear(3, 2), randn([2, 3]));
    saveOnnx(bytes, path);
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    writeFileSync(path, 'old');
    saveOnnx(bytes, path);
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    expect(readdirSync(join(dir, 'runs', 'a'))).toEqual(['model.onnx']);
  });
});

describe('verifyOnnx', () => {
  it('says how to install onnxruntime-node when it cannot be loaded', async () => {
    await expect(importOnnxRuntime('@gd/no-such-onnxruntime')).rejects.toThrow(
      /verifyOnnx needs onnxruntime-node.*pnpm add onnxruntime-node/,
    );
  });

  it('checks the number of inputs and the output shapes', async () => {
    manualSeed(3);
    const bytes = exportOnnx(new Linear(3, 2), randn([2, 3]));
    await expect(
      verifyOnnx(new Linear(3, 2), bytes, [randn([2, 3]), randn([2, 3])]),
    ).rejects.toThrow(/the model has 1 input\(s\) \(input\), got 2 tensor\(s\)/);
    const other = new Sequential(new Linear(3, 2), new Linear(2, 4));
    await expect(verifyOnnx(other, bytes, [randn([2, 3])])).rejects.toThrow(
      /output 'output' has shape \[2, 2\] in onnxruntime but \[2, 4\] in gd/,
    );
  });

  it('reports a real difference', async () => {
    const a = new Linear(3, 2);
    const b = new Linear(3, 2);
    noGrad(() => b.bias!.copy_(a.bias!.add(0.5)));
    noGrad(() => b.weight.copy_(a.weight));
    const r = await verifyOnnx(b, exportOnnx(a, randn([2, 3])), [randn([4, 3])]);
    expect(r.maxAbsDiff).toBeCloseTo(0.5, 5);
  });
});
