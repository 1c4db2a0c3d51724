/** Multi-head attention (PyTorch's `nn.MultiheadAttention`). */
import type { DType, Tensor } from '@gd/autograd';
import { empty, zeros } from '@gd/autograd';
import { dropout, linear } from './functional/activation.js';
import { pad } from './functional/pad.js';
import { constant_, xavierNormal_, xavierUniform_ } from './init.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of {@link MultiheadAttention} (PyTorch's keyword arguments, camelCase). */
export interface MultiheadAttentionOptions {
  /** Dropout on the attention weights while training (default 0). */
  dropout?: number;
  /** Whether to learn in_proj_bias and out_proj.bias (default true). */
  bias?: boolean;
  /** Features of the keys (default embedDim); unequal sizes give separate q/k/v weights. */
  kdim?: number;
  /** Features of the values (default embedDim). */
  vdim?: number;
  /** Inputs and output as [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
  /** Learn a bias row appended to the keys and values (`bias_k`, `bias_v`; default false). */
  addBiasKv?: boolean;
  /** Append a zero row to the keys and values of every head (default false). */
  addZeroAttn?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

/** Options of {@link MultiheadAttention.forward}. */
export interface MultiheadAttentionForwardOptions {
  /** [N, S] (or [S] unbatched): true (or -inf) marks a padding key to ignore. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights too (default true). */
  needWeights?: boolean;
  /** [L, S] or [N·heads, L, S]: a bool mask (true = may NOT attend) or a float mask added. */
  attnMask?: Tensor | null;
  /** Average the returned weights over the heads (default true). */
  averageAttnWeights?: boolean;
}

/** A bool mask as the float mask PyTorch derives from it (-inf where true); floats as they are. */
function floatMask(mask: Tensor, dtype: DType): Tensor {
  return mask.dtype === 'bool' ? zeros(mask.shape, { dtype }).maskedFill(mask, -Infinity) : mask;
}

/**
 * Attention with `numHeads` heads over embedDim features, with PyTorch's parameters:
 * `in_proj_weight` [3E, E] (q, k and v stacked, as PyTorch stores them), `in_proj_bias` [3E],
 * and `out_proj` (a Linear); or `q_proj_weight`, `k_proj_weight`, `v_proj_weight` when kdim or
 * vdim differ from embedDim. Initialised as PyTorch does (out_proj's Linear draws first, then
 * Xavier-uniform in-projection, zero biases). Returns [output, weights or null].
 *
 * @example
 * ```ts
 * const mha = new MultiheadAttention(16, 4, { batchFirst: true });
 * const x = randn([2, 5, 16]);
 * const [out, weights] = mha.call(x, x, x); // [2, 5, 16], [2, 5, 5] (averaged over heads)
 * ```
 */
export class MultiheadAttention extends Module<
  [Tensor, Tensor, Tensor, MultiheadAttentionForwardOptions?],
  [Tensor, Tensor | null]
> {
  /** Features per head: embedDim / numHeads. */
  readonly headDim: number;
  /** Features of the keys (default embedDim). */
  readonly kdim: number;
  /** Features of the values (default embedDim). */
  readonly vdim: number;
  /** Dropout probability on the attention weights in training. */
  readonly dropout: number;
  /** Inputs and outputs are [N, L, E] (true) or [L, N, E] (false, the default). */
  readonly batchFirst: boolean;
  /**
   * The stacked query, key and value projections, [3·embedDim, embedDim], when kdim and vdim equal
   * embedDim; else null.
   */
  readonly in_proj_weight: Parameter | null;
  /**
   * The query projection [embedDim, embedDim] when kdim or vdim differ from embedDim; else null.
   */
  readonly q_proj_weight: Parameter | null;
  /** The key projection [embedDim, kdim] when kdim or vdim differ from embedDim; else null. */
  readonly k_proj_weight: Parameter | null;
  /** The value projection [embedDim, vdim] when kdim or vdim differ from embedDim; else null. */
  readonly v_proj_weight: Parameter | null;
  /** The stacked query, key and value biases [3·embedDim], or null without `bias`. */
  readonly in_proj_bias: Parameter | null;
  /** [1, 1, E] rows appended to the keys and values (addBiasKv), else null. */
  readonly bias_k: Parameter | null;
  /** See {@link MultiheadAttention.bias_k}. */
  readonly bias_v: Parameter | null;
  /** Whether a row of zeros is appended to the keys and values. */
  readonly addZeroAttn: boolean;
  /** The output projection [embedDim -> embedDim]. */
  readonly out_proj: Linear;

  constructor(
    /** Features of the queries and of the output. */
    readonly embedDim: number,
    /** Parallel attention heads; must divide embedDim. */
    readonly numHeads: number,
    options: MultiheadAttentionOptions = {},
  ) {
    super();
    if (
      !Number.isInteger(embedDim) ||
      embedDim <= 0 ||
      !Number.isInteger(numHeads) ||
      numHeads <= 0
    )
      throw new RangeError(
        `embedDim and numHeads must be greater than 0, got embedDim=${embedDim} and numHeads=${numHeads} instead`,
      );
    if (embedDim % numHeads !== 0) throw new RangeError('embedDim must be divisible by numHeads');
    this.headDim = embedDim / numHeads;
    this.kdim = options.kdim ?? embedDim;
    this.vdim = options.vdim ?? embedDim;
    this.dropout = options.dropout ?? 0;
    this.batchFirst = options.batchFirst ?? false;
    const dtype = options.dtype ?? 'float32';
    const bias = options.bias ?? true;
    const packed = this.kdim === embedDim && this.vdim === embedDim;
    const p = (shape: number[]): Parameter => new Parameter(empty(shape, { dtype }));
    this.in_proj_weight = packed ? p([3 * embedDim, embedDim]) : null;
    this.q_proj_weight = packed ? null : p([embedDim, embedDim]);
    this.k_proj_weight = packed ? null : p([embedDim, this.kdim]);
    this.v_proj_weight = packed ? null : p([embedDim, this.vdim]);
    this.in_proj_bias = bias ? p([3 * embedDim]) : null;
    this.out_proj = new Linear(embedDim, embedDim, bias, { dtype });
    this.bias_k = options.addBiasKv ? p([1, 1, embedDim]) : null;
    this.bias_v = options.addBiasKv ? p([1, 1, embedDim]) : null;
    this.addZeroAttn = options.addZeroAttn ?? false;
    this.resetParameters();
  }

  /**
   * PyTorch's `_reset_parameters`: Xavier-uniform in-projection, zero biases, Xavier-normal
   * bias_k and bias_v.
   */
  resetParameters(): void {
    if (this.in_proj_weight) xavierUniform_(this.in_proj_weight);
    else
      for (const w of [this.q_proj_weight, this.k_proj_weight, this.v_proj_weight])
        xavierUniform_(w!);
    if (this.in_proj_bias) constant_(this.in_proj_bias, 0);
    if (this.out_proj.bias) constant_(this.out_proj.bias, 0);
    if (this.bias_k) xavierNormal_(this.bias_k);
    if (this.bias_v) xavierNormal_(this.bias_v);
  }

  /**
   * Keys and values [N, S, E] with bias_k / bias_v appended as one more position. Padding and
   * a broadcast add (not an expand to the batch size) keep an ONNX export's batch dynamic.
   */
  private withBiasKv(k: Tensor, v: Tensor): [Tensor, Tensor] {
    if (!this.bias_k || !this.bias_v) return [k, v];
    const s = k.shape[1]!;
    const append = (t: Tensor, row: Tensor): Tensor =>
      pad(t, [0, 0, 0, 1]).add(pad(row, [0, 0, s, 0]));
    return [append(k, this.bias_k), append(v, this.bias_v)];
  }

  /** Per-head keys and values [N, H, S, hd] with a zero position appended (addZeroAttn). */
  private withZeroAttn(k: Tensor, v: Tensor): [Tensor, Tensor] {
    if (!this.addZeroAttn) return [k, v];
    return [pad(k, [0, 0, 0, 1]), pad(v, [0, 0, 0, 1])];
  }

  /** The q, k and v projection weights (views of in_proj_weight when packed). */
  private projections(): [Tensor, Tensor, Tensor] {
    const e = this.embedDim;
    if (this.in_proj_weight)
      return [0, 1, 2].map((i) => this.in_proj_weight!.narrow(0, i * e, e)) as [
        Tensor,
        Tensor,
        Tensor,
      ];
    return [this.q_proj_weight!, this.k_proj_weight!, this.v_proj_weight!];
  }

  forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    options: MultiheadAttentionForwardOptions = {},
  ): [Tensor, Tensor | null] {
    const { needWeights = true, averageAttnWeights = true } = options;
    const batched = query.ndim === 3;
    if (!batched && query.ndim !== 2)
      throw new RangeError(
        `query should be unbatched 2D or batched 3D tensor but received ${query.ndim}-D query tensor`,
      );
    if (key.ndim !== query.ndim || value.ndim !== query.ndim)
      throw new RangeError(
        `For ${batched ? 'batched (3-D)' : 'unbatched (2-D)'} \`query\`, expected \`key\` and \`value\` to be ${query.ndim}-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`,
      );
    // Computed batch first, [N, L, E], with -1 for the batch in every reshape, so that the
    // ONNX export keeps a dynamic batch.
    const toBatchFirst = (t: Tensor): Tensor =>
      batched ? (this.batchFirst ? t : t.transpose(0, 1)) : t.unsqueeze(0);
    const q0 = toBatchFirst(query);
    const k0 = toBatchFirst(key);
    const v0 = toBatchFirst(value);
    const [n, l, e] = q0.shape as [number, number, number];
    const s = k0.shape[1]!;
    const h = this.numHeads;
    const hd = this.headDim;
    if (e !== this.embedDim)
      throw new RangeError(`was expecting embedding dimension of ${this.embedDim}, but got ${e}`);
    if (
      k0.shape[2] !== this.kdim ||
      v0.shape[2] !== this.vdim ||
      v0.shape[1] !== s ||
      k0.shape[0] !== n ||
      v0.shape[0] !== n
    )
      throw new RangeError(
        `key shape [${key.shape.join(', ')}] or value shape [${value.shape.join(', ')}] does not match kdim=${this.kdim}, vdim=${this.vdim} and the query's batch`,
      );
    const [wq, wk, wv] = this.projections();
    const b = this.in_proj_bias;
    const bias = (i: number): Tensor | null => (b ? b.narrow(0, i * e, e) : null);
    // [N, len, E] -> [N, heads, len, headDim]
    const heads = (t: Tensor, len: number): Tensor => t.reshape([-1, len, h, hd]).transpose(1, 2);
    const q = heads(linear(q0, wq, bias(0)).mul(1 / Math.sqrt(hd)), l);
    const [kb, vb] = this.withBiasKv(linear(k0, wk, bias(1)), linear(v0, wv, bias(2)));
    const [k, v] = this.withZeroAttn(heads(kb, kb.shape[1]!), heads(vb, vb.shape[1]!));
    // Positions added to the keys (bias_k, the zero row): every query may attend to them.
    const added = k.shape[2]! - s;
    const widen = (m: Tensor): Tensor => (added > 0 ? pad(m, [0, added]) : m);

    let mask: Tensor | null = null;
    if (options.attnMask) {
      const m = floatMask(options.attnMask, q.dtype);
      const ok2 = m.ndim === 2 && m.shape[0] === l && m.shape[1] === s;
      const ok3 = m.ndim === 3 && m.shape[0] === n * h && m.shape[1] === l && m.shape[2] === s;
      if (!ok2 && !ok3)
        throw new RangeError(
          `The shape of the attnMask should be [${l}, ${s}] or [${n * h}, ${l}, ${s}], but got [${m.shape.join(', ')}]`,
        );
      mask = widen(ok2 ? m : m.reshape([-1, h, l, s]));
    }
    if (options.keyPaddingMask) {
      const kpm = floatMask(options.keyPaddingMask, q.dtype);
      const want = batched ? [n, s] : [s];
      if (kpm.ndim !== want.length || kpm.shape.some((d, i) => d !== want[i]))
        throw new RangeError(
          `expecting keyPaddingMask shape of [${want.join(', ')}], but got [${kpm.shape.join(', ')}]`,
        );
      const m = widen(kpm.reshape([-1, 1, 1, s]));
      mask = mask ? mask.add(m) : m;
    }
    let scores = q.matmul(k.transpose(2, 3));
    if (mask) scores = scores.add(mask);
    let weights = scores.softmax(-1);
    if (this.training && this.dropout > 0) weights = dropout(weights, this.dropout, true);
    const attended = weights.matmul(v).transpose(1, 2).reshape([-1, l, e]);
    let out = this.out_proj.call(attended);
    out = batched ? (this.batchFirst ? out : out.transpose(0, 1)) : out.squeeze(0);
    if (!needWeights) return [out, null];
    const w = averageAttnWeights ? weights.mean(1) : weights;
    return [out, batched ? w : w.squeeze(0)];
  }

  override extraRepr(): string {
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}${this.batchFirst ? ', batchFirst=true' : ''}${this.bias_k ? ', addBiasKv=true' : ''}${this.addZeroAttn ? ', addZeroAttn=true' : ''}`;
  }
}
