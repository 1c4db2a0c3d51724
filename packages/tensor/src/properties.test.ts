/**
 * Property tests: random shapes, dtypes, dims and index expressions either agree with a small
 * reference written on nested JS arrays, or throw — never a wrong-shaped or wrong-valued result.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DType, NDArray, NestedArray } from './index.js';
import { arange } from './index.js';

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
      { numRuns: 300 },
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
      { numRuns: 500 },
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
      { numRuns: 300 },
    );
  });
});
