/**
 * @gd/datasets/node — the Node-only file helpers of @gd/datasets on their own: a bundle for the
 * browser that imports this entry fails at build time instead of at run time. The main entry
 * exports the same functions in Node (and, in a browser, versions that explain what to do).
 *
 * @example
 * ```ts
 * import { defaultMnistRoot, readIdx } from '@gd/datasets/node';
 * import { IDX_LABELS_MAGIC } from '@gd/datasets';
 *
 * const labels = readIdx(`${defaultMnistRoot()}/t10k-labels-idx1-ubyte`, IDX_LABELS_MAGIC);
 * ```
 *
 * @packageDocumentation
 */
import { readFileBytes } from './platform.node.js';
import type { IdxArray } from './idx.js';
import { parseIdx } from './idx.js';

export { defaultMnistRoot } from './platform.node.js';

/**
 * Reads and parses an IDX file of unsigned bytes (raw or gzip) from disk; see `parseIdx` of
 * `@gd/datasets`. A file that cannot be read throws an Error naming it.
 *
 * @example
 * ```ts
 * readIdx('/data/train-images-idx3-ubyte.gz', 2051).dims; // [60000, 28, 28]
 * ```
 */
export function readIdx(path: string, expectedMagic?: number): IdxArray {
  return parseIdx(readFileBytes(path, 'IDX file'), path, expectedMagic);
}
