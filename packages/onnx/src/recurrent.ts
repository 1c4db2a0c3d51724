/**
 * The `recurrent` row of the op table: an LSTM / GRU / RNN call (recorded as one op per result
 * while tracing) written as ONNX's own LSTM / GRU / RNN nodes, one per layer, so the exported
 * model runs on any sequence length and batch size.
 *
 * ONNX's layout differs from PyTorch's in three ways (onnx/onnx docs/Operators.md; PyTorch's
 * exporter, torch/onnx/symbolic_opset9.py `_generic_rnn`, does the same):
 * - gate order: LSTM [i, o, f, c] for PyTorch's [i, f, g, o]; GRU [z, r, h] for [r, z, n];
 * - W [dirs, gates·H, in] and R [dirs, gates·H, H] stack the directions, and
 *   B [dirs, 2·gates·H] is bias_ih then bias_hh;
 * - Y is [L, dirs, N, H]: PyTorch's [L, N, dirs·H] is a Transpose and a Reshape away.
 * PyTorch's GRU applies the reset gate after the hidden projection: `linear_before_reset = 1`.
 * ONNX Runtime runs only the sequence-first layout (`layout = 0`), so batchFirst is a Transpose.
 *
 * A call on a PackedSequence is written on the padded batch it was packed from, with the lengths
 * as `sequence_lens` (as PyTorch's exporter does). By the operator's definition each sequence
 * stops at its own length: Y_h (and Y_c) is the state at that length (for the reverse direction,
 * after its step 0, the reverse pass starting at the sequence's last step), and Y is zero past
 * it, which is what `padPackedSequence` gives (the `padPacked` row below). The sequences need no
 * sorting: the nodes take them in any order.
 */
import type { BatchDim, Exporter, Emitted, NodeContext } from './emit.js';
import { atAxis } from './emit.js';
import { attr } from './graph.js';
import type { AttrValue } from './graph.js';
import type { PadPackedAttrs, RecurrentAttrs, RecurrentCall } from './trace.js';
import { PACKED_DATA } from './trace.js';

/** Per kind: the ONNX op, the number of gates and where ONNX's gate k is in PyTorch's order. */
const KINDS: Record<RecurrentCall['kind'], { op: string; gates: readonly number[] }> = {
  LSTM: { op: 'LSTM', gates: [0, 3, 1, 2] },
  GRU: { op: 'GRU', gates: [1, 0, 2] },
  RNN_TANH: { op: 'RNN', gates: [0] },
  RNN_RELU: { op: 'RNN', gates: [0] },
};

// The names of each call's results, per export (the ops of one call share their `call`).
const written = new WeakMap<Exporter, Map<RecurrentCall, readonly string[]>>();

/** Input i, a weight [gates·H, in] or bias [gates·H], with its gate blocks in ONNX's order. */
function reordered(c: NodeContext, i: number, gates: readonly number[]): string {
  const name = c.nameAs(i, c.outDtype);
  if (gates.every((g, k) => g === k)) return name;
  const shape = c.shape(i);
  const split = [gates.length, shape[0]! / gates.length, ...shape.slice(1)];
  const blocks = c.emit('Reshape', [name, c.int64s(split)]);
  const moved = c.emit('Gather', [blocks, c.int64s(gates)], { axis: attr.int(0) });
  return c.emit('Reshape', [moved, c.int64s([...shape])]);
}

/** `names` (one per direction) unsqueezed on a new axis 0 and concatenated. */
function stackDirections(c: NodeContext, names: readonly string[]): string {
  const each = names.map((n) => c.emit('Unsqueeze', [n, c.int64s([0])]));
  return each.length === 1 ? each[0]! : c.emit('Concat', each, { axis: attr.int(0) });
}

/** Rows [from, to) of a state [layers·dirs, N, H], or the whole state. */
function rows(c: NodeContext, state: string, from: number, to: number, all: number): string {
  if (from === 0 && to === all) return state;
  return c.emit('Slice', [state, c.int64s([from]), c.int64s([to]), c.int64s([0])]);
}

/** Writes the nodes of one call; returns the names of [output, hN, cN?]. */
function writeCall(c: NodeContext, a: RecurrentCall): string[] {
  const t = c.outDtype;
  const { op, gates } = KINDS[a.kind];
  const dirs = a.bidirectional ? 2 : 1;
  const all = a.numLayers * dirs;
  const lstm = a.kind === 'LSTM';
  let i = 0;
  const x = c.nameAs(i++, t);
  const lengths = a.packed ? c.nameAs(i++, 'int32') : '';
  // Sequence first, with a batch axis: [L, N, features].
  let seq = !a.batched
    ? c.emit('Unsqueeze', [x, c.int64s([1])])
    : a.batchFirst
      ? c.emit('Transpose', [x], { perm: attr.ints([1, 0, 2]) })
      : x;
  const batchedState = (k: number): string => {
    const s = c.nameAs(k, t);
    return a.batched ? s : c.emit('Unsqueeze', [s, c.int64s([1])]);
  };
  const h0 = a.hasState ? batchedState(i++) : null;
  const c0 = a.hasState && lstm ? batchedState(i++) : null;
  const attributes: Record<string, AttrValue> = {
    hidden_size: attr.int(a.hiddenSize),
    direction: attr.string(a.bidirectional ? 'bidirectional' : 'forward'),
  };
  if (a.kind === 'GRU') attributes.linear_before_reset = attr.int(1);
  if (op === 'RNN')
    attributes.activations = attr.strings(
      new Array<string>(dirs).fill(a.kind === 'RNN_TANH' ? 'Tanh' : 'Relu'),
    );
  const hs: string[] = [];
  const cs: string[] = [];
  for (let layer = 0; layer < a.numLayers; layer++) {
    const w: string[] = [];
    const r: string[] = [];
    const b: string[] = [];
    for (let d = 0; d < dirs; d++) {
      w.push(reordered(c, i++, gates));
      r.push(reordered(c, i++, gates));
      if (a.hasBias) {
        const bIh = reordered(c, i++, gates);
        const bHh = reordered(c, i++, gates);
        b.push(c.emit('Concat', [bIh, bHh], { axis: attr.int(0) }));
      }
    }
    const inputs = [seq, stackDirections(c, w), stackDirections(c, r)];
    inputs.push(a.hasBias ? stackDirections(c, b) : '', lengths); // B, sequence_lens
    if (h0 !== null) inputs.push(rows(c, h0, layer * dirs, (layer + 1) * dirs, all));
    if (c0 !== null) inputs.push(rows(c, c0, layer * dirs, (layer + 1) * dirs, all));
    while (inputs[inputs.length - 1] === '') inputs.pop();
    const [y, yh, yc] = c.emitMany(op, inputs, attributes, lstm ? 3 : 2);
    hs.push(yh!);
    if (lstm) cs.push(yc!);
    // [L, dirs, N, H] -> [L, N, dirs·H]
    const swapped = dirs === 1 ? y! : c.emit('Transpose', [y!], { perm: attr.ints([0, 2, 1, 3]) });
    seq =
      dirs === 1
        ? c.emit('Squeeze', [swapped, c.int64s([1])])
        : c.emit('Reshape', [swapped, c.int64s([0, 0, -1])]);
  }
  const joined = (parts: string[]): string => {
    const s = parts.length === 1 ? parts[0]! : c.emit('Concat', parts, { axis: attr.int(0) });
    return a.batched ? s : c.emit('Squeeze', [s, c.int64s([1])]);
  };
  // A packed call's output stays the padded [L, N, dirs·H] (its origin for padPackedSequence).
  const output = !a.batched
    ? c.emit('Squeeze', [seq, c.int64s([1])])
    : a.batchFirst && !a.packed
      ? c.emit('Transpose', [seq], { perm: attr.ints([1, 0, 2]) })
      : seq;
  return [output, joined(hs), ...(lstm ? [joined(cs)] : [])];
}

/** One result of a recurrent call (the call's nodes are written by the first one asked). */
export function recurrent(c: NodeContext): Emitted {
  const { call, part } = c.attrs<RecurrentAttrs>();
  let calls = written.get(c.exporter);
  if (!calls) written.set(c.exporter, (calls = new Map()));
  if (part === PACKED_DATA)
    throw c.error(
      `the data of the PackedSequence that ${c.site.module.typeName} returns cannot be exported: its rows are each sequence's steps, so their count depends on the lengths' values. Read the output through padPackedSequence, or use the final states hN / cN`,
    );
  let names = calls.get(call);
  if (!names) calls.set(call, (names = writeCall(c, call)));
  // The output keeps the input's axes (a packed call's is sequence first); the states
  // [layers·dirs, N, H] have the batch on axis 1 (when the traced batch dim is the input's N,
  // not its sequence axis).
  const batch = c.value(0).batch;
  const n = call.batched ? (call.batchFirst ? 0 : 1) : -1;
  const onBatch = (axis: number): BatchDim | null =>
    batch?.axis === n ? atAxis(batch, axis) : null;
  if (part === 0) return { name: names[0]!, batch: call.packed ? onBatch(1) : batch };
  return { name: names[part]!, batch: onBatch(1) };
}

/**
 * `padPackedSequence` of a packed call's output: the call's padded output [L, N, dirs·H] (zero
 * past each length) cut to the longest length, or padded or cut to `totalLength`, with
 * `paddingValue` past each length, batch first if asked.
 */
export function padPacked(c: NodeContext): Emitted {
  const { batchFirst, paddingValue, totalLength } = c.attrs<PadPackedAttrs>();
  const y = c.value(0);
  const lengths = c.nameAs(1, 'int64');
  const first = c.int64s([0]);
  // The number of steps as a 1-d [1]: the longest length, or totalLength.
  let steps: string;
  let out: string;
  if (totalLength === null) {
    steps = c.emit('ReduceMax', [lengths], { keepdims: attr.int(1) });
    out = c.emit('Slice', [y.name, first, steps, first]);
  } else {
    steps = c.int64s([totalLength]);
    // totalLength zero steps more, then the first totalLength: right whatever L is at run time.
    const longer = c.emit('Pad', [y.name, c.int64s([0, 0, 0, totalLength, 0, 0])]);
    out = c.emit('Slice', [longer, first, steps, first]);
  }
  if (paddingValue !== 0) {
    const count = c.emit('Squeeze', [steps, first]);
    const t = c.emit('Range', [c.scalar(0, 'int64'), count, c.scalar(1, 'int64')]);
    const valid = c.emit('Less', [
      c.emit('Unsqueeze', [t, c.int64s([1])]),
      c.emit('Unsqueeze', [lengths, first]),
    ]);
    const mask = c.emit('Unsqueeze', [valid, c.int64s([2])]);
    out = c.emit('Where', [mask, out, c.scalar(paddingValue, c.outDtype)]);
  }
  if (batchFirst) out = c.emit('Transpose', [out], { perm: attr.ints([1, 0, 2]) });
  const batch = y.batch?.axis === 1 ? atAxis(y.batch, batchFirst ? 0 : 1) : null;
  // Without totalLength, the number of steps is the longest length: a value of the input.
  return totalLength === null
    ? { name: out, batch, dataDims: [batchFirst ? 1 : 0] }
    : { name: out, batch };
}
