/**
 * Packed sequences against PyTorch (fixtures from tooling/fixtures/nn_layers.py, `packed` and
 * `sequences`): packPaddedSequence -> RNN / LSTM / GRU -> padPackedSequence, with PyTorch's
 * weights loaded by name, compared in values and gradients on every CPU backend; padSequence
 * and packSequence likewise; gradchecks in float64; and the errors.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBackend, getBackend, listBackends, setBackend } from '@gd/tensor';
import type { Tensor } from '@gd/autograd';
import { manualSeed, randn, tensor } from '@gd/autograd';
import { gradcheck } from '@gd/autograd/gradcheck';
import {
  PackedSequence,
  packPaddedSequence,
  packSequence,
  padPackedSequence,
  padSequence,
  packedOrigin,
  withPackedOrigin,
} from './rnn.js';
import { GRU, LSTM, RNN } from './rnn.js';

interface Encoded {
  shape: number[];
  dtype: 'float64';
  data: number[];
}
interface PackedCase {
  name: string;
  layer: 'LSTM' | 'GRU' | 'RNN';
  args: [number, number];
  options: Record<string, unknown>;
  seed: number;
  train: boolean;
  lengths: number[];
  enforceSorted: boolean;
  paddingValue: number;
  totalLength: number | null;
  inputs: Encoded[];
  state: Record<string, Encoded>;
  batchSizes: number[];
  sortedIndices: number[] | null;
  unsortedIndices: number[] | null;
  outLengths: number[];
  outputs: Encoded[];
  cotangents: Encoded[];
  inputGrads: Encoded[];
  paramGrads: Record<string, Encoded>;
}
interface SequenceCase {
  name: string;
  batchFirst: boolean;
  paddingValue: number;
  enforceSorted: boolean;
  inputs: Encoded[];
  batchSizes: number[];
  sortedIndices: number[] | null;
  outputs: Encoded[];
  cotangents: Encoded[];
  inputGrads: Encoded[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/layers.json', import.meta.url), 'utf8'),
) as { packed: PackedCase[]; sequences: SequenceCase[] };

const decode = (e: Encoded, requiresGrad = false): Tensor =>
  tensor(e.data, { dtype: 'float64' }).reshape(e.shape).requiresGrad_(requiresGrad);

function close(actual: Tensor, expected: Encoded, what: string): void {
  expect(actual.shape, what).toEqual(expected.shape);
  const a = actual.detach().reshape([-1]).toArray() as number[];
  let worst = 0;
  expected.data.forEach(
    (b, i) => (worst = Math.max(worst, Math.abs(a[i]! - b) / (1 + Math.abs(b)))),
  );
  expect(worst, what).toBeLessThan(1e-10);
}

const ints = (t: Tensor | null): number[] | null => (t ? (t.toArray() as number[]) : null);

function makeLayer(c: PackedCase): LSTM | GRU | RNN {
  const [size, hidden] = c.args;
  const o = { ...c.options, dtype: 'float64' as const };
  if (c.layer === 'LSTM') return new LSTM(size, hidden, o);
  if (c.layer === 'GRU') return new GRU(size, hidden, o);
  return new RNN(size, hidden, o);
}

/** Sum of each output times its cotangent. */
function loss(outs: Tensor[], cots: Encoded[]): Tensor {
  return outs.map((o, i) => o.mul(decode(cots[i]!)).sum()).reduce((a, b) => a.add(b));
}

const initial = getBackend().name;
const backends = getBackend().device
  ? [initial]
  : listBackends().filter((name) => findBackend(name)?.device !== true);
afterAll(() => setBackend(initial));

describe.each(backends)('packed sequences against PyTorch on the %s backend', (backend) => {
  beforeAll(() => setBackend(backend));
  for (const c of fixture.packed) {
    it(c.name, () => {
      manualSeed(c.seed);
      const layer = makeLayer(c);
      const own = layer.stateDict();
      for (const [k, v] of Object.entries(c.state)) close(own[k]!, v, `initial ${k}`);
      layer.loadStateDict(
        Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v)])),
      );
      const leaves = c.inputs.map((e) => decode(e, true));
      const [x, h, cell] = leaves as [Tensor, Tensor?, Tensor?];
      // The generator as PyTorch's was at the forward pass (after drawing the inputs), so that
      // the dropout between layers draws the same masks over the packed rows.
      manualSeed(c.seed + 1000);
      for (const t of leaves) randn(t.shape, { dtype: 'float64' });
      layer.train(c.train);
      const batchFirst = c.options.batchFirst === true;
      const packed = packPaddedSequence(x, c.lengths, {
        batchFirst,
        enforceSorted: c.enforceSorted,
      });
      expect(packed.sizes()).toEqual(c.batchSizes);
      expect(ints(packed.sortedIndices)).toEqual(c.sortedIndices);
      expect(ints(packed.unsortedIndices)).toEqual(c.unsortedIndices);
      let out: PackedSequence;
      let states: Tensor[];
      if (layer instanceof LSTM) {
        const [o, [hn, cn]] = layer.call(packed, h ? [h, cell!] : undefined);
        [out, states] = [o, [hn, cn]];
      } else {
        const [o, hn] = layer.call(packed, h);
        [out, states] = [o, [hn]];
      }
      expect(out).toBeInstanceOf(PackedSequence);
      expect(out.sizes()).toEqual(c.batchSizes);
      const [padded, lengths] = padPackedSequence(out, {
        batchFirst,
        paddingValue: c.paddingValue,
        totalLength: c.totalLength,
      });
      expect(lengths.toArray()).toEqual(c.outLengths);
      const outs = [packed.data, out.data, padded, ...states];
      expect(outs).toHaveLength(c.outputs.length);
      outs.forEach((o, i) => close(o, c.outputs[i]!, `output ${i}`));
      loss(outs, c.cotangents).backward();
      leaves.forEach((t, i) => close(t.grad!, c.inputGrads[i]!, `input ${i} grad`));
      const params = Object.fromEntries(layer.namedParameters());
      for (const [k, g] of Object.entries(c.paramGrads)) close(params[k]!.grad!, g, `${k} grad`);
    });
  }
  for (const c of fixture.sequences) {
    it(`padSequence and packSequence: ${c.name}`, () => {
      const seqs = c.inputs.map((e) => decode(e, true));
      const padded = padSequence(seqs, { batchFirst: c.batchFirst, paddingValue: c.paddingValue });
      const packed = packSequence(seqs, { enforceSorted: c.enforceSorted });
      expect(packed.sizes()).toEqual(c.batchSizes);
      expect(ints(packed.sortedIndices)).toEqual(c.sortedIndices);
      close(padded, c.outputs[0]!, 'padded');
      close(packed.data, c.outputs[1]!, 'packed data');
      loss([padded, packed.data], c.cotangents).backward();
      seqs.forEach((t, i) => close(t.grad!, c.inputGrads[i]!, `sequence ${i} grad`));
    });
  }
});

describe('packed sequences: gradcheck (float64), round trips and errors', () => {
  const f64 = { dtype: 'float64' as const };
  const leaf = (shape: number[]): Tensor => randn(shape, { ...f64, requiresGrad: true });

  it('gradchecks a packed bidirectional LSTM and GRU with unsorted lengths and initial states', () => {
    manualSeed(7);
    const lstm = new LSTM(2, 3, { numLayers: 2, bidirectional: true, ...f64 });
    const wHh = Object.fromEntries(lstm.namedParameters()).weight_hh_l1_reverse!;
    expect(
      gradcheck(
        (x, h, c) => {
          const packed = packPaddedSequence(x!, [2, 4, 1], { enforceSorted: false });
          const [out, [hn, cn]] = lstm.call(packed, [h!, c!]);
          return [padPackedSequence(out)[0], hn, cn];
        },
        [leaf([4, 3, 2]), leaf([4, 3, 3]), leaf([4, 3, 3]), wHh],
      ),
    ).toBe(true);
    const gru = new GRU(2, 3, { bidirectional: true, batchFirst: true, ...f64 });
    expect(
      gradcheck(
        (x, h) => {
          const [out, hn] = gru.call(packPaddedSequence(x!, [3, 1], { batchFirst: true }), h);
          return [out.data, hn];
        },
        [leaf([2, 3, 2]), leaf([2, 2, 3])],
      ),
    ).toBe(true);
  });

  it('gives each sequence the state it would have alone, and pads back to the input', () => {
    manualSeed(8);
    const gru = new GRU(2, 3, { bidirectional: true });
    const x = randn([5, 3, 2]);
    const lengths = [3, 5, 1];
    const [out, hn] = gru.call(packPaddedSequence(x, lengths, { enforceSorted: false }));
    const [padded, lens] = padPackedSequence(out, { totalLength: 6 });
    expect(lens.toArray()).toEqual(lengths);
    expect(padded.shape).toEqual([6, 3, 6]);
    lengths.forEach((l, i) => {
      const [alone, hAlone] = gru.call(x.narrow(0, 0, l).narrow(1, i, 1));
      expect(padded.narrow(0, 0, l).narrow(1, i, 1).allclose(alone, 1e-5, 1e-6)).toBe(true);
      expect(
        padded
          .narrow(0, l, 6 - l)
          .narrow(1, i, 1)
          .abs()
          .max()
          .item(),
      ).toBe(0);
      expect(hn.narrow(1, i, 1).allclose(hAlone, 1e-5, 1e-6)).toBe(true);
    });
    const [back] = padPackedSequence(packPaddedSequence(x, lengths, { enforceSorted: false }));
    expect(
      back
        .narrow(0, 0, 3)
        .narrow(1, 0, 1)
        .equal(x.narrow(0, 0, 3).narrow(1, 0, 1)),
    ).toBe(true);
  });

  it('records where a sequence was packed from, and unpacks through a recorded unpack', () => {
    const x = randn([3, 4, 2]);
    const lengths = tensor([2, 4, 1], { dtype: 'int32' });
    const packed = packPaddedSequence(x, lengths, { batchFirst: true, enforceSorted: false });
    const origin = packedOrigin(packed)!;
    expect(origin.input).toBe(x);
    expect(origin.lengths).toBe(lengths);
    expect(origin.batchFirst).toBe(true);
    expect(origin.unpack).toBeUndefined();
    // An array is copied, so changing it afterwards does not change the record.
    const list = [3, 1];
    const fromList = packPaddedSequence(randn([3, 2, 2]), list);
    list[0] = 2;
    expect(packedOrigin(fromList)!.lengths).toEqual([3, 1]);
    expect(packedOrigin(packSequence([randn([2, 2]), randn([1, 2])]))!.batchFirst).toBe(false);
    // A sequence built from parts, or over other data, has no origin.
    expect(packedOrigin(packed.withData(packed.data.mul(2)))).toBeNull();
    expect(
      packedOrigin(new PackedSequence(randn([3, 2]), tensor([2, 1], { dtype: 'int32' }))),
    ).toBeNull();
    // A recorded unpack answers padPackedSequence with the options it was given.
    const seen: unknown[] = [];
    const marked = withPackedOrigin(packed.withData(packed.data), {
      ...origin,
      unpack: (options) => {
        seen.push(options);
        return [x, lengths];
      },
    });
    expect(padPackedSequence(marked, { paddingValue: 2 })[0]).toBe(x);
    expect(seen).toEqual([{ paddingValue: 2 }]);
    expect(() => padPackedSequence(marked, { paddingValue: 'x' as never })).toThrow('paddingValue');
    expect(() => withPackedOrigin(x as never, origin)).toThrow(
      'withPackedOrigin: sequence must be a PackedSequence',
    );
  });

  it('refuses bad lengths, shapes and states with clear messages', () => {
    const x = randn([4, 3, 2]);
    expect(() => packPaddedSequence(x, [4, 3])).toThrow(
      'Expected `len(lengths)` to be equal to batch_size, but got 2 (batch_size=3)',
    );
    expect(() => packPaddedSequence(x, [2, 4, 1])).toThrow(
      '`lengths` array must be sorted in decreasing order when `enforceSorted` is true',
    );
    expect(() => packPaddedSequence(x, [4, 2, 0])).toThrow(
      'Length of all samples has to be greater than 0',
    );
    expect(() => packPaddedSequence(x, [5, 2, 1])).toThrow(
      "a length of 5 is longer than the input's 4 steps",
    );
    expect(() => packPaddedSequence(x, [4, 2.5, 1])).toThrow(
      'lengths must be an array of integers',
    );
    expect(() => packPaddedSequence(x, [4, 2, 1], { batchfirst: true } as never)).toThrow(
      'batchfirst',
    );
    const packed = packPaddedSequence(x, [4, 2, 1]);
    expect(() => padPackedSequence(packed, { totalLength: 3 })).toThrow(
      'Expected total_length to be at least the length of the longest sequence in input, but got total_length=3 and max sequence length being 4',
    );
    expect(() => new LSTM(3, 4).call(packed)).toThrow(
      'input.size(-1) must be equal to input_size. Expected 3, got 2',
    );
    expect(() => new GRU(2, 4).call(packed, randn([1, 2, 4]))).toThrow(
      'Expected hidden size (1, 3, 4), got [1, 2, 4]',
    );
    expect(() => padSequence([randn([2, 3]), randn([2, 4])])).toThrow(
      'the trailing dims and dtypes must match',
    );
    expect(() => packSequence([randn([1, 2]), randn([3, 2])])).toThrow(
      'sorted in decreasing order',
    );
    expect(() => new PackedSequence(randn([4, 2]), tensor([2, 3], { dtype: 'int32' }))).toThrow(
      'batchSizes must be positive and non-increasing',
    );
  });
});
