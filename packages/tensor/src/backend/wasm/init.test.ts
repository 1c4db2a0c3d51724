/**
 * The package without its build/ folder (as a bundle that did not copy the kernels sees it):
 * asking for the wasm backend names the place tried and `initWasm`, and `initWasm` with the
 * kernels' bytes or URL brings the backend up. Runs the built package in a child process.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const copy = mkdtempSync(join(tmpdir(), 'gd-tensor-nobuild-'));
cpSync(join(root, 'dist'), join(copy, 'dist'), { recursive: true });
const index = pathToFileURL(join(copy, 'dist/index.js')).href;
const kernels = join(root, 'build/gd_kernels_single.wasm');

function run(body: string, first = ''): string {
  const script = `${first}const t = await import(${JSON.stringify(index)});\n${body}`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, GD_BACKEND: '', GD_NATIVE: '0', GD_NUM_THREADS: '2' },
    encoding: 'utf8',
    stdio: 'pipe',
  });
}

describe('initWasm', () => {
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('without the kernels, setBackend and initWasm say where they looked and what to do', () => {
    const out = run(`
      console.log(t.getBackend().name, t.wasmBackend === null);
      try { t.setBackend('wasm'); } catch (e) { console.log(e.message); }
      try { await t.initWasm(); } catch (e) { console.log(e.message); }`);
    const [first, setError, initError] = out.trim().split('\n');
    expect(first).toBe('reference true');
    const tried = pathToFileURL(join(copy, 'build/gd_kernels.wasm')).href;
    expect(setError).toContain(`the wasm backend is not available: kernels not found at ${tried}`);
    expect(setError).toContain('await initWasm({ wasm: url })');
    expect(setError).toContain("from '@gd/tensor/wasm-inline'");
    expect(initError).toContain(`wasm backend: kernels not found at ${tried}`);
  });

  it('loads the kernels from bytes or a URL and makes the backend active', () => {
    for (const source of [
      `new Uint8Array((await import('node:fs')).readFileSync(${JSON.stringify(kernels)}))`,
      JSON.stringify(pathToFileURL(kernels).href),
    ]) {
      const out = run(`
        const wasm = ${source};
        const [backend, again] = await Promise.all([t.initWasm({ wasm }), t.initWasm({ wasm })]);
        if (backend !== again) throw new Error('two loads');
        const x = t.arange(2048, { dtype: 'float32' }).reshape([32, 64]);
        // Large enough to split across the two threads (the kernels patched to a shared memory).
        t.manualSeed(0);
        const a = t.randn([256, 256]);
        const onWasm = a.matmul(a).data;
        t.setBackend('reference');
        const onReference = a.matmul(a).data;
        t.setBackend('wasm');
        let diff = 0;
        onWasm.forEach((v, i) => (diff = Math.max(diff, Math.abs(v - onReference[i]))));
        console.log(backend.name, t.getBackend().name, t.wasmBackend === backend,
          t.wasmThreads(), diff < 1e-3, x.matmul(x.t()).sum().item());`);
      // The sum of x xᵀ is the sum over columns of (column sum)², in float32.
      let expected = 0;
      for (let k = 0; k < 64; k++) {
        let s = 0;
        for (let i = 0; i < 32; i++) s += i * 64 + k;
        expected += s * s;
      }
      const [name, active, same, threads, close, sum] = out.trim().split(' ');
      expect([name, active, same, threads, close]).toEqual(['wasm', 'wasm', 'true', '2', 'true']);
      expect(Math.abs(Number(sum) - expected) / expected).toBeLessThan(1e-6);
    }
  });

  it('a compiled module that imports a plain memory runs on one thread where threads could run', () => {
    const out = run(`
      const bytes = (await import('node:fs')).readFileSync(${JSON.stringify(kernels)});
      await t.initWasm({ wasm: new WebAssembly.Module(bytes) });
      const a = t.ones([64, 64]);
      console.log(t.getBackend().name, t.wasmThreads(), a.matmul(a).sum().item());`);
    expect(out.trim()).toBe(`wasm 1 ${64 * 64 * 64}`);
  });

  it('@gd/tensor/wasm-inline imported first: the backend loads its bytes as the package loads', () => {
    const inline = pathToFileURL(join(copy, 'dist/wasm-inline.js')).href;
    const out = run(
      `console.log(t.getBackend().name, t.wasmThreads() > 0, inline.wasm.length);`,
      `const inline = await import(${JSON.stringify(inline)});\n`,
    );
    expect(out.trim()).toBe(`wasm true ${readFileSync(kernels).length}`);
  });
});
