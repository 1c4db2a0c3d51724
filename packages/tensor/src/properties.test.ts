/**
 * Property tests: random shapes, dtypes, dims and index expressions either agree with a small
 * reference written on nested JS arrays, or throw — never a wrong-shaped or wrong-valued result.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DType, NDArray, NestedArray } from './index.js';
import { arange } from './index.js';
import { einsum } from './functional.js';

type Nested = number | Nested[];

const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 });
const dtypeArb = fc.constantFrom<DType>('float32', 'float64', 'int32');

function make(shape: readonly number[], dtype: DType): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  // Small integers stay exact in every dtype, so sums compare exactly.
  return arange(n, { dtype: 'float64' }).remainder(7).sub(3).to(dtype).reshape(shape);
}

const SUMMED: Record<DType, DType> = {
  float32: 'float32',
  float64: 'float64',
  int32: 'int32',
  bool: 'int32',
};

// The reference reduction: sum over one dim of a nested array.
function refSum(v: Nested, dim: number): Nested {
  if (dim === 0) {
    const rows = v as Nested[];
    if (rows.length === 0) return zerosLike(undefined, 0);
    return rows.reduce((a, b) => addNested(a, b));
  }
  return (v as Nested[]).map((r) => refSum(r, dim - 1));
}
function addNested(a: Nested, b: Nested): Nested {
  if (typeof a === 'number') return a + (b as number);
  return a.map((x, i) => addNested(x, (b as Nested[])[i]!));
}
function zerosLike(_: undefined, v: number): Nested {
  return v;
}

describe('reductions agree with a reference or throw', () => {
  it('sum over a random dim, keepdim or not, on random shapes and dtypes', () => {
    fc.assert(
      fc.property(
        shapeArb,
        dtypeArb,
        fc.integer({ min: -5, max: 5 }),
        fc.boolean(),
        (shape, dtype, dim, keepdim) => {
          const x = make(shape, dtype);
          const rank = Math.max(shape.length, 1);
          if (dim < -rank || dim >= rank) {
            expect(() => x.sum(dim, keepdim)).toThrow(RangeError);
            return;
          }
          const out = x.sum(dim, keepdim);
          const d = dim < 0 ? dim + rank : dim;
          const expectedShape =
            shape.length === 0
              ? []
              : shape.flatMap((s, i) => (i === d ? (keepdim ? [1] : []) : [s]));
          expect(out.shape).toEqual(expectedShape);
          expect(out.dtype).toBe(SUMMED[dtype]);
          if (shape.length > 0 && !shape.includes(0)) {
            const ref = refSum(x.toArray() as Nested, d);
            const got = keepdim ? out.squeeze(d).toArray() : out.toArray();
            expect(got).toEqual(ref);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

// ---- indexing -----------------------------------------------------------------------------

type Spec = number | null | { start?: number; end?: number; step?: number } | number[];

function sliceIndices(n: number, s: { start?: number; end?: number; step?: number }): number[] {
  const norm = (v: number | undefined, dflt: number) =>
    v === undefined ? dflt : Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const out: number[] = [];
  for (let i = norm(s.start, 0); i < norm(s.end, n); i += s.step ?? 1) out.push(i);
  return out;
}

function at(v: Nested, i: number): Nested {
  const rows = v as Nested[];
  if (typeof v === 'number') throw new RangeError('too many indices');
  if (i < -rows.length || i >= rows.length) throw new RangeError('out of bounds');
  return rows[i < 0 ? i + rows.length : i]!;
}

// NumPy's indexing on nested arrays, for one advanced (list) index at most.
function refIndex(v: Nested, specs: readonly Spec[]): Nested {
  if (specs.length === 0) return v;
  const s = specs[0]!;
  const rest = specs.slice(1);
  if (s === null) return [refIndex(v, rest)];
  if (typeof s === 'number') return refIndex(at(v, s), rest);
  if (typeof v === 'number') throw new RangeError('too many indices');
  if (Array.isArray(s)) return s.map((i) => refIndex(at(v, i), rest));
  return sliceIndices(v.length, s).map((i) => refIndex(at(v, i), rest));
}

// NumPy checks the indices against the shape before any slice can make the result empty.
function checkAgainstShape(shape: readonly number[], specs: readonly Spec[]): void {
  const used = specs.filter((s) => s !== null);
  if (used.length > shape.length) throw new RangeError('too many indices');
  used.forEach((s, d) => {
    const n = shape[d]!;
    for (const i of typeof s === 'number' ? [s] : Array.isArray(s) ? s : [])
      if (i < -n || i >= n) throw new RangeError('out of bounds');
  });
}

const specArb: fc.Arbitrary<Spec> = fc.oneof(
  fc.integer({ min: -4, max: 4 }),
  fc.constant(null),
  fc.record(
    {
      start: fc.integer({ min: -5, max: 5 }),
      end: fc.integer({ min: -5, max: 5 }),
      step: fc.integer({ min: 1, max: 3 }),
    },
    { requiredKeys: [] },
  ),
  fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 0, maxLength: 3 }),
);

describe('index expressions agree with a reference or throw', () => {
  it('ints, slices, null and a plain list on random shapes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.array(specArb, { maxLength: 4 }),
        (shape, specs) => {
          // At most one list (NumPy moves several advanced indices together: out of scope here).
          if (specs.filter(Array.isArray).length > 1) return;
          const x = make(shape, 'float64');
          let expected: Nested | Error;
          try {
            checkAgainstShape(shape, specs);
            expected = refIndex(x.toArray() as Nested, specs);
          } catch (e) {
            expected = e as Error;
          }
          if (expected instanceof Error) {
            expect(() => x.index(...specs)).toThrow();
            return;
          }
          const got = x.index(...specs);
          expect(got.toArray() as NestedArray).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---- broadcasting -------------------------------------------------------------------------

function refBroadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

describe('binary ops broadcast as the reference or throw', () => {
  it('add on random shape pairs and dtypes', () => {
    fc.assert(
      fc.property(shapeArb, shapeArb, dtypeArb, dtypeArb, (sa, sb, da, db) => {
        const a = make(sa, da);
        const b = make(sb, db);
        const shape = refBroadcast(sa, sb);
        if (shape === null) {
          expect(() => a.add(b)).toThrow(RangeError);
          return;
        }
        const out = a.add(b);
        expect(out.shape).toEqual(shape);
        // Every element is the sum of the broadcast operands' elements.
        const ea = a.expand(shape).contiguous().data;
        const eb = b.expand(shape).contiguous().data;
        const got = out.contiguous().data;
        for (let i = 0; i < got.length; i++) expect(got[i]).toBe(ea[i]! + eb[i]!);
      }),
      { numRuns: 150 },
    );
  });
});

// ---- the ops of issue 14 ------------------------------------------------------------------

const smallShape = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 });

describe('sorting ops agree with a JavaScript reference', () => {
  it('sort/argsort/topk along a random dim of random integer data (ties included)', () => {
    fc.assert(
      fc.property(
        smallShape,
        fc.nat(),
        fc.boolean(),
        fc.integer({ min: 0, max: 9 }),
        (shape, dimSeed, descending, seed) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const x = arange(n, { dtype: 'float64' })
            .mul(seed + 3)
            .remainder(5)
            .reshape(shape);
          const dim = dimSeed % shape.length;
          const { values, indices } = x.sort(dim, descending);
          expect(values.shape).toEqual(shape);
          // Along dim, values are ordered and are x at the indices, which permute 0..n-1.
          const xs = x.movedim(dim, -1).contiguous();
          const vs = values.movedim(dim, -1).contiguous().toArray() as number[][] | number[];
          const is = indices.movedim(dim, -1).contiguous().toArray() as number[][] | number[];
          const rows = (a: unknown): number[][] =>
            shape.length === 1
              ? [a as number[]]
              : ((a as number[][]).flat(shape.length - 2) as number[][]);
          const xr = rows(xs.toArray());
          rows(vs).forEach((row, r) => {
            const idx = rows(is)[r]!;
            expect([...idx].sort((a, b) => a - b)).toEqual(idx.map((_, k) => k));
            row.forEach((v, k) => expect(v).toBe(xr[r]![idx[k]!]));
            const ref = [...xr[r]!].sort((a, b) => (descending ? b - a : a - b));
            expect(row).toEqual(ref);
            // Stable: equal values keep their input order.
            for (let k = 1; k < row.length; k++)
              if (row[k] === row[k - 1]) expect(idx[k]!).toBeGreaterThan(idx[k - 1]!);
          });
          const k = shape[dim]! > 1 ? 1 : 0;
          expect(x.topk(k + 1, dim, !descending).values.toArray()).toEqual(
            x
              .sort(dim, !descending)
              .values.narrow(dim, 0, k + 1)
              .toArray(),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('rearranging ops agree with a reference or throw', () => {
  it('flip twice is the identity, roll by the size is the identity, roll then roll back too', () => {
    fc.assert(
      fc.property(
        smallShape,
        fc.nat(),
        fc.integer({ min: -7, max: 7 }),
        (shape, dimSeed, shift) => {
          const x = make(shape, 'float64');
          const dim = dimSeed % shape.length;
          expect(x.flip(dim).flip(dim).toArray()).toEqual(x.toArray());
          expect(x.roll(shape[dim]!, dim).toArray()).toEqual(x.toArray());
          expect(x.roll(shift, dim).roll(-shift, dim).toArray()).toEqual(x.toArray());
          // Element i of roll(s) is element i - s of the input.
          const flat = x.reshape(-1).toArray() as number[];
          const rolled = x.roll(shift).reshape(-1).toArray() as number[];
          const n = flat.length;
          rolled.forEach((v, i) => expect(v).toBe(flat[(((i - shift) % n) + n) % n]));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('einsum matrix, batched and outer products equal matmul and mul', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        (b, i, j, k) => {
          const x = make([b, i, j], 'float64');
          const y = make([b, j, k], 'float64');
          expect(einsum('bij,bjk->bik', x, y).toArray()).toEqual(x.matmul(y).toArray());
          expect(einsum('bij,bjk->bki', x, y).toArray()).toEqual(
            x.matmul(y).transpose(1, 2).toArray(),
          );
          const u = make([i], 'float64');
          const v = make([k], 'float64');
          // equal(), not toEqual: a product summed from 0 is +0 where mul gives -0.
          expect(einsum('i,k->ik', u, v).equal(u.unsqueeze(1).mul(v.unsqueeze(0)))).toBe(true);
          if (i === j) {
            const traces = Array.from({ length: b }, (_, n) =>
              Array.from({ length: i }, (_, t) => x.index(n, t, t).item()).reduce(
                (p, q) => p + q,
                0,
              ),
            );
            expect(einsum('bii->b', x).toArray()).toEqual(traces);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('tril + triu(1) is the input, and unique/bincount agree with a Set and a count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: -5, max: 5 }),
        (r, c, d) => {
          const x = make([r, c], 'float64');
          expect(
            x
              .tril(d)
              .add(x.triu(d + 1))
              .toArray(),
          ).toEqual(x.toArray());
          const ints = make([r, c], 'int32').add(3);
          const flat = ints.reshape(-1).toArray() as number[];
          expect((ints.unique() as NDArray).toArray()).toEqual(
            [...new Set(flat)].sort((a, b) => a - b),
          );
          const counts = ints.reshape(-1).bincount().toArray() as number[];
          counts.forEach((cnt, v) => expect(cnt).toBe(flat.filter((e) => e === v).length));
        },
      ),
      { numRuns: 100 },
    );
  });
});
