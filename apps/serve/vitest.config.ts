import { gdVitestConfig } from '@gd/vitest-config';

// The shared config, plus one global setup that trains and exports the test model once.
export default gdVitestConfig({ globalSetup: ['test/global-setup.ts'] });
