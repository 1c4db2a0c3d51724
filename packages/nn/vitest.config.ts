import { gdBackendProjectsConfig } from '@gd/vitest-config';

// The suite runs on the default backend and again with every tensor on WebGPU.
export default gdBackendProjectsConfig(new URL('.', import.meta.url));
