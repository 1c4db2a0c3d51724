/**
 * The browser side of @gd/onnx's file writing, chosen by the `#platform` import condition
 * (`default`): there is no file system, so writing to a path says what to do instead.
 */

const NO_FILES =
  'a browser has no file system: keep the bytes exportOnnx returns (e.g. download them as a Blob)';

/**
 * Writes ONNX bytes to `path` atomically: a temporary file in the same directory, fsynced,
 * then renamed over `path` (so a reader never sees a partial model). Creates the directory.
 * Node only (also exported by `@gd/onnx/node`); in a browser, offer the bytes as a download
 * instead.
 *
 * @example
 * ```ts
 * saveOnnx(exportOnnx(model, x), 'runs/mnist/model.onnx');
 * ```
 */
export function saveOnnx(bytes: Uint8Array, path: string): void {
  throw new Error(`saveOnnx: cannot write ${path} (${NO_FILES})`);
}

/** Creates a directory and its parents. */
export function makeDirectory(dir: string): void {
  throw new Error(`cannot create the directory ${dir} (${NO_FILES})`);
}

/** Joins path segments with the platform's separator. */
export const joinPath = (...parts: string[]): string => parts.join('/');
