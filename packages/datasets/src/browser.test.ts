/**
 * The main entry in a browser: bundled by esbuild for the browser platform it needs no Node
 * builtins (the `#platform` import takes its browser side), and that side explains what to do
 * instead of reading files (run here with `#platform` swapped for the browser module).
 */
import { fileURLToPath } from 'node:url';
import { bundle } from '@gd/vitest-config/browser';
import { describe, expect, it, vi } from 'vitest';
import { gzipSync } from 'node:zlib';

vi.mock('#platform', () => import('./platform.browser.js'));

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

describe('@gd/datasets in a browser', () => {
  it('bundles for the browser platform without Node builtins', async () => {
    const code = await bundle(`export * from ${JSON.stringify(`${DIST}index.js`)};`, DIST);
    expect(code).toContain('platform.browser.js');
    expect(code).not.toContain('platform.node.js');
    expect(code).not.toMatch(/from ["']node:/);
    expect(code).toContain('function parseIdx');
  }, 60_000);

  it('parses bytes, and says how to read files and gzip', async () => {
    const d = await import('./index.js');
    const labels = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 3]);
    expect(Array.from(d.parseIdx(labels, 'l', d.IDX_LABELS_MAGIC).data)).toEqual([7, 3]);
    expect(() => d.parseIdx(new Uint8Array(gzipSync(labels)), 'l.gz')).toThrow(
      /l\.gz: the bytes are gzip-compressed, .* parseIdx\(await gunzip\(bytes\), \.\.\.\)/,
    );
    expect(
      Array.from(d.parseIdx(await d.gunzip(new Uint8Array(gzipSync(labels))), 'l').data),
    ).toEqual([7, 3]);
    expect(() => new d.MNIST()).toThrow(/defaultMnistRoot: a browser has no file system/);
    expect(() => new d.MNIST({ root: '/data' })).toThrow(
      /MNIST: cannot read the directory \/data \(a browser has no file system: .*new MNIST\(\{ images, labels \}\)/,
    );
    expect(() => d.readIdx('/x')).toThrow(/\/x: cannot read IDX file/);
  });
});
