/**
 * What a caller can hand over as the WebAssembly kernels (see load.ts for how they are
 * loaded). Kept apart from the loader, which comes with the backend's runtime: the page loads it
 * only as it starts the backend, and `@gd/tensor/wasm-inline` needs only `provideKernels`.
 */
/**
 * The WebAssembly kernels as the caller supplies them: a URL of `gd_kernels_single.wasm` (or
 * `gd_kernels.wasm`; either serves) to fetch, the file's bytes, or a module compiled from them.
 *
 * @example
 * ```ts
 * const source: WasmSource = '/static/gd_kernels_single.wasm';
 * await initWasm({ wasm: source });
 * ```
 */
export type WasmSource = string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

let provided: WasmSource | undefined;

/**
 * Kernels handed over before the backend loads (by `@gd/tensor/wasm-inline`, when it is
 * imported ahead of the package): the backend then loads these instead of fetching build/.
 */
export function provideKernels(source: WasmSource): void {
  provided = source;
}

/** What {@link provideKernels} received, if anything. */
export function providedKernels(): WasmSource | undefined {
  return provided;
}
