import { gdVitestConfig } from '@gd/vitest-config';

export default gdVitestConfig();
