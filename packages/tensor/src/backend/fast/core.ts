/**
 * What the fast backends' dispatch layer (backend.ts) uses from the rest of the package, handed
 * to `createFastBackend` by the backend that makes one instead of imported by it. In a browser
 * bundle the WebAssembly runtime is a chunk loaded on demand; were it to import these modules,
 * the bundler would move them, shared with the page, into chunks of their own, which every page
 * loads up front as extra files, each compressed apart.
 */
import { binaryEntry } from '../../ops/registry/elementwise.js';
import { contiguousStrides } from '../../shape.js';
import type { Backend } from '../backend.js';
import { referenceBackend } from '../reference/index.js';
import { lineStrides } from '../reference/indexing.js';
import { coalesce } from '../reference/iterate.js';

/** The package's functions the fast backends' dispatch layer calls. */
export interface FastBackendCore {
  /** The backend that defines the results and runs what the kernels do not cover. */
  readonly reference: Backend;
  /** The op registry's binary entries (for an op's result dtype). */
  readonly binaryEntry: typeof binaryEntry;
  /** The reference backend's reduction of strided operands to a loop nest. */
  readonly coalesce: typeof coalesce;
  /** The strides of the lines a gather or scatter walks. */
  readonly lineStrides: typeof lineStrides;
  /** Row-major strides of a shape. */
  readonly contiguousStrides: typeof contiguousStrides;
}

/** The core every fast backend is made with. */
export const FAST_BACKEND_CORE: FastBackendCore = {
  reference: referenceBackend,
  binaryEntry,
  coalesce,
  lineStrides,
  contiguousStrides,
};
