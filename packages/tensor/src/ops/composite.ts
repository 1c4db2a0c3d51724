/**
 * Ops written once for both levels: each is composed of ops that NDArray and @gd/autograd's
 * Tensor both have (narrow, gather, indexSelect, mul, sum, permute, reshape, matmul, cat), so
 * that at the autograd level it is differentiable through them, with the gradients PyTorch
 * gives, and it exports to ONNX wherever its parts do. A {@link Level} supplies what differs:
 * cat, turning an NDArray into the level's tensor, and reading a tensor's values.
 *
 * Here: flip, roll, tril/triu, diag, repeatInterleave, meshgrid, nanToNum, sort/argsort/topk
 * (values gathered at the sorted indices) and einsum.
 */
import type { NDArray } from '../ndarray.js';
import { fromStorageData } from '../ndarray.js';
import { normalizeDim, shapeSize, shapesEqual } from '../shape.js';
import { check, describe } from '../check.js';
import { ValuesIndices } from '../result.js';

/** The tensor operations the composite ops are written with. */
export interface Composable<T> {
  /** Size of each dim. */
  readonly shape: readonly number[];
  /** Number of dims. */
  readonly ndim: number;
  /** The element type's name. */
  readonly dtype: string;
  /** A slice of `length` along `dim` from `start` (a view). */
  narrow(dim: number, start: number, length: number): T;
  /** The entries at `index` along `dim`. */
  indexSelect(dim: number, index: NDArray): T;
  /** Values gathered along `dim` at `index`. */
  gather(dim: number, index: NDArray): T;
  /** Elementwise product. */
  mul(other: T | number): T;
  /** Sum over `dim` (all when omitted). */
  sum(dim?: number | readonly number[] | null, keepdim?: boolean): T;
  /** The dims reordered (a view). */
  permute(...dims: number[]): T;
  /** The same values in a new shape. */
  reshape(...shape: number[]): T;
  /** Broadcast to `shape` (a view). */
  expand(...shape: number[]): T;
  /** Matrix product. */
  matmul(other: T): T;
  /** A new dim of size 1 at `dim`. */
  unsqueeze(dim: number): T;
  /** `this` where `cond`, else `other`. */
  where(cond: T, other: T | number): T;
  /** True where NaN. */
  isnan(): T;
  /** True where equal to `other`. */
  eq(other: number): T;
  /** Converted to `dtype`. */
  to(dtype: 'float32' | 'float64' | 'int32' | 'bool'): T;
  /** A copy. */
  clone(): T;
}

/** What a level (NDArray or autograd Tensor) supplies to the composite ops. */
export interface Level<T> {
  /** Concatenation along a dim. */
  cat(tensors: readonly T[], dim: number): T;
  /** An NDArray as a constant of this level. */
  constant(a: NDArray): T;
  /** The values of a tensor of this level. */
  values(x: T): NDArray;
}

const int32 = (values: readonly number[]): NDArray =>
  fromStorageData(Int32Array.from(values), [values.length]);

function dimList(fn: string, dims: unknown, ndim: number): number[] {
  const list = typeof dims === 'number' ? [dims] : (check.shape(fn, 'dims', dims) as number[]);
  return list.map((d) => normalizeDim(check.dim(fn, 'dims', d), ndim));
}

/**
 * Reverses the order along each of `dims` (a copy, as in PyTorch).
 *
 * @example
 * ```ts
 * tensor([1, 2, 3]).flip(0); // tensor([3., 2., 1.])
 * ```
 */
export function flipWith<T extends Composable<T>>(
  _: Level<T>,
  x: T,
  dims: number | readonly number[],
): T {
  let out = x;
  for (const d of dimList('flip', dims, x.ndim)) {
    const n = x.shape[d]!;
    out = out.indexSelect(d, int32(Array.from({ length: n }, (_, i) => n - 1 - i)));
  }
  return out;
}

/**
 * Shifts elements along `dims` by `shifts`, wrapping around; with no dims, along the
 * flattened tensor (shape kept).
 *
 * @example
 * ```ts
 * tensor([1, 2, 3, 4]).roll(1); // tensor([4., 1., 2., 3.])
 * ```
 */
export function rollWith<T extends Composable<T>>(
  L: Level<T>,
  x: T,
  shifts: number | readonly number[],
  dims?: number | readonly number[],
): T {
  const s = typeof shifts === 'number' ? [shifts] : check.shape('roll', 'shifts', shifts);
  s.forEach((v) => check.int('roll', 'shifts', v));
  if (dims === undefined || dims === null) {
    if (s.length !== 1) throw new RangeError('roll: without dims, shifts must be one integer');
    return rollWith(L, x.reshape(shapeSize(x.shape)), s[0]!, 0).reshape(...x.shape);
  }
  const ds = dimList('roll', dims, x.ndim);
  if (ds.length !== s.length)
    throw new RangeError(
      `roll: shifts and dims must have the same length, got ${s.length} and ${ds.length}`,
    );
  let out = x;
  ds.forEach((d, i) => {
    const n = x.shape[d]!;
    if (n === 0) return;
    const k = ((s[i]! % n) + n) % n;
    if (k === 0) return;
    out = L.cat([out.narrow(d, n - k, k), out.narrow(d, 0, n - k)], d);
  });
  return out;
}

// A [rows, cols] 0/1 mask of the entries with col - row compared to `diagonal`.
function triangleMask(rows: number, cols: number, diagonal: number, lower: boolean): NDArray {
  const data = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++)
      data[i * cols + j] = (lower ? j - i <= diagonal : j - i >= diagonal) ? 1 : 0;
  return fromStorageData(data, [rows, cols]);
}

/**
 * The lower (`lower`) or upper triangle of the last two dims, other entries zero, relative to
 * `diagonal` (0: the main diagonal, positive: above it).
 *
 * @example
 * ```ts
 * ones([3, 3]).tril(); // ones on and below the diagonal
 * ```
 */
export function triangleWith<T extends Composable<T>>(
  L: Level<T>,
  x: T,
  diagonal: number,
  lower: boolean,
): T {
  const fn = lower ? 'tril' : 'triu';
  check.int(fn, 'diagonal', diagonal);
  if (x.ndim < 2)
    throw new RangeError(`${fn}: input tensor must have at least 2 dimensions, got ${x.ndim}`);
  const [r, c] = x.shape.slice(-2) as [number, number];
  const mask = L.constant(triangleMask(r, c, diagonal, lower));
  // where, not mul: a masked-out inf or NaN must become 0, as in PyTorch.
  return x.where(mask, 0);
}

/**
 * PyTorch's `diag`: a 1-d input becomes a square matrix with it on the `diagonal`-th diagonal;
 * a 2-d input gives that diagonal as a 1-d tensor.
 *
 * @example
 * ```ts
 * tensor([1, 2]).diag(); // tensor([[1., 0.], [0., 2.]])
 * ```
 */
export function diagWith<T extends Composable<T>>(L: Level<T>, x: T, diagonal = 0): T {
  check.int('diag', 'diagonal', diagonal);
  const off = Math.abs(diagonal);
  if (x.ndim === 1) {
    const n = x.shape[0]! + off;
    // Scatter by a gather: entry (i, j) of the result reads x[j - off] (or x[i - off]) when on
    // the diagonal, through a 0/1 mask, so the gradient is the diagonal of the incoming one.
    const idx = new Int32Array(n * n);
    const mask = new Uint8Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const on = j - i === diagonal;
        mask[i * n + j] = on ? 1 : 0;
        idx[i * n + j] = on ? Math.min(i, j) : 0;
      }
    const picked = x.indexSelect(0, fromStorageData(idx, [n * n])).reshape(n, n);
    return picked.where(L.constant(fromStorageData(mask, [n, n])), 0);
  }
  if (x.ndim === 2) {
    const [r, c] = x.shape as [number, number];
    const len = Math.max(0, diagonal >= 0 ? Math.min(r, c - diagonal) : Math.min(r + diagonal, c));
    // Entry k of the diagonal is (k, k + diagonal) above the main one, (k - diagonal, k) below.
    const flat = Array.from({ length: len }, (_, k) =>
      diagonal >= 0 ? k * c + k + diagonal : (k - diagonal) * c + k,
    );
    return x.reshape(r * c).indexSelect(0, int32(flat));
  }
  throw new RangeError(`diag: expected a 1-d or 2-d tensor, got ${x.ndim}-d`);
}

/**
 * Repeats each element `repeats` times (an integer, or one count per element) along `dim`
 * (the flattened tensor when omitted).
 *
 * @example
 * ```ts
 * tensor([1, 2]).repeatInterleave(2); // tensor([1., 1., 2., 2.])
 * ```
 */
export function repeatInterleaveWith<T extends Composable<T>>(
  _: Level<T>,
  x: T,
  repeats: number | readonly number[] | NDArray,
  dim?: number | null,
): T {
  const fn = 'repeatInterleave';
  const input = dim === undefined || dim === null ? x.reshape(-1) : x;
  const d = dim === undefined || dim === null ? 0 : normalizeDim(check.dim(fn, 'dim', dim), x.ndim);
  const n = input.shape[d]!;
  let counts: number[];
  if (typeof repeats === 'number') counts = [check.int(fn, 'repeats', repeats, { min: 0 })];
  else if (typeof repeats === 'object' && repeats !== null && 'toArray' in repeats)
    counts = Array.from((repeats as NDArray).reshape(-1).data, Number);
  else counts = [...check.shape(fn, 'repeats', repeats)];
  // One count applies to every element, as PyTorch broadcasts it.
  if (counts.length === 1) counts = new Array<number>(n).fill(counts[0]!);
  if (counts.length !== n)
    throw new RangeError(
      `${fn}: repeats must have the same size as input along dim (${n}), got ${counts.length}`,
    );
  const idx: number[] = [];
  counts.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0)
      throw new RangeError(`${fn}: repeats must be non-negative integers, got ${c}`);
    for (let k = 0; k < c; k++) idx.push(i);
  });
  return input.indexSelect(d, int32(idx));
}

/**
 * Coordinate grids from 1-d tensors: with `indexing: 'ij'` (PyTorch's default) the i-th
 * output varies along dim i; with `'xy'` the first two dims are swapped.
 *
 * @example
 * ```ts
 * const [gx, gy] = meshgrid([arange(3), arange(2)], { indexing: 'xy' });
 * ```
 */
export function meshgridWith<T extends Composable<T>>(
  _: Level<T>,
  tensors: readonly T[],
  indexing: 'ij' | 'xy' = 'ij',
): T[] {
  check.oneOf('meshgrid', 'indexing', indexing, ['ij', 'xy'] as const);
  tensors.forEach((t, i) => {
    if (t.ndim > 1)
      throw new RangeError(
        `meshgrid: expects 0-d or 1-d tensors, got ${t.ndim}-d at position ${i}`,
      );
  });
  const sizes = tensors.map((t) => (t.ndim === 0 ? 1 : t.shape[0]!));
  const swap = indexing === 'xy' && tensors.length >= 2;
  const order = sizes.map((_, i) => i);
  if (swap) [order[0], order[1]] = [order[1]!, order[0]!];
  const shape = order.map((i) => sizes[i]!);
  return tensors.map((t, i) => {
    const at = order.indexOf(i);
    const view = shape.map((s, k) => (k === at ? s : 1));
    return t.reshape(...view).expand(...shape);
  });
}

/**
 * NaN to `nan` (0), +inf to `posinf` and -inf to `neginf` (the dtype's largest and smallest
 * finite values by default).
 *
 * @example
 * ```ts
 * tensor([NaN, Infinity, -1]).nanToNum(); // tensor([0, 3.4028e+38, -1])
 * ```
 */
export function nanToNumWith<T extends Composable<T>>(
  L: Level<T>,
  x: T,
  nan = 0,
  posinf?: number | null,
  neginf?: number | null,
): T {
  check.number('nanToNum', 'nan', nan);
  if (posinf !== undefined && posinf !== null) check.number('nanToNum', 'posinf', posinf);
  if (neginf !== undefined && neginf !== null) check.number('nanToNum', 'neginf', neginf);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') return x.clone();
  const big = x.dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
  const keep = (c: T) => L.constant(L.values(c).logicalNot());
  let out = x.where(keep(x.isnan()), nan);
  out = out.where(keep(x.eq(Infinity)), posinf ?? big);
  return out.where(keep(x.eq(-Infinity)), neginf ?? -big);
}

// ---- sorting ----------------------------------------------------------------------------------

/**
 * The permutation sorting `a` along `dim` (NaN last, as PyTorch; ties keep their order, so
 * `stable` holds always), as int32 indices of a's shape.
 */
export function sortIndices(a: NDArray, dim: number, descending: boolean): NDArray {
  const d = normalizeDim(dim, a.ndim);
  if (a.ndim === 0) return fromStorageData(new Int32Array(1), []);
  const moved = a.movedim(d, -1).contiguous();
  const n = a.shape[d]!;
  const rows = n === 0 ? 0 : moved.numel() / n;
  const src = moved.data;
  const out = new Int32Array(moved.numel());
  const order = new Array<number>(n);
  const sign = descending ? -1 : 1;
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((i, j) => {
      const x = src[base + i]!;
      const y = src[base + j]!;
      const nx = Number.isNaN(x);
      const ny = Number.isNaN(y);
      // NaN is the largest value: last ascending, first descending.
      if (nx || ny) return nx && ny ? i - j : (nx ? 1 : -1) * sign;
      return x === y ? i - j : (x < y ? -1 : 1) * sign;
    });
    for (let i = 0; i < n; i++) out[base + i] = order[i]!;
  }
  return fromStorageData(out, moved.shape).movedim(-1, d).contiguous();
}

/** The options of sort. */
export interface SortOptions {
  /** The dim to sort along (default -1). */
  dim?: number;
  /** Largest first (default false). */
  descending?: boolean;
  /** Keep the order of equal elements (gd's sort always does). */
  stable?: boolean;
}

/** Reads sort's forms: `(dim?, descending?)` or `({ dim, descending, stable })`. */
export function sortArgs(
  fn: string,
  args: readonly unknown[],
): {
  /** The dim sorted along (default -1, the last; negative counts from the end). */
  dim: number;
  /** Largest first. */
  descending: boolean;
} {
  const last = args[args.length - 1];
  const o: Record<string, unknown> =
    typeof last === 'object' && last !== null
      ? { ...check.options<SortOptions>(fn, 'options', last, ['dim', 'descending', 'stable']) }
      : {};
  const positional = typeof last === 'object' && last !== null ? args.slice(0, -1) : args;
  check.arity(fn, positional, 2);
  if (positional[0] !== undefined) o.dim = positional[0];
  if (positional[1] !== undefined) o.descending = positional[1];
  return {
    dim: o.dim === undefined ? -1 : check.dim(fn, 'dim', o.dim),
    descending: o.descending === undefined ? false : check.bool(fn, 'descending', o.descending),
  };
}

/**
 * Sorted values and the indices that sort, along `dim` (default -1).
 *
 * @example
 * ```ts
 * const [values, indices] = tensor([3, 1, 2]).sort();
 * ```
 */
export function sortWith<T extends Composable<T>>(
  L: Level<T>,
  x: T,
  dim: number,
  descending: boolean,
): ValuesIndices<T> {
  const idx = sortIndices(L.values(x), dim, descending);
  const values = x.ndim === 0 ? x.clone() : x.gather(dim, idx);
  return new ValuesIndices(values, L.constant(idx));
}

/** The options of topk. */
export interface TopkOptions {
  /** The dim (default -1). */
  dim?: number;
  /** The largest (default) or the smallest k. */
  largest?: boolean;
  /** Return them in sorted order (gd always does). */
  sorted?: boolean;
}

/**
 * The `k` largest (or smallest) values along `dim` and their indices.
 *
 * @example
 * ```ts
 * const { values, indices } = logits.topk(5);
 * ```
 */
export function topkWith<T extends Composable<T>>(
  L: Level<T>,
  x: T,
  k: number,
  dimOrOptions?: number | TopkOptions,
  largestArg?: boolean,
): ValuesIndices<T> {
  const { dim, largest } = topkArgs(x.shape, k, dimOrOptions, largestArg);
  const idx = sortIndices(L.values(x), dim, largest);
  const top = x.ndim === 0 ? idx : idx.narrow(normalizeDim(dim, x.ndim), 0, k).contiguous();
  const values = x.ndim === 0 ? x.clone() : x.gather(dim, top);
  return new ValuesIndices(values, L.constant(top));
}

/** Reads and checks topk's arguments for an input of `shape`: `(k, dim?, largest?)` or `(k, options)`. */
export function topkArgs(
  shape: readonly number[],
  k: number,
  dimOrOptions?: number | TopkOptions,
  largestArg?: boolean,
): {
  /** The dim the k elements are picked along (default -1, the last). */
  dim: number;
  /** Pick the largest (true) or the smallest. */
  largest: boolean;
} {
  const o: TopkOptions =
    typeof dimOrOptions === 'object' && dimOrOptions !== null
      ? check.options<TopkOptions>('topk', 'options', dimOrOptions, ['dim', 'largest', 'sorted'])
      : { dim: dimOrOptions, largest: largestArg };
  check.int('topk', 'k', k);
  const dim = o.dim === undefined ? -1 : check.dim('topk', 'dim', o.dim);
  const largest = o.largest === undefined ? true : check.bool('topk', 'largest', o.largest);
  const size = shape.length === 0 ? 1 : shape[normalizeDim(dim, shape.length)]!;
  if (k < 0 || k > size)
    throw new RangeError(`topk: k (${k}) must be in [0, ${size}], the size of dim ${dim}`);
  return { dim, largest };
}

// ---- einsum -----------------------------------------------------------------------------------

interface Term<T> {
  x: T;
  letters: string[];
}

/** One operand's subscripts: letters, with the ellipsis (if any) as one `'...'` entry. */
function subscripts(term: string, equation: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith('...', i)) {
      if (out.includes('...'))
        throw new SyntaxError(`einsum: more than one ellipsis in "${term}" of "${equation}"`);
      out.push('...');
      i += 2;
    } else if (/[a-zA-Z]/.test(term[i]!)) out.push(term[i]!);
    else
      throw new SyntaxError(
        `einsum: invalid subscript '${term[i]}' in "${equation}": use letters and '...'`,
      );
  }
  return out;
}

// Tokens for the dims an ellipsis stands for: never letters, so never confused with one.
const ellipsisToken = (k: number): string => `…${k}`;

/**
 * The equation as letters per operand and for the output, each ellipsis replaced by tokens for
 * the dims it covers, right-aligned across operands as broadcasting aligns them (PyTorch's
 * rule). Without `->`, the output is the ellipsis dims, then the letters seen once in
 * alphabetical order.
 */
function parseEinsum(
  equation: string,
  ranks: readonly number[],
): { inputs: string[][]; output: string[]; ellipsis: number } {
  if (typeof equation !== 'string')
    throw new TypeError(`einsum: equation must be a string, got ${describe(equation)}`);
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.split('->') as [string, string | undefined];
  const terms = lhs.split(',').map((t) => subscripts(t, equation));
  if (terms.length !== ranks.length)
    throw new RangeError(
      `einsum: the equation has ${terms.length} operand${terms.length === 1 ? '' : 's'}, but ${ranks.length} tensor${ranks.length === 1 ? ' was' : 's were'} given`,
    );
  const covered = terms.map((t, i) => {
    const named = t.filter((c) => c !== '...').length;
    if (!t.includes('...')) return 0;
    if (ranks[i]! < named)
      throw new RangeError(
        `einsum: operand ${i} has ${ranks[i]} dims but its subscripts "${t.join('')}" name ${named} besides the ellipsis`,
      );
    return ranks[i]! - named;
  });
  const ellipsis = Math.max(0, ...covered);
  const expand = (t: string[], k: number): string[] =>
    t.flatMap((c) =>
      c === '...' ? Array.from({ length: k }, (_, j) => ellipsisToken(ellipsis - k + j)) : [c],
    );
  const inputs = terms.map((t, i) => expand(t, covered[i]!));
  const all = new Set(inputs.flat());
  let output: string[];
  if (rhs === undefined) {
    // NumPy's implicit output: the ellipsis dims, then the letters seen once, alphabetically.
    const seen = inputs.flat().filter((c) => !c.startsWith('…'));
    const once = [...new Set(seen)].filter((c) => seen.indexOf(c) === seen.lastIndexOf(c));
    output = [...expand(['...'], ellipsis), ...once.sort()];
  } else {
    const named = subscripts(rhs, equation);
    output = expand(named, ellipsis);
    for (const c of output) {
      if (c.startsWith('…')) continue;
      if (!all.has(c))
        throw new RangeError(`einsum: output subscript '${c}' does not appear in the inputs`);
      if (output.indexOf(c) !== output.lastIndexOf(c))
        throw new RangeError(`einsum: output subscript '${c}' appears more than once`);
    }
    // Ellipsis dims missing from an explicit output are summed over, as in PyTorch.
  }
  return { inputs, output, ellipsis };
}

/**
 * Broadcasts each operand's ellipsis dims to their common size (a size-1 dim meets a larger
 * one), so that the contraction sees equal sizes.
 */
function broadcastEllipsis<T extends Composable<T>>(terms: Term<T>[]): Term<T>[] {
  const sizes = new Map<string, number>();
  for (const t of terms)
    t.letters.forEach((c, d) => {
      if (!c.startsWith('…')) return;
      const n = t.x.shape[d]!;
      const m = sizes.get(c);
      if (m === undefined || m === 1) sizes.set(c, n);
      else if (n !== 1 && n !== m)
        throw new RangeError(
          `einsum: the dims the ellipsis covers do not broadcast (${m} and ${n})`,
        );
    });
  return terms.map((t) => {
    const shape = t.letters.map((c, d) => (c.startsWith('…') ? sizes.get(c)! : t.x.shape[d]!));
    return shapesEqual(shape, t.x.shape) ? t : { ...t, x: t.x.expand(...shape) };
  });
}

// Takes the diagonal over the dims of a repeated letter, until every letter appears once.
function dedupe<T extends Composable<T>>(L: Level<T>, t: Term<T>): Term<T> {
  let { x, letters } = t;
  for (;;) {
    const p = letters.findIndex((c, i) => letters.indexOf(c) !== i);
    if (p < 0) return { x, letters };
    const first = letters.indexOf(letters[p]!);
    const n = x.shape[first]!;
    if (x.shape[p] !== n)
      throw new RangeError(
        `einsum: subscript '${letters[p]}' is repeated for dims of sizes ${n} and ${x.shape[p]}`,
      );
    const eye = new Uint8Array(n * n);
    for (let i = 0; i < n; i++) eye[i * n + i] = 1;
    const shape = x.shape.map((s, i) => (i === first || i === p ? s : 1));
    const mask = L.constant(fromStorageData(eye, [n, n]).reshape(shape).to('bool'));
    x = x.where(mask, 0).sum(p);
    letters = letters.filter((_, i) => i !== p);
  }
}

// Contracts two terms with one batched matmul; `keep` are the letters needed afterwards.
function contract<T extends Composable<T>>(a: Term<T>, b: Term<T>, keep: Set<string>): Term<T> {
  const inB = new Set(b.letters);
  const inA = new Set(a.letters);
  const batch = a.letters.filter((c) => inB.has(c) && keep.has(c));
  const summed = a.letters.filter((c) => inB.has(c) && !keep.has(c));
  const left = a.letters.filter((c) => !inB.has(c));
  const right = b.letters.filter((c) => !inA.has(c));
  const size = (t: Term<T>, c: string) => t.x.shape[t.letters.indexOf(c)]!;
  for (const c of [...batch, ...summed]) {
    if (size(a, c) !== size(b, c))
      throw new RangeError(
        `einsum: subscript '${c}' has size ${size(a, c)} in one operand and ${size(b, c)} in another`,
      );
  }
  const perm = (t: Term<T>, order: string[]) =>
    t.x.permute(...order.map((c) => t.letters.indexOf(c)));
  const sizesA = (cs: string[]) => cs.map((c) => size(a, c));
  const sizesB = (cs: string[]) => cs.map((c) => size(b, c));
  const A = perm(a, [...batch, ...left, ...summed]).reshape(
    shapeSize(sizesA(batch)),
    shapeSize(sizesA(left)),
    shapeSize(sizesA(summed)),
  );
  const B = perm(b, [...batch, ...summed, ...right]).reshape(
    shapeSize(sizesB(batch)),
    shapeSize(sizesB(summed)),
    shapeSize(sizesB(right)),
  );
  const out = A.matmul(B).reshape(...sizesA(batch), ...sizesA(left), ...sizesB(right));
  return { x: out, letters: [...batch, ...left, ...right] };
}

/**
 * Einstein summation: `einsum('ij,jk->ik', a, b)` (matrix product), `'bij,bjk->bik'`
 * (batched), `'i,j->ij'` (outer), `'ii->'` (trace), `'ij->ji'` (transpose), contractions over
 * several indices, and `...` for leading dims that broadcast (`'...ij,...jk->...ik'`). Two
 * operands at a time become one batched matmul.
 *
 * @example
 * ```ts
 * einsum('bhqd,bhkd->bhqk', q, k); // attention scores
 * einsum('...ij,jk->...ik', x, w); // x [N, L, i] (any leading dims) times w
 * ```
 */
export function einsumWith<T extends Composable<T>>(
  L: Level<T>,
  equation: string,
  operands: readonly T[],
): T {
  const { inputs, output, ellipsis } = parseEinsum(
    equation,
    operands.map((x) => x.ndim),
  );
  let terms = operands.map((x, i) => {
    if (inputs[i]!.length !== x.ndim)
      throw new RangeError(
        `einsum: operand ${i} has ${x.ndim} dims but its subscripts "${inputs[i]!.join('')}" name ${inputs[i]!.length}`,
      );
    return dedupe(L, { x, letters: inputs[i]! });
  });
  if (ellipsis > 0) terms = broadcastEllipsis(terms);
  // Sum out letters that no other operand and not the output uses.
  terms = terms.map((t, i) => {
    const elsewhere = new Set([
      ...output,
      ...terms.filter((_, k) => k !== i).flatMap((u) => u.letters),
    ]);
    const gone = t.letters.map((c, d) => (elsewhere.has(c) ? -1 : d)).filter((d) => d >= 0);
    if (gone.length === 0) return t;
    return { x: t.x.sum(gone), letters: t.letters.filter((_, d) => !gone.includes(d)) };
  });
  let acc = terms[0]!;
  for (let i = 1; i < terms.length; i++) {
    const keep = new Set([...output, ...terms.slice(i + 1).flatMap((u) => u.letters)]);
    acc = contract(acc, terms[i]!, keep);
  }
  const extra = acc.letters.map((c, d) => (output.includes(c) ? -1 : d)).filter((d) => d >= 0);
  if (extra.length > 0)
    acc = { x: acc.x.sum(extra), letters: acc.letters.filter((_, d) => !extra.includes(d)) };
  const order = output.map((c) => acc.letters.indexOf(c));
  return order.every((d, i) => d === i) ? acc.x : acc.x.permute(...order);
}
