/**
 * Loop nests over strided operands. Size-1 dims are dropped and dims that are contiguous in
 * every operand are merged, so a contiguous tensor becomes one long row whatever its rank.
 */

/** A coalesced loop nest: `strides[k]` belongs to operand k. Never empty (0-d becomes [1]). */
export interface LoopNest {
  shape: number[];
  strides: number[][];
}

/** Drops size-1 dims and merges dims that every operand walks contiguously. */
export function coalesce(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): LoopNest {
  const dims: number[] = [];
  for (let d = 0; d < shape.length; d++) if (shape[d] !== 1) dims.push(d);
  if (dims.length === 0) return { shape: [1], strides: strides.map(() => [0]) };
  const outShape: number[] = [shape[dims[0]!]!];
  const outStrides = strides.map((s) => [s[dims[0]!]!]);
  for (let i = 1; i < dims.length; i++) {
    const d = dims[i]!;
    const size = shape[d]!;
    const last = outShape.length - 1;
    let mergeable = true;
    for (let k = 0; k < strides.length; k++) {
      if (outStrides[k]![last] !== strides[k]![d]! * size) {
        mergeable = false;
        break;
      }
    }
    if (mergeable) {
      outShape[last] = outShape[last]! * size;
      for (let k = 0; k < strides.length; k++) outStrides[k]![last] = strides[k]![d]!;
    } else {
      outShape.push(size);
      for (let k = 0; k < strides.length; k++) outStrides[k]!.push(strides[k]![d]!);
    }
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls `row(offsets)` once for every innermost row of the nest; `offsets[k]` is operand k's
 * offset of the row's first element. The row's length and strides are the nest's last dim.
 * The offsets array is reused between calls.
 */
export function forEachRow(
  nest: LoopNest,
  base: readonly number[],
  row: (offsets: number[]) => void,
): void {
  const { shape, strides } = nest;
  for (const s of shape) if (s === 0) return;
  const offs = Array.from(base);
  const outer = shape.length - 1;
  if (outer === 0) {
    row(offs);
    return;
  }
  const k = strides.length;
  const idx = new Array<number>(outer).fill(0);
  for (;;) {
    row(offs);
    let d = outer - 1;
    for (; d >= 0; d--) {
      idx[d]!++;
      for (let j = 0; j < k; j++) offs[j]! += strides[j]![d]!;
      if (idx[d]! < shape[d]!) break;
      for (let j = 0; j < k; j++) offs[j]! -= strides[j]![d]! * shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** Visits every element's offset in each operand (for kernels with per-element logic). */
export function forEachElement(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  base: readonly number[],
  visit: (offsets: number[]) => void,
): void {
  const nest = coalesce(shape, strides);
  const last = nest.shape.length - 1;
  const n = nest.shape[last]!;
  const inner = nest.strides.map((s) => s[last]!);
  const cur = new Array<number>(base.length);
  forEachRow(nest, base, (offs) => {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < offs.length; k++) cur[k] = offs[k]! + i * inner[k]!;
      visit(cur);
    }
  });
}

/**
 * Compiles a fresh copy of a kernel factory, so each op gets its own function literal and V8
 * sees a single callee at its call site (and inlines it) instead of one megamorphic loop shared
 * by every op. `tag` makes the source text unique: V8 caches compilations by source, and a
 * cache hit would share type feedback again. Where code generation is forbidden (a strict
 * CSP), the shared factory is used. The factory must not reference anything outside its text,
 * nor name the functions inside it: a bundler's keepNames wraps named functions in a helper of
 * its own (`__name`), which the copy would not see.
 */
export function specialise<F extends (...args: never[]) => unknown>(factory: F, tag: string): F {
  try {
    return new Function(`// gd kernel: ${tag}\nreturn (${factory.toString()});`)() as F;
  } catch {
    return factory;
  }
}
