/**
 * Tracing: the module runs once in eval mode with grad mode on, on a copy of the example input
 * that requires grad, so that autograd records every op. While it runs, each submodule's `call`
 * is wrapped to note which module was running (for error messages and node names), and the
 * layers whose recorded form hides their meaning (BatchNorm in eval, LayerNorm,
 * AdaptiveAvgPool2d, ConvTranspose2d, and LSTM / GRU / RNN, whose steps ONNX runs as one node)
 * are recorded as one op each of this package's {@link LAYER_OPS} table.
 * Everything is restored afterwards: training flags, `requiresGrad` of parameters, `call`.
 */
import type { OpTable } from '@gd/autograd';
import {
  Node,
  Tensor,
  defineOps,
  enableGrad,
  noGrad,
  runOp,
  tensor,
  traceOrigins,
} from '@gd/autograd';
import type { AdaptiveSize, Module } from '@gd/nn';
import { AdaptiveAvgPool2d, BatchNormBase, ConvTranspose2d, LayerNorm } from '@gd/nn';
import { PackedSequence, packedOrigin, padPackedSequence, withPackedOrigin } from '@gd/nn/rnn';
import { GRU, LSTM, RNN } from '@gd/nn/rnn';
import type { PackedOrigin, PadPackedSequenceOptions } from '@gd/nn/rnn';
import { OnnxExportError } from './emit.js';

/** Any module, whatever its forward's signature. */
export type AnyModule = Module<never[], unknown>;

/** Attributes of the `batchNorm` layer op (inputs: x, runningMean, runningVar, [weight], [bias]). */
export interface BatchNormAttrs {
  readonly eps: number;
  readonly hasWeight: boolean;
  readonly hasBias: boolean;
  readonly run: (x: Tensor) => Tensor;
}

/** Attributes of the `layerNorm` layer op (inputs: x, [weight], [bias]). */
export interface LayerNormAttrs {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly hasWeight: boolean;
  readonly hasBias: boolean;
  readonly run: (x: Tensor) => Tensor;
}

/** Attributes of the `adaptiveAvgPool2d` layer op (input: x). */
export interface AdaptiveAvgPoolAttrs {
  readonly outputSize: AdaptiveSize;
  readonly run: (x: Tensor) => Tensor;
}

/** Attributes of the `convTranspose2d` layer op (inputs: x, weight, [bias]). */
export interface ConvTransposeAttrs {
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly outputPadding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
  readonly hasBias: boolean;
  readonly run: (x: Tensor) => Tensor;
}

/** What one call of a recurrent layer is: the ONNX LSTM / GRU / RNN nodes are built from it. */
export interface RecurrentCall {
  readonly kind: 'LSTM' | 'GRU' | 'RNN_TANH' | 'RNN_RELU';
  readonly numLayers: number;
  readonly hiddenSize: number;
  readonly bidirectional: boolean;
  /** Whether the input is [N, L, features] (for a packed call: the packed batch's layout). */
  readonly batchFirst: boolean;
  /**
   * Whether the layer ran on a PackedSequence: then its inputs are the padded batch it was
   * packed from and the lengths (ONNX's `sequence_lens`), and result 0 is the padded output
   * [L, N, dirs·H], zero past each sequence's length, as ONNX's nodes give it.
   */
  readonly packed: boolean;
  /** Whether the input has a batch dim (3-d), else it is [L, features]. */
  readonly batched: boolean;
  readonly hasBias: boolean;
  /** Whether h0 (and c0 for LSTM) were given. */
  readonly hasState: boolean;
  /** The layer's own forward (run once, without recording): [output, hN, cN?]. */
  readonly results: () => readonly Tensor[];
  /** For a packed call: the packed output's data (its rows depend on the lengths' values). */
  readonly packedData: (() => Tensor) | null;
}

/** The `part` of a packed call's recorded op that stands for the packed output's data. */
export const PACKED_DATA = -1;

/**
 * Attributes of the `recurrent` layer op. One call of an LSTM / GRU / RNN is recorded as one op
 * per result (output, hN and, for LSTM, cN), all with the same inputs (x, [h0, c0], then each
 * layer's and direction's weight_ih, weight_hh, [bias_ih, bias_hh]) and the same `call`, which
 * the exporter writes once.
 */
export interface RecurrentAttrs {
  readonly call: RecurrentCall;
  /** Which result: 0 output, 1 hN, 2 cN, {@link PACKED_DATA} the packed output's data. */
  readonly part: number;
}

/**
 * Attributes of the `padPacked` layer op: `padPackedSequence` of a packed call's output
 * (inputs: the call's padded output [L, N, dirs·H], the lengths).
 */
export interface PadPackedAttrs {
  readonly batchFirst: boolean;
  readonly paddingValue: number;
  readonly totalLength: number | null;
  /** gd's own padPackedSequence of the layer's packed output. */
  readonly run: () => Tensor;
}

interface LayerOps {
  batchNorm: BatchNormAttrs;
  recurrent: RecurrentAttrs;
  padPacked: PadPackedAttrs;
  convTranspose2d: ConvTransposeAttrs;
  layerNorm: LayerNormAttrs;
  adaptiveAvgPool2d: AdaptiveAvgPoolAttrs;
}

function exportOnly(): never {
  throw new Error('@gd/onnx: this op is recorded only while exporting to ONNX and has no backward');
}

/**
 * Layers recorded as single ops while tracing. Their forward is the layer's own forward (run
 * without recording), so the traced values are exactly gd's.
 */
export const LAYER_OPS: OpTable<LayerOps> = defineOps<LayerOps>({
  batchNorm: {
    backwardName: 'NativeBatchNormBackward0',
    forward: ([x], a) => noGrad(() => a.run(Tensor.fromArray(x!))).value,
    backward: exportOnly,
  },
  convTranspose2d: {
    backwardName: 'ConvolutionBackward0',
    forward: ([x], a) => noGrad(() => a.run(Tensor.fromArray(x!))).value,
    backward: exportOnly,
  },
  layerNorm: {
    backwardName: 'NativeLayerNormBackward0',
    forward: ([x], a) => noGrad(() => a.run(Tensor.fromArray(x!))).value,
    backward: exportOnly,
  },
  recurrent: {
    backwardName: 'RecurrentBackward0',
    forward: (_, a) =>
      (a.part === PACKED_DATA ? a.call.packedData!() : a.call.results()[a.part]!).value,
    backward: exportOnly,
  },
  padPacked: {
    backwardName: 'PadPackedBackward0',
    forward: (_, a) => a.run().value,
    backward: exportOnly,
  },
  adaptiveAvgPool2d: {
    backwardName: 'AdaptiveAvgPool2DBackward0',
    forward: ([x], a) => noGrad(() => a.run(Tensor.fromArray(x!))).value,
    backward: exportOnly,
  },
});

// A node made only to read the global node counter: every op recorded between two probes has
// a sequence number between theirs.
class SequenceProbe extends Node {
  readonly name = 'SequenceProbe';
  apply(): (Tensor | null)[] {
    return [];
  }
}

function probe(): number {
  return new SequenceProbe().sequence;
}

/** A module call seen while tracing: ops with sequence numbers in (enter, exit) ran inside it. */
interface CallSpan {
  readonly enter: number;
  readonly exit: number;
  readonly path: string;
  readonly module: AnyModule;
}

/** Where a recorded op came from. */
export interface ModuleSite {
  /** The submodule's dotted path (`''` for the traced module itself). */
  readonly path: string;
  readonly module: AnyModule;
}

/** The result of {@link traceModule}. */
export interface Trace {
  /** The traced copies of the example inputs (graph inputs are recognised by identity). */
  readonly inputs: readonly Tensor[];
  /** The outputs of the traced forward. */
  readonly outputs: readonly Tensor[];
  /** Parameters and buffers by identity, with their state-dict names. */
  readonly named: ReadonlyMap<Tensor, string>;
  /** The innermost module whose `call` was running when `node` was recorded. */
  siteOf(node: Node): ModuleSite;
}

/** `path (TypeName)`, or `<root> (TypeName)` for the traced module itself. */
export function describeSite(site: ModuleSite): string {
  return `'${site.path === '' ? '<root>' : site.path}' (${site.module.typeName})`;
}

type Call = (...args: unknown[]) => unknown;

/** Whether `module` is an LSTM, GRU or RNN running its own forward. */
function isRecurrent(module: AnyModule): module is AnyModule & (LSTM | GRU | RNN) {
  if (module instanceof LSTM) return module.forward === LSTM.prototype.forward;
  if (module instanceof GRU) return module.forward === GRU.prototype.forward;
  return module instanceof RNN && module.forward === RNN.prototype.forward;
}

function kindOf(module: LSTM | GRU | RNN): RecurrentCall['kind'] {
  if (module instanceof LSTM) return 'LSTM';
  if (module instanceof GRU) return 'GRU';
  return module.nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU';
}

/** Each layer's and direction's weight_ih, weight_hh, [bias_ih, bias_hh], in that order. */
function weightsOf(module: LSTM | GRU | RNN): Tensor[] {
  const own = Object.fromEntries(module.namedParameters());
  const stems = ['weight_ih', 'weight_hh', ...(module.bias ? ['bias_ih', 'bias_hh'] : [])];
  const out: Tensor[] = [];
  for (let layer = 0; layer < module.numLayers; layer++) {
    for (let d = 0; d < module.numDirections; d++) {
      const suffix = `_l${layer}${d === 1 ? '_reverse' : ''}`;
      for (const stem of stems) out.push(own[`${stem}${suffix}`]!);
    }
  }
  return out;
}

/**
 * An LSTM / GRU / RNN call recorded as `recurrent` ops (ONNX's recurrent nodes, which run on
 * any sequence length), or undefined to trace it step by step: float64 (see below) and a
 * sequence of length 0 (which ONNX's nodes do not take).
 */
function recordRecurrent(
  module: AnyModule & (LSTM | GRU | RNN),
  args: readonly unknown[],
  original: Call,
): unknown {
  const [x, hx] = args;
  if (x instanceof PackedSequence) return recordPacked(module, x, hx, original);
  if (!(x instanceof Tensor)) return undefined;
  // ONNX's nodes take doubles too, but onnxruntime's kernels run them in float only ("LSTM
  // operator does not support double yet"): a float64 layer is traced step by step instead,
  // which keeps its precision but fixes the sequence length.
  if (x.dtype !== 'float32' || (x.ndim !== 2 && x.ndim !== 3)) return undefined;
  const batched = x.ndim === 3;
  if (x.shape[batched && module.batchFirst ? 1 : 0] === 0) return undefined;
  const state = statesOf(hx);
  let results: readonly Tensor[] | null = null;
  const call: RecurrentCall = {
    kind: kindOf(module),
    numLayers: module.numLayers,
    hiddenSize: module.hiddenSize,
    bidirectional: module.bidirectional,
    batchFirst: module.batchFirst,
    packed: false,
    batched,
    hasBias: module.bias,
    hasState: state.length > 0,
    results: () => {
      results ??= noGrad(() => {
        const [out, s] = original.call(module, ...args) as [Tensor, Tensor | Tensor[]];
        return [out, ...(s instanceof Tensor ? [s] : s)];
      });
      return results;
    },
    packedData: null,
  };
  const inputs = [x, ...state, ...weightsOf(module)];
  const part = (k: number): Tensor => runOp(LAYER_OPS, 'recurrent', inputs, { call, part: k });
  return call.kind === 'LSTM' ? [part(0), [part(1), part(2)]] : [part(0), part(1)];
}

/** The initial states of a call, as a list. */
function statesOf(hx: unknown): Tensor[] {
  return hx === undefined || hx === null ? [] : hx instanceof Tensor ? [hx] : [...(hx as Tensor[])];
}

/** The lengths of a packed origin as a tensor (an array becomes a constant). */
function lengthsTensor(origin: PackedOrigin): Tensor {
  return origin.lengths instanceof Tensor
    ? origin.lengths
    : tensor([...origin.lengths], { dtype: 'int32' });
}

/**
 * An LSTM / GRU / RNN call on a PackedSequence, recorded as on the padded batch it was packed
 * from with each sequence's length (ONNX's `sequence_lens`, as PyTorch's exporter writes it):
 * the nodes stop each sequence at its length, so hN (and cN) are each sequence's state there,
 * and the padded output is zero past it. The result is a PackedSequence whose origin is that
 * padded output, so `padPackedSequence` of it, or another recurrent layer on it, is exported
 * too; its `data` itself (one row per step of each sequence) is not.
 */
function recordPacked(
  module: AnyModule & (LSTM | GRU | RNN),
  x: PackedSequence,
  hx: unknown,
  original: Call,
): unknown {
  const name = module.typeName;
  const origin = packedOrigin(x);
  if (origin === null)
    throw new OnnxExportError(
      `exportOnnx: ${name} was called on a PackedSequence that was not made by packPaddedSequence or packSequence (it was built from its parts, or by withData), so the padded batch and lengths it came from are unknown: pack the padded batch inside the forward, packPaddedSequence(x, lengths), with lengths a graph input`,
    );
  if (origin.input.dtype !== 'float32')
    throw new OnnxExportError(
      `exportOnnx: ${name} on a ${origin.input.dtype} PackedSequence cannot be exported: onnxruntime runs ONNX's ${name} node in float32 only, and a packed call cannot be traced step by step (its steps' batch sizes depend on the lengths' values). Export the model in float32`,
    );
  const state = statesOf(hx);
  // gd's own forward first: it refuses wrong shapes and states with its own messages.
  const [out, finals] = noGrad(() => original.call(module, x, hx)) as [
    PackedSequence,
    Tensor | Tensor[],
  ];
  const steps = origin.input.shape[origin.batchFirst ? 1 : 0]!;
  const padded = noGrad(() => padPackedSequence(out, { totalLength: steps })[0]);
  const results = [padded, ...(finals instanceof Tensor ? [finals] : finals)];
  const call: RecurrentCall = {
    kind: kindOf(module),
    numLayers: module.numLayers,
    hiddenSize: module.hiddenSize,
    bidirectional: module.bidirectional,
    batchFirst: origin.batchFirst,
    packed: true,
    batched: true,
    hasBias: module.bias,
    hasState: state.length > 0,
    results: () => results,
    packedData: () => out.data,
  };
  const lengths = lengthsTensor(origin);
  const inputs = [origin.input, lengths, ...state, ...weightsOf(module)];
  const part = (k: number): Tensor => runOp(LAYER_OPS, 'recurrent', inputs, { call, part: k });
  const y = part(0);
  const unpack = (options: PadPackedSequenceOptions): [Tensor, Tensor] => {
    const attrs: PadPackedAttrs = {
      batchFirst: options.batchFirst ?? false,
      paddingValue: options.paddingValue ?? 0,
      totalLength: options.totalLength ?? null,
      run: () => noGrad(() => padPackedSequence(out, options)[0]),
    };
    return [runOp(LAYER_OPS, 'padPacked', [y, lengths], attrs), lengths];
  };
  const output = withPackedOrigin(out.withData(part(PACKED_DATA)), {
    input: y,
    lengths: origin.lengths,
    batchFirst: false,
    unpack,
  });
  return call.kind === 'LSTM' ? [output, [part(1), part(2)]] : [output, part(1)];
}

function substitute(module: AnyModule, args: readonly unknown[], original: Call): unknown {
  if (isRecurrent(module)) return recordRecurrent(module, args, original);
  const x = args[0];
  if (args.length !== 1 || !(x instanceof Tensor)) return undefined;
  const run = (t: Tensor): Tensor => original.call(module, t) as Tensor;
  if (
    module instanceof BatchNormBase &&
    module.forward === BatchNormBase.prototype.forward &&
    !module.training &&
    module.runningMean &&
    module.runningVar
  ) {
    const inputs = [x, module.runningMean, module.runningVar];
    if (module.weight) inputs.push(module.weight);
    if (module.bias) inputs.push(module.bias);
    return runOp(LAYER_OPS, 'batchNorm', inputs, {
      eps: module.eps,
      hasWeight: module.weight !== null,
      hasBias: module.bias !== null,
      run,
    });
  }
  if (module instanceof LayerNorm && module.forward === LayerNorm.prototype.forward) {
    const inputs = [x];
    if (module.weight) inputs.push(module.weight);
    if (module.bias) inputs.push(module.bias);
    return runOp(LAYER_OPS, 'layerNorm', inputs, {
      normalizedShape: module.normalizedShape,
      eps: module.eps,
      hasWeight: module.weight !== null,
      hasBias: module.bias !== null,
      run,
    });
  }
  // Recorded as matmul + fold (col2im), which ONNX 17 lacks: one ConvTranspose node instead.
  if (module instanceof ConvTranspose2d && module.forward === ConvTranspose2d.prototype.forward) {
    const inputs = [x, module.weight];
    if (module.bias) inputs.push(module.bias);
    return runOp(LAYER_OPS, 'convTranspose2d', inputs, {
      kernelSize: module.kernelSize,
      stride: module.stride,
      padding: module.padding,
      outputPadding: module.outputPadding,
      dilation: module.dilation,
      groups: module.groups,
      hasBias: module.bias !== null,
      run,
    });
  }
  if (
    module instanceof AdaptiveAvgPool2d &&
    module.forward === AdaptiveAvgPool2d.prototype.forward
  ) {
    return runOp(LAYER_OPS, 'adaptiveAvgPool2d', [x], { outputSize: module.outputSize, run });
  }
  return undefined;
}

/**
 * Runs `module` once on copies of `inputs` with every op recorded, and restores the module's
 * state afterwards (also when the forward throws).
 */
export function traceModule(module: AnyModule, inputs: readonly Tensor[]): Trace {
  const modules = module.namedModules();
  const training = modules.map(([, m]) => [m, m.training] as const);
  const frozen = module
    .parameters()
    .filter((p) => !p.requiresGrad && (p.dtype === 'float32' || p.dtype === 'float64'));
  const spans: CallSpan[] = [];
  const wrapped: [AnyModule, PropertyDescriptor | undefined][] = [];
  let outputs: Tensor[];
  let traced: Tensor[];
  try {
    module.eval();
    for (const p of frozen) p.requiresGrad_(true);
    for (const [path, m] of modules) {
      const own = Object.getOwnPropertyDescriptor(m, 'call');
      const original = m.call as unknown as Call;
      wrapped.push([m, own]);
      Object.defineProperty(m, 'call', {
        configurable: true,
        enumerable: false,
        writable: true,
        value: (...args: unknown[]): unknown => {
          const enter = probe();
          try {
            return substitute(m, args, original) ?? original.apply(m, args);
          } finally {
            spans.push({ enter, exit: probe(), path, module: m });
          }
        },
      });
    }
    traced = inputs.map((x) => {
      const copy = Tensor.fromArray(x.value.clone());
      return x.dtype === 'float32' || x.dtype === 'float64' ? copy.requiresGrad_() : copy;
    });
    const callable = module as unknown as { call(...xs: Tensor[]): unknown };
    // Origins too: the results autograd does not record (argsort, oneHot, ...) and ops on them.
    const result = traceOrigins(traced, () => enableGrad(() => callable.call(...traced)));
    outputs = toOutputs(result);
  } finally {
    for (const [m, own] of wrapped.reverse()) {
      if (own) Object.defineProperty(m, 'call', own);
      else delete (m as unknown as Record<string, unknown>).call;
    }
    for (const p of frozen) p.requiresGrad_(false);
    for (const [m, mode] of training) m.training = mode;
  }
  const named = new Map<Tensor, string>();
  for (const [name, p] of module.namedParameters()) if (!named.has(p)) named.set(p, name);
  for (const [name, b] of module.namedBuffers()) if (!named.has(b)) named.set(b, name);
  const root: ModuleSite = { path: '', module };
  return {
    inputs: traced,
    outputs,
    named,
    siteOf(node: Node): ModuleSite {
      let best: CallSpan | null = null;
      for (const s of spans) {
        if (s.enter < node.sequence && node.sequence < s.exit && (!best || s.enter > best.enter))
          best = s;
      }
      return best ?? root;
    },
  };
}

/**
 * The tensors of a forward's result, nested arrays flattened in order (an LSTM's
 * `[output, [hN, cN]]` gives three graph outputs, as PyTorch's exporter flattens tuples).
 */
export function flattenOutputs(result: unknown): Tensor[] | null {
  if (result instanceof Tensor) return [result];
  if (!Array.isArray(result) || result.length === 0) return null;
  const out: Tensor[] = [];
  for (const r of result) {
    const inner = flattenOutputs(r);
    if (inner === null) return null;
    out.push(...inner);
  }
  return out;
}

function toOutputs(result: unknown): Tensor[] {
  const flat = flattenOutputs(result);
  if (flat !== null) return flat;
  throw new TypeError(
    `exportOnnx: the module's forward must return a Tensor or (nested) arrays of Tensors, got ${describe(result)}`,
  );
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array [${v.map(describe).join(', ')}]`;
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return typeof v;
}
