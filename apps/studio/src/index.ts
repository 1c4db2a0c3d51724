/**
 * @gd/studio — the lecture in the browser: a page with the autograd examples, pitfalls,
 * least squares and losses run live, and MNIST trained in a Web Worker with `@gd/trainer`.
 *
 * @example
 * ```ts
 * import { startStudio } from '@gd/studio';
 * const studio = await startStudio();
 * console.log(studio.url);
 * ```
 *
 * @packageDocumentation
 */
export { ISOLATION_HEADERS, resolveStatic, startStudio, studioMounts } from './server.js';
export type { Mount, Studio, StudioOptions } from './server.js';
