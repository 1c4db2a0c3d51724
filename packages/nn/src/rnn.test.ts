import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { manualSeed, randn } from '@gd/autograd';
import { gradcheck } from '@gd/autograd/gradcheck';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell } from './rnn.js';

const f64 = { dtype: 'float64' as const };
const leaf = (shape: number[]): Tensor => randn(shape, { ...f64, requiresGrad: true });
const param = (m: LSTM | GRU, name: string): Tensor =>
  Object.fromEntries(m.namedParameters())[name]!;

// gradcheck perturbs its inputs in place, so a module's own parameters can be inputs that the
// function reads through the module.
describe('recurrent cells and layers gradcheck (float64)', () => {
  it('RNNCell (tanh, relu), LSTMCell and GRUCell: input, state and every parameter', () => {
    manualSeed(0);
    for (const nonlinearity of ['tanh', 'relu'] as const) {
      const cell = new RNNCell(3, 4, { nonlinearity, ...f64 });
      expect(
        gradcheck((x, h) => cell.call(x!, h), [leaf([2, 3]), leaf([2, 4]), ...cell.parameters()]),
      ).toBe(true);
    }
    const lstm = new LSTMCell(3, 4, f64);
    expect(
      gradcheck(
        (x, h, c) => [...lstm.call(x!, [h!, c!])],
        [leaf([2, 3]), leaf([2, 4]), leaf([2, 4]), ...lstm.parameters()],
      ),
    ).toBe(true);
    const gru = new GRUCell(3, 4, f64);
    expect(
      gradcheck((x, h) => gru.call(x!, h), [leaf([2, 3]), leaf([2, 4]), ...gru.parameters()]),
    ).toBe(true);
  });

  it('a 2-layer bidirectional LSTM and GRU over 3 steps', () => {
    manualSeed(1);
    const lstm = new LSTM(2, 3, { numLayers: 2, bidirectional: true, ...f64 });
    expect(
      gradcheck(
        (x, h, c) => {
          const [out, [hn, cn]] = lstm.call(x!, [h!, c!]);
          return [out, hn, cn];
        },
        [leaf([3, 2, 2]), leaf([4, 2, 3]), leaf([4, 2, 3]), param(lstm, 'weight_hh_l1_reverse')],
      ),
    ).toBe(true);
    const gru = new GRU(2, 3, { numLayers: 2, bidirectional: true, batchFirst: true, ...f64 });
    expect(gradcheck((x) => gru.call(x!)[0], [leaf([2, 3, 2]), param(gru, 'weight_ih_l0')])).toBe(
      true,
    );
  });
});

describe('recurrent layers: shapes, names, modes and errors', () => {
  it('names parameters as PyTorch does, with shapes [gates·H, in]', () => {
    const lstm = new LSTM(10, 20, { numLayers: 2, bidirectional: true });
    const names = lstm.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`);
    expect(names.slice(0, 8)).toEqual([
      'weight_ih_l0:80x10',
      'weight_hh_l0:80x20',
      'bias_ih_l0:80',
      'bias_hh_l0:80',
      'weight_ih_l0_reverse:80x10',
      'weight_hh_l0_reverse:80x20',
      'bias_ih_l0_reverse:80',
      'bias_hh_l0_reverse:80',
    ]);
    expect(names[8]).toBe('weight_ih_l1:80x40');
    expect(new GRU(4, 5, { bias: false }).namedParameters().map(([n]) => n)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
    ]);
  });

  it('gives PyTorch shapes for batched, batchFirst and unbatched input', () => {
    const rnn = new RNN(3, 5, { numLayers: 2, bidirectional: true });
    const [out, hn] = rnn.call(randn([7, 2, 3]));
    expect(out.shape).toEqual([7, 2, 10]);
    expect(hn.shape).toEqual([4, 2, 5]);
    const lstm = new LSTM(3, 5, { batchFirst: true });
    const [o2, [h2, c2]] = lstm.call(randn([2, 7, 3]));
    expect([o2.shape, h2.shape, c2.shape]).toEqual([
      [2, 7, 5],
      [1, 2, 5],
      [1, 2, 5],
    ]);
    const [o3, h3] = new GRU(3, 5).call(randn([7, 3]));
    expect([o3.shape, h3.shape]).toEqual([
      [7, 5],
      [1, 5],
    ]);
  });

  it('drops out between layers only while training', () => {
    manualSeed(2);
    const gru = new GRU(3, 4, { numLayers: 2, dropout: 0.5 });
    const x = randn([5, 2, 3]);
    gru.eval();
    const a = gru.call(x)[0];
    expect(gru.call(x)[0].equal(a)).toBe(true);
    gru.train();
    expect(gru.call(x)[0].equal(a)).toBe(false);
  });

  it('refuses bad sizes and states with clear messages', () => {
    expect(() => new LSTM(3, 0)).toThrow('hiddenSize should be a positive integer, got 0');
    expect(() => new GRU(3, 4, { dropout: 2 })).toThrow('dropout should be a number in range');
    expect(() => new RNN(3, 4, { nonlinearity: 'gelu' as 'tanh' })).toThrow(
      "Unknown nonlinearity 'gelu'",
    );
    expect(() => new LSTM(3, 4).call(randn([5, 2, 6]))).toThrow(
      'input.size(-1) must be equal to input_size. Expected 3, got 6',
    );
    expect(() => new GRU(3, 4, { numLayers: 2 }).call(randn([5, 2, 3]), randn([1, 2, 4]))).toThrow(
      'Expected hidden size (2, 2, 4), got [1, 2, 4]',
    );
    expect(() => new LSTMCell(3, 4).call(randn([2, 5]))).toThrow(
      'input has inconsistent input_size: got 5 expected 3',
    );
    expect(String(new LSTM(3, 4, { numLayers: 2, batchFirst: true }))).toBe(
      'LSTM(3, 4, numLayers=2, batchFirst=true)',
    );
  });
});
