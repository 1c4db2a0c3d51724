/**
 * Module-level tests against PyTorch (fixtures from tooling/fixtures/nn_layers.py): each case
 * builds the gd layer after the same seed and checks its initial weights equal PyTorch's (the
 * initialisation order), loads PyTorch's state dict by name (the weight layout), and compares
 * outputs and the gradients of inputs and parameters for a random cotangent, on every backend.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBackend, getBackend, listBackends, setBackend } from '@gd/tensor';
import type { Tensor } from '@gd/autograd';
import { manualSeed, randn, tensor } from '@gd/autograd';
import * as F from './functional/index.js';
import { Conv1d, ConvTranspose2d, Dropout2d, GroupNorm, PReLU, LayerNorm } from './index.js';
import {
  MultiheadAttention,
  TransformerDecoder,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerEncoderLayer,
} from './transformer.js';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell } from './rnn.js';
import type { Module } from './module.js';

interface Encoded {
  shape: number[];
  dtype: 'float64' | 'bool' | 'int32';
  data: (number | boolean | string)[];
}
type Input = Encoded | Encoded[] | null;
interface Case {
  name: string;
  layer: string;
  args: number[];
  options: Record<string, unknown>;
  seed: number;
  train: boolean;
  inputs: Input[];
  kwargs: Record<string, Encoded | boolean | number | string | number[]>;
  state: Record<string, Encoded>;
  outputs: Encoded[];
  cotangents: Encoded[];
  inputGrads: Encoded[];
  paramGrads: Record<string, Encoded>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/layers.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

const num = (v: number | boolean | string): number =>
  typeof v === 'string' ? (v === '-Infinity' ? -Infinity : Infinity) : Number(v);

function decode(e: Encoded, requiresGrad = false): Tensor {
  const data = e.dtype === 'bool' ? e.data.map(Boolean) : e.data.map(num);
  return tensor(data, { dtype: e.dtype }).reshape(e.shape).requiresGrad_(requiresGrad);
}

function close(actual: Tensor, expected: Encoded, what: string): void {
  expect(actual.shape, what).toEqual(expected.shape);
  const a = actual.detach().reshape([-1]).toArray() as number[];
  const b = expected.data.map(num);
  let worst = 0;
  for (let i = 0; i < b.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  expect(worst, what).toBeLessThan(1e-10);
}

type AnyModule = Module<never[], unknown> & { call(...a: unknown[]): unknown };

function build(c: Case): AnyModule {
  const [a0, a1, a2] = c.args as [number, number, number];
  const { numLayersStack, finalNorm, ...rest } = c.options;
  const o = { ...rest, dtype: 'float64' as const };
  const make: Record<string, () => unknown> = {
    RNNCell: () => new RNNCell(a0, a1, o),
    LSTMCell: () => new LSTMCell(a0, a1, o),
    GRUCell: () => new GRUCell(a0, a1, o),
    RNN: () => new RNN(a0, a1, o),
    LSTM: () => new LSTM(a0, a1, o),
    GRU: () => new GRU(a0, a1, o),
    Conv1d: () => new Conv1d(a0, a1, a2, o),
    ConvTranspose2d: () => new ConvTranspose2d(a0, a1, a2, o),
    GroupNorm: () => new GroupNorm(a0, a1, o),
    PReLU: () => new PReLU(a0, o),
    Dropout2d: () => new Dropout2d(a0),
    MultiheadAttention: () => new MultiheadAttention(a0, a1, o),
    TransformerEncoderLayer: () => new TransformerEncoderLayer(a0, a1, o),
    TransformerDecoderLayer: () => new TransformerDecoderLayer(a0, a1, o),
    TransformerEncoder: () =>
      new TransformerEncoder(
        new TransformerEncoderLayer(a0, a1, o),
        numLayersStack as number,
        // The final norm follows the layers' bias, as PyTorch's nn.Transformer builds its norms.
        finalNorm
          ? new LayerNorm(a0, { bias: c.options.bias as boolean | undefined, dtype: 'float64' })
          : null,
      ),
    TransformerDecoder: () =>
      new TransformerDecoder(new TransformerDecoderLayer(a0, a1, o), numLayersStack as number),
  };
  return make[c.layer]!() as AnyModule;
}

function flatten(out: unknown): Tensor[] {
  if (out === null || out === undefined) return [];
  if (Array.isArray(out)) return out.flatMap(flatten);
  return [out as Tensor];
}

// Every registered CPU backend (reference, WebAssembly, and native where it is built); in the
// WebGPU run of the suite, the GPU itself.
const initial = getBackend().name;
const backends = getBackend().device
  ? [initial]
  : listBackends().filter((name) => findBackend(name)?.device !== true);
afterAll(() => setBackend(initial));

describe.each(backends)('layers against PyTorch on the %s backend', (backend) => {
  beforeAll(() => setBackend(backend));
  for (const c of fixture.cases) {
    it(c.name, () => {
      expect(getBackend().name).toBe(backend);
      manualSeed(c.seed);
      const functional = c.layer === 'sdpa' || c.layer.startsWith('F.');
      const module = functional ? null : build(c);
      if (module) {
        const own = module.stateDict();
        expect(Object.keys(own).sort()).toEqual(Object.keys(c.state).sort());
        for (const [k, v] of Object.entries(c.state)) close(own[k]!, v, `initial ${k}`);
        module.loadStateDict(
          Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v)])),
        );
        module.train(c.train);
      }
      const leaves: Tensor[] = [];
      const input = (e: Input): unknown => {
        if (e === null) return undefined;
        if (Array.isArray(e)) return e.map(input);
        const t = decode(e, e.dtype === 'float64');
        if (e.dtype === 'float64') leaves.push(t);
        return t;
      };
      const args = c.inputs.map(input);
      // The generator as PyTorch's was at the forward pass (after drawing the inputs), so that
      // dropout draws the same masks.
      manualSeed(c.seed + 1000);
      for (const t of leaves) randn(t.shape, { dtype: 'float64' });
      const kwargs = Object.fromEntries(
        Object.entries(c.kwargs).map(([k, v]) => [
          k,
          typeof v === 'object' && !Array.isArray(v) ? decode(v) : v,
        ]),
      ) as Record<string, unknown>;
      const extra = Object.keys(kwargs).length ? [kwargs] : [];
      const [x, k, v] = args as [Tensor, Tensor, Tensor];
      const functions: Record<string, () => unknown> = {
        sdpa: () => F.scaledDotProductAttention(x, k, v, kwargs),
        'F.pad': () =>
          F.pad(
            x,
            kwargs.pad as number[],
            (kwargs.mode as F.PadMode | undefined) ?? 'constant',
            (kwargs.value as number | undefined) ?? 0,
          ),
        'F.interpolate': () => F.interpolate(x, kwargs),
      };
      const out = module ? module.call(...args, ...extra) : functions[c.layer]!();
      const outs = flatten(out);
      expect(outs.length).toBe(c.outputs.length);
      outs.forEach((o, i) => close(o, c.outputs[i]!, `output ${i}`));
      outs
        .map((o, i) => o.mul(decode(c.cotangents[i]!)).sum())
        .reduce((a, b) => a.add(b))
        .backward();
      leaves.forEach((t, i) => close(t.grad!, c.inputGrads[i]!, `input ${i} grad`));
      if (module) {
        const params = Object.fromEntries(module.namedParameters());
        for (const [k, g] of Object.entries(c.paramGrads)) close(params[k]!.grad!, g, `${k} grad`);
      }
    });
  }
});
