// The op registry as data: every entry against its PyTorch fixtures (fixtures/*.json, made by
// tooling/fixtures/generate.mjs): unary ops on a grid with ±0, ±inf, NaN in float64 and float32
// and on integers, binary ops on a grid against itself, on integers and on bools, with PyTorch's
// dtypes and refusals; argument checking from the typed parameters; each fast backend's
// compiled op table against the registry. The tensor suite runs once per backend, so this file
// checks every backend.
import { describe, expect, it } from 'vitest';
import binaryJson from '../../../fixtures/binary.json' with { type: 'json' };
import unaryJson from '../../../fixtures/unary.json' with { type: 'json' };
import type { BinaryOp, DType, GeneratedUnaryOp, NDArray, UnaryOp } from '../../index.js';
import {
  BINARY_REGISTRY,
  GENERATED_UNARY_OPS,
  GRAD_REGISTRY,
  gradKernel,
  UNARY_REGISTRY,
  binaryEntry,
  formula,
  getBackend,
  nativeBackend,
  referenceBackend,
  tensor,
  unaryEntry,
  wasmBackend,
} from '../../index.js';
import { kernelTable } from '../../backend/fast/codegen.js';
import { LANGUAGES } from '../../kernel-languages.js';
import { JS_HELPERS } from './helpers.js';
import { paramVars } from './elementwise.js';
import { createFastBackend, fastKernels } from '../../backend/fast/backend.js';
import { BACKEND_CORE } from '../../backend/core.js';
import { SLOT, viewSlot } from '../../backend/fast/abi.js';
import type { FastKernels } from '../../backend/fast/kernels.js';

type Encoded = number | string;
/** PyTorch's result: dtype and flat values, or its refusal. */
type Outcome = { dtype: string; values: Encoded[] } | { error: string };
interface UnaryCase {
  params: Record<string, Encoded>;
  f64: Encoded[];
  f32: Encoded[];
}
interface UnaryFixture {
  values: Encoded[];
  ints: number[];
  ops: Record<string, { int: Outcome; cases: UnaryCase[] }>;
}
interface BinaryCase {
  params: Record<string, Encoded>;
  f64: Outcome;
  f32: Outcome;
  int: Outcome;
  bool: Outcome;
}
interface BinaryFixture {
  values: Encoded[];
  intA: number[];
  ops: Record<string, { intB: number[]; cases: BinaryCase[] }>;
}

// JSON modules (not a file read), so a bundle for the browser carries them.
const unary = unaryJson as unknown as UnaryFixture;
const binary = binaryJson as unknown as BinaryFixture;
const decode = (v: Encoded): number => (v === '-0' ? -0 : Number(v));
const decodeParams = (p: Record<string, Encoded>): Record<string, number> =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, decode(v)]));
const X = unary.values.map(decode);
/** PyTorch's int64 is gd's int32. */
const gdDType = (torchDType: string): string => (torchDType === 'int64' ? 'int32' : torchDType);

/**
 * Where `got` differs from PyTorch: NaN only NaN, infinities exactly, else within tol relative
 * (absolute below 1); the sign of zero only where `tol` is float64's (PyTorch's float32 kernels
 * are vectorised and do not keep it consistently).
 */
function mismatches(
  got: NDArray,
  want: readonly Encoded[],
  tol: number,
  at: readonly number[] = X,
): string[] {
  const signedZeros = tol <= 1e-12;
  const values = Array.from(got.data, Number);
  if (values.length !== want.length) return [`${values.length} values, PyTorch ${want.length}`];
  const bad: string[] = [];
  want.map(decode).forEach((w, i) => {
    const g = values[i]!;
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : !Number.isFinite(w)
        ? g === w
        : Math.abs(g - w) <= tol * Math.max(1, Math.abs(w)) &&
          (!signedZeros || w !== 0 || g !== 0 || Object.is(g, w));
    if (!ok) {
      const show = (v: number | undefined): string => (Object.is(v, -0) ? '-0' : String(v));
      bad.push(`at ${show(at[i] ?? i)}: got ${show(g)}, PyTorch ${show(w)}`);
    }
  });
  return bad.slice(0, 6);
}

const encode = (t: NDArray): Encoded[] =>
  Array.from(t.data, (v) => (Object.is(v, -0) ? '-0' : Number(v)));

const isGenerated = (op: UnaryOp): op is GeneratedUnaryOp =>
  (GENERATED_UNARY_OPS as readonly string[]).includes(op);

/** Ops whose public call differs from `x.op(...params)`. */
const UNARY_CALLS: Partial<Record<UnaryOp, (x: NDArray, p: Record<string, number>) => NDArray>> = {
  geluTanh: (x) => x.gelu('tanh'),
  powScalar: (x, p) => x.pow(p.exponent!),
  clamp: (x, p) =>
    x.clamp(Number.isFinite(p.min!) ? p.min : null, Number.isFinite(p.max!) ? p.max : null),
};

/** The public call of a unary registry op (generated ops get their parameters by name). */
function callUnary(x: NDArray, op: UnaryOp, params: Record<string, number>): NDArray {
  const special = UNARY_CALLS[op];
  if (special) return special(x, params);
  const method = x[op as keyof NDArray] as (...a: unknown[]) => NDArray;
  if (isGenerated(op)) return method.call(x, ...(Object.keys(params).length ? [params] : []));
  return method.call(x, ...(unaryEntry(op).params ?? []).map((p) => params[p.name]));
}

/** Compares gd's result (or error) with PyTorch's. */
function expectOutcome(
  run: () => NDArray,
  want: Outcome,
  tol: number,
  at?: readonly number[],
): void {
  if ('error' in want) {
    expect(run).toThrow();
    return;
  }
  const y = run();
  expect(y.dtype).toBe(gdDType(want.dtype));
  expect(mismatches(y, want.values, tol, at)).toEqual([]);
}

// Float32 tolerance: float32 rounding on the CPU backends, looser on a GPU (its math functions).
const tol32 = getBackend().float32Tolerance ?? 2e-6;
// The same computation two ways is bit-identical on the CPU backends.
const exactOnCpu = getBackend().float32Tolerance ?? 0;

describe(`unary registry ops against PyTorch (${getBackend().name} backend)`, () => {
  it('every entry has fixtures', () => {
    expect(Object.keys(unary.ops).sort()).toEqual(Object.keys(UNARY_REGISTRY).sort());
  });

  for (const op of Object.keys(UNARY_REGISTRY) as UnaryOp[]) {
    const fx = unary.ops[op]!;
    for (const c of fx.cases) {
      const params = decodeParams(c.params);
      it(`${op}(${JSON.stringify(c.params)}): float64 to 1e-12 (signed zeros too), float32 to float tolerance`, () => {
        const bool = unaryEntry(op).dtype === 'bool';
        const y64 = callUnary(tensor(X, { dtype: 'float64' }), op, params);
        expect(y64.dtype).toBe(bool ? 'bool' : 'float64');
        expect(mismatches(y64, c.f64, 1e-12)).toEqual([]);
        const y32 = callUnary(tensor(X, { dtype: 'float32' }), op, params);
        expect(y32.dtype).toBe(bool ? 'bool' : 'float32');
        expect(mismatches(y32, c.f32, tol32)).toEqual([]);
      });
    }
    it(`${op}: int32 input gives PyTorch's dtype and values (float32 where PyTorch refuses ints)`, () => {
      const ints = tensor(unary.ints, { dtype: 'int32' });
      const params = decodeParams(fx.cases[0]!.params);
      const y = callUnary(ints, op, params);
      if ('error' in fx.int) {
        // gd computes in the default float dtype where PyTorch has no integer kernel.
        expect(y.dtype).toBe<DType>('float32');
        const viaFloat = callUnary(ints.to('float32'), op, params);
        expect(mismatches(y, encode(viaFloat), exactOnCpu)).toEqual([]);
      } else {
        expect(y.dtype).toBe(gdDType(fx.int.dtype));
        expect(mismatches(y, fx.int.values, tol32, unary.ints)).toEqual([]);
      }
      if (isGenerated(op) && y.dtype !== 'int32') {
        expect(() => (ints[`${op}_`] as () => NDArray)()).toThrow(/can't be cast/);
      }
    });
  }

  for (const op of GENERATED_UNARY_OPS) {
    it(`${op}: positional parameters equal named ones, in place equals out of place`, () => {
      const params = unaryEntry(op).params ?? [];
      const x = tensor(X, { dtype: 'float64' });
      const named = Object.fromEntries(params.map((p, i) => [p.name, 0.75 + i]));
      const positional = params.map((_, i) => 0.75 + i);
      const a = callUnary(x, op, named);
      const b = (x[op] as (...v: number[]) => NDArray)(...positional);
      expect(mismatches(b, encode(a), 0)).toEqual([]);
      const y = x.clone();
      expect((y[`${op}_`] as (...v: unknown[]) => NDArray)(...positional)).toBe(y);
      expect(mismatches(y, encode(b), 0)).toEqual([]);
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
    expect(formula.render(elu, formula.JS)).toBe('((x > 0) ? x : Math.expm1(x))');
    expect(formula.render(elu, LANGUAGES.cpp)).toBe('((x > C(0.0)) ? x : std::expm1(x))');
    expect(formula.render(elu, LANGUAGES.as)).toBe('((x > (<f64>(0.0))) ? x : Math.expm1(x))');
    expect(formula.renders(formula.erf(formula.v('x')), LANGUAGES.as)).toBe(false);
  });
});

describe(`binary registry ops against PyTorch (${getBackend().name} backend)`, () => {
  it('every entry has fixtures', () => {
    expect(Object.keys(binary.ops).sort()).toEqual(Object.keys(BINARY_REGISTRY).sort());
  });

  const grid = binary.values.map(decode);
  const n = grid.length;
  for (const op of Object.keys(BINARY_REGISTRY) as BinaryOp[]) {
    const fx = binary.ops[op]!;
    for (const c of fx.cases) {
      const params = (binaryEntry(op).params ?? []).map((p) => decode(c.params[p.name]!));
      const run = (a: NDArray, b: NDArray) => () =>
        (a[op] as (o: NDArray, ...p: number[]) => NDArray)(b, ...params);
      const label = `${op}(${JSON.stringify(c.params)})`;
      it(`${label}: float64 grid of ${n}x${n} (±0, ±inf, NaN) as a column against a row`, () => {
        const a = tensor(grid, { dtype: 'float64' }).reshape(n, 1);
        expectOutcome(run(a, tensor(grid, { dtype: 'float64' })), c.f64, 1e-12);
      });
      it(`${label}: float32 grid`, () => {
        const a = tensor(grid, { dtype: 'float32' }).reshape(n, 1);
        expectOutcome(run(a, tensor(grid, { dtype: 'float32' })), c.f32, tol32);
      });
      it(`${label}: int32 grid (PyTorch's int64) and bools, or PyTorch's refusal`, () => {
        const ia = tensor(binary.intA, { dtype: 'int32' }).reshape(binary.intA.length, 1);
        expectOutcome(run(ia, tensor(fx.intB, { dtype: 'int32' })), c.int, tol32);
        const ba = tensor([false, true]).reshape(2, 1);
        expectOutcome(run(ba, tensor([false, true])), c.bool, 0);
      });
    }
  }
});

describe('fast kernels are keyed from the registry', () => {
  const backends = [
    ['native', nativeBackend, 'cpp'],
    ['wasm', wasmBackend, 'as'],
  ] as const;
  for (const [name, backend, language] of backends) {
    it.runIf(backend !== null)(`${name}: the binary's op tables equal the registry's`, () => {
      const tables = fastKernels(backend!)!.tables;
      expect(tables.unary).toEqual(kernelTable('unary', language));
      expect(tables.binary).toEqual(kernelTable('binary', language));
    });
  }

  for (const [name, backend] of backends) {
    it.runIf(backend !== null)(`${name}: the binary declines op codes it does not know`, () => {
      const k = fastKernels(backend!)!;
      const P = k.params;
      const x = new Float32Array([1, -2, 3, -4]);
      const out = new Float32Array([7, 7, 7, 7]);
      P[SLOT.n0] = 1;
      P[SLOT.n1] = 4;
      for (const j of [0, 1, 2]) P.set([0, 4, 1], viewSlot(j));
      // One slab: the loop levels outside the 2-d nest (where a binary walks them) run once.
      P.set([1, 0, 0, 0, 0, 1, 0, 0, 0, 0], SLOT.outerLoops);
      const past = Math.max(k.tables.unary.length, k.tables.binary.length);
      for (const code of [past, 9999, -1]) {
        P[SLOT.op] = code;
        expect(k.unary(x, out)).toBe(false);
        expect(k.binary(x, x, out)).toBe(false);
        P.set([0, 1, 1], viewSlot(0));
        P.set([0, 1, 0], viewSlot(1));
        P[SLOT.n0] = 4;
        P[SLOT.n1] = 1;
        expect(k.reduce(x, out)).toBe(false);
        P[SLOT.n0] = 1;
        P[SLOT.n1] = 4;
        for (const j of [0, 1, 2]) P.set([0, 4, 1], viewSlot(j));
      }
      expect(Array.from(out)).toEqual([7, 7, 7, 7]); // nothing was written
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
    const b = createFastBackend('test', declining, { minElements: 0, minMatmul: 0 }, BACKEND_CORE);
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

describe(`gradient kernels (${getBackend().name} backend)`, () => {
  const xs = [-3, -1.5, -0.5, -1e-3, 0, 1e-3, 0.25, 0.5, 1, 2.5, 7];
  const gs = xs.map((_, i) => 0.5 + i / 7);
  for (const [name, entry] of Object.entries(GRAD_REGISTRY)) {
    it(`${name}: g · ${entry!.of}'(${entry!.reads}) in one pass equals g times the derivative formula`, () => {
      const unary = unaryEntry(entry!.of);
      const params = Object.fromEntries((unary.params ?? []).map((p) => [p.name, p.default]));
      const derivative = formula.evaluator(
        unary.generated!.grad(formula.v('x'), formula.v('y'), paramVars(unary.params)),
        JS_HELPERS,
      );
      const inputs = unary.generated!.domain === 'positive' ? xs.map((x) => Math.abs(x) + 0.1) : xs;
      for (const dtype of ['float32', 'float64'] as const) {
        const x = tensor(inputs, { dtype });
        const call = x[entry!.of] as (p?: object) => NDArray;
        const y = unary.params?.length ? call.call(x, params) : call.call(x);
        const v = entry!.reads === 'y' ? y : x;
        const got = Array.from(
          gradKernel(entry!.of, tensor(gs, { dtype }), v, params)!.toArray() as number[],
        );
        const vs = Array.from(v.toArray() as number[]);
        const gAt = (i: number): number => (dtype === 'float32' ? Math.fround(gs[i]!) : gs[i]!);
        const want = vs.map((vi, i) => gAt(i) * derivative({ ...params, x: vi, y: vi }));
        const tol = dtype === 'float32' ? 3e-6 : 1e-12;
        got.forEach((gi, i) => {
          const w = want[i]!;
          if (!Number.isFinite(w)) expect(gi, `${name} at ${vs[i]}`).toBe(w);
          else
            expect(
              Math.abs(gi - w),
              `${name} ${dtype} at ${vs[i]}: ${gi} vs ${w}`,
            ).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w)));
        });
      }
    });
  }
});
