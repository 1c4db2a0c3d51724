/**
 * A seeded random generator that reproduces PyTorch's CPU random streams.
 *
 * `Generator` is ATen's `CPUGeneratorImpl`: an mt19937 engine plus a cached second Box–Muller
 * sample. Each sampling method consumes the engine exactly as the corresponding PyTorch CPU
 * kernel does, so after `manualSeed(s)` / `torch.manual_seed(s)` the two produce the same
 * numbers:
 *
 * | gd                              | PyTorch                                     |
 * | ------------------------------- | ------------------------------------------- |
 * | `uniform_(out, from, to)`       | `torch.rand(n)`, `t.uniform_(from, to)`     |
 * | `normal_(out, mean, std)`       | `torch.randn(n)`, `t.normal_(mean, std)`    |
 * | `randint_(out, low, high)`      | `torch.randint(low, high, (n,))`            |
 * | `randperm(n)`                   | `torch.randperm(n)`                         |
 * | `bernoulli_(out, p)`            | `torch.bernoulli(p)`, `t.bernoulli_(p)`     |
 *
 * Verified against PyTorch 1.13.1 (Debian's python3-torch: x86-64, GCC 12, no MKL) run with its
 * default AVX2 kernels and with `ATEN_CPU_CAPABILITY=default`; generator.test.ts embeds the golden
 * values. Bit for bit, for float32 and float64 alike: `uniform_`, `randint_`, `randperm`,
 * `bernoulli_`, the state bytes, and float32 `normal_` on both the < 16 and the >= 16 paths
 * (the latter emulates the AVX2 kernel's avx_mathfun log/sincos and FMAs lane by lane).
 *
 * What does not (or may not) match:
 * - float64 `normal_`: PyTorch calls glibc's `log`, `sin` and `cos`, which are correctly rounded
 *   except in roughly 0.1% of cases; this class uses correctly rounded double-double versions
 *   (`Math.log/sin/cos` differ from glibc far more often), so about 0.15% of float64 normals come
 *   out one ulp away from PyTorch's (e.g. seed 2^53 - 1, `randn(1000)[802]`).
 * - `cpuCapability = 'default'`, float32 `normal_` with >= 16 elements: glibc's `logf/sinf/cosf`
 *   misround about 1% of their results; ours round correctly, so ~1.5% of elements differ by one
 *   or two float32 ulps. (Everything else on that setting matches.)
 * - PyTorch builds with MKL (the official x86-64 wheels) sample `bernoulli_(p)` with a *scalar*
 *   `p` from MKL's VSL stream (MCG31, seeded from the generator or, in recent releases, from a
 *   separate MKL generator): not reproduced. This class follows the non-MKL kernel (one 53-bit
 *   uniform per element, `u < p`). A tensor of probabilities never uses MKL and matches.
 * - `randperm` with n >= 214748364 uses PyTorch 2.x's 64-bit inside-out shuffle (1.13 still used
 *   the 32-bit swap shuffle there); that path is checked against a transcription of the 2.x
 *   source, not against PyTorch itself.
 * - Other PyTorch versions: the CPU kernels reproduced here are unchanged in the 2.x sources
 *   consulted, but only 1.13.1 was run. PyTorch's own float results depend on the CPU kernel
 *   (AVX2 vs scalar) and on the compiler contracting `a * b + c` into FMAs; see
 *   {@link Generator.cpuCapability}.
 * - Invalid arguments are rejected before any number is drawn; PyTorch checks a probability
 *   tensor element by element while sampling, after drawing for the earlier elements.
 */

import { avxLogf, avxSinCosf, fmaf, sinCosOut } from './float32math.js';
import { accurateLog, accurateSinCos, accurateSinCosOut, fma } from './float64math.js';
import { MT19937, MT_N } from './mt19937.js';
import { RANDPERM_LARGE_N, randpermInsideOut, randpermSwap } from './permutation.js';

/** PyTorch's `default_rng_seed_val` (c10/core/GeneratorImpl.h). */
const DEFAULT_SEED = 67280421310721;
const TWO_POW_32 = 4294967296;
const TWO_POW_M24 = 1 / 16777216;
const TWO_POW_M53 = 1 / 9007199254740992;
const MAX_SEED = 9007199254740992; // 2^53
const FLT_MAX = 3.4028234663852886e38;
/** `_mm256_set1_ps(2.0f * c10::pi<double>)`. */
const TWO_PI_F = Math.fround(2 * Math.PI);

/**
 * Size in bytes of the state from {@link Generator.getState}, the size of `torch.get_rng_state()`.
 *
 * @example
 * ```ts
 * new Generator(0).getState().length === GENERATOR_STATE_BYTES; // true
 * ```
 */
export const GENERATOR_STATE_BYTES = 5056;
// Byte offsets of PyTorch's CPUGeneratorImplState (THGeneratorState legacy_pod + float sample).
const OFF_SEED = 0;
const OFF_LEFT = 8;
const OFF_SEEDED = 12;
const OFF_NEXT = 16;
const OFF_STATE = 24;
const OFF_NORMAL_Y = 5024;
const OFF_NORMAL_VALID = 5040;
const OFF_FLOAT_NORMAL = 5048;
const OFF_FLOAT_NORMAL_VALID = 5052;

/**
 * Which build of PyTorch's CPU kernels to mimic where their float results differ:
 * - `'avx2'` (default): what x86-64 PyTorch picks on any AVX2 CPU. The kernels are compiled with
 *   FMA enabled, so `x * (to - from) + from` in `uniform_` and `z * std + mean` in `normal_` are
 *   fused multiply-adds, and float32 `normal_` with >= 16 elements uses avx_mathfun's float32
 *   log/sincos.
 * - `'default'`: the scalar kernels (`ATEN_CPU_CAPABILITY=default`, or a CPU without AVX2): plain
 *   multiply-then-add, and glibc's `logf/sinf/cosf` for float32 `normal_` with >= 16 elements.
 *
 * @example
 * ```ts
 * const g = new Generator(0);
 * g.cpuCapability = 'default'; // like ATEN_CPU_CAPABILITY=default
 * ```
 */
export type CpuCapability = 'avx2' | 'default';

function describe(value: unknown): string {
  return typeof value === 'number' || typeof value === 'bigint'
    ? String(value)
    : (JSON.stringify(value) ?? String(value));
}

function isFloatArray(out: unknown): out is Float32Array | Float64Array {
  return out instanceof Float32Array || out instanceof Float64Array;
}

function checkFinite(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${fn}: ${name} must be a finite number, got ${describe(value)}`);
  }
}

// out[start + j] = (53-bit integer from words 2j, 2j+1) < threshold; kept apart from
// bernoulli_ so that V8 optimises this loop on its own.
function bernoulliBlock(
  out: Float32Array | Float64Array | Uint8Array | Int32Array,
  start: number,
  w: Uint32Array,
  count: number,
  threshold: number,
): void {
  for (let j = 0; j < count; j++) {
    out[start + j] = (w[2 * j]! & 0x1fffff) * TWO_POW_32 + w[2 * j + 1]! < threshold ? 1 : 0;
  }
}

/**
 * A seeded random number generator producing the same streams as PyTorch's CPU generator.
 *
 * @example
 * ```ts
 * const g = new Generator(0); // torch.manual_seed(0)
 * const x = new Float32Array(3);
 * g.uniform_(x); // torch.rand(3): [0.49625658988952637, 0.7682217955589294, 0.08847743272781372]
 * ```
 */
export class Generator {
  /** The build of PyTorch's CPU kernels to mimic: `'avx2'` (the default) or `'default'` (the scalar kernels, as `ATEN_CPU_CAPABILITY=default`). */
  cpuCapability: CpuCapability = 'avx2';

  private readonly mt = new MT19937();
  private seedLo = 0;
  private seedHi = 0;
  /** CPUGeneratorImpl::next_double_normal_sample_ (the cached r * sin(theta)). */
  private nextDoubleNormal: number | undefined = undefined;
  /** CPUGeneratorImpl::next_float_normal_sample_: unused by these kernels, kept for state round trips. */
  private nextFloatNormal: number | undefined = undefined;

  /**
   * Creates a generator seeded with `seed` (default: PyTorch's `default_rng_seed_val`,
   * 67280421310721).
   *
   * @example
   * ```ts
   * const g = new Generator(42);
   * ```
   */
  constructor(seed: number = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /**
   * Reseeds the generator, as `torch.manual_seed(seed)` does, and clears the cached normal.
   * The whole seed is kept for {@link initialSeed}; mt19937 uses its low 32 bits.
   *
   * @example
   * ```ts
   * const g = new Generator().manualSeed(7);
   * g.initialSeed(); // 7
   * ```
   */
  manualSeed(seed: number): this {
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
      throw new RangeError(
        `manualSeed: seed must be a non-negative integer, got ${describe(seed)}`,
      );
    }
    this.seedLo = seed % TWO_POW_32;
    this.seedHi = Math.floor(seed / TWO_POW_32);
    this.mt.seed(this.seedLo);
    this.nextDoubleNormal = undefined;
    this.nextFloatNormal = undefined;
    return this;
  }

  /**
   * The seed last given to {@link manualSeed} or chosen by {@link seed} (`torch.initial_seed()`).
   * A state restored from PyTorch with a seed above 2^53 reports the nearest double.
   *
   * @example
   * ```ts
   * new Generator(123).initialSeed(); // 123
   * ```
   */
  initialSeed(): number {
    return this.seedHi * TWO_POW_32 + this.seedLo;
  }

  /**
   * Reseeds from a non-deterministic source (`crypto.getRandomValues` when available, else
   * `Math.random`) and returns the new seed, an integer in [0, 2^53).
   *
   * @example
   * ```ts
   * const g = new Generator();
   * const s = g.seed();
   * new Generator(s); // replays g's stream
   * ```
   */
  seed(): number {
    let hi: number;
    let lo: number;
    const cryptoObj = (
      globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }
    ).crypto;
    if (cryptoObj && typeof cryptoObj.getRandomValues === 'function') {
      const words = cryptoObj.getRandomValues(new Uint32Array(2));
      hi = words[0]! & 0x1fffff;
      lo = words[1]!;
    } else {
      hi = Math.floor(Math.random() * 0x200000);
      lo = Math.floor(Math.random() * TWO_POW_32);
    }
    const s = hi * TWO_POW_32 + lo;
    this.manualSeed(s);
    return s;
  }

  /**
   * A copy of the full state: seed, mt19937 words and counters, and the cached normal sample.
   * The bytes use the layout of `torch.get_rng_state()` (5056 bytes, little-endian), so a state
   * can be moved between PyTorch and gd in either direction.
   *
   * @example
   * ```ts
   * const g = new Generator(0);
   * const saved = g.getState();
   * const a = g.nextUint32();
   * g.setState(saved);
   * g.nextUint32() === a; // true
   * ```
   */
  getState(): Uint8Array {
    const bytes = new Uint8Array(GENERATOR_STATE_BYTES);
    const view = new DataView(bytes.buffer);
    view.setUint32(OFF_SEED, this.seedLo, true);
    view.setUint32(OFF_SEED + 4, this.seedHi, true);
    view.setInt32(OFF_LEFT, this.mt.left, true);
    view.setInt32(OFF_SEEDED, 1, true);
    view.setUint32(OFF_NEXT, this.mt.next, true);
    const words = this.mt.state;
    for (let j = 0; j < MT_N; j++) view.setUint32(OFF_STATE + 8 * j, words[j]!, true);
    if (this.nextDoubleNormal !== undefined) {
      view.setFloat64(OFF_NORMAL_Y, this.nextDoubleNormal, true);
      view.setInt32(OFF_NORMAL_VALID, 1, true);
    }
    if (this.nextFloatNormal !== undefined) {
      view.setFloat32(OFF_FLOAT_NORMAL, this.nextFloatNormal, true);
      bytes[OFF_FLOAT_NORMAL_VALID] = 1;
    }
    return bytes;
  }

  /**
   * Restores a state from {@link getState} (or from `bytes(torch.get_rng_state().numpy())`).
   *
   * @example
   * ```ts
   * const a = new Generator(1);
   * const b = new Generator(2).setState(a.getState()); // b now continues a's stream
   * ```
   */
  setState(state: Uint8Array): this {
    if (!(state instanceof Uint8Array)) {
      throw new TypeError(
        'setState: state must be a Uint8Array (from getState or torch.get_rng_state())',
      );
    }
    if (state.length !== GENERATOR_STATE_BYTES) {
      throw new RangeError(
        `setState: state must be ${GENERATOR_STATE_BYTES} bytes (from getState or torch.get_rng_state()), got ${state.length}`,
      );
    }
    const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
    const left = view.getInt32(OFF_LEFT, true);
    const seeded = view.getInt32(OFF_SEEDED, true);
    const nextLo = view.getUint32(OFF_NEXT, true);
    const nextHi = view.getUint32(OFF_NEXT + 4, true);
    if (seeded === 0 || left < 1 || left > MT_N || nextHi !== 0 || nextLo > MT_N) {
      throw new RangeError(
        `setState: invalid mt19937 state (left=${left}, next=${nextHi * TWO_POW_32 + nextLo}, seeded=${seeded})`,
      );
    }
    this.seedLo = view.getUint32(OFF_SEED, true);
    this.seedHi = view.getUint32(OFF_SEED + 4, true);
    this.mt.left = left;
    this.mt.next = nextLo;
    const words = this.mt.state;
    for (let j = 0; j < MT_N; j++) words[j] = view.getUint32(OFF_STATE + 8 * j, true);
    this.nextDoubleNormal =
      view.getInt32(OFF_NORMAL_VALID, true) !== 0 ? view.getFloat64(OFF_NORMAL_Y, true) : undefined;
    this.nextFloatNormal =
      state[OFF_FLOAT_NORMAL_VALID] !== 0 ? view.getFloat32(OFF_FLOAT_NORMAL, true) : undefined;
    return this;
  }

  /**
   * The next raw mt19937 output, an integer in [0, 2^32) (`CPUGeneratorImpl::random()`).
   *
   * @example
   * ```ts
   * new Generator(5489).nextUint32(); // 3499211612
   * ```
   */
  nextUint32(): number {
    return this.mt.nextUint32();
  }

  /**
   * The next 64-bit output, built from two draws with the first as the high word
   * (`CPUGeneratorImpl::random64()`).
   *
   * @example
   * ```ts
   * const x: bigint = new Generator(0).nextUint64();
   * ```
   */
  nextUint64(): bigint {
    const hi = this.mt.nextUint32();
    const lo = this.mt.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** The low 53 bits of random64(), as an exact integer-valued double. */
  private random53(): number {
    const hi = this.mt.nextUint32();
    const lo = this.mt.nextUint32();
    return (hi & 0x1fffff) * TWO_POW_32 + lo;
  }

  /**
   * Fills `out` with uniform samples from [from, to), in PyTorch's order (`uniform_`,
   * `torch.rand`): float32 uses the low 24 bits of one 32-bit draw, float64 the low 53 bits of a
   * 64-bit draw; the result is `x * (to - from) + from` in the array's precision.
   *
   * @example
   * ```ts
   * const g = new Generator(0);
   * const x = new Float64Array(4);
   * g.uniform_(x, -1, 1); // torch.empty(4, dtype=torch.float64).uniform_(-1, 1)
   * ```
   */
  uniform_(out: Float32Array | Float64Array, from = 0, to = 1): void {
    if (!isFloatArray(out))
      throw new TypeError('uniform: out must be a Float32Array or Float64Array');
    checkFinite('uniform', 'from', from);
    checkFinite('uniform', 'to', to);
    const mt = this.mt;
    const n = out.length;
    if (out instanceof Float32Array) {
      const f = Math.fround(from);
      const t = Math.fround(to);
      if (!(Math.abs(f) <= FLT_MAX && Math.abs(t) <= FLT_MAX)) {
        throw new RangeError(`uniform: from (${from}) and to (${to}) must fit in float32`);
      }
      if (f > t)
        throw new RangeError(`uniform: from (${from}) must not be greater than to (${to})`);
      const range = Math.fround(t - f);
      if (range > FLT_MAX)
        throw new RangeError(`uniform: to - from (${to} - ${from}) overflows float32`);
      if (f === 0 && range === 1) {
        for (let i = 0; i < n; i++) out[i] = (mt.nextUint32() & 0xffffff) * TWO_POW_M24;
      } else if (this.cpuCapability === 'avx2') {
        // x * (to - from) + from, contracted into one FMA by the compiler.
        for (let i = 0; i < n; i++)
          out[i] = fmaf((mt.nextUint32() & 0xffffff) * TWO_POW_M24, range, f);
      } else {
        for (let i = 0; i < n; i++) {
          out[i] = Math.fround((mt.nextUint32() & 0xffffff) * TWO_POW_M24 * range) + f;
        }
      }
    } else {
      if (from > to)
        throw new RangeError(`uniform: from (${from}) must not be greater than to (${to})`);
      const range = to - from;
      if (!Number.isFinite(range))
        throw new RangeError(`uniform: to - from (${to} - ${from}) overflows float64`);
      if ((from === 0 && range === 1) || this.cpuCapability !== 'avx2') {
        for (let i = 0; i < n; i++) {
          const hi = mt.nextUint32();
          const lo = mt.nextUint32();
          out[i] = ((hi & 0x1fffff) * TWO_POW_32 + lo) * TWO_POW_M53 * range + from;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const hi = mt.nextUint32();
          const lo = mt.nextUint32();
          out[i] = fma(((hi & 0x1fffff) * TWO_POW_32 + lo) * TWO_POW_M53, range, from);
        }
      }
    }
  }

  /**
   * One sample of `at::normal_distribution<double>`: Box–Muller on two 53-bit uniforms, returning
   * r cos(theta) and caching r sin(theta) for the next call.
   */
  private normalDouble(mean: number, std: number): number {
    let ret = this.nextDoubleNormal;
    if (ret !== undefined) {
      this.nextDoubleNormal = undefined;
    } else {
      const u1 = this.random53() * TWO_POW_M53;
      const u2 = this.random53() * TWO_POW_M53;
      const r = Math.sqrt(-2 * accurateLog(1 - u2));
      accurateSinCos(2 * Math.PI * u1);
      this.nextDoubleNormal = r * accurateSinCosOut[0]!;
      ret = r * accurateSinCosOut[1]!;
    }
    return this.cpuCapability === 'avx2' ? fma(ret, std, mean) : ret * std + mean;
  }

  /**
   * Fills `out` with normal samples, in PyTorch's order (`normal_`, `torch.randn`):
   * - fewer than 16 elements: one `normal_distribution<double>` draw per element, whose second
   *   Box–Muller sample is cached in the generator and used by the next such draw;
   * - 16 or more: all elements are first filled with uniforms, then transformed 16 at a time
   *   (lanes j and j + 8 form a Box–Muller pair); when the length is not a multiple of 16, the
   *   last 16 elements are refilled with fresh uniforms and transformed again. float32 uses
   *   avx_mathfun's float32 log/sincos on AVX2 CPUs (see {@link cpuCapability}).
   *
   * @example
   * ```ts
   * const g = new Generator(0);
   * const x = new Float32Array(100);
   * g.normal_(x); // torch.manual_seed(0); torch.randn(100)
   * ```
   */
  normal_(out: Float32Array | Float64Array, mean = 0, std = 1): void {
    if (!isFloatArray(out))
      throw new TypeError('normal: out must be a Float32Array or Float64Array');
    checkFinite('normal', 'mean', mean);
    checkFinite('normal', 'std', std);
    if (std < 0) throw new RangeError(`normal: std must be non-negative, got ${std}`);
    const n = out.length;
    if (n >= 16) {
      if (out instanceof Float32Array) {
        if (this.cpuCapability === 'avx2')
          this.normalFillAvx2(out, Math.fround(mean), Math.fround(std));
        else this.normalFillFloat(out, Math.fround(mean), Math.fround(std));
      } else {
        this.normalFillDouble(out, mean, std, this.cpuCapability === 'avx2');
      }
      return;
    }
    for (let i = 0; i < n; i++) out[i] = this.normalDouble(mean, std);
  }

  /** `normal_fill_AVX2`: float32 Box–Muller with avx_mathfun's log256_ps / sincos256_ps. */
  private normalFillAvx2(data: Float32Array, mean: number, std: number): void {
    const n = data.length;
    this.uniform_(data);
    for (let i = 0; i < n - 15; i += 16) normalFill16Avx2(data, i, mean, std);
    if (n % 16 !== 0) {
      const tail = data.subarray(n - 16);
      this.uniform_(tail);
      normalFill16Avx2(data, n - 16, mean, std);
    }
  }

  /** `normal_fill<float>`: the scalar float32 kernel (glibc logf/cosf/sinf). */
  private normalFillFloat(data: Float32Array, mean: number, std: number): void {
    const n = data.length;
    this.uniform_(data);
    for (let i = 0; i < n - 15; i += 16) normalFill16Float(data, i, mean, std);
    if (n % 16 !== 0) {
      this.uniform_(data.subarray(n - 16));
      normalFill16Float(data, n - 16, mean, std);
    }
  }

  /** `normal_fill<double>`. */
  private normalFillDouble(data: Float64Array, mean: number, std: number, useFma: boolean): void {
    const n = data.length;
    this.uniform_(data);
    for (let i = 0; i < n - 15; i += 16) normalFill16Double(data, i, mean, std, useFma);
    if (n % 16 !== 0) {
      this.uniform_(data.subarray(n - 16));
      normalFill16Double(data, n - 16, mean, std, useFma);
    }
  }

  /**
   * Fills `out` with integers drawn uniformly from [low, high), as `torch.randint(low, high, (n,))`
   * does: `random() % (high - low) + low`, or `random64() % (high - low) + low` when the range is
   * 2^32 or more. An Int32Array stands in for torch's default int64 dtype (so the full int32 range,
   * 2^32 values, takes the 64-bit path as int64 does; torch's int32 dtype would not). Bounds must
   * fit the output: int32, ±2^24 for float32, ±2^53 for float64.
   *
   * @example
   * ```ts
   * const g = new Generator(0);
   * const x = new Int32Array(5);
   * g.randint_(x, 0, 10); // torch.manual_seed(0); torch.randint(0, 10, (5,)) -> [4, 9, 3, 0, 3]
   * ```
   */
  randint_(out: Int32Array | Float32Array | Float64Array, low: number, high: number): void {
    let limit: number;
    if (out instanceof Int32Array) limit = 2147483648;
    else if (out instanceof Float32Array) limit = 16777216;
    else if (out instanceof Float64Array) limit = MAX_SEED;
    else throw new TypeError('randint: out must be an Int32Array, Float32Array or Float64Array');
    if (
      typeof low !== 'number' ||
      typeof high !== 'number' ||
      !Number.isInteger(low) ||
      !Number.isInteger(high)
    ) {
      throw new TypeError(
        `randint: low and high must be integers, got low=${describe(low)}, high=${describe(high)}`,
      );
    }
    if (low >= high) throw new RangeError(`randint: low (${low}) must be less than high (${high})`);
    const maxValue = out instanceof Int32Array ? limit - 1 : limit;
    if (low < -limit || high - 1 > maxValue) {
      throw new RangeError(
        `randint: [${low}, ${high}) does not fit in ${out instanceof Int32Array ? 'int32' : out instanceof Float32Array ? 'float32' : 'float64'}`,
      );
    }
    const range = high - low;
    const mt = this.mt;
    const n = out.length;
    if (range >= TWO_POW_32) {
      // PyTorch switches to random64() for int64/float/double outputs when the range needs more
      // than 32 bits: a float64 output, or the full int32 range in an Int32Array (which stands in
      // for torch's default int64 dtype).
      const r = BigInt(range);
      const base = BigInt(low);
      for (let i = 0; i < n; i++) out[i] = Number((this.nextUint64() % r) + base);
      return;
    }
    for (let i = 0; i < n; i++) out[i] = (mt.nextUint32() % range) + low;
  }

  /**
   * A random permutation of 0 .. n-1 (`torch.randperm(n)` on the CPU). Below
   * `floor(2^32 / 20)` elements this is PyTorch's swap shuffle on 32-bit draws; from there on
   * PyTorch 2.x's inside-out shuffle on 64-bit draws.
   *
   * @example
   * ```ts
   * new Generator(0).randperm(5); // [4, 0, 1, 3, 2], as torch.manual_seed(0); torch.randperm(5)
   * ```
   */
  randperm(n: number): Int32Array {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new RangeError(`randperm: n must be a non-negative integer, got ${describe(n)}`);
    }
    if (n > 2147483647)
      throw new RangeError(`randperm: n must be at most 2^31 - 1 to fit in int32, got ${n}`);
    const out = new Int32Array(n);
    if (n < RANDPERM_LARGE_N) randpermSwap(out, this.mt);
    else randpermInsideOut(out, this.mt);
    return out;
  }

  /**
   * Fills `out` with Bernoulli samples (1 with probability p, else 0), as PyTorch does:
   * - a scalar `p` (`t.bernoulli_(p)`): one 53-bit uniform per element, `u < p`;
   * - a Float64Array of probabilities (`torch.bernoulli(p)` for float64 p): the same per element;
   * - a Float32Array of probabilities: one 24-bit float32 uniform per element, `u < p[i]`.
   * A probability array must have `out.length` elements or one (broadcast).
   *
   * @example
   * ```ts
   * const g = new Generator(0);
   * const p = new Float32Array([0.1, 0.5, 0.9]);
   * const x = new Float32Array(3);
   * g.bernoulli_(x, p); // [0, 0, 1], as torch.manual_seed(0); torch.bernoulli(p)
   * ```
   */
  bernoulli_(
    out: Float32Array | Float64Array | Uint8Array | Int32Array,
    p: number | Float32Array | Float64Array,
  ): void {
    if (!(
      out instanceof Float32Array ||
      out instanceof Float64Array ||
      out instanceof Uint8Array ||
      out instanceof Int32Array
    )) {
      throw new TypeError(
        'bernoulli: out must be a Float32Array, Float64Array, Uint8Array or Int32Array',
      );
    }
    const mt = this.mt;
    const n = out.length;
    if (typeof p === 'number') {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli: probability ${p} is not in [0, 1]`);
      // Two 32-bit draws per element, generated a block at a time; u < p compared as the
      // 53-bit integer against p * 2^53 (exact), which is the same test.
      const threshold = p * 9007199254740992;
      // The compiled sampler pays off past a few dozen elements (one call across N-API).
      if (n >= 64 && mt.drawBernoulli(out, threshold)) return;
      const words = new Uint32Array(2 * Math.min(n, 4096));
      for (let start = 0; start < n; start += 4096) {
        const count = Math.min(4096, n - start);
        const w = count * 2 === words.length ? words : words.subarray(0, count * 2);
        mt.fillUint32(w);
        bernoulliBlock(out, start, w, count, threshold);
      }
      return;
    }
    if (!isFloatArray(p)) {
      throw new TypeError('bernoulli: p must be a number, a Float32Array or a Float64Array');
    }
    if (p.length !== n && p.length !== 1) {
      throw new RangeError(`bernoulli: p has ${p.length} probabilities but out has ${n} elements`);
    }
    for (let i = 0; i < p.length; i++) {
      const pi = p[i]!;
      if (!(pi >= 0 && pi <= 1))
        throw new RangeError(`bernoulli: probability ${pi} is not in [0, 1]`);
    }
    const step = p.length === 1 ? 0 : 1;
    if (p instanceof Float64Array) {
      for (let i = 0; i < n; i++) {
        const hi = mt.nextUint32();
        const lo = mt.nextUint32();
        out[i] = ((hi & 0x1fffff) * TWO_POW_32 + lo) * TWO_POW_M53 < p[i * step]! ? 1 : 0;
      }
    } else {
      for (let i = 0; i < n; i++)
        out[i] = (mt.nextUint32() & 0xffffff) * TWO_POW_M24 < p[i * step]! ? 1 : 0;
    }
  }
}

/** normal_fill_16_AVX2 on data[off .. off + 16). */
function normalFill16Avx2(data: Float32Array, off: number, mean: number, std: number): void {
  const fround = Math.fround;
  for (let j = off; j < off + 8; j++) {
    const u1 = fround(1 - data[j]!);
    const u2 = data[j + 8]!;
    const radius = fround(Math.sqrt(fround(-2 * avxLogf(u1))));
    avxSinCosf(fround(TWO_PI_F * u2));
    data[j] = fmaf(fround(radius * sinCosOut[1]!), std, mean);
    data[j + 8] = fmaf(fround(radius * sinCosOut[0]!), std, mean);
  }
}

/** normal_fill_16<float>: float32 arithmetic around glibc's logf/cosf/sinf. */
function normalFill16Float(data: Float32Array, off: number, mean: number, std: number): void {
  const fround = Math.fround;
  for (let j = off; j < off + 8; j++) {
    const u1 = fround(1 - data[j]!);
    const u2 = data[j + 8]!;
    const radius = fround(Math.sqrt(fround(-2 * fround(Math.log(u1)))));
    const theta = fround(2 * Math.PI * u2);
    data[j] = fround(fround(radius * fround(Math.cos(theta))) * std) + mean;
    data[j + 8] = fround(fround(radius * fround(Math.sin(theta))) * std) + mean;
  }
}

/** normal_fill_16<double>: `radius * cos(theta) * std + mean`, the last step an FMA on AVX2. */
function normalFill16Double(
  data: Float64Array,
  off: number,
  mean: number,
  std: number,
  useFma: boolean,
): void {
  const plain = mean === 0 && std === 1;
  for (let j = off; j < off + 8; j++) {
    const u1 = 1 - data[j]!;
    const u2 = data[j + 8]!;
    const radius = Math.sqrt(-2 * accurateLog(u1));
    accurateSinCos(2 * Math.PI * u2);
    const a = radius * accurateSinCosOut[1]!;
    const b = radius * accurateSinCosOut[0]!;
    if (plain) {
      data[j] = a;
      data[j + 8] = b;
    } else if (useFma) {
      data[j] = fma(a, std, mean);
      data[j + 8] = fma(b, std, mean);
    } else {
      data[j] = a * std + mean;
      data[j + 8] = b * std + mean;
    }
  }
}

/**
 * The generator used when none is given, like PyTorch's default CPU generator.
 *
 * @example
 * ```ts
 * defaultGenerator.manualSeed(0);
 * defaultGenerator.uniform_(new Float32Array(3));
 * ```
 */
export const defaultGenerator: Generator = new Generator();

/**
 * Seeds {@link defaultGenerator} (like `torch.manual_seed`) and returns it.
 *
 * @example
 * ```ts
 * const g = manualSeed(42);
 * g === defaultGenerator; // true
 * ```
 */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
