/**
 * The main entry in a browser: bundled by esbuild for the browser platform it needs no Node
 * builtins (the `#platform` import takes its browser side), `exportOnnx` gives bytes there, and
 * the file writers explain what to do instead (run here with `#platform` swapped for the
 * browser module).
 */
import { fileURLToPath } from 'node:url';
import { randn, manualSeed } from '@gd/autograd';
import { LogisticRegression } from '@gd/nn/models';
import { bundle } from '@gd/vitest-config/browser';
import { describe, expect, it, vi } from 'vitest';

vi.mock('#platform', () => import('./platform.browser.js'));

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

describe('@gd/onnx in a browser', () => {
  it('bundles for the browser platform without Node builtins', async () => {
    const code = await bundle(`export * from ${JSON.stringify(`${DIST}index.js`)};`, DIST);
    expect(code).toContain('platform.browser.js');
    expect(code).not.toContain('platform.node.js');
    expect(code).not.toMatch(/from ["']node:/);
    expect(code).toContain('function exportOnnx');
  }, 60_000);

  it('exports bytes, and says how to keep them instead of writing files', async () => {
    const o = await import('./index.js');
    manualSeed(0);
    const bytes = o.exportOnnx(new LogisticRegression(), randn([2, 1, 28, 28]));
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(o.decodeOnnx(bytes).graph.node.map((n) => n.op_type)).toContain('Gemm');
    expect(() => o.saveOnnx(bytes, 'out/model.onnx')).toThrow(
      /saveOnnx: cannot write out\/model\.onnx \(a browser has no file system: .*Blob/,
    );
    expect(() => o.writeTritonRepository(bytes, 'repo', { name: 'm' })).toThrow(
      /cannot create the directory repo\/m\/1 \(a browser has no file system/,
    );
  });
});
