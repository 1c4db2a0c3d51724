/**
 * What the WebGPU device backend (device.ts) uses from the rest of the package, handed to it as
 * it is made instead of imported by it. In a browser bundle device.ts is a chunk loaded on
 * demand; were it to import these modules, the bundler would move them, shared with the page,
 * into chunks of their own, which every page loads up front as extra files, each compressed
 * apart.
 */
import { dtypeOfTypedArray, typedArrayConstructor } from '../../dtype.js';
import {
  binaryEntry,
  binaryFormula,
  unaryEntry,
  unaryFormula,
} from '../../ops/registry/elementwise.js';
import { isBooleanNode, render, renders } from '../../ops/registry/formula.js';
import { setAsyncHostAccessHook, setHostAccessHook } from '../../storage.js';
import { cpuBackend } from '../backend.js';
import { lineStrides } from '../reference/indexing.js';
import { coalesce } from '../reference/iterate.js';

/** The package's functions the WebGPU device backend calls, by their names in the package. */
export interface DeviceCore {
  /** dtype.ts's. */
  readonly dtypeOfTypedArray: typeof dtypeOfTypedArray;
  /** dtype.ts's. */
  readonly typedArrayConstructor: typeof typedArrayConstructor;
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
  /** The reference backend's. */
  readonly coalesce: typeof coalesce;
  /** The reference backend's. */
  readonly lineStrides: typeof lineStrides;
}

/** The core the WebGPU device backend is made with. */
export const DEVICE_CORE: DeviceCore = {
  dtypeOfTypedArray,
  typedArrayConstructor,
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
