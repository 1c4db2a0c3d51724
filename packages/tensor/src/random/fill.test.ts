// MT19937.fillUint32 (the bulk draw behind bernoulli_) against one nextUint32 per word,
// across refill boundaries.
import { describe, expect, it } from 'vitest';
import { MT19937 } from './mt19937.js';

describe('MT19937.fillUint32', () => {
  it.each([
    [0, 0, 5000],
    [7, 623, 10],
    [7, 622, 3],
    [9, 1, 1250],
    [3, 624, 2000],
  ])('seed %i after %i draws, %i words: the same stream as nextUint32', (seed, pre, n) => {
    const a = new MT19937(seed);
    const b = new MT19937(seed);
    for (let i = 0; i < pre; i++) {
      a.nextUint32();
      b.nextUint32();
    }
    const words = new Uint32Array(n);
    a.fillUint32(words);
    expect(words).toEqual(Uint32Array.from({ length: n }, () => b.nextUint32()));
    expect(a.nextUint32()).toBe(b.nextUint32());
  });
});
