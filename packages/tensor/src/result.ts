/**
 * The result of `max(dim)`, `min(dim)`, `sort` and `topk`: values and indices, readable as
 * PyTorch's named tuple is, by name (`r.values`) or by position (`const [v, i] = r`, `r[0]`).
 */
export class ValuesIndices<T> implements Iterable<T> {
  /** The values. */
  declare readonly values: T;
  /** Their int32 indices along the reduced or sorted dim. */
  declare readonly indices: T;
  /** `values`, as PyTorch's `result[0]`. */
  declare readonly 0: T;
  /** `indices`, as PyTorch's `result[1]`. */
  declare readonly 1: T;
  /** Always 2, like the tuple's length. */
  declare readonly length: 2;

  /**
   * Pairs values with their indices.
   *
   * @example
   * ```ts
   * const [values, indices] = x.max(1); // or x.max(1).values
   * ```
   */
  constructor(values: T, indices: T) {
    this.values = values;
    this.indices = indices;
    this[0] = values;
    this[1] = indices;
    this.length = 2;
  }

  /** Yields values, then indices. */
  *[Symbol.iterator](): Iterator<T> {
    yield this.values;
    yield this.indices;
  }
}
