/**
 * LSTM, GRU and RNN exported as ONNX's own recurrent nodes: one model, run in onnxruntime-node
 * on several sequence lengths and batch sizes, gives gd's output and final states.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, randn } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { Module } from '@gd/nn';
import { GRU, LSTM, RNN } from '@gd/nn/rnn';
import type { RNNOptions } from '@gd/nn/rnn';
import { decodeOnnx, exportOnnx, verifyOnnx } from './index.js';

type Kind = 'LSTM' | 'GRU' | 'RNN' | 'RNN relu';

function make(kind: Kind, options: RNNOptions): LSTM | GRU | RNN {
  if (kind === 'LSTM') return new LSTM(3, 4, options);
  if (kind === 'GRU') return new GRU(3, 4, options);
  return new RNN(3, 4, { ...options, nonlinearity: kind === 'RNN' ? 'tanh' : 'relu' });
}

/** The layer called with its initial states as graph inputs (h0 and c0 for LSTM). */
class WithState extends Module<[Tensor, Tensor, Tensor?], unknown> {
  constructor(readonly rnn: LSTM | GRU | RNN) {
    super();
  }
  forward(x: Tensor, h: Tensor, c?: Tensor): unknown {
    return this.rnn instanceof LSTM ? this.rnn.call(x, [h, c!]) : this.rnn.call(x, h);
  }
}

const CASES: { kind: Kind; options: RNNOptions; state?: boolean }[] = [
  { kind: 'LSTM', options: {} },
  { kind: 'LSTM', options: { numLayers: 2, bidirectional: true, batchFirst: true } },
  { kind: 'LSTM', options: { numLayers: 3, bias: false }, state: true },
  { kind: 'GRU', options: { batchFirst: true } },
  { kind: 'GRU', options: { numLayers: 2, bidirectional: true }, state: true },
  { kind: 'RNN', options: { numLayers: 2, batchFirst: true, bias: false } },
  { kind: 'RNN relu', options: { bidirectional: true }, state: true },
];

const ONNX_OP: Record<Kind, string> = { LSTM: 'LSTM', GRU: 'GRU', RNN: 'RNN', 'RNN relu': 'RNN' };

describe('recurrent layers export as ONNX LSTM / GRU / RNN nodes', () => {
  for (const { kind, options, state } of CASES) {
    it(`${kind} ${JSON.stringify(options)}${state ? ' with initial states' : ''}: any length and batch`, async () => {
      manualSeed(3);
      const rnn = make(kind, options);
      const model = state ? new WithState(rnn) : rnn;
      const dirs = options.bidirectional ? 2 : 1;
      const rows = (options.numLayers ?? 1) * dirs;
      const bf = options.batchFirst ?? false;
      const [seqAxis, batchAxis] = bf ? [1, 0] : [0, 1];
      const inputs = (l: number, n: number): Tensor[] => {
        const x = randn(bf ? [n, l, 3] : [l, n, 3]);
        if (!state) return [x];
        const h = randn([rows, n, 4]);
        return kind === 'LSTM' ? [x, h, randn([rows, n, 4])] : [x, h];
      };
      const states = kind === 'LSTM' ? 2 : 1;
      const dynamicAxes: Record<string, Record<number, string>> = {
        input_0: { [seqAxis]: 'seq', [batchAxis]: 'batch' },
        output_0: { [seqAxis]: 'seq', [batchAxis]: 'batch' },
      };
      for (let k = 1; k <= states; k++) dynamicAxes[`output_${k}`] = { 1: 'batch' };
      if (state) for (let k = 1; k <= states; k++) dynamicAxes[`input_${k}`] = { 1: 'batch' };
      const bytes = exportOnnx(model, inputs(5, 2), {
        dynamicBatch: false,
        dynamicAxes,
        inputNames: Array.from({ length: state ? 1 + states : 1 }, (_, k) => `input_${k}`),
      });
      const nodes = decodeOnnx(bytes).graph.node.map((n) => n.op_type);
      expect(nodes.filter((op) => op === ONNX_OP[kind])).toHaveLength(options.numLayers ?? 1);
      expect(nodes).not.toContain('Sigmoid');
      expect(nodes).not.toContain('Tanh');
      for (const [l, n] of [
        [1, 1],
        [5, 2],
        [9, 3],
        [17, 6],
      ] as const) {
        const { maxAbsDiff, outputs } = await verifyOnnx(model, bytes, inputs(l, n));
        expect(outputs).toHaveLength(1 + states);
        expect(outputs[0]!.shape[seqAxis]).toBe(l);
        expect(maxAbsDiff, `L=${l} N=${n}`).toBeLessThan(1e-5);
      }
    });
  }

  it('keeps the batch dynamic by default, and refuses a last-step index on a dynamic length', async () => {
    manualSeed(4);
    class LastStep extends Module {
      readonly lstm = new LSTM(3, 4, { batchFirst: true });
      forward(x: Tensor): Tensor {
        const out = this.lstm.call(x)[0];
        return out.select(1, out.shape[1]! - 1);
      }
    }
    const model = new LastStep();
    const bytes = exportOnnx(model, randn([2, 5, 3]));
    expect(decodeOnnx(bytes).graph.input[0]!.type.tensor_type.shape.dim[0]).toEqual({
      dim_param: 'batch',
    });
    for (const n of [1, 7])
      expect((await verifyOnnx(model, bytes, [randn([n, 5, 3])])).maxAbsDiff).toBeLessThan(1e-5);
    expect(() =>
      exportOnnx(model, randn([2, 5, 3]), { dynamicAxes: { input: { 1: 'seq' } } }),
    ).toThrow(/holds the traced size of a dynamic dim/);
    // The layer alone, batch and sequence length dynamic (the README's example).
    const lstm = new LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true });
    const alone = exportOnnx(lstm, randn([2, 5, 3]), {
      dynamicAxes: { input: { 1: 'seq' }, output_0: { 1: 'seq' } },
    });
    const dims = decodeOnnx(alone).graph.output.map((o) =>
      o.type.tensor_type.shape.dim.map((d) => d.dim_param ?? d.dim_value),
    );
    expect(dims).toEqual([
      ['batch', 'seq', 8],
      [4, 'batch', 4],
      [4, 'batch', 4],
    ]);
    for (const [n, l] of [
      [1, 12],
      [4, 2],
    ] as const)
      expect((await verifyOnnx(lstm, alone, [randn([n, l, 3])])).maxAbsDiff).toBeLessThan(1e-5);
    expect(() =>
      exportOnnx(lstm, randn([2, 5, 3]), { dynamicAxes: { hidden: { 1: 'seq' } } }),
    ).toThrow("dynamicAxes names 'hidden', which is not an input or output");
    expect(() =>
      exportOnnx(lstm, randn([2, 5, 3]), { dynamicAxes: { input: { 3: 'x' } } }),
    ).toThrow("dynamicAxes['input'] has dim 3, but 'input' has 3 dims");
    expect(() =>
      exportOnnx(lstm, randn([2, 5, 3]), { dynamicAxes: { input: [1] } as never }),
    ).toThrow('dynamicAxes');
  });

  it('traces float64 layers step by step (onnxruntime runs its recurrent nodes in float only)', async () => {
    manualSeed(5);
    const options = { dtype: 'float64', batchFirst: true } as const;
    for (const rnn of [new LSTM(3, 4, options), new GRU(3, 4, options)]) {
      const x = randn([2, 4, 3], { dtype: 'float64' });
      const bytes = exportOnnx(rnn, x);
      const nodes = decodeOnnx(bytes).graph.node.map((n) => n.op_type);
      expect(nodes).toContain('Sigmoid');
      expect(nodes).not.toContain(rnn.typeName);
      const { maxAbsDiff } = await verifyOnnx(rnn, bytes, [randn([3, 4, 3], { dtype: 'float64' })]);
      expect(maxAbsDiff).toBeLessThan(1e-12);
    }
  });

  it('exports an unbatched [L, features] input, with and without initial states', async () => {
    manualSeed(6);
    const gru = new GRU(3, 4, { numLayers: 2, bidirectional: true });
    const bytes = exportOnnx(gru, randn([5, 3]), { dynamicAxes: { input: { 0: 'seq' } } });
    expect((await verifyOnnx(gru, bytes, [randn([8, 3])])).maxAbsDiff).toBeLessThan(1e-5);
    const lstm = new WithState(new LSTM(3, 4, { numLayers: 2 }));
    const state = (l: number): Tensor[] => [randn([l, 3]), randn([2, 4]), randn([2, 4])];
    const withState = exportOnnx(lstm, state(5), {
      dynamicBatch: false,
      dynamicAxes: { input_0: { 0: 'seq' }, output_0: { 0: 'seq' } },
    });
    expect((await verifyOnnx(lstm, withState, state(3))).maxAbsDiff).toBeLessThan(1e-5);
  });
});
