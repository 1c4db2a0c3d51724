/**
 * @gd/nn in a browser: bundled by esbuild for the browser platform, the `#platform` import
 * takes its browser side (no Node file system code in the bundle), and there `save`/`load`
 * say what to use instead while the byte functions work (run here with `#platform` swapped
 * for the browser module).
 */
import { fileURLToPath } from 'node:url';
import { bundle } from '@gd/vitest-config/browser';
import { describe, expect, it, vi } from 'vitest';
import { tensor } from '@gd/autograd';

vi.mock('#platform', () => import('./platform.browser.js'));

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

describe('@gd/nn in a browser', () => {
  it('bundles for the browser platform without the Node file code', async () => {
    const entries = ['index.js', 'rnn.js', 'transformer.js', 'safetensors.js'];
    const code = await bundle(
      entries.map((e) => `export * from ${JSON.stringify(`${DIST}${e}`)};`).join('\n'),
      DIST,
    );
    expect(code).toContain('platform.browser.js');
    expect(code).not.toContain('platform.node.js');
    expect(code).not.toMatch(/from ["']node:/);
    expect(code).not.toContain('fsyncSync');
  }, 60_000);

  it('saves and loads bytes, and says what to use instead of files', async () => {
    const nn = await import('./safetensors.js');
    const bytes = nn.saveSafetensors({ w: tensor([1, 2]) });
    expect(nn.loadSafetensors(bytes).tensors.w!.tolist()).toEqual([1, 2]);
    const instead = /a browser has no file system: use saveSafetensors\/loadSafetensors on bytes/;
    expect(() => nn.save({ w: tensor([1]) }, 'w.safetensors')).toThrow(
      /^safetensors: w\.safetensors: could not save \(a browser has no file system/,
    );
    expect(() => nn.save({ w: tensor([1]) }, 'w.safetensors')).toThrow(nn.SafetensorsError);
    expect(() => nn.load('w.safetensors')).toThrow(instead);
    expect(() => nn.loadFile('w.safetensors')).toThrow(/could not read/);
  });
});
