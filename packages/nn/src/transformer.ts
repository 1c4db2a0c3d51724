/**
 * Transformer encoder and decoder layers and stacks (PyTorch's `nn.TransformerEncoderLayer`,
 * `nn.TransformerEncoder`, `nn.TransformerDecoderLayer`, `nn.TransformerDecoder`), with PyTorch's
 * parameter names, defaults (dimFeedforward 2048, dropout 0.1, relu, post-norm) and
 * initialisation order, and multi-head attention (`nn.MultiheadAttention`) they are built on.
 *
 * `@gd/nn/transformer` is an entry point of its own, so that a page without attention does not
 * load it. The functional forms (`F.scaledDotProductAttention`,
 * `F.generateSquareSubsequentMask`) are in `@gd/nn`'s `F`.
 *
 * @example
 * ```ts
 * import { randn } from '@gd/autograd';
 * import { MultiheadAttention, TransformerEncoderLayer } from '@gd/nn/transformer';
 *
 * const layer = new TransformerEncoderLayer(32, 4, { dimFeedforward: 64, batchFirst: true });
 * console.log(layer.call(randn([2, 10, 32])).shape); // [2, 10, 32]
 * const mha = new MultiheadAttention(32, 4, { batchFirst: true });
 * const x = randn([2, 10, 32]);
 * const [attended] = mha.call(x, x, x);
 * console.log(attended.shape); // [2, 10, 32]
 * ```
 *
 * @packageDocumentation
 */
import type { DType, Tensor } from '@gd/autograd';
import { Tensor as TensorClass } from '@gd/autograd';
import { Dropout } from './activation.js';
import { MultiheadAttention } from './attention.js';
import { ModuleList } from './container.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { LayerNorm } from './normalization.js';
import { Parameter } from './parameter.js';

export { MultiheadAttention } from './attention.js';
export type { MultiheadAttentionForwardOptions, MultiheadAttentionOptions } from './attention.js';

/** Options of the transformer layers (PyTorch's keyword arguments, camelCase). */
export interface TransformerLayerOptions {
  /** Width of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block (default 0.1). */
  dropout?: number;
  /** Activation of the feed-forward block: 'relu' (default), 'gelu' or a function. */
  activation?: 'relu' | 'gelu' | ((x: Tensor) => Tensor);
  /** LayerNorm's eps (default 1e-5). */
  layerNormEps?: number;
  /** Inputs and outputs as [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
  /** Normalise before each block (pre-norm) instead of after the residual (default false). */
  normFirst?: boolean;
  /**
   * Biases in the linear layers and LayerNorms (default true). As PyTorch's `bias` (2.1 on),
   * false leaves out linear1's and linear2's biases, every attention's `in_proj_bias` and
   * `out_proj.bias`, and the LayerNorms' biases (their weights stay).
   */
  bias?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

/** Masks of {@link TransformerEncoderLayer.forward}. */
export interface TransformerEncoderForwardOptions {
  /** [L, L] or [N·heads, L, L] attention mask (bool: true = may not attend; float: added). */
  srcMask?: Tensor | null;
  /** Shape [N, L]; true marks padding. */
  srcKeyPaddingMask?: Tensor | null;
}

/** Masks of {@link TransformerEncoder.forward} (PyTorch's names: `mask` for the whole stack). */
export interface TransformerEncoderStackOptions {
  /** [L, L] or [N·heads, L, L] attention mask, given to every layer as its srcMask. */
  mask?: Tensor | null;
  /** Shape [N, L]; true marks padding. */
  srcKeyPaddingMask?: Tensor | null;
}

/** Masks of {@link TransformerDecoderLayer.forward} and {@link TransformerDecoder.forward}. */
export interface TransformerDecoderForwardOptions {
  /** [T, T] or [N·heads, T, T] mask of the self-attention (a causal mask for generation). */
  tgtMask?: Tensor | null;
  /** [T, S] or [N·heads, T, S] mask of the attention over the memory. */
  memoryMask?: Tensor | null;
  /** Shape [N, T]; true marks padding in the target. */
  tgtKeyPaddingMask?: Tensor | null;
  /** Shape [N, S]; true marks padding in the memory. */
  memoryKeyPaddingMask?: Tensor | null;
}

function activationFn(a: TransformerLayerOptions['activation']): (x: Tensor) => Tensor {
  if (a === undefined || a === 'relu') return (x) => x.relu();
  if (a === 'gelu') return (x) => x.gelu();
  if (typeof a === 'function') return a;
  throw new RangeError(`activation should be relu/gelu, not ${String(a)}`);
}

/** The pieces every transformer layer has: self-attention, feed-forward, norms and dropouts. */
abstract class TransformerLayerBase<In extends unknown[]> extends Module<In, Tensor> {
  /** Attention of the sequence over itself. */
  readonly self_attn: MultiheadAttention;
  /**
   * Whether LayerNorm comes before each block (pre-norm) instead of after the residual sum (default
   * false).
   */
  readonly normFirst: boolean;
  protected readonly act: (x: Tensor) => Tensor;

  protected constructor(
    /** Features of the tokens. */
    readonly dModel: number,
    /** Attention heads. */
    readonly nhead: number,
    protected readonly options: TransformerLayerOptions,
  ) {
    super();
    const bias = options.bias ?? true;
    const dtype = options.dtype ?? 'float32';
    this.self_attn = new MultiheadAttention(dModel, nhead, {
      dropout: options.dropout ?? 0.1,
      bias,
      batchFirst: options.batchFirst ?? false,
      dtype,
    });
    this.normFirst = options.normFirst ?? false;
    this.act = activationFn(options.activation);
  }

  protected ffOptions(): { bias: boolean; dtype: DType } {
    return { bias: this.options.bias ?? true, dtype: this.options.dtype ?? 'float32' };
  }

  protected norm(): LayerNorm {
    const { bias, dtype } = this.ffOptions();
    return new LayerNorm(this.dModel, { eps: this.options.layerNormEps ?? 1e-5, bias, dtype });
  }

  override extraRepr(): string {
    return `dModel=${this.dModel}, nhead=${this.nhead}${this.normFirst ? ', normFirst=true' : ''}`;
  }
}

/**
 * Self-attention then a feed-forward block, each with a residual connection and LayerNorm
 * (after the residual, or before the block with `normFirst`).
 *
 * @example
 * ```ts
 * const layer = new TransformerEncoderLayer(64, 4, { dimFeedforward: 128, batchFirst: true });
 * layer.call(randn([8, 16, 64])).shape; // [8, 16, 64]
 * ```
 */
export class TransformerEncoderLayer extends TransformerLayerBase<
  [Tensor, TransformerEncoderForwardOptions?]
> {
  /** First layer of the feed-forward block, dModel -> dimFeedforward. */
  readonly linear1: Linear;
  /** Dropout inside the feed-forward block. */
  readonly dropout: Dropout;
  /** Second layer of the feed-forward block, dimFeedforward -> dModel. */
  readonly linear2: Linear;
  /** The LayerNorm of the self-attention block. */
  readonly norm1: LayerNorm;
  /** The LayerNorm of the feed-forward block. */
  readonly norm2: LayerNorm;
  /** Dropout on the self-attention block's output. */
  readonly dropout1: Dropout;
  /** Dropout on the feed-forward block's output. */
  readonly dropout2: Dropout;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super(dModel, nhead, options);
    const ff = options.dimFeedforward ?? 2048;
    const p = options.dropout ?? 0.1;
    const { bias, dtype } = this.ffOptions();
    this.linear1 = new Linear(dModel, ff, bias, { dtype });
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(ff, dModel, bias, { dtype });
    this.norm1 = this.norm();
    this.norm2 = this.norm();
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
  }

  forward(src: Tensor, options: TransformerEncoderForwardOptions = {}): Tensor {
    const sa = (x: Tensor): Tensor =>
      this.dropout1.call(
        this.self_attn.call(x, x, x, {
          attnMask: options.srcMask ?? null,
          keyPaddingMask: options.srcKeyPaddingMask ?? null,
          needWeights: false,
        })[0],
      );
    const ff = (x: Tensor): Tensor =>
      this.dropout2.call(this.linear2.call(this.dropout.call(this.act(this.linear1.call(x)))));
    let x = src;
    if (this.normFirst) {
      x = x.add(sa(this.norm1.call(x)));
      return x.add(ff(this.norm2.call(x)));
    }
    x = this.norm1.call(x.add(sa(x)));
    return this.norm2.call(x.add(ff(x)));
  }
}

/**
 * Self-attention, attention over the encoder's output (memory), then a feed-forward block,
 * each with a residual connection and LayerNorm.
 *
 * @example
 * ```ts
 * const layer = new TransformerDecoderLayer(64, 4, { dimFeedforward: 128 });
 * layer.call(randn([10, 2, 64]), randn([12, 2, 64])).shape; // [10, 2, 64]
 * ```
 */
export class TransformerDecoderLayer extends TransformerLayerBase<
  [Tensor, Tensor, TransformerDecoderForwardOptions?]
> {
  /** Attention of the target over the memory (the encoder's output). */
  readonly multihead_attn: MultiheadAttention;
  /** First layer of the feed-forward block, dModel -> dimFeedforward. */
  readonly linear1: Linear;
  /** Dropout inside the feed-forward block. */
  readonly dropout: Dropout;
  /** Second layer of the feed-forward block, dimFeedforward -> dModel. */
  readonly linear2: Linear;
  /** The LayerNorm of the self-attention block. */
  readonly norm1: LayerNorm;
  /** The LayerNorm of the attention over the memory. */
  readonly norm2: LayerNorm;
  /** The LayerNorm of the feed-forward block. */
  readonly norm3: LayerNorm;
  /** Dropout on the self-attention block's output. */
  readonly dropout1: Dropout;
  /** Dropout on the memory-attention block's output. */
  readonly dropout2: Dropout;
  /** Dropout on the feed-forward block's output. */
  readonly dropout3: Dropout;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super(dModel, nhead, options);
    const ff = options.dimFeedforward ?? 2048;
    const p = options.dropout ?? 0.1;
    const { bias, dtype } = this.ffOptions();
    this.multihead_attn = new MultiheadAttention(dModel, nhead, {
      dropout: p,
      bias,
      batchFirst: options.batchFirst ?? false,
      dtype,
    });
    this.linear1 = new Linear(dModel, ff, bias, { dtype });
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(ff, dModel, bias, { dtype });
    this.norm1 = this.norm();
    this.norm2 = this.norm();
    this.norm3 = this.norm();
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    this.dropout3 = new Dropout(p);
  }

  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderForwardOptions = {}): Tensor {
    const sa = (x: Tensor): Tensor =>
      this.dropout1.call(
        this.self_attn.call(x, x, x, {
          attnMask: options.tgtMask ?? null,
          keyPaddingMask: options.tgtKeyPaddingMask ?? null,
          needWeights: false,
        })[0],
      );
    const mha = (x: Tensor): Tensor =>
      this.dropout2.call(
        this.multihead_attn.call(x, memory, memory, {
          attnMask: options.memoryMask ?? null,
          keyPaddingMask: options.memoryKeyPaddingMask ?? null,
          needWeights: false,
        })[0],
      );
    const ff = (x: Tensor): Tensor =>
      this.dropout3.call(this.linear2.call(this.dropout.call(this.act(this.linear1.call(x)))));
    let x = tgt;
    if (this.normFirst) {
      x = x.add(sa(this.norm1.call(x)));
      x = x.add(mha(this.norm2.call(x)));
      return x.add(ff(this.norm3.call(x)));
    }
    x = this.norm1.call(x.add(sa(x)));
    x = this.norm2.call(x.add(mha(x)));
    return this.norm3.call(x.add(ff(x)));
  }
}

/**
 * A deep copy of a module: its parameters and buffers cloned, its children copied (PyTorch's
 * `copy.deepcopy`, which `nn.TransformerEncoder` uses to stack copies of one layer).
 *
 * @example
 * ```ts
 * const copy = cloneModule(layer); // same weights, separate storage
 * ```
 */
export function cloneModule<M extends Module<never[], unknown>>(module: M): M {
  const copy = Object.create(Object.getPrototypeOf(module) as object) as Record<
    PropertyKey,
    unknown
  >;
  const src = module as unknown as Record<PropertyKey, unknown>;
  for (const key of Reflect.ownKeys(module)) {
    const v = src[key];
    if (v instanceof Parameter) copy[key] = new Parameter(v.detach().clone(), v.requiresGrad);
    else if (v instanceof TensorClass) copy[key] = v.detach().clone();
    else if (v instanceof Module) copy[key] = cloneModule(v as Module<never[], unknown>);
    else if (v instanceof Map) copy[key] = new Map(v);
    else copy[key] = v;
  }
  return copy as unknown as M;
}

/**
 * `numLayers` copies of an encoder layer (same initial weights, as PyTorch's deep copies),
 * then an optional final norm. Parameters are named `layers.0.self_attn.in_proj_weight`, ...
 *
 * @example
 * ```ts
 * const layer = new TransformerEncoderLayer(64, 4, { dimFeedforward: 128, batchFirst: true });
 * const encoder = new TransformerEncoder(layer, 2);
 * encoder.call(randn([8, 16, 64])).shape; // [8, 16, 64]
 * ```
 */
export class TransformerEncoder extends Module<[Tensor, TransformerEncoderStackOptions?], Tensor> {
  /** numLayers copies of the layer given (deep copies, each with its own parameters). */
  readonly layers: ModuleList<TransformerEncoderLayer>;
  /** A LayerNorm applied to the last layer's output, or null. */
  readonly norm: LayerNorm | null;
  constructor(
    encoderLayer: TransformerEncoderLayer,
    /** Layers in the stack. */
    readonly numLayers: number,
    norm: LayerNorm | null = null,
  ) {
    super();
    if (!Number.isInteger(numLayers) || numLayers < 0)
      throw new RangeError(`numLayers must be a non-negative integer, got ${numLayers}`);
    const copies = Array.from({ length: numLayers }, () =>
      cloneModule(encoderLayer as unknown as Module<never[], unknown>),
    ) as unknown as TransformerEncoderLayer[];
    this.layers = new ModuleList(
      copies as unknown as Module<never[], unknown>[],
    ) as unknown as ModuleList<TransformerEncoderLayer>;
    this.norm = norm;
  }

  forward(src: Tensor, options: TransformerEncoderStackOptions = {}): Tensor {
    const layerOptions = {
      srcMask: options.mask ?? null,
      srcKeyPaddingMask: options.srcKeyPaddingMask ?? null,
    };
    let x = src;
    for (const layer of this.layers.children())
      x = (layer as unknown as TransformerEncoderLayer).call(x, layerOptions);
    return this.norm ? this.norm.call(x) : x;
  }
}

/**
 * `numLayers` copies of a decoder layer, then an optional final norm.
 *
 * @example
 * ```ts
 * const decoder = new TransformerDecoder(new TransformerDecoderLayer(64, 4), 2);
 * decoder.call(randn([10, 2, 64]), memory).shape; // [10, 2, 64]
 * ```
 */
export class TransformerDecoder extends Module<
  [Tensor, Tensor, TransformerDecoderForwardOptions?],
  Tensor
> {
  /** numLayers copies of the layer given (deep copies, each with its own parameters). */
  readonly layers: ModuleList<TransformerDecoderLayer>;
  /** A LayerNorm applied to the last layer's output, or null. */
  readonly norm: LayerNorm | null;
  constructor(
    decoderLayer: TransformerDecoderLayer,
    /** Layers in the stack. */
    readonly numLayers: number,
    norm: LayerNorm | null = null,
  ) {
    super();
    if (!Number.isInteger(numLayers) || numLayers < 0)
      throw new RangeError(`numLayers must be a non-negative integer, got ${numLayers}`);
    const copies = Array.from({ length: numLayers }, () =>
      cloneModule(decoderLayer as unknown as Module<never[], unknown>),
    );
    this.layers = new ModuleList(copies) as unknown as ModuleList<TransformerDecoderLayer>;
    this.norm = norm;
  }

  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderForwardOptions = {}): Tensor {
    let x = tgt;
    for (const layer of this.layers.children())
      x = (layer as unknown as TransformerDecoderLayer).call(x, memory, options);
    return this.norm ? this.norm.call(x) : x;
  }
}
