import { gdBackendProjectsConfig } from '@gd/vitest-config';

// The suite runs on the default backend and again with every tensor on WebGPU. Left out of the
// WebGPU run: the lecture's thousand-step descent loops of tiny ops, which on a software GPU
// block the test worker for minutes (vitest's RPC gives up after one); their ops are all
// covered by the rest of the suite.
export default gdBackendProjectsConfig(new URL('.', import.meta.url), undefined, {
  webgpuExclude: ['src/lecture-gradient-descent.test.ts'],
});
