/**
 * Packed sequences (PyTorch's `torch.nn.utils.rnn`): a batch of sequences of different lengths
 * stored time step by time step without padding, so a recurrent layer runs each step only on
 * the sequences still going, and reports each sequence's final state at its own length.
 * Exported from `@gd/nn/rnn`; every function is made of differentiable ops, so gradients flow
 * from the packed data back to the padded input.
 */
import type { Tensor } from '@gd/autograd';
import { Tensor as TensorClass, cat, full, stack, tensor } from '@gd/autograd';
import { checkOptionsSchema, describe } from '@gd/tensor';

/** Integer lengths from an array or a 1-d integer tensor. */
function lengthList(fn: string, lengths: Tensor | readonly number[]): number[] {
  const list =
    lengths instanceof TensorClass
      ? lengths.ndim === 1
        ? (lengths.toArray() as number[])
        : null
      : Array.isArray(lengths)
        ? [...(lengths as number[])]
        : null;
  if (list === null || !list.every((v) => Number.isInteger(v)))
    throw new TypeError(
      `${fn}: lengths must be an array of integers or a 1-d integer Tensor, got ${describe(lengths)}`,
    );
  return list;
}

/** The permutation inverting `p`. */
function invert(p: readonly number[]): number[] {
  const out = new Array<number>(p.length);
  p.forEach((v, i) => (out[v] = i));
  return out;
}

const indices = (v: readonly number[]): Tensor => tensor([...v], { dtype: 'int32' });

/**
 * A packed batch of sequences (PyTorch's `PackedSequence`): `data` [sum of lengths, *] holds
 * time step 0 of every sequence, then step 1 of those at least 2 long, and so on;
 * `batchSizes[t]` is how many sequences have a step t. The sequences are packed longest first:
 * `sortedIndices[k]` is the batch index of the k-th longest (null when the batch was given
 * sorted), and `unsortedIndices` the inverse permutation. Made by {@link packPaddedSequence}
 * or {@link packSequence}; `RNN`, `LSTM` and `GRU` take and return it.
 *
 * @example
 * ```ts
 * const packed = packSequence([randn([3, 2]), randn([1, 2])]);
 * packed.data.shape; // [4, 2]
 * packed.batchSizes.toArray(); // [2, 1, 1]
 * ```
 */
export class PackedSequence {
  /** Batch index of each packed row of step 0, longest first (null: given sorted). */
  readonly sortedIndices: Tensor | null;
  /** The inverse of `sortedIndices` (null: given sorted). */
  readonly unsortedIndices: Tensor | null;

  constructor(
    /** The steps' rows, [sum of lengths, *]. */
    readonly data: Tensor,
    /** int32 [longest length]: the number of sequences with a step t. */
    readonly batchSizes: Tensor,
    sortedIndices: Tensor | null = null,
    unsortedIndices: Tensor | null = null,
  ) {
    const sizes = lengthList('PackedSequence', batchSizes);
    if (sizes.some((b, t) => b <= 0 || (t > 0 && b > sizes[t - 1]!)))
      throw new RangeError(
        `PackedSequence: batchSizes must be positive and non-increasing, got [${sizes.join(', ')}]`,
      );
    const total = sizes.reduce((a, b) => a + b, 0);
    if (data.ndim < 1 || data.shape[0] !== total)
      throw new RangeError(
        `PackedSequence: data must have sum(batchSizes) = ${total} rows, got shape [${data.shape.join(', ')}]`,
      );
    this.sortedIndices = sortedIndices;
    this.unsortedIndices =
      unsortedIndices ??
      (sortedIndices ? indices(invert(lengthList('PackedSequence', sortedIndices))) : null);
  }

  /** `batchSizes` as numbers. */
  sizes(): number[] {
    return this.batchSizes.toArray() as number[];
  }

  /** The number of sequences. */
  get batchSize(): number {
    return this.sizes()[0]!;
  }

  /** The same packing over other data (rows in the same order), as PyTorch's `_replace`. */
  withData(data: Tensor): PackedSequence {
    return new PackedSequence(data, this.batchSizes, this.sortedIndices, this.unsortedIndices);
  }
}

/**
 * Where a {@link PackedSequence} was packed from: the padded batch and the lengths that
 * {@link packPaddedSequence} was given, so that `packPaddedSequence(input, lengths, { batchFirst })`
 * gives the sequence's data again. An exporter reads it to run a recurrent layer on the padded
 * batch with per-sequence lengths (ONNX's `sequence_lens`) instead of on the packed rows, whose
 * count depends on the lengths' values.
 *
 * @example
 * ```ts
 * const lengths = tensor([2, 5], { dtype: 'int32' });
 * const packed = packPaddedSequence(x, lengths, { enforceSorted: false });
 * packedOrigin(packed)?.lengths === lengths; // true
 * ```
 */
export interface PackedOrigin {
  /** The padded batch as given: [L, N, *], or [N, L, *] with `batchFirst`. */
  readonly input: Tensor;
  /** The lengths as given, in the batch's order. */
  readonly lengths: Tensor | readonly number[];
  /** Whether `input` is [N, L, *]. */
  readonly batchFirst: boolean;
  /**
   * What {@link padPackedSequence} returns for this sequence instead of reading its data
   * (an exporter's own record of the unpacking; absent for the sequences this module packs).
   */
  readonly unpack?: (options: PadPackedSequenceOptions) => [Tensor, Tensor];
}

// Keyed by the sequence: `withData` makes a new PackedSequence, which has no origin.
const origins = new WeakMap<PackedSequence, PackedOrigin>();

/**
 * The padded batch and lengths `sequence` was packed from, or null when it was built otherwise
 * (from its parts, or by `withData`). See {@link PackedOrigin}.
 *
 * @example
 * ```ts
 * const origin = packedOrigin(packPaddedSequence(x, [3, 1]));
 * origin?.lengths; // [3, 1]
 * ```
 */
export function packedOrigin(sequence: PackedSequence): PackedOrigin | null {
  return origins.get(sequence) ?? null;
}

/**
 * Records where `sequence` was packed from (see {@link PackedOrigin}) and returns it. For
 * tracers that make packed sequences of their own, such as the ONNX exporter's recurrent layers.
 *
 * @example
 * ```ts
 * const out = withPackedOrigin(packed.withData(y), { input: padded, lengths, batchFirst: false });
 * ```
 */
export function withPackedOrigin(sequence: PackedSequence, origin: PackedOrigin): PackedSequence {
  if (!(sequence instanceof PackedSequence))
    throw new TypeError(
      `withPackedOrigin: sequence must be a PackedSequence, got ${describe(sequence)}`,
    );
  origins.set(sequence, origin);
  return sequence;
}

/** Options of {@link packPaddedSequence}. */
export interface PackPaddedSequenceOptions {
  /** The input is [N, L, *] instead of [L, N, *] (default false). */
  batchFirst?: boolean;
  /**
   * Require the lengths sorted longest first (default true, as PyTorch); false sorts the batch
   * and records the permutation in the result.
   */
  enforceSorted?: boolean;
}

/**
 * Packs a padded batch [L, N, *] ([N, L, *] with `batchFirst`) of sequences with the given
 * lengths: the inverse of {@link padPackedSequence}. Differentiable in `input`.
 *
 * @example
 * ```ts
 * const x = randn([5, 3, 8]); // 3 sequences, padded to 5 steps
 * const packed = packPaddedSequence(x, [5, 2, 4], { enforceSorted: false });
 * const [out, hN] = new GRU(8, 16).call(packed); // hN: each sequence's state at its length
 * ```
 */
export function packPaddedSequence(
  input: Tensor,
  lengths: Tensor | readonly number[],
  options: PackPaddedSequenceOptions = {},
): PackedSequence {
  const fn = 'packPaddedSequence';
  checkOptionsSchema(fn, options, { batchFirst: 'bool', enforceSorted: 'bool' }, {});
  if (!(input instanceof TensorClass))
    throw new TypeError(`${fn}: input must be a Tensor, got ${describe(input)}`);
  const lens = lengthList(fn, lengths);
  if (input.ndim < 2)
    throw new RangeError(
      `${fn}: input must have at least 2 dims ([L, N, *]), got shape [${input.shape.join(', ')}]`,
    );
  if (input.numel() === 0) throw new RangeError('Cannot pack empty tensors.');
  const batchFirst = options.batchFirst ?? false;
  const x = batchFirst ? input.transpose(0, 1) : input;
  const [steps, n] = x.shape as [number, number];
  if (lens.length !== n)
    throw new RangeError(
      `Expected \`len(lengths)\` to be equal to batch_size, but got ${lens.length} (batch_size=${n})`,
    );
  let order: number[] | null = null;
  if (options.enforceSorted ?? true) {
    if (lens.some((v, i) => i > 0 && v > lens[i - 1]!))
      throw new RangeError(
        '`lengths` array must be sorted in decreasing order when `enforceSorted` is true. ' +
          'You can pass `enforceSorted: false` to packPaddedSequence and/or packSequence to sidestep this requirement.',
      );
  } else {
    // Longest first; equal lengths keep their order (a stable sort, as PyTorch's on CPU).
    order = lens.map((_, i) => i).sort((a, b) => lens[b]! - lens[a]!);
  }
  const sorted = order ? order.map((i) => lens[i]!) : lens;
  if (sorted[n - 1]! <= 0)
    throw new RangeError(
      "Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0",
    );
  if (sorted[0]! > steps)
    throw new RangeError(
      `${fn}: a length of ${sorted[0]} is longer than the input's ${steps} steps`,
    );
  const xs = order ? x.indexSelect(1, indices(order)) : x;
  const batchSizes: number[] = [];
  for (let t = 0; t < sorted[0]!; t++) batchSizes.push(sorted.filter((v) => v > t).length);
  const data = cat(
    batchSizes.map((b, t) => xs.select(0, t).narrow(0, 0, b)),
    0,
  );
  const packed = new PackedSequence(data, indices(batchSizes), order ? indices(order) : null);
  // The lengths as given (a Tensor stays the traced one); an array is copied.
  const given = lengths instanceof TensorClass ? lengths : lens;
  return withPackedOrigin(packed, { input, lengths: given, batchFirst });
}

/** Options of {@link padPackedSequence}. */
export interface PadPackedSequenceOptions {
  /** Return [N, L, *] instead of [L, N, *] (default false). */
  batchFirst?: boolean;
  /** The value of the padding (default 0). */
  paddingValue?: number;
  /** Pad to this many steps instead of the longest length (default: the longest). */
  totalLength?: number | null;
}

/**
 * Unpacks a {@link PackedSequence} into a padded batch [L, N, *] ([N, L, *] with
 * `batchFirst`) in the original batch order, and the lengths (int32). Differentiable in the
 * packed data.
 *
 * @example
 * ```ts
 * const [out] = lstm.call(packPaddedSequence(x, lengths, { enforceSorted: false }));
 * const [padded, lens] = padPackedSequence(out, { batchFirst: true });
 * ```
 */
export function padPackedSequence(
  sequence: PackedSequence,
  options: PadPackedSequenceOptions = {},
): [Tensor, Tensor] {
  const fn = 'padPackedSequence';
  checkOptionsSchema(
    fn,
    options,
    { batchFirst: 'bool', paddingValue: 'number', totalLength: 'int|null' },
    {},
  );
  if (!(sequence instanceof PackedSequence))
    throw new TypeError(`${fn}: sequence must be a PackedSequence, got ${describe(sequence)}`);
  const unpack = packedOrigin(sequence)?.unpack;
  if (unpack) return unpack(options);
  const sizes = sequence.sizes();
  const steps = sizes.length;
  const total = options.totalLength ?? steps;
  if (total < steps)
    throw new RangeError(
      `Expected total_length to be at least the length of the longest sequence in input, but got total_length=${total} and max sequence length being ${steps}`,
    );
  const { data } = sequence;
  const n = sizes[0]!;
  const rest = data.shape.slice(1);
  const value = options.paddingValue ?? 0;
  const padding = (rows: number): Tensor => full([rows, ...rest], value, { dtype: data.dtype });
  let offset = 0;
  const rows = sizes.map((b) => {
    const step = data.narrow(0, offset, b);
    offset += b;
    return b === n ? step : cat([step, padding(n - b)], 0);
  });
  for (let t = steps; t < total; t++) rows.push(padding(n));
  let padded = stack(rows, 0);
  let lens = Array.from({ length: n }, (_, i) => sizes.filter((b) => b > i).length);
  if (sequence.unsortedIndices) {
    padded = padded.indexSelect(1, sequence.unsortedIndices);
    const un = sequence.unsortedIndices.toArray() as number[];
    lens = un.map((k) => lens[k]!);
  }
  return [options.batchFirst ? padded.transpose(0, 1) : padded, indices(lens)];
}

/** Options of {@link padSequence}. */
export interface PadSequenceOptions {
  /** Return [N, L, *] instead of [L, N, *] (default false). */
  batchFirst?: boolean;
  /** The value of the padding (default 0). */
  paddingValue?: number;
}

/**
 * Pads a list of sequences [L_i, *] to the longest and stacks them: [L, N, *] ([N, L, *] with
 * `batchFirst`). Differentiable in each sequence.
 *
 * @example
 * ```ts
 * padSequence([randn([4, 2]), randn([2, 2])], { batchFirst: true }).shape; // [2, 4, 2]
 * ```
 */
export function padSequence(
  sequences: readonly Tensor[],
  options: PadSequenceOptions = {},
): Tensor {
  const fn = 'padSequence';
  checkOptionsSchema(fn, options, { batchFirst: 'bool', paddingValue: 'number' }, {});
  const list = checkSequences(fn, sequences);
  const longest = Math.max(...list.map((s) => s.shape[0]!));
  const value = options.paddingValue ?? 0;
  const padded = list.map((s) => {
    const missing = longest - s.shape[0]!;
    if (missing === 0) return s;
    return cat([s, full([missing, ...s.shape.slice(1)], value, { dtype: s.dtype })], 0);
  });
  return stack(padded, options.batchFirst ? 0 : 1);
}

function checkSequences(fn: string, sequences: readonly Tensor[]): Tensor[] {
  if (!Array.isArray(sequences) || sequences.length === 0)
    throw new TypeError(`${fn}: sequences must be a non-empty array of Tensors`);
  const list = sequences as Tensor[];
  list.forEach((s, i) => {
    if (!(s instanceof TensorClass))
      throw new TypeError(`${fn}: sequence ${i} must be a Tensor, got ${describe(s)}`);
    if (s.ndim < 1) throw new RangeError(`${fn}: sequence ${i} is a 0-d tensor, not a sequence`);
    const a = s.shape.slice(1).join(', ');
    const b = list[0]!.shape.slice(1).join(', ');
    if (a !== b || s.dtype !== list[0]!.dtype)
      throw new RangeError(
        `${fn}: sequence ${i} is ${s.dtype} [*, ${a}], but sequence 0 is ${list[0]!.dtype} [*, ${b}]: the trailing dims and dtypes must match`,
      );
  });
  return list;
}

/** Options of {@link packSequence}. */
export interface PackSequenceOptions {
  /** Require the sequences sorted longest first (default true, as PyTorch). */
  enforceSorted?: boolean;
}

/**
 * Packs a list of sequences [L_i, *]: `packPaddedSequence(padSequence(sequences), lengths)`.
 *
 * @example
 * ```ts
 * const packed = packSequence([randn([2, 3]), randn([5, 3])], { enforceSorted: false });
 * ```
 */
export function packSequence(
  sequences: readonly Tensor[],
  options: PackSequenceOptions = {},
): PackedSequence {
  checkOptionsSchema('packSequence', options, { enforceSorted: 'bool' }, {});
  const list = checkSequences('packSequence', sequences);
  return packPaddedSequence(
    padSequence(list),
    list.map((s) => s.shape[0]!),
    options,
  );
}
