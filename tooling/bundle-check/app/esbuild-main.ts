// esbuild: the kernels come inside the bundle from @gd/tensor/wasm-inline, imported first so
// that the backend loads them as the package loads (no request for a .wasm file).
import { wasm } from '@gd/tensor/wasm-inline';
import { initWasm } from '@gd/tensor';
import { runOnPage } from './train.js';

void runOnPage(initWasm({ wasm }));
