/**
 * The tensor conformance suite in headless Chromium's own WebGPU (SwiftShader): the same test
 * files the webgpu project runs in Node (test/suites.ts), bundled with esbuild, each run in a
 * fresh module Web Worker of a cross-origin-isolated page on http://127.0.0.1 with vitest's
 * runner and matchers (@gd/vitest-config/browser-suite). A worker may block, so the suite's
 * synchronous readers work as in Node. Every case's outcome comes back here; a file passes
 * when none of its cases failed. Files that import Node built-ins stay in Node only.
 *
 * Without Chromium (or playwright-core, or a build) the test is skipped with a notice, except
 * under CI, where that is a failure.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, BrowserPage, StaticSite } from '@gd/vitest-config/browser';
import {
  ISOLATION_HEADERS,
  WEBGPU_SWIFTSHADER_ARGS,
  browserMissing,
  launchChromium,
  serveStatic,
} from '@gd/vitest-config/browser';
import type { FileResult } from '@gd/vitest-config/browser-suite';
import { bundleTestFiles, runTestFileInPage } from '@gd/vitest-config/browser-suite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceFiles } from './suites.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const missing =
  browserMissing() ??
  (existsSync(join(ROOT, 'dist/backend/webgpu/worker.js')) &&
  existsSync(join(ROOT, 'build/gd_kernels.wasm'))
    ? null
    : 'dist/ or the wasm kernels are not built (pnpm build)');
if (missing && !CI) console.warn(`[@gd/tensor browser conformance] skipped: ${missing}`);

/**
 * Where the bundle sits: @gd/tensor finds its WebGPU worker (dist/) and wasm kernels (build/)
 * three folders above its own module.
 */
const BUNDLE = '/app/js/esm/';
const { browser: FILES, nodeOnly } = conformanceFiles(ROOT);

describe.skipIf(missing !== null && !CI)(
  'the conformance suite on WebGPU in headless Chromium',
  () => {
    let site: StaticSite;
    let context: BrowserContext;
    let page: BrowserPage;
    let profile: string;
    let entries: Record<string, string>;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      if (missing) throw new Error(`browser conformance: ${missing}`);
      const bundled = await bundleTestFiles({
        root: ROOT,
        files: FILES.map((f) => join(ROOT, f)),
        setup: join(ROOT, 'test/browser-suite-setup.ts'),
      });
      entries = bundled.entries;
      const routes = Object.fromEntries(
        Object.entries(bundled.outputs).map(([name, text]) => [`${BUNDLE}${name}`, text]),
      );
      const html = '<!doctype html><meta charset="utf-8"><title>@gd/tensor conformance</title>';
      site = await serveStatic(
        { '/': html, ...routes },
        { '/dist/': join(ROOT, 'dist'), '/build/': join(ROOT, 'build') },
        ISOLATION_HEADERS,
      );
      profile = mkdtempSync(join(tmpdir(), 'gd-tensor-conformance-'));
      context = await launchChromium(profile, WEBGPU_SWIFTSHADER_ARGS);
      page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(`${site.url}/`);
      console.log(
        `[@gd/tensor browser conformance] ${FILES.length} files in Chromium; in Node only (they import Node built-ins): ${nodeOnly.join(', ')}`,
      );
    }, 120_000);

    afterAll(async () => {
      await context?.close();
      await site?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
    });

    it('takes the webgpu project’s files, less those that need Node', () => {
      expect(FILES.length).toBeGreaterThan(10);
      expect(FILES).toContain('src/ops/linalg.test.ts');
      expect(FILES).not.toContain('src/misuse.test.ts');
    });

    it.each(FILES)(
      '%s',
      async (file) => {
        const r: FileResult = await runTestFileInPage(
          page,
          `${BUNDLE}${entries[join(ROOT, file)]}`,
        );
        const count = (state: string): number => r.cases.filter((c) => c.state === state).length;
        console.log(
          `[@gd/tensor browser conformance] ${file} on ${String(r.info)}: ${count('pass')} passed, ${count('fail')} failed, ${count('skip') + count('todo')} skipped`,
        );
        const failures = r.cases
          .filter((c) => c.state !== 'pass' && c.state !== 'skip' && c.state !== 'todo')
          .map((c) => `${c.name} [${c.state}]: ${c.errors.join('\n')}`);
        expect(failures).toEqual([]);
        expect(count('pass')).toBeGreaterThan(0);
        expect(String(r.info)).not.toBe('null');
        expect(pageErrors).toEqual([]);
      },
      300_000,
    );
  },
);
