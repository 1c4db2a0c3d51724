import { gdVitestConfig } from '@gd/vitest-config';

// The guides train a small model and start servers: generous timeouts.
export default gdVitestConfig({ testTimeout: 180_000 });
