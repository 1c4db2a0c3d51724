/// <reference types="vite/client" />
// Vite: nothing to configure but an ES2022 target (gd uses top-level await). Vite emits the
// kernels that @gd/tensor points to with `new URL(..., import.meta.url)` as assets, and builds
// the WebGPU backend's worker from `?worker&url`.
import { initWasm, initWebGpu } from '@gd/tensor';
import workerUrl from '@gd/tensor/webgpu-worker?worker&url';
import { runOnPage } from './train.js';

const webgpu = new URLSearchParams(location.search).has('webgpu');
void runOnPage(webgpu ? initWebGpu({ workerUrl }) : initWasm());
