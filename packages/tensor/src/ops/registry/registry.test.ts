// The op registry as data: every generated entry against its PyTorch fixtures (values in
// float64 and float32, parameters positional and by name), argument checking from the typed
// parameters, and each fast backend's compiled op table against the registry. The tensor
// suite runs once per backend, so this file checks every backend.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DType, GeneratedUnaryOp, NDArray } from '../../index.js';
import {
  GENERATED_UNARY_OPS,
  formula,
  getBackend,
  nativeBackend,
  referenceBackend,
  tensor,
  unaryEntry,
  wasmBackend,
} from '../../index.js';
import { kernelTable } from '../../backend/fast/codegen.js';
import { createFastBackend, fastKernelTables } from '../../backend/fast/backend.js';
import type { FastKernels } from '../../backend/fast/kernels.js';

type Encoded = number | string;
interface Case {
  params: Record<string, number>;
  f64: Encoded[];
  f32: Encoded[];
  grad: Encoded[];
  gradFn: string;
}
interface OpFixture {
  gradAt: number[];
  /** PyTorch on int64 input: its result, or its refusal. */
  int: { dtype: string; values: Encoded[] } | { error: string };
  cases: Case[];
}
interface Fixture {
  values: Encoded[];
  ints: number[];
  ops: Record<string, OpFixture>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../../fixtures/unary.json', import.meta.url), 'utf8'),
) as Fixture;
const decode = (v: Encoded): number => (v === '-0' ? -0 : Number(v));
const X = fixture.values.map(decode);

function mismatches(got: NDArray, want: readonly Encoded[], tol: number, at = X): string[] {
  const values = Array.from(got.data, Number);
  const bad: string[] = [];
  want.map(decode).forEach((w, i) => {
    const g = values[i]!;
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : !Number.isFinite(w)
        ? g === w
        : Math.abs(g - w) <= tol * Math.max(1, Math.abs(w)) &&
          (w !== 0 || g !== 0 || Object.is(g, w));
    if (!ok)
      bad.push(
        `x=${X[i]}: got ${Object.is(g, -0) ? '-0' : g}, PyTorch ${Object.is(w, -0) ? '-0' : w}`,
      );
  });
  return bad.slice(0, 6);
}

const encode = (t: NDArray): Encoded[] =>
  Array.from(t.data, (v) => (Object.is(v, -0) ? '-0' : Number(v)));

const call = (x: NDArray, op: GeneratedUnaryOp, params: Record<string, number>): NDArray =>
  (x[op] as (...a: unknown[]) => NDArray)(...(Object.keys(params).length ? [params] : []));

describe(`registry ops against PyTorch (${getBackend().name} backend)`, () => {
  it('every generated entry has fixtures, and nothing else does', () => {
    expect(Object.keys(fixture.ops).sort()).toEqual([...GENERATED_UNARY_OPS].sort());
  });

  for (const op of GENERATED_UNARY_OPS) {
    for (const c of fixture.ops[op]?.cases ?? []) {
      const label = `${op}(${JSON.stringify(c.params)})`;
      it(`${label}: float64 to 1e-12 (signed zeros too), float32 to float tolerance`, () => {
        const y64 = call(tensor(X, { dtype: 'float64' }), op, c.params);
        expect(y64.dtype).toBe('float64');
        expect(mismatches(y64, c.f64, 1e-12)).toEqual([]);
        const y32 = call(tensor(X, { dtype: 'float32' }), op, c.params);
        expect(y32.dtype).toBe('float32');
        expect(mismatches(y32, c.f32, 2e-6)).toEqual([]);
      });
    }
    it(`${op}: positional parameters equal named ones, in place equals out of place`, () => {
      const params = unaryEntry(op).params ?? [];
      const x = tensor(X, { dtype: 'float64' });
      const named = Object.fromEntries(params.map((p, i) => [p.name, 0.75 + i]));
      const positional = params.map((_, i) => 0.75 + i);
      const a = call(x, op, named);
      const b = (x[op] as (...v: number[]) => NDArray)(...positional);
      expect(mismatches(b, encode(a), 0)).toEqual([]);
      const y = x.clone();
      expect((y[`${op}_`] as (...v: unknown[]) => NDArray)(...positional)).toBe(y);
      expect(mismatches(y, encode(b), 0)).toEqual([]);
    });
    it(`${op}: int32 input gives PyTorch's dtype and values (float32 where PyTorch refuses ints)`, () => {
      const ints = tensor(fixture.ints, { dtype: 'int32' });
      const y = call(ints, op, {});
      const want = fixture.ops[op]!.int;
      if ('error' in want) {
        expect(y.dtype).toBe<DType>('float32');
        expect(Array.from(y.data)).toEqual(Array.from(call(ints.to('float32'), op, {}).data));
      } else {
        expect(y.dtype).toBe(want.dtype === 'int64' ? 'int32' : want.dtype);
        expect(mismatches(y, want.values, 2e-6, fixture.ints)).toEqual([]);
      }
      if (y.dtype !== 'int32') {
        expect(() => (ints[`${op}_`] as () => NDArray)()).toThrow(/can't be cast/);
      }
    });
  }

  it('arguments are checked from the typed parameters, naming the op and the parameter', () => {
    const x = tensor([1, -1]);
    expect(() => x.elu('a' as never)).toThrow(/^elu: alpha must be a number, got the string "a"$/);
    expect(() => x.elu({ alhpa: 1 } as never)).toThrow(
      /elu: unknown option 'alhpa' \(accepted: alpha\)/,
    );
    expect(() => (x.elu as (...a: number[]) => NDArray)(1, 2)).toThrow(
      /elu takes at most 1 argument \(alpha\), got 2/,
    );
    expect(() => (x.mish as (...a: number[]) => NDArray)(1)).toThrow(
      /mish takes no arguments, got 1: number 1/,
    );
    expect(() => x.celu(Infinity)).toThrow(/celu: alpha must be finite, got Infinity/);
    expect(() => x.elu([1] as never)).toThrow(/elu: alpha must be a number, got an array \[1\]/);
  });

  it('formulas render the same value in every language they reach', () => {
    const elu = formula.select(formula.v('x').gt(0), formula.v('x'), formula.expm1(formula.v('x')));
    expect(formula.render(elu, 'js')).toBe('((x > 0) ? x : Math.expm1(x))');
    expect(formula.render(elu, 'cpp')).toBe('((x > C(0.0)) ? x : std::expm1(x))');
    expect(formula.render(elu, 'as')).toBe('((x > (<f64>(0.0))) ? x : Math.expm1(x))');
    expect(formula.renders(formula.erf(formula.v('x')), 'as')).toBe(false);
  });
});

describe('fast kernels are keyed from the registry', () => {
  const backends = [
    ['native', nativeBackend, 'cpp'],
    ['wasm', wasmBackend, 'as'],
  ] as const;
  for (const [name, backend, language] of backends) {
    it.runIf(backend !== null)(`${name}: the binary's op tables equal the registry's`, () => {
      const tables = fastKernelTables(backend!)!;
      expect(tables.unary).toEqual(kernelTable('unary', language));
      expect(tables.binary).toEqual(kernelTable('binary', language));
    });
  }

  it('an op the kernels do not list runs on the reference backend (fail closed)', () => {
    const calls: string[] = [];
    const declining: FastKernels = {
      params: new Float64Array(32),
      // A binary built from another registry: its code 0 is not 'neg'.
      tables: { unary: ['exp'], binary: [] },
      gemm: () => false,
      binary: () => false,
      unary: () => {
        calls.push('unary');
        return false;
      },
      where: () => false,
      copy: () => false,
      reduce: () => false,
      softmax: () => false,
    };
    const b = createFastBackend('test', declining, { minElements: 0, minMatmul: 0 });
    const x = { data: new Float32Array([1, -2]), shape: [2], strides: [1], offset: 0 };
    const out = { data: new Float32Array(2), shape: [2], strides: [1], offset: 0 };
    b.unary('neg', x, out, 0, 0);
    expect(Array.from(out.data)).toEqual([-1, 2]);
    expect(calls).toEqual([]); // never sent: 'neg' has no code in this binary
    b.unary('exp', x, out, 0, 0); // sent, declined, computed by the reference backend
    expect(calls).toEqual(['unary']);
    const want = new Float32Array(2);
    referenceBackend.unary('exp', x, { ...out, data: want }, 0, 0);
    expect(out.data).toEqual(want);
  });
});
