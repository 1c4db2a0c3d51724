import type { UserConfig } from 'vitest/config';
/** The shared vitest config with `overrides` merged into its `test` section. */
export function gdVitestConfig(overrides?: UserConfig['test']): UserConfig;
declare const config: UserConfig;
export default config;
