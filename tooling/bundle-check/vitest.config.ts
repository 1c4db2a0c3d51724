import { gdVitestConfig } from '@gd/vitest-config';

// Two builds and two pages in headless Chromium: generous timeouts for a loaded machine.
export default gdVitestConfig({ testTimeout: 120_000 });
