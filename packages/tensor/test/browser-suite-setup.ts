/**
 * What each worker of the browser conformance run does before its test file: connect the
 * WebGPU backend (a worker may block, so the suite's synchronous readers work) and make it the
 * active backend, as GD_BACKEND=webgpu does in Node. Returns the adapter's name.
 */
import { getBackend, initWebGpu, webgpuBackend } from '../src/index.js';

export default async function setup(): Promise<string> {
  await initWebGpu();
  if (getBackend().name !== 'webgpu') throw new Error('the webgpu backend is not active');
  return webgpuBackend.adapter ?? 'unnamed adapter';
}
