// bernoulli_ with a scalar p on the active backend (native and wasm draw in their compiled
// sampler, the others in TypeScript) against the engine's raw words: the same samples for every
// output type and size, refills included, and the engine left where the engine would be.
import { describe, expect, it } from 'vitest';
import { getBackend } from '../index.js';
import { Generator } from './generator.js';
import { MT19937 } from './mt19937.js';

const TWO_POW_32 = 4294967296;
const TYPES = [Float32Array, Float64Array, Int32Array, Uint8Array] as const;

// PyTorch's rule from raw words: the 53-bit integer of two draws below p * 2^53.
function expected(
  seed: number,
  skip: number,
  n: number,
  p: number,
): { mask: number[]; next: number } {
  const mt = new MT19937(seed);
  for (let i = 0; i < skip; i++) mt.nextUint32();
  const mask: number[] = [];
  for (let i = 0; i < n; i++) {
    const hi = mt.nextUint32() & 0x1fffff;
    const lo = mt.nextUint32();
    mask.push(hi * TWO_POW_32 + lo < p * 2 ** 53 ? 1 : 0);
  }
  return { mask, next: mt.nextUint32() };
}

describe(`bernoulli_(p) on the ${getBackend().name} backend`, () => {
  it.each([64, 65, 311, 312, 313, 1000, 4097, 20000])('matches the engine for %i elements', (n) => {
    for (const Ctor of TYPES) {
      for (const skip of [0, 1, 623, 700]) {
        const g = new Generator(1234 + n);
        // Start the engine mid-state, at and around a refill.
        if (skip > 0) g.randint_(new Int32Array(skip), 0, 2 ** 31);
        const out = new Ctor(n);
        g.bernoulli_(out, 0.3);
        const want = expected(1234 + n, skip, n, 0.3);
        expect(Array.from(out)).toEqual(want.mask);
        const after = new Int32Array(1);
        g.randint_(after, 0, 2 ** 31);
        // randint_ below 2^32 takes one word and keeps its low 31 bits here.
        expect(after[0]).toBe(want.next % 2 ** 31);
      }
    }
  });

  it('gives PyTorch-compatible extremes: p = 0 draws all zeros, p = 1 all ones', () => {
    const g = new Generator(0);
    const out = new Float32Array(500);
    g.bernoulli_(out, 0);
    expect(out.every((v) => v === 0)).toBe(true);
    g.bernoulli_(out, 1);
    expect(out.every((v) => v === 1)).toBe(true);
  });
});
