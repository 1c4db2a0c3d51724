// The attribution of a bundle's gzipped bytes to its modules, on a bundle esbuild makes here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script, without types
import { decodeSegment, gzippedBySource, owners } from './attribution.mjs';

const dir = mkdtempSync(join(tmpdir(), 'gd-attribution-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles two modules (one with a long table of words, one tiny) with an external source map. */
async function bundle(): Promise<{ code: string; map: { sources: string[]; mappings: string } }> {
  mkdirSync(join(dir, 'src'), { recursive: true });
  const words = Array.from({ length: 400 }, (_, i) => `word${(i * 7919) % 10007}x${i}`);
  writeFileSync(join(dir, 'src/big.js'), `export const big = ${JSON.stringify(words)};\n`);
  writeFileSync(join(dir, 'src/small.js'), 'export const small = (a) => a + 1;\n');
  const result = await esbuild.build({
    stdin: {
      contents: "export { big } from './src/big.js';\nexport { small } from './src/small.js';",
      resolveDir: dir,
    },
    bundle: true,
    format: 'esm',
    minify: true,
    sourcemap: 'external',
    outfile: join(dir, 'out.js'),
    write: false,
  });
  const file = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))!.text;
  return { code: file('.js'), map: JSON.parse(file('.js.map')) };
}

describe('gzippedBySource', () => {
  it('decodes base64 VLQ segments', () => {
    expect(decodeSegment('AAAA')).toEqual([0, 0, 0, 0]);
    expect(decodeSegment('AAgBC')).toEqual([0, 0, 16, 1]);
    expect(decodeSegment('D')).toEqual([-1]);
    expect(() => decodeSegment('A*')).toThrow(/'\*' is not a base64 digit/);
  });

  it('maps each character to the module that wrote it, and charges each module its share', async () => {
    const { code, map } = await bundle();
    const byLine: Int32Array[] = owners(code, map);
    const chars = (name: string) => {
      const i = map.sources.findIndex((s) => s.endsWith(name));
      return byLine.reduce((n, line) => n + line.filter((o) => o === i).length, 0);
    };
    expect(chars('big.js')).toBeGreaterThan(4000);
    expect(chars('small.js')).toBeGreaterThan(10);
    expect(chars('small.js')).toBeLessThan(60);

    const { total, shares } = gzippedBySource([{ code, map }]);
    const share = (name: string): number =>
      [...shares].find(([s]: [string, number]) => s.endsWith(name))![1];
    expect(share('big.js')).toBeGreaterThan(0.8 * total);
    expect(share('small.js')).toBeGreaterThan(0);
    expect(share('small.js')).toBeLessThan(60);
  });
});
