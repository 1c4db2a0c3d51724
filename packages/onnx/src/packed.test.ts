/**
 * Recurrent layers on a PackedSequence, exported as ONNX LSTM / GRU / RNN nodes on the padded
 * batch with the lengths as `sequence_lens` (a graph input): one model, run in onnxruntime-node
 * on other batch sizes, sequence lengths and length sets, gives gd's final states and
 * padPackedSequence output.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, randn, tensor } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { Linear, Module } from '@gd/nn';
import { packPaddedSequence, padPackedSequence } from '@gd/nn/rnn';
import { GRU, LSTM, RNN } from '@gd/nn/rnn';
import type { PackedSequence, PadPackedSequenceOptions } from '@gd/nn/rnn';
import type { RNNOptions } from '@gd/nn/rnn';
import { OnnxExportError, decodeOnnx, exportOnnx, verifyOnnx } from './index.js';

type Kind = 'LSTM' | 'GRU' | 'RNN relu';
type Recurrent = LSTM | GRU | RNN;

function make(kind: Kind, options: RNNOptions): Recurrent {
  if (kind === 'LSTM') return new LSTM(3, 4, options);
  if (kind === 'GRU') return new GRU(3, 4, options);
  return new RNN(3, 4, { ...options, nonlinearity: 'relu' });
}

/** The layer on a packed batch; its final states (and its output as padPackedSequence gives it). */
function runPacked(
  rnn: Recurrent,
  packed: PackedSequence,
  state: Tensor[],
): [PackedSequence, Tensor[]] {
  if (rnn instanceof LSTM) {
    const [out, [h, c]] = rnn.call(packed, state.length ? [state[0]!, state[1]!] : undefined);
    return [out, [h, c]];
  }
  const [out, h] = rnn.call(packed, state[0]);
  return [out, [h]];
}

interface Setup {
  kind: Kind;
  options: RNNOptions;
  /** The layout of the padded batch given to packPaddedSequence. */
  batchFirst: boolean;
  enforceSorted: boolean;
  /** Initial states as graph inputs after x and lengths. */
  state?: boolean;
  /** padPackedSequence's options, when the padded output is an output too. */
  pad?: PadPackedSequenceOptions;
}

/** forward(x, lengths, ...states): pack, run, and return the final states (and the padding). */
class PackedModel extends Module<Tensor[], Tensor[]> {
  readonly rnn: Recurrent;
  constructor(readonly setup: Setup) {
    super();
    this.rnn = make(setup.kind, setup.options);
  }
  forward(x: Tensor, lengths: Tensor, ...state: Tensor[]): Tensor[] {
    const { batchFirst, enforceSorted, pad } = this.setup;
    const packed = packPaddedSequence(x, lengths, { batchFirst, enforceSorted });
    const [out, finals] = runPacked(this.rnn, packed, state);
    return pad ? [padPackedSequence(out, pad)[0], ...finals] : finals;
  }
}

/** A sequence classifier: packed LSTM, its last layer's final states, a Linear head. */
class Classifier extends Module<[Tensor, Tensor], Tensor> {
  readonly lstm = new LSTM(3, 5, { numLayers: 2, bidirectional: true, batchFirst: true });
  readonly head = new Linear(10, 3);
  forward(x: Tensor, lengths: Tensor): Tensor {
    const packed = packPaddedSequence(x, lengths, { batchFirst: true, enforceSorted: false });
    const [, [h]] = this.lstm.call(packed);
    // The last layer's forward and reverse states, side by side: [N, 2·H].
    const last = h.narrow(0, 2, 2).transpose(0, 1).reshape([-1, 10]);
    return this.head.call(last);
  }
}

const lens = (v: number[]): Tensor => tensor(v, { dtype: 'int32' });

/** Inputs of a setup for these lengths and a padded length of `steps`. */
function inputsOf(s: Setup, lengths: number[], steps: number): Tensor[] {
  const n = lengths.length;
  const x = randn(s.batchFirst ? [n, steps, 3] : [steps, n, 3]);
  if (!s.state) return [x, lens(lengths)];
  const rows = (s.options.numLayers ?? 1) * (s.options.bidirectional ? 2 : 1);
  const states = s.kind === 'LSTM' ? 2 : 1;
  return [x, lens(lengths), ...Array.from({ length: states }, () => randn([rows, n, 4]))];
}

// Length sets run through each exported model: other batch sizes, unsorted, ties, a single
// sequence, and padded batches longer than their longest sequence.
const LENGTH_SETS: [number[], number][] = [
  [[4, 2, 5], 5],
  [[1], 3],
  [[3, 3, 1, 6, 2, 6], 6],
  [[2, 7], 9],
  [[1, 1, 1, 1], 2],
];

const SETUPS: Setup[] = [
  {
    kind: 'LSTM',
    options: { numLayers: 2, bidirectional: true },
    batchFirst: true,
    enforceSorted: false,
  },
  {
    kind: 'LSTM',
    options: { numLayers: 3, bias: false },
    batchFirst: false,
    enforceSorted: false,
    state: true,
    pad: {},
  },
  {
    kind: 'GRU',
    options: { numLayers: 2, bidirectional: true, batchFirst: true },
    batchFirst: false,
    enforceSorted: false,
    state: true,
    pad: { batchFirst: true, paddingValue: -2.5 },
  },
  {
    kind: 'RNN relu',
    options: { bidirectional: true },
    batchFirst: true,
    enforceSorted: false,
    pad: { batchFirst: true, totalLength: 10 },
  },
  {
    kind: 'GRU',
    options: {},
    batchFirst: true,
    enforceSorted: false,
    pad: { paddingValue: 1, totalLength: 9 },
  },
];

const ONNX_OP: Record<Kind, string> = { LSTM: 'LSTM', GRU: 'GRU', 'RNN relu': 'RNN' };

describe('recurrent layers on a PackedSequence export with sequence_lens', () => {
  for (const s of SETUPS) {
    const title = `${s.kind} ${JSON.stringify(s.options)} packed ${s.batchFirst ? 'batch first' : 'sequence first'}${s.state ? ', initial states' : ''}${s.pad ? `, padPackedSequence ${JSON.stringify(s.pad)}` : ''}`;
    it(title, async () => {
      manualSeed(11);
      const model = new PackedModel(s);
      const [seqAxis, batchAxis] = s.batchFirst ? [1, 0] : [0, 1];
      const example = inputsOf(s, [3, 5, 2], 5);
      const names = example.map((_, k) => `input_${k}`);
      const dynamicAxes: Record<string, Record<number, string>> = {
        input_0: { [seqAxis]: 'seq', [batchAxis]: 'batch' },
        input_1: { 0: 'batch' },
      };
      for (let k = 2; k < example.length; k++) dynamicAxes[`input_${k}`] = { 1: 'batch' };
      const outputs = model.forward(example[0]!, example[1]!, ...example.slice(2)).length;
      for (let k = s.pad ? 1 : 0; k < outputs; k++) dynamicAxes[`output_${k}`] = { 1: 'batch' };
      if (s.pad) dynamicAxes.output_0 = { [s.pad.batchFirst ? 0 : 1]: 'batch' };
      const bytes = exportOnnx(model, example, {
        dynamicBatch: false,
        dynamicAxes,
        inputNames: names,
        outputNames: Array.from({ length: outputs }, (_, k) => `output_${k}`),
      });
      const graph = decodeOnnx(bytes).graph;
      const nodes = graph.node.filter((n) => n.op_type === ONNX_OP[s.kind]);
      expect(nodes).toHaveLength(s.options.numLayers ?? 1);
      // Every layer's node reads the lengths (the graph input, as int32) as its sequence_lens.
      for (const n of nodes) expect(n.input[4]).not.toBe('');
      expect(graph.input.map((i) => i.name)).toContain('input_1');
      expect(graph.node.map((n) => n.op_type)).not.toContain('Tanh');
      for (const [lengths, steps] of LENGTH_SETS) {
        const xs = inputsOf(s, lengths, steps);
        const result = await verifyOnnx(model, bytes, xs);
        expect(result.outputs).toHaveLength(outputs);
        expect(result.maxAbsDiff, `lengths ${lengths.join(',')} in ${steps} steps`).toBeLessThan(
          1e-5,
        );
      }
    });
  }

  it('exports a packed LSTM classifier (lengths a graph input, dynamic batch and length)', async () => {
    manualSeed(12);
    const model = new Classifier();
    const bytes = exportOnnx(model, [randn([3, 6, 3]), lens([6, 2, 4])], {
      inputNames: ['tokens', 'lengths'],
      outputNames: ['logits'],
      dynamicAxes: { tokens: { 1: 'seq' } },
    });
    const graph = decodeOnnx(bytes).graph;
    const dims = (v: (typeof graph.input)[number]): (string | number | undefined)[] =>
      v.type.tensor_type.shape.dim.map((d) => d.dim_param ?? d.dim_value);
    expect(graph.input.map(dims)).toEqual([['batch', 'seq', 3], ['batch']]);
    expect(graph.output.map(dims)).toEqual([['batch', 3]]);
    for (const [lengths, steps] of LENGTH_SETS) {
      const x = randn([lengths.length, steps, 3]);
      const { maxAbsDiff } = await verifyOnnx(model, bytes, [x, lens(lengths)]);
      expect(maxAbsDiff, `lengths ${lengths.join(',')}`).toBeLessThan(1e-5);
    }
  });

  it('exports stacked layers on the packed output, and lengths given as an array', async () => {
    manualSeed(14);
    class Stacked extends Module<[Tensor, Tensor], Tensor[]> {
      readonly first = new GRU(3, 4, { bidirectional: true });
      readonly second = new LSTM(8, 4);
      forward(x: Tensor, lengths: Tensor): Tensor[] {
        const [mid] = this.first.call(packPaddedSequence(x, lengths, { enforceSorted: false }));
        const [out, [h]] = this.second.call(mid);
        return [padPackedSequence(out)[0], h];
      }
    }
    const stacked = new Stacked();
    const bytes = exportOnnx(stacked, [randn([5, 3, 3]), lens([2, 5, 4])], {
      dynamicBatch: false,
      dynamicAxes: {
        input_0: { 0: 'seq', 1: 'batch' },
        input_1: { 0: 'batch' },
        output_0: { 1: 'batch' },
        output_1: { 1: 'batch' },
      },
    });
    for (const [lengths, steps] of LENGTH_SETS) {
      const xs = [randn([steps, lengths.length, 3]), lens(lengths)];
      expect((await verifyOnnx(stacked, bytes, xs)).maxAbsDiff).toBeLessThan(1e-5);
    }
    // Fixed lengths in the forward: a constant sequence_lens, the batch as traced.
    class Fixed extends Module<[Tensor], Tensor> {
      readonly gru = new GRU(3, 4, { numLayers: 2 });
      forward(x: Tensor): Tensor {
        return this.gru.call(packPaddedSequence(x, [4, 1, 3], { enforceSorted: false }))[1];
      }
    }
    const fixed = new Fixed();
    const constant = exportOnnx(fixed, randn([4, 3, 3]), { dynamicBatch: false });
    expect((await verifyOnnx(fixed, constant, [randn([4, 3, 3])])).maxAbsDiff).toBeLessThan(1e-5);
  });

  it('writes padPackedSequence at the lowest and highest opsets (ReduceMax axes as attribute or input)', async () => {
    manualSeed(16);
    const s: Setup = {
      kind: 'LSTM',
      options: { bidirectional: true },
      batchFirst: true,
      enforceSorted: false,
      pad: { batchFirst: true, paddingValue: 3 },
    };
    const model = new PackedModel(s);
    for (const opset of [13, 22]) {
      const bytes = exportOnnx(model, inputsOf(s, [2, 4], 4), {
        opset,
        dynamicAxes: { input_0: { 1: 'seq' } },
      });
      for (const [lengths, steps] of LENGTH_SETS) {
        const { maxAbsDiff } = await verifyOnnx(model, bytes, inputsOf(s, lengths, steps));
        expect(maxAbsDiff, `opset ${opset}, lengths ${lengths.join(',')}`).toBeLessThan(1e-5);
      }
    }
  });

  it('refuses the packed data, a PackedSequence built from parts, and float64, naming them', () => {
    manualSeed(15);
    class Data extends Module<[Tensor, Tensor], Tensor> {
      readonly lstm = new LSTM(3, 4);
      forward(x: Tensor, lengths: Tensor): Tensor {
        return this.lstm.call(packPaddedSequence(x, lengths))[0].data;
      }
    }
    const example = [randn([3, 2, 3]), lens([3, 2])];
    expect(() => exportOnnx(new Data(), example)).toThrow(OnnxExportError);
    expect(() => exportOnnx(new Data(), example)).toThrow(
      /the data of the PackedSequence that LSTM returns cannot be exported: .* padPackedSequence/,
    );
    class Rebuilt extends Module<[Tensor, Tensor], Tensor> {
      readonly gru = new GRU(3, 4);
      forward(x: Tensor, lengths: Tensor): Tensor {
        const packed = packPaddedSequence(x, lengths);
        return this.gru.call(packed.withData(packed.data.mul(2)))[1];
      }
    }
    expect(() => exportOnnx(new Rebuilt(), example)).toThrow(
      /GRU was called on a PackedSequence that was not made by packPaddedSequence or packSequence/,
    );
    class Double extends Module<[Tensor, Tensor], Tensor> {
      readonly rnn = new RNN(3, 4, { dtype: 'float64' });
      forward(x: Tensor, lengths: Tensor): Tensor {
        return this.rnn.call(packPaddedSequence(x, lengths))[1];
      }
    }
    expect(() =>
      exportOnnx(new Double(), [randn([3, 2, 3], { dtype: 'float64' }), example[1]!]),
    ).toThrow(
      /RNN on a float64 PackedSequence cannot be exported: onnxruntime runs ONNX's RNN node in float32 only/,
    );
  });
});
