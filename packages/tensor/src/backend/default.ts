/**
 * Registers gd's backends and picks the active one: the native addon where it was built
 * (priority 20), else WebAssembly SIMD (priority 10), else the reference TypeScript backend
 * (priority 0). WebGPU (priority -10) is used only when asked for. The environment variable `GD_BACKEND` (Node) or `globalThis.GD_BACKEND`
 * (browsers) names a backend explicitly; naming one that is not available is an error, so a
 * test run meant for a backend never silently runs on another.
 */
import { setBackend } from './backend.js';
import './reference/index.js';
import './wasm/index.js';
import './native/index.js';
import { loadWebGpu } from './webgpu/index.js';

function requestedBackend(): string | undefined {
  const g = globalThis as { GD_BACKEND?: unknown; process?: NodeJS.Process };
  if (typeof g.GD_BACKEND === 'string' && g.GD_BACKEND) return g.GD_BACKEND;
  const env = g.process?.env?.GD_BACKEND;
  return env ? env : undefined;
}

const requested = requestedBackend();
// A browser loads the WebGPU backend's code on demand: here, when it is asked for up front.
if (requested === 'webgpu') await loadWebGpu();
if (requested) setBackend(requested);
