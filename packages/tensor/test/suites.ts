/**
 * Which test files run where. The tensor suite is the backend conformance suite: every file
 * runs once per backend, except the files below. vitest.config.ts builds its projects from
 * these lists, and the browser run of the suite (browser-conformance.test.ts) takes its files
 * from conformanceFiles(), so both run one list of cases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * Run on the reference backend only: its own helpers, the browser tests (they pick their
 * backends inside the page), and argument checking (it happens before any kernel runs).
 */
export const ONCE = [
  'src/backend/reference/**',
  'src/backend/fast/**',
  'src/backend/native/buffer-pool.test.ts',
  'src/backend/wasm/source.test.ts',
  'src/backend/wasm/init.test.ts',
  'test/browser.test.ts',
  'test/browser-conformance.test.ts',
  'src/misuse.test.ts',
];

/** Run on WebGPU only: what is particular to a device backend. */
export const GPU_ONLY = ['src/backend/webgpu/webgpu.test.ts'];

function matches(file: string, pattern: string): boolean {
  return pattern.endsWith('/**') ? file.startsWith(pattern.slice(0, -2)) : file === pattern;
}

function testFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(root, path);
    return e.name.endsWith('.test.ts') ? [path.split(sep).join('/')] : [];
  });
}

/** Whether a test file imports a Node built-in (it cannot run in a browser). */
export function importsNode(root: string, file: string): boolean {
  return /\bfrom ['"]node:/.test(readFileSync(join(root, file), 'utf8'));
}

/**
 * The conformance suite as the webgpu project runs it (paths relative to `root`, the package
 * directory), split by whether a browser can run the file.
 *
 * @example
 * ```ts
 * const { browser, nodeOnly } = conformanceFiles(packageDir);
 * ```
 */
export function conformanceFiles(root: string): { browser: string[]; nodeOnly: string[] } {
  const files = testFiles(root, 'src')
    .filter((f) => !ONCE.some((p) => matches(f, p)))
    .filter((f) => !GPU_ONLY.includes(f))
    .sort();
  return {
    browser: files.filter((f) => !importsNode(root, f)),
    nodeOnly: files.filter((f) => importsNode(root, f)),
  };
}
