// Vite: nothing to configure but an ES2022 target (gd uses top-level await). Vite emits the
// kernels that @gd/tensor points to with `new URL(..., import.meta.url)` as assets.
import { initWasm } from '@gd/tensor';
import { runOnPage } from './train.js';

void runOnPage(initWasm());
