/** The embedding layer (PyTorch's `nn.Embedding`). */
import { formatShape, shapesEqual } from '@gd/tensor';
import type { DType, Tensor } from '@gd/autograd';
import { noGrad } from '@gd/autograd';
import { embedding, resolvePaddingIdx } from './functional/embedding.js';
import { emptyParameter, fillNormal } from './layer-init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { checkLayerArgs, checkSizes } from './checks.js';

/** Options of {@link Embedding}. */
export interface EmbeddingOptions {
  /** Row that gets no gradient and starts at zero (negative counts from the end). */
  paddingIdx?: number | null;
  /** Looked-up rows with a `normType`-norm above `maxNorm` are rescaled in place to `maxNorm`. */
  maxNorm?: number | null;
  /** The p of the norm compared with `maxNorm` (default 2). */
  normType?: number;
  /** dtype of the weight (default float32). */
  dtype?: DType;
  /**
   * Use this [numEmbeddings, embeddingDim] tensor as the weight (sharing its storage) instead
   * of drawing one (PyTorch's `_weight`); the padding row is then left as given.
   */
  weight?: Tensor;
}

/** Options of {@link Embedding.fromPretrained}. */
export interface FromPretrainedOptions {
  /** Keep the weight fixed (requiresGrad false; default true). */
  freeze?: boolean;
  /** The row whose gradient stays zero (default none). */
  paddingIdx?: number | null;
  /** Rows looked up are renormalised to at most this norm (default none). */
  maxNorm?: number | null;
  /** The p of the p-norm for maxNorm (default 2). */
  normType?: number;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`: int32 indices of any shape
 * [*] give [*, embeddingDim]. The weight starts N(0, 1) drawn from the global seeded generator
 * (the same as `nn.Embedding` after the same `manualSeed`), with the `paddingIdx` row zeroed;
 * that row's gradient stays zero.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const emb = new Embedding(10, 3, { paddingIdx: 0 });
 * emb.call(tensor([[1, 2, 0]], { dtype: 'int32' })).shape; // [1, 3, 3]
 * String(emb); // 'Embedding(10, 3, paddingIdx=0)'
 * ```
 */
export class Embedding extends Module {
  /** Rows of the table (valid indices are 0 to numEmbeddings - 1). */
  declare readonly numEmbeddings: number;
  /** Length of each row. */
  declare readonly embeddingDim: number;
  /** The row that gets no gradient (initialised to zeros), or null. */
  declare readonly paddingIdx: number | null;
  /** Rows looked up are renormalised in place to at most this norm, or null. */
  declare readonly maxNorm: number | null;
  /** The p of the p-norm for maxNorm. */
  declare readonly normType: number;
  /** The table, [numEmbeddings, embeddingDim], initialised from N(0, 1). */
  declare readonly weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    checkLayerArgs('Embedding', [numEmbeddings, embeddingDim, options]);
    checkSizes('Embedding', { numEmbeddings, embeddingDim });
    this.paddingIdx = resolvePaddingIdx(options.paddingIdx, numEmbeddings);
    this.maxNorm = options.maxNorm ?? null;
    this.normType = options.normType ?? 2;
    if (options.weight) {
      const w = options.weight;
      if (!shapesEqual(w.shape, [numEmbeddings, embeddingDim])) {
        throw new RangeError(
          `Shape of weight does not match num_embeddings and embedding_dim: got ${formatShape(w.shape)}, expected [${numEmbeddings}, ${embeddingDim}]`,
        );
      }
      this.weight = new Parameter(w);
    } else {
      this.weight = emptyParameter([numEmbeddings, embeddingDim], options.dtype);
      this.resetParameters();
    }
  }

  /**
   * An Embedding whose weight is `embeddings` ([numEmbeddings, embeddingDim], storage shared),
   * frozen unless `freeze: false`.
   *
   * @example
   * ```ts
   * const emb = Embedding.fromPretrained(tensor([[1, 2.3, 3], [4, 5.1, 6.3]]));
   * emb.call(tensor([1], { dtype: 'int32' })); // [[4, 5.1, 6.3]]
   * emb.weight.requiresGrad; // false
   * ```
   */
  static fromPretrained(embeddings: Tensor, options: FromPretrainedOptions = {}): Embedding {
    if (embeddings.ndim !== 2)
      throw new RangeError('Embeddings parameter is expected to be 2-dimensional');
    const [rows, cols] = embeddings.shape as [number, number];
    const emb = new Embedding(rows, cols, {
      weight: embeddings,
      paddingIdx: options.paddingIdx ?? null,
      maxNorm: options.maxNorm ?? null,
      normType: options.normType,
    });
    emb.weight.requiresGrad_(!(options.freeze ?? true));
    return emb;
  }

  /** Re-draws the weight from N(0, 1) and zeroes the padding row. */
  resetParameters(): void {
    fillNormal(this.weight, 0, 1);
    if (this.paddingIdx !== null) {
      const row = this.paddingIdx;
      noGrad(() => this.weight.select(0, row).fill_(0));
    }
  }

  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, {
      paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm,
      normType: this.normType,
    });
  }

  /** `10, 3`, then paddingIdx, maxNorm and normType where set. */
  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, paddingIdx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, maxNorm=${this.maxNorm}`;
    if (this.normType !== 2) s += `, normType=${this.normType}`;
    return s;
  }
}
