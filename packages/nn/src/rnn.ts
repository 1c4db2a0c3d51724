/**
 * Recurrent layers (PyTorch's `nn.RNN`, `nn.LSTM`, `nn.GRU`) and their cells, composed of
 * differentiable tensor ops so that their gradients come from autograd. Parameter names, gate
 * order ([i, f, g, o] for LSTM, [r, z, n] for GRU), shapes and initialisation order are
 * PyTorch's, so a PyTorch state dict loads by name and the same seed gives the same weights.
 *
 * `@gd/nn/rnn` is an entry point of its own, so that a page without recurrent layers does not
 * load them. It also holds packed sequences (PyTorch's `torch.nn.utils.rnn`: `PackedSequence`,
 * `packPaddedSequence`, `padPackedSequence`, `padSequence`, `packSequence`).
 *
 * @example
 * ```ts
 * import { randn } from '@gd/autograd';
 * import { LSTM } from '@gd/nn/rnn';
 *
 * const lstm = new LSTM(28, 64, { batchFirst: true });
 * const [out, [h, c]] = lstm.call(randn([8, 28, 28]));
 * console.log(out.shape, h.shape, c.shape); // [8, 28, 64] [1, 8, 64] [1, 8, 64]
 * ```
 *
 * @packageDocumentation
 */
import type { DType, Tensor } from '@gd/autograd';
import { cat, empty, onesLike, stack, zeros } from '@gd/autograd';
import { fusedLstmCell } from '@gd/autograd/rnn';
import { dropout, linear } from './functional/activation.js';
import { fillUniform } from './layer-init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { PackedSequence } from './packing.js';

export {
  PackedSequence,
  packPaddedSequence,
  packSequence,
  padPackedSequence,
  padSequence,
  packedOrigin,
  withPackedOrigin,
} from './packing.js';
export type {
  PackedOrigin,
  PackPaddedSequenceOptions,
  PackSequenceOptions,
  PadPackedSequenceOptions,
  PadSequenceOptions,
} from './packing.js';

/** The recurrent cell kinds and their number of gates (rows of weight_ih per hidden unit). */
type CellKind = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';
const GATES: Record<CellKind, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

/** The hidden state of a cell: h, or [h, c] for LSTM. */
type State = Tensor | readonly [Tensor, Tensor];

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function checkSize(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min)
    throw new RangeError(
      `${name} should be ${min > 0 ? 'a positive' : 'a non-negative'} integer, got ${v}`,
    );
}

/**
 * One step of a cell: the input's projection `xw` = x W_ihᵀ + b_ih [N, G·H] and the state h
 * [N, H] (or [h, c]) -> the new state. Shared by the cells and the multi-layer modules so both
 * compute exactly the same thing; the modules project the whole sequence with one matmul first,
 * as PyTorch's CPU layers do (one big GEMM instead of one small one per step). A missing initial
 * state is zeros of shape [1, H], broadcast over the batch: the weights still get their (zero)
 * gradients as in PyTorch, and no constant carries the batch size (so ONNX exports keep a
 * dynamic batch).
 */
function cellStep(
  kind: CellKind,
  xw: Tensor,
  state: State,
  wHh: Tensor,
  bHh: Tensor | null,
): State {
  if (kind === 'LSTM') {
    const [h, c] = state as readonly [Tensor, Tensor];
    // The gates' activations and both new states in one op (one kernel each way).
    return fusedLstmCell(xw.add(linear(h, wHh, bHh)), c);
  }
  const h = state as Tensor;
  if (kind === 'GRU') {
    const [ir, iz, inn] = xw.chunk(3, 1) as [Tensor, Tensor, Tensor];
    const [hr, hz, hn] = linear(h, wHh, bHh).chunk(3, 1) as [Tensor, Tensor, Tensor];
    const r = ir.add(hr).sigmoid();
    const z = iz.add(hz).sigmoid();
    const n = inn.add(r.mul(hn)).tanh();
    // (1 - z)·n + z·h, written as n + z·(h - n)
    return n.add(z.mul(h.sub(n)));
  }
  const pre = xw.add(linear(h, wHh, bHh));
  return kind === 'RNN_TANH' ? pre.tanh() : pre.relu();
}

/**
 * x W_ihᵀ + b_ih for a whole sequence x [T, N, F]: [T, N, G·H]. On contiguous rows the fast
 * backends run it as one [T·N, F] product (and its weight gradient as one product too), while
 * the graph keeps T and N apart, so an ONNX export keeps a dynamic batch.
 */
function projectSequence(x: Tensor, wIh: Tensor, bIh: Tensor | null): Tensor {
  return linear(x.contiguous(), wIh, bIh);
}

/** `f` applied to h (and c) of a state. */
function mapState(s: State, f: (t: Tensor) => Tensor): State {
  return Array.isArray(s) ? [f(s[0] as Tensor), f(s[1] as Tensor)] : f(s as Tensor);
}

/** The h of a state. */
function stateH(s: State): Tensor {
  return Array.isArray(s) ? (s[0] as Tensor) : (s as Tensor);
}

/** States stacked by rows (h with h, c with c). */
function catStates(parts: readonly State[]): State {
  if (!Array.isArray(parts[0])) return cat(parts as Tensor[], 0);
  const pairs = parts as readonly (readonly [Tensor, Tensor])[];
  return [
    cat(
      pairs.map((p) => p[0]),
      0,
    ),
    cat(
      pairs.map((p) => p[1]),
      0,
    ),
  ];
}

/**
 * One direction of one layer over packed rows: `xw` [sum of lengths, G·H] projects every
 * packed row, `sizes` are the batch sizes, `init` the initial state of all N sequences (longest
 * first). Forwards, a sequence leaves the batch (the last rows) after its last step and its
 * state is set aside; reversed, it joins at its own last step from its initial state. Returns
 * the packed outputs [sum, H] and the final states [N, H].
 */
function packedDirection(
  cell: (x: Tensor, s: State) => State,
  xw: Tensor,
  sizes: readonly number[],
  init: State,
  reverse: boolean,
): { out: Tensor; last: State } {
  const offsets = sizes.map((_, t) => sizes.slice(0, t).reduce((a, b) => a + b, 0));
  const out = new Array<Tensor>(sizes.length);
  const rows = (s: State): number => stateH(s).shape[0]!;
  const step = (s: State, t: number): State => {
    const next = cell(xw.narrow(0, offsets[t]!, sizes[t]!), s);
    out[t] = stateH(next);
    return next;
  };
  let s: State;
  if (!reverse) {
    const ended: State[] = [];
    s = init;
    sizes.forEach((b, t) => {
      const have = rows(s);
      if (have > b) {
        ended.push(mapState(s, (v) => v.narrow(0, b, have - b)));
        s = mapState(s, (v) => v.narrow(0, 0, b));
      }
      s = step(s, t);
    });
    if (ended.length) s = catStates([s, ...ended.reverse()]);
  } else {
    s = mapState(init, (v) => v.narrow(0, 0, sizes[sizes.length - 1]!));
    for (let t = sizes.length - 1; t >= 0; t--) {
      const have = rows(s);
      if (have < sizes[t]!)
        s = catStates([s, mapState(init, (v) => v.narrow(0, have, sizes[t]! - have))]);
      s = step(s, t);
    }
  }
  return { out: cat(out, 0), last: s };
}

/** Options shared by the cells. */
export interface RNNCellOptions {
  /** Whether to learn the biases bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

/** Options of {@link RNNCell}. */
export interface RNNCellLayerOptions extends RNNCellOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

abstract class RNNCellBase<S extends State> extends Module<[Tensor, S?], S> {
  /** Input-to-hidden weights [G·hiddenSize, inputSize], G gates (RNN 1, LSTM 4, GRU 3). */
  readonly weight_ih: Parameter;
  /** Hidden-to-hidden weights [G·hiddenSize, hiddenSize]. */
  readonly weight_hh: Parameter;
  /** Input-to-hidden bias [G·hiddenSize], or null without `bias`. */
  readonly bias_ih: Parameter | null;
  /** Hidden-to-hidden bias [G·hiddenSize], or null without `bias`. */
  readonly bias_hh: Parameter | null;

  protected constructor(
    protected readonly kind: CellKind,
    /** Features of the input x. */
    readonly inputSize: number,
    /** Features of the hidden state h. */
    readonly hiddenSize: number,
    options: RNNCellOptions,
  ) {
    super();
    checkSize('inputSize', inputSize, 0);
    checkSize('hiddenSize', hiddenSize, 1);
    const dtype = options.dtype ?? 'float32';
    const rows = GATES[kind] * hiddenSize;
    this.weight_ih = new Parameter(empty([rows, inputSize], { dtype }));
    this.weight_hh = new Parameter(empty([rows, hiddenSize], { dtype }));
    const bias = options.bias ?? true;
    this.bias_ih = bias ? new Parameter(empty([rows], { dtype })) : null;
    this.bias_hh = bias ? new Parameter(empty([rows], { dtype })) : null;
    this.resetParameters();
  }

  /** PyTorch's initialisation: every parameter, in registration order, from U(±1/√hiddenSize). */
  resetParameters(): void {
    const stdv = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) fillUniform(p, -stdv, stdv);
  }

  protected step(input: Tensor, state: S | undefined): S {
    if (input.ndim !== 1 && input.ndim !== 2)
      throw new RangeError(
        `${this.typeName}: Expected input to be 1D or 2D, got ${input.ndim}D instead`,
      );
    if (input.shape[input.ndim - 1] !== this.inputSize)
      throw new RangeError(
        `input has inconsistent input_size: got ${input.shape[input.ndim - 1]} expected ${this.inputSize}`,
      );
    const batched = input.ndim === 2;
    const x = batched ? input : input.unsqueeze(0);
    const n = x.shape[0]!;
    const zero = (): Tensor => zeros([1, this.hiddenSize], { dtype: x.dtype });
    const prep = (t: Tensor): Tensor => {
      const tb = batched ? t : t.unsqueeze(0);
      if (tb.ndim !== 2 || tb.shape[0] !== n || tb.shape[1] !== this.hiddenSize)
        throw new RangeError(
          `${this.typeName}: Expected hidden of shape ${shapeText(batched ? [n, this.hiddenSize] : [this.hiddenSize])}, got ${shapeText(t.shape)}`,
        );
      return tb;
    };
    let s: State;
    if (this.kind === 'LSTM') {
      const hc = state as readonly [Tensor, Tensor] | undefined;
      s = hc ? [prep(hc[0]), prep(hc[1])] : [zero(), zero()];
    } else {
      s = state ? prep(state as Tensor) : zero();
    }
    const xw = linear(x, this.weight_ih, this.bias_ih);
    const out = cellStep(this.kind, xw, s, this.weight_hh, this.bias_hh);
    const un = (t: Tensor): Tensor => (batched ? t : t.squeeze(0));
    return (Array.isArray(out) ? [un(out[0]), un(out[1])] : un(out as Tensor)) as S;
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (!this.bias_ih) s += ', bias=false';
    if (this.kind === 'RNN_RELU') s += ", nonlinearity='relu'";
    return s;
  }
}

/**
 * An Elman RNN cell: h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) (or relu).
 *
 * @example
 * ```ts
 * const cell = new RNNCell(10, 20);
 * const h1 = cell.call(randn([3, 10])); // [3, 20]; h0 defaults to zeros
 * cell.call(randn([3, 10]), h1);
 * ```
 */
export class RNNCell extends RNNCellBase<Tensor> {
  /** The activation of the new state: tanh (default) or relu. */
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, options: RNNCellLayerOptions = {}) {
    const nl = options.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu')
      throw new RangeError(`Unknown nonlinearity: ${String(nl)}. Expected 'tanh' or 'relu'.`);
    super(nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, options);
    this.nonlinearity = nl;
  }
  forward(input: Tensor, hx?: Tensor): Tensor {
    return this.step(input, hx);
  }
}

/**
 * A long short-term memory cell with PyTorch's gate order [input, forget, cell, output].
 *
 * @example
 * ```ts
 * const cell = new LSTMCell(10, 20);
 * const [h, c] = cell.call(randn([3, 10])); // each [3, 20]
 * cell.call(randn([3, 10]), [h, c]);
 * ```
 */
export class LSTMCell extends RNNCellBase<readonly [Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super('LSTM', inputSize, hiddenSize, options);
  }
  forward(input: Tensor, hx?: readonly [Tensor, Tensor]): readonly [Tensor, Tensor] {
    return this.step(input, hx);
  }
}

/**
 * A gated recurrent unit cell with PyTorch's gate order [reset, update, new].
 *
 * @example
 * ```ts
 * const cell = new GRUCell(10, 20);
 * const h = cell.call(randn([3, 10])); // [3, 20]
 * ```
 */
export class GRUCell extends RNNCellBase<Tensor> {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super('GRU', inputSize, hiddenSize, options);
  }
  forward(input: Tensor, hx?: Tensor): Tensor {
    return this.step(input, hx);
  }
}

/** Options of {@link RNN}, {@link LSTM} and {@link GRU} (PyTorch's keyword arguments). */
export interface RNNOptions {
  /** Number of stacked layers (default 1). */
  numLayers?: number;
  /** Whether to learn the biases (default true). */
  bias?: boolean;
  /** Input and output as [N, L, features] instead of [L, N, features] (default false). */
  batchFirst?: boolean;
  /** Dropout on the outputs of each layer but the last, while training (default 0). */
  dropout?: number;
  /** Run a second, reversed pass per layer and concatenate (default false). */
  bidirectional?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

/** Options of {@link RNN}. */
export interface RNNLayerOptions extends RNNOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

/** The weights of one layer and direction, in PyTorch's order. */
interface LayerWeights {
  wIh: Parameter;
  wHh: Parameter;
  bIh: Parameter | null;
  bHh: Parameter | null;
}

abstract class RNNBase<S extends State> extends Module<[Tensor, S?], [Tensor, S]> {
  /** Recurrent layers stacked, each reading the previous one's outputs. */
  readonly numLayers: number;
  /** Whether the layers have the biases b_ih and b_hh. */
  readonly bias: boolean;
  /**
   * Inputs and outputs are batch-major, [N, L, features] (true), or [L, N, features] (false, the
   * default).
   */
  readonly batchFirst: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training. */
  readonly dropout: number;
  /**
   * Whether each layer also runs backwards over the sequence (outputs are then 2·hiddenSize wide).
   */
  readonly bidirectional: boolean;

  protected constructor(
    protected readonly kind: CellKind,
    /** Features of the input x. */
    readonly inputSize: number,
    /** Features of the hidden state h. */
    readonly hiddenSize: number,
    options: RNNOptions,
  ) {
    super();
    this.numLayers = options.numLayers ?? 1;
    this.bias = options.bias ?? true;
    this.batchFirst = options.batchFirst ?? false;
    this.dropout = options.dropout ?? 0;
    this.bidirectional = options.bidirectional ?? false;
    checkSize('inputSize', inputSize, 0);
    checkSize('hiddenSize', hiddenSize, 1);
    checkSize('numLayers', this.numLayers, 1);
    if (!(this.dropout >= 0 && this.dropout <= 1))
      throw new RangeError(
        'dropout should be a number in range [0, 1] representing the probability of an element being zeroed',
      );
    const dtype = options.dtype ?? 'float32';
    const rows = GATES[kind] * hiddenSize;
    const dirs = this.bidirectional ? 2 : 1;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const inSize = layer === 0 ? inputSize : hiddenSize * dirs;
      for (let d = 0; d < dirs; d++) {
        const suffix = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        const p = (shape: number[]): Parameter => new Parameter(empty(shape, { dtype }));
        const w: LayerWeights = {
          wIh: p([rows, inSize]),
          wHh: p([rows, hiddenSize]),
          bIh: this.bias ? p([rows]) : null,
          bHh: this.bias ? p([rows]) : null,
        };
        this.registerParameter(`weight_ih${suffix}`, w.wIh);
        this.registerParameter(`weight_hh${suffix}`, w.wHh);
        if (w.bIh && w.bHh) {
          this.registerParameter(`bias_ih${suffix}`, w.bIh);
          this.registerParameter(`bias_hh${suffix}`, w.bHh);
        }
      }
    }
    this.resetParameters();
  }

  /** PyTorch's initialisation: every parameter, in registration order, from U(±1/√hiddenSize). */
  resetParameters(): void {
    const stdv = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) fillUniform(p, -stdv, stdv);
  }

  /** The parameters of one layer and direction, looked up by name (they may be reassigned). */
  private layerWeights(layer: number, d: number): LayerWeights {
    const own = this as unknown as Record<string, Parameter | null>;
    const suffix = `_l${layer}${d === 1 ? '_reverse' : ''}`;
    return {
      wIh: own[`weight_ih${suffix}`]!,
      wHh: own[`weight_hh${suffix}`]!,
      bIh: own[`bias_ih${suffix}`] ?? null,
      bHh: own[`bias_hh${suffix}`] ?? null,
    };
  }

  /** The number of directions (2 when bidirectional). */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  protected run(input: Tensor, hx: S | undefined): [Tensor, S] {
    if (input.ndim !== 2 && input.ndim !== 3)
      throw new RangeError(
        `${this.typeName}: Expected input to be 2D or 3D, got ${input.ndim}D instead`,
      );
    if (input.shape[input.ndim - 1] !== this.inputSize)
      throw new RangeError(
        `input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${input.shape[input.ndim - 1]}`,
      );
    const batched = input.ndim === 3;
    let x = batched ? input : input.unsqueeze(1);
    if (batched && this.batchFirst) x = x.transpose(0, 1);
    const [steps, n] = x.shape as [number, number];
    const dirs = this.numDirections;
    const expected = [this.numLayers * dirs, n, this.hiddenSize];
    const prep = (t: Tensor, what: string): Tensor => {
      const tb = batched ? t : t.unsqueeze(1);
      if (tb.shape.length !== 3 || tb.shape.some((v, i) => v !== expected[i]))
        throw new RangeError(
          `Expected ${what} size (${(batched ? expected : [expected[0], expected[2]]).join(', ')}), got ${shapeText(t.shape)}`,
        );
      return tb;
    };
    const zero = (): Tensor =>
      zeros([this.numLayers * dirs, 1, this.hiddenSize], { dtype: x.dtype });
    let h0: Tensor;
    let c0: Tensor | null = null;
    if (this.kind === 'LSTM') {
      const hc = hx as readonly [Tensor, Tensor] | undefined;
      h0 = hc ? prep(hc[0], 'hidden[0]') : zero();
      c0 = hc ? prep(hc[1], 'hidden[1]') : zero();
    } else {
      h0 = hx ? prep(hx as Tensor, 'hidden') : zero();
    }
    // The layer's input for every step at once: [T, N, features].
    let layerInput = x;
    const hn: Tensor[] = [];
    const cn: Tensor[] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < dirs; d++) {
        const idx = layer * dirs + d;
        const w = this.layerWeights(layer, d);
        // The steps' gradients are added into one buffer by the engine (region views).
        // LSTM and RNN add b_hh straight after b_ih, so it joins the sequence's projection
        // (one broadcast add, and one bias gradient, instead of one per step); GRU's n gate
        // multiplies its b_hh part by r, so it stays in the step.
        const joined = this.kind !== 'GRU' && w.bIh && w.bHh;
        const xw = projectSequence(layerInput, w.wIh, joined ? w.bIh!.add(w.bHh!) : w.bIh).unbind(
          0,
        );
        const bHh = joined ? null : w.bHh;
        let s: State = c0 ? [h0.select(0, idx), c0.select(0, idx)] : h0.select(0, idx);
        const out: Tensor[] = new Array<Tensor>(steps);
        for (let k = 0; k < steps; k++) {
          const t = d === 0 ? k : steps - 1 - k;
          s = cellStep(this.kind, xw[t]!, s, w.wHh, bHh);
          out[t] = Array.isArray(s) ? (s as readonly [Tensor, Tensor])[0] : (s as Tensor);
        }
        if (steps > 0) outs.push(stack(out, 0));
        // Without steps, a [1, H] zero state is still to be broadcast to the batch.
        const full = (t: Tensor): Tensor => (t.shape[0] === n ? t : t.expand(n, this.hiddenSize));
        s = Array.isArray(s) ? [full(s[0] as Tensor), full(s[1] as Tensor)] : full(s as Tensor);
        if (Array.isArray(s)) {
          hn.push((s as readonly [Tensor, Tensor])[0]);
          cn.push((s as readonly [Tensor, Tensor])[1]);
        } else hn.push(s as Tensor);
      }
      if (steps === 0) {
        layerInput = zeros([0, n, dirs * this.hiddenSize], { dtype: x.dtype });
        continue;
      }
      layerInput = dirs === 1 ? outs[0]! : cat(outs, 2);
      if (this.dropout > 0 && this.training && layer < this.numLayers - 1) {
        // One mask over the whole layer output, drawn as PyTorch's dropout draws it.
        layerInput = layerInput.mul(dropout(onesLike(layerInput.detach()), this.dropout, true));
      }
    }
    let output = layerInput;
    if (batched && this.batchFirst) output = output.transpose(0, 1);
    const fin = (ts: Tensor[]): Tensor => {
      const v = stack(ts, 0);
      return batched ? v : v.squeeze(1);
    };
    if (!batched) output = output.squeeze(1);
    const state = (this.kind === 'LSTM' ? [fin(hn), fin(cn)] : fin(hn)) as S;
    return [output, state];
  }

  /**
   * Runs a {@link PackedSequence}: step t of each layer runs only on the `batchSizes[t]`
   * sequences that have a step t (the longest first), so each sequence's final state is the
   * one at its own length, as in PyTorch. States come in and go out in the original batch order.
   */
  protected runPacked(input: PackedSequence, hx: S | undefined): [PackedSequence, S] {
    const { data } = input;
    if (data.ndim !== 2 || data.shape[1] !== this.inputSize)
      throw new RangeError(
        `input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${data.shape[data.ndim - 1]}`,
      );
    const sizes = input.sizes();
    const dirs = this.numDirections;
    const expected = [this.numLayers * dirs, sizes[0]!, this.hiddenSize];
    const prep = (t: Tensor | undefined, what: string): Tensor => {
      if (t === undefined) return zeros(expected, { dtype: data.dtype });
      if (t.shape.length !== 3 || t.shape.some((v, i) => v !== expected[i]))
        throw new RangeError(
          `Expected ${what} size (${expected.join(', ')}), got ${shapeText(t.shape)}`,
        );
      // Into the packed (longest first) order.
      return input.sortedIndices ? t.indexSelect(1, input.sortedIndices) : t;
    };
    const lstm = this.kind === 'LSTM';
    const hc = hx as readonly [Tensor, Tensor] | undefined;
    const h0 = lstm ? prep(hc?.[0], 'hidden[0]') : prep(hx as Tensor | undefined, 'hidden');
    const c0 = lstm ? prep(hc?.[1], 'hidden[1]') : null;
    let layerInput = data;
    const finals: State[] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < dirs; d++) {
        const idx = layer * dirs + d;
        const w = this.layerWeights(layer, d);
        // As in run(): LSTM and RNN add b_hh once into the projection of every row.
        const joined = this.kind !== 'GRU' && w.bIh && w.bHh;
        const xw = projectSequence(layerInput, w.wIh, joined ? w.bIh!.add(w.bHh!) : w.bIh);
        const init: State = c0 ? [h0.select(0, idx), c0.select(0, idx)] : h0.select(0, idx);
        const cell = (x: Tensor, st: State): State =>
          cellStep(this.kind, x, st, w.wHh, joined ? null : w.bHh);
        const run = packedDirection(cell, xw, sizes, init, d === 1);
        outs.push(run.out);
        finals.push(run.last);
      }
      layerInput = dirs === 1 ? outs[0]! : cat(outs, 1);
      if (this.dropout > 0 && this.training && layer < this.numLayers - 1)
        layerInput = layerInput.mul(dropout(onesLike(layerInput.detach()), this.dropout, true));
    }
    // Back into the original batch order.
    const fin = (ts: Tensor[]): Tensor => {
      const v = stack(ts, 0);
      return input.unsortedIndices ? v.indexSelect(1, input.unsortedIndices) : v;
    };
    const state = lstm
      ? [fin(finals.map((f) => stateH(f))), fin(finals.map((f) => (f as readonly Tensor[])[1]!))]
      : fin(finals as Tensor[]);
    return [input.withData(layerInput), state as S];
  }

  /** Dispatches a padded Tensor or a {@link PackedSequence} input. */
  protected runAny(
    input: Tensor | PackedSequence,
    hx: S | undefined,
  ): [Tensor | PackedSequence, S] {
    return input instanceof PackedSequence ? this.runPacked(input, hx) : this.run(input, hx);
  }

  /**
   * Runs the layer (PyTorch's `module(input, hx)`) on a padded Tensor, or on a
   * {@link PackedSequence}, which gives a PackedSequence output.
   */
  override call(input: PackedSequence, hx?: S): [PackedSequence, S];
  /** On a padded Tensor: a padded output and the final states. */
  override call(input: Tensor, hx?: S): [Tensor, S];
  override call(input: Tensor | PackedSequence, hx?: S): [Tensor | PackedSequence, S] {
    return super.call(input as Tensor, hx) as [Tensor | PackedSequence, S];
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.kind === 'RNN_RELU') s += ", nonlinearity='relu'";
    if (this.numLayers !== 1) s += `, numLayers=${this.numLayers}`;
    if (!this.bias) s += ', bias=false';
    if (this.batchFirst) s += ', batchFirst=true';
    if (this.dropout !== 0) s += `, dropout=${this.dropout}`;
    if (this.bidirectional) s += ', bidirectional=true';
    return s;
  }
}

/**
 * A multi-layer Elman RNN. Input [L, N, inputSize] ([N, L, inputSize] with `batchFirst`, or
 * unbatched [L, inputSize]); returns [output [L, N, D·hiddenSize], hN [D·numLayers, N, hiddenSize]].
 *
 * @example
 * ```ts
 * const rnn = new RNN(10, 20, { numLayers: 2 });
 * const [output, hN] = rnn.call(randn([5, 3, 10])); // [5, 3, 20], [2, 3, 20]
 * ```
 */
export class RNN extends RNNBase<Tensor> {
  /** The activation of the new state: tanh (default) or relu. */
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, options: RNNLayerOptions = {}) {
    const nl = options.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu')
      throw new RangeError(`Unknown nonlinearity '${String(nl)}'. Select from 'tanh' or 'relu'.`);
    super(nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, options);
    this.nonlinearity = nl;
  }
  /** On a {@link PackedSequence}: a packed output, and each sequence's final state at its length. */
  forward(input: PackedSequence, hx?: Tensor): [PackedSequence, Tensor];
  /** On a padded Tensor [L, N, features] ([N, L, features] with batchFirst, or [L, features]). */
  forward(input: Tensor, hx?: Tensor): [Tensor, Tensor];
  forward(input: Tensor | PackedSequence, hx?: Tensor): [Tensor | PackedSequence, Tensor] {
    return this.runAny(input, hx);
  }
}

/**
 * A multi-layer LSTM (gate order [i, f, g, o]). Returns [output, [hN, cN]].
 *
 * @example
 * ```ts
 * const lstm = new LSTM(28, 128, { batchFirst: true });
 * const [out, [hN, cN]] = lstm.call(images.reshape([-1, 28, 28])); // out [N, 28, 128]
 * ```
 */
export class LSTM extends RNNBase<readonly [Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('LSTM', inputSize, hiddenSize, options);
  }
  /** On a {@link PackedSequence}: a packed output, and each sequence's final state at its length. */
  forward(
    input: PackedSequence,
    hx?: readonly [Tensor, Tensor],
  ): [PackedSequence, readonly [Tensor, Tensor]];
  /** On a padded Tensor [L, N, features] ([N, L, features] with batchFirst, or [L, features]). */
  forward(input: Tensor, hx?: readonly [Tensor, Tensor]): [Tensor, readonly [Tensor, Tensor]];
  forward(
    input: Tensor | PackedSequence,
    hx?: readonly [Tensor, Tensor],
  ): [Tensor | PackedSequence, readonly [Tensor, Tensor]] {
    return this.runAny(input, hx);
  }
}

/**
 * A multi-layer GRU (gate order [r, z, n]). Returns [output, hN].
 *
 * @example
 * ```ts
 * const gru = new GRU(10, 20, { bidirectional: true });
 * const [out, hN] = gru.call(randn([5, 3, 10])); // [5, 3, 40], [2, 3, 20]
 * ```
 */
export class GRU extends RNNBase<Tensor> {
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('GRU', inputSize, hiddenSize, options);
  }
  /** On a {@link PackedSequence}: a packed output, and each sequence's final state at its length. */
  forward(input: PackedSequence, hx?: Tensor): [PackedSequence, Tensor];
  /** On a padded Tensor [L, N, features] ([N, L, features] with batchFirst, or [L, features]). */
  forward(input: Tensor, hx?: Tensor): [Tensor, Tensor];
  forward(input: Tensor | PackedSequence, hx?: Tensor): [Tensor | PackedSequence, Tensor] {
    return this.runAny(input, hx);
  }
}
