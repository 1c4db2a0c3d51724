import { gdVitestConfig } from '@gd/vitest-config';

// Packing and installing takes a while; one file, generous timeouts.
export default gdVitestConfig({ testTimeout: 180_000 });
