/**
 * What the backends loaded on demand (the fast backends' dispatch layer, fast/backend.ts, and
 * the WebGPU device backend, webgpu/device.ts) use from the rest of the package, handed to them
 * as they are made instead of imported. In a browser bundle the WebAssembly runtime and the
 * WebGPU device are chunks loaded on demand; were they to import these modules, the bundler
 * would move them, shared with the page, into chunks of their own, which every page loads up
 * front as extra files, each compressed apart.
 */
import { dtypeOfTypedArray, typedArrayConstructor } from '../dtype.js';
import {
  binaryEntry,
  binaryFormula,
  unaryEntry,
  unaryFormula,
} from '../ops/registry/elementwise.js';
import { isBooleanNode, render, renders } from '../ops/registry/formula.js';
import { contiguousStrides } from '../shape.js';
import { setAsyncHostAccessHook, setHostAccessHook } from '../storage.js';
import type { Backend } from './backend.js';
import { cpuBackend } from './backend.js';
import { referenceBackend } from './reference/index.js';
import { lineStrides } from './reference/indexing.js';
import { coalesce } from './reference/iterate.js';

/** The package's functions the backends loaded on demand call, by their names in the package. */
export interface BackendCore {
  /** The backend that defines the results; the fast backends run on it what their kernels do not cover. */
  readonly reference: Backend;
  /** dtype.ts's. */
  readonly dtypeOfTypedArray: typeof dtypeOfTypedArray;
  /** dtype.ts's. */
  readonly typedArrayConstructor: typeof typedArrayConstructor;
  /** shape.ts's. */
  readonly contiguousStrides: typeof contiguousStrides;
  /** The op registry's. */
  readonly binaryEntry: typeof binaryEntry;
  /** The op registry's. */
  readonly binaryFormula: typeof binaryFormula;
  /** The op registry's. */
  readonly unaryEntry: typeof unaryEntry;
  /** The op registry's. */
  readonly unaryFormula: typeof unaryFormula;
  /** The formula module's. */
  readonly isBooleanNode: typeof isBooleanNode;
  /** The formula module's. */
  readonly render: typeof render;
  /** The formula module's. */
  readonly renders: typeof renders;
  /** storage.ts's. */
  readonly setHostAccessHook: typeof setHostAccessHook;
  /** storage.ts's. */
  readonly setAsyncHostAccessHook: typeof setAsyncHostAccessHook;
  /** backend.ts's. */
  readonly cpuBackend: typeof cpuBackend;
  /** The reference backend's reduction of strided operands to a loop nest. */
  readonly coalesce: typeof coalesce;
  /** The reference backend's strides of the lines a gather or scatter walks. */
  readonly lineStrides: typeof lineStrides;
}

/** The core the backends loaded on demand are made with. */
export const BACKEND_CORE: BackendCore = {
  reference: referenceBackend,
  dtypeOfTypedArray,
  typedArrayConstructor,
  contiguousStrides,
  binaryEntry,
  binaryFormula,
  unaryEntry,
  unaryFormula,
  isBooleanNode,
  render,
  renders,
  setHostAccessHook,
  setAsyncHostAccessHook,
  cpuBackend,
  coalesce,
  lineStrides,
};
