/**
 * The two shuffles behind PyTorch's CPU `randperm` (`randperm_cpu` in
 * `ATen/native/TensorFactories.cpp`).
 */

/** A source of raw 32-bit mt19937 outputs. */
export interface Uint32Source {
  nextUint32(): number;
}

/**
 * PyTorch switches from the 32-bit swap shuffle to the 64-bit "inside-out" shuffle at
 * `n >= UINT32_MAX / 20` (PyTorch 2.x; 1.13 always used the 32-bit shuffle).
 */
export const RANDPERM_LARGE_N = Math.floor(0xffffffff / 20);

/**
 * Fills `out` with a permutation of `0 .. out.length - 1` the way PyTorch does for small n:
 * start from the identity and, for i = 0 .. n-2, swap element i with element
 * `i + random() % (n - i)`.
 *
 * @example
 * ```ts
 * const perm = new Int32Array(5);
 * randpermSwap(perm, new Generator(0)); // same as torch.manual_seed(0); torch.randperm(5)
 * ```
 */
export function randpermSwap(out: Int32Array, source: Uint32Source): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = i + (source.nextUint32() % (n - i));
    const saved = out[i]!;
    out[i] = out[z]!;
    out[z] = saved;
  }
}

/**
 * Fills `out` with a permutation of `0 .. out.length - 1` by PyTorch's large-n algorithm: the
 * inside-out Fisher–Yates shuffle with `z = random64() % (i + 1)`, where `random64()` is two
 * 32-bit draws, the first one the high word.
 *
 * @example
 * ```ts
 * const perm = new Int32Array(5);
 * randpermInsideOut(perm, new Generator(0));
 * ```
 */
export function randpermInsideOut(out: Int32Array, source: Uint32Source): void {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const hi = source.nextUint32();
    const lo = source.nextUint32();
    const m = i + 1;
    // (hi * 2^32 + lo) % m without losing precision: m < 2^31, so each product stays below 2^47.
    const z = ((((((hi % m) * 65536) % m) * 65536) % m) + lo) % m;
    out[i] = out[z]!;
    out[z] = i;
  }
}
