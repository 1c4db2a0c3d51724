import type { UserConfig } from 'vitest/config';
/** The shared vitest config with `overrides` merged into its `test` section. */
export function gdVitestConfig(overrides?: UserConfig['test']): UserConfig;
/** The environment that gives the WebGPU backend an adapter here, or null where it cannot run. */
export function webgpuEnv(packageDir: string | URL): Record<string, string> | null;
/** The shared config as projects: the default backend and, where it can run, WebGPU. */
export function gdBackendProjectsConfig(
  packageDir: string | URL,
  overrides?: UserConfig['test'],
  options?: { webgpuExclude?: string[] },
): UserConfig;
declare const config: UserConfig;
export default config;
