/**
 * The 32-bit Mersenne Twister exactly as ATen implements it (`at::mt19937`,
 * `ATen/core/MT19937RNGEngine.h`): the state is seeded with the low 32 bits of the seed, and the
 * engine keeps PyTorch's `left`/`next` counters so that its state round-trips through
 * `torch.get_rng_state()`'s byte layout.
 */
import { activeBackend } from '../backend/backend.js';

/** Number of 32-bit words in the state. */
export const MT_N = 624;
const MT_M = 397;
const MATRIX_A = 0x9908b0df;
const UMASK = 0x80000000;
const LMASK = 0x7fffffff;

/**
 * A raw mt19937 engine with PyTorch's seeding and refill schedule.
 *
 * @example
 * ```ts
 * const mt = new MT19937(5489);
 * mt.nextUint32(); // 3499211612, the first output of the reference mt19937
 * ```
 */
export class MT19937 {
  /** The 624-word state vector. */
  readonly state: Uint32Array = new Uint32Array(MT_N);
  // The same words as int32, so that refill and fillUint32 stay in int32 arithmetic (with a
  // branchless twist, they draw about 3x faster than the uint32 version).
  private readonly words: Int32Array = new Int32Array(this.state.buffer);
  // left and next, handed to a compiled sampler and read back from it.
  private readonly counters = new Int32Array(2);
  /** Outputs left before the next refill, plus one (PyTorch's `left_`, in 1..624). */
  left = 1;
  /** Index of the next state word to temper (PyTorch's `next_`, in 0..624). */
  next = 0;

  constructor(seed = 5489) {
    this.seed(seed);
  }

  /**
   * Re-initialises the state from the low 32 bits of `seed` (`init_genrand`).
   *
   * @example
   * ```ts
   * new MT19937().seed(42).nextUint32(); // 1608637542
   * ```
   */
  seed(seed: number): this {
    const s = this.state;
    // `seed & 0xffffffff` on a uint64: take the low 32 bits of a (possibly > 2^32) integer.
    let prev = (seed % 0x100000000) >>> 0;
    s[0] = prev;
    for (let j = 1; j < MT_N; j++) {
      prev = (Math.imul(1812433253, prev ^ (prev >>> 30)) + j) >>> 0;
      s[j] = prev;
    }
    this.left = 1;
    this.next = 0;
    return this;
  }

  /** Regenerates all 624 words (ATen's `next_state`). */
  private refill(): void {
    const s = this.words;
    const upper = UMASK | 0;
    const matrix = MATRIX_A | 0;
    let j = 0;
    for (; j < MT_N - MT_M; j++) {
      const v = s[j + 1]!;
      const y = (s[j]! & upper) | (v & LMASK);
      s[j] = s[j + MT_M]! ^ (y >>> 1) ^ (-(v & 1) & matrix);
    }
    for (; j < MT_N - 1; j++) {
      const v = s[j + 1]!;
      const y = (s[j]! & upper) | (v & LMASK);
      s[j] = s[j + MT_M - MT_N]! ^ (y >>> 1) ^ (-(v & 1) & matrix);
    }
    const v = s[0]!;
    const y = (s[MT_N - 1]! & upper) | (v & LMASK);
    s[MT_N - 1] = s[MT_M - 1]! ^ (y >>> 1) ^ (-(v & 1) & matrix);
    this.left = MT_N;
    this.next = 0;
  }

  /**
   * The next tempered 32-bit output, as an unsigned number in [0, 2^32).
   *
   * @example
   * ```ts
   * const x = new MT19937(0).nextUint32(); // 2357136044
   * ```
   */
  nextUint32(): number {
    if (--this.left === 0) this.refill();
    let y = this.state[this.next++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * Fills `out` with Bernoulli samples (1 where the 53-bit uniform integer of two draws is below
   * `threshold`) with the active backend's compiled sampler, when it has one that handles `out`;
   * returns false, having drawn nothing, otherwise.
   *
   * @example
   * ```ts
   * const mask = new Float32Array(4096);
   * if (!mt.drawBernoulli(mask, 0.8 * 2 ** 53)) drawInTypeScript(mask);
   * ```
   */
  drawBernoulli(
    out: Float32Array | Float64Array | Uint8Array | Int32Array,
    threshold: number,
  ): boolean {
    // A generator used on its own (no backend registered) draws in TypeScript.
    const backend = activeBackend();
    if (!backend?.mtBernoulli) return false;
    const c = this.counters;
    c[0] = this.left;
    c[1] = this.next;
    if (!backend.mtBernoulli(this.words, c, out, threshold)) return false;
    this.left = c[0]!;
    this.next = c[1]!;
    return true;
  }

  /**
   * Fills `out` with the next `out.length` outputs, exactly as that many {@link nextUint32}
   * calls would (several times faster: one tight loop per block of the state).
   *
   * @example
   * ```ts
   * const words = new Uint32Array(4);
   * new MT19937(0).fillUint32(words); // words[0] === 2357136044
   * ```
   */
  fillUint32(out: Uint32Array): void {
    const s = this.words;
    const n = out.length;
    let i = 0;
    while (i < n) {
      if (this.left === 1) {
        // The draw that triggers a refill, as nextUint32 makes it.
        out[i++] = this.nextUint32();
        continue;
      }
      const take = Math.min(this.left - 1, n - i);
      let k = this.next;
      for (const end = i + take; i < end; i++) {
        let y = s[k++]!;
        y ^= y >>> 11;
        y ^= (y << 7) & (0x9d2c5680 | 0);
        y ^= (y << 15) & (0xefc60000 | 0);
        y ^= y >>> 18;
        out[i] = y;
      }
      this.next = k;
      this.left -= take;
    }
  }
}
