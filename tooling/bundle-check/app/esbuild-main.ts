// esbuild: the kernels come inside the bundle from @gd/tensor/wasm-inline, imported first so
// that the backend loads them as the package loads (no request for a .wasm file). The WebGPU
// backend's worker is an entry point of its own (gd-webgpu-worker.js), named by `?webgpu=`.
import { wasm } from '@gd/tensor/wasm-inline';
import { initWasm, initWebGpu } from '@gd/tensor';
import { runOnPage } from './train.js';

const workerUrl = new URLSearchParams(location.search).get('webgpu');
void runOnPage(workerUrl ? initWebGpu({ workerUrl }) : initWasm({ wasm }));
